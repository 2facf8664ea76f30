/// The characters the interface draws with, in a Unicode set and an ASCII fallback for
/// terminals and locales without UTF-8 (`LANG=C`, the Linux console).
public struct Glyphs: Hashable, Sendable {
    public var unread: String
    public var ellipsis: String
    public var vertical: String
    public var horizontal: String
    public var bullet: String
    public var subBullet: String
    public var separator: String
    /// The bar left of quoted text (`blockquote`), one per level.
    public var quoteBar: String
    /// Box corners: top-left, top-right, bottom-left, bottom-right.
    public var corners: [String]
    /// Marks a saved search among the sources.
    public var savedSearch: String

    public static let unicode = Glyphs(unread: "●", ellipsis: "…", vertical: "│", horizontal: "─",
                                       bullet: "•", subBullet: "–", separator: "·", quoteBar: "│",
                                       corners: ["┌", "┐", "└", "┘"], savedSearch: "⌕")
    public static let ascii = Glyphs(unread: "*", ellipsis: "...", vertical: "|", horizontal: "-",
                                     bullet: "*", subBullet: "-", separator: "|", quoteBar: "|",
                                     corners: ["+", "+", "+", "+"], savedSearch: "/")
}
