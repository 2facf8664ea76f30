/// Text attributes a cell can carry. Terminals without colour fall back to these alone.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
    public static let italic = Attributes(rawValue: 1 << 4)
}

/// A semantic colour role. The terminal maps each role to a colour pair when it has colours,
/// and ignores it when it has none (attributes alone must carry the meaning).
public enum Tint: UInt8, Hashable, Sendable, CaseIterable {
    case normal
    case accent
    case muted
    case selection
    case statusBar
    case error
    case border
    case highlight
    case title
    /// `code` and `pre` in an article.
    case code
    /// `mark` (highlighted text) in an article.
    case mark
}

/// How a cell is drawn.
public struct Style: Hashable, Sendable {
    public var attributes: Attributes
    public var tint: Tint

    public init(_ attributes: Attributes = [], tint: Tint = .normal) {
        self.attributes = attributes
        self.tint = tint
    }

    public static let plain = Style()
}
