import Posts
internal import CLibXML2

/// An article body ready for the reading pane: its blocks, and the links it refers to by number.
public struct ArticleBody: Hashable, Sendable {
    public var blocks: [Block]
    /// The links, `links[0]` being `[1]`: the post's own link first (when it has one), then each other URL of the
    /// body in order of first appearance (the same URL keeps one number).
    public var links: [String]

    public init(blocks: [Block], links: [String]) {
        self.blocks = blocks
        self.links = links
    }
}

/// Renders HTML (and plain-text) bodies of feed items into blocks for a terminal. Pure: no terminal, no I/O;
/// libxml2's HTML parser (loaded on first use) does the parsing.
public enum Article {
    /// The blocks and links of an HTML body. Relative URLs are resolved against `base`. The blocks end with the
    /// list of links (`[1] https://…`), `postLink` first.
    public static func render(html: String, base: String?, postLink: String?) -> ArticleBody {
        // Placeholder until the HTML renderer lands: the text without tags, as one paragraph.
        render(text: plainText(html: html), postLink: postLink)
    }

    /// The blocks and links of a plain-text body (paragraphs split at blank lines, line breaks kept).
    public static func render(text: String, postLink: String?) -> ArticleBody {
        var blocks: [Block] = []
        for paragraph in text.split(separator: "\n\n") where !paragraph.isEmpty {
            blocks.append(.text([Inline(String(paragraph))], .none))
        }
        return ArticleBody(blocks: blocks, links: postLink.map { [$0] } ?? [])
    }

    /// Plain text of an HTML fragment (a title): tags removed, entities decoded, whitespace collapsed.
    public static func plainText(html: String) -> String {
        var out = ""
        var inTag = false
        for c in html {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out
    }

    /// `reference` made absolute against `base` (RFC 3986 section 5); `reference` itself when it is absolute or
    /// there is no base.
    public static func resolveURL(_ reference: String, against base: String?) -> String {
        // Placeholder until the resolver lands.
        reference
    }

    /// The text of the HTML5 named character reference `name` (without `&` and `;`), or `nil` when HTML5 has none.
    public static func htmlEntity(named name: String) -> String? {
        // Placeholder until the HTML5 table lands.
        ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"][name]
    }
}
