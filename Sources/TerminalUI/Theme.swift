/// A terminal colour: the terminal's own default, or an index into its palette (0–7 the ANSI colours,
/// 8–15 their bright forms, 16–255 the 256-colour cube and greys).
public enum TerminalColor: Hashable, Sendable {
    case `default`
    case indexed(Int)
}

/// How one `Tint` is drawn when the user chose it (`color ELEMENT FG BG [ATTR ...]`).
public struct TintLook: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: Attributes

    public init(foreground: TerminalColor, background: TerminalColor, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// The user's colour choices; a tint without one keeps the built-in look. Terminals without colour (or
/// with `NO_COLOR`) keep only the attributes, added to their monochrome looks.
public struct Theme: Hashable, Sendable {
    public var looks: [Tint: TintLook]

    public init(looks: [Tint: TintLook] = [:]) { self.looks = looks }

    public static let standard = Theme()

    /// How `tint` is drawn on a colour terminal: the user's look, else the built-in one.
    public func look(for tint: Tint) -> TintLook {
        looks[tint] ?? Theme.builtIn[tint] ?? TintLook(foreground: .default, background: .default)
    }

    /// The built-in looks, for 8 and 256 colours, dark and light backgrounds: text in the terminal's own
    /// colours; only the eight ANSI colours (which every terminal's theme adapts to its background), as
    /// foregrounds on the default background, or black on yellow for search matches; the rest is attributes.
    public static let builtIn: [Tint: TintLook] = [
        .normal: TintLook(foreground: .default, background: .default),
        .accent: TintLook(foreground: .indexed(6), background: .default),
        .muted: TintLook(foreground: .default, background: .default, attributes: .dim),
        .selection: TintLook(foreground: .default, background: .default, attributes: .reverse),
        .statusBar: TintLook(foreground: .default, background: .default, attributes: .reverse),
        .error: TintLook(foreground: .indexed(1), background: .default, attributes: .bold),
        .border: TintLook(foreground: .default, background: .default, attributes: .dim),
        .highlight: TintLook(foreground: .indexed(0), background: .indexed(3)),
        .title: TintLook(foreground: .default, background: .default, attributes: .bold),
        .code: TintLook(foreground: .indexed(2), background: .default),
        .mark: TintLook(foreground: .indexed(3), background: .default, attributes: .bold),
    ]
}
