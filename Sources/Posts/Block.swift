/// One block of an article body, laid out (wrapped to the reading column) only when the post is shown.
///
/// Text archives give `paragraph` and `bullet` (`BlockParser`); HTML bodies of feed items give the others
/// (the `Article` module), whose text carries inline styles and whose margin says how far in they sit.
public enum Block: Hashable, Sendable {
    /// A paragraph of running text (lines of one paragraph are joined with spaces).
    case paragraph(String)
    /// A bullet item: `  • text` is level 1, `  • – text` is level 2.
    case bullet(level: Int, text: String)
    /// Running text with inline styles, wrapped to the measure inside its margin (a paragraph, a list item, a
    /// definition, a caption, a table cell shown as `Header: value`). A `\n` in the text is a line break (`br`).
    case text([Inline], Margin)
    /// A heading (`h1`...`h6`): bold, a blank line around it.
    case heading(level: Int, [Inline], Margin)
    /// Preformatted lines (`pre`): kept verbatim, never wrapped; a line wider than the column is clipped with a mark.
    case verbatim([String], Margin)
    /// A horizontal rule (`hr`).
    case rule(Margin)
    /// A table: laid out as columns when they fit the measure, otherwise one `Header: value` line per cell.
    case table(Table, Margin)
}

/// Where a block sits: inside how many quotes, how far indented, and the marker of a list item.
public struct Margin: Hashable, Sendable {
    /// Nesting depth of `blockquote`s around the block: one quote bar each.
    public var quoteDepth: Int
    /// Cells of indentation after the quote bars (nested lists, `dd`, `figure`).
    public var indent: Int
    /// The marker of a list item (`•`, `–`, `1.`, `b.`, `iv.`), drawn in the indentation before the first line;
    /// the lines after it hang under the text.
    public var marker: String?
    /// No blank line between this block and the one before (list items of one list, a `dd` after its `dt`).
    public var tight: Bool

    public init(quoteDepth: Int = 0, indent: Int = 0, marker: String? = nil, tight: Bool = false) {
        self.quoteDepth = quoteDepth
        self.indent = indent
        self.marker = marker
        self.tight = tight
    }

    public static let none = Margin()
}

/// A run of text in one inline style.
public struct Inline: Hashable, Sendable {
    public var text: String
    public var emphasis: Emphasis

    public init(_ text: String, _ emphasis: Emphasis = []) {
        self.text = text
        self.emphasis = emphasis
    }
}

/// Inline styles from HTML (`b`/`strong`, `i`/`em`, `code`, `mark`, a link's text, a link's `[n]` reference).
public struct Emphasis: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Emphasis(rawValue: 1 << 0)
    public static let italic = Emphasis(rawValue: 1 << 1)
    public static let code = Emphasis(rawValue: 1 << 2)
    public static let mark = Emphasis(rawValue: 1 << 3)
    /// The text of a link.
    public static let link = Emphasis(rawValue: 1 << 4)
    /// A link's reference number, `[3]`.
    public static let reference = Emphasis(rawValue: 1 << 5)
    /// Secondary text: a caption, an `[image: …]` placeholder.
    public static let muted = Emphasis(rawValue: 1 << 6)
}

/// A table's cells, row by row (rows may have different lengths); the first `headerRows` rows are headers.
public struct Table: Hashable, Sendable {
    public var rows: [[[Inline]]]
    public var headerRows: Int

    public init(rows: [[[Inline]]], headerRows: Int) {
        self.rows = rows
        self.headerRows = headerRows
    }
}
