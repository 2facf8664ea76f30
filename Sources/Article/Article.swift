import Posts

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
    /// The blocks and links of an HTML body. Relative URLs are resolved against `base` (and a `<base href>` in the
    /// body). The blocks end with the list of links (`[1] https://…`), `postLink` first. Without libxml2 the body
    /// is shown as plain-text paragraphs.
    public static func render(html: String, base: String?, postLink: String?) -> ArticleBody {
        var links = LinkList()
        if let postLink { _ = links.number(for: postLink) }
        var builder = HTMLBlockBuilder(base: base, links: links)
        guard HTMLDocument.walk(HTMLPreprocessor.prepare(html), into: &builder) else {
            return renderWithoutParser(html: html, postLink: postLink)
        }
        builder.finish()
        return ArticleBody(blocks: builder.blocks + builder.links.blocks, links: builder.links.urls)
    }

    /// What `render(html:base:postLink:)` gives when libxml2 cannot be loaded: the text, paragraphs at block tags.
    static func renderWithoutParser(html: String, postLink: String?) -> ArticleBody {
        render(text: PlainTextScanner(paragraphs: true).scan(html), postLink: postLink)
    }

    /// The blocks and links of a plain-text body: paragraphs split at blank lines, line breaks kept, and URLs in the
    /// text listed as links.
    public static func render(text: String, postLink: String?) -> ArticleBody {
        var links = LinkList()
        if let postLink { _ = links.number(for: postLink) }
        let blocks = PlainTextBody.blocks(text, links: &links)
        return ArticleBody(blocks: blocks + links.blocks, links: links.urls)
    }

    /// Plain text of an HTML fragment (a title): tags removed, character references decoded (HTML5's named ones and
    /// numeric ones, an invalid number giving U+FFFD), whitespace collapsed and trimmed. Pure Swift on UTF-8 bytes.
    public static func plainText(html: String) -> String {
        var needsWork = false
        var previousWasSpace = true
        for b in html.utf8 {
            if b == UInt8(ascii: "<") || b == UInt8(ascii: "&") || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
                || (b == 0x20 && previousWasSpace) {
                needsWork = true
                break
            }
            previousWasSpace = b == 0x20
        }
        if !needsWork && !previousWasSpace { return html }
        return PlainTextScanner().scan(html)
    }

    /// `reference` made absolute against `base` (RFC 3986 section 5.2); `reference` itself (trimmed) when it is
    /// absolute or there is no base with a scheme.
    public static func resolveURL(_ reference: String, against base: String?) -> String {
        URLResolver.resolve(reference, against: base)
    }

    /// The text of the HTML5 named character reference `name` (without `&` and `;`), or `nil` when HTML5 has none.
    public static func htmlEntity(named name: String) -> String? {
        HTMLEntities.byName[name + ";"]
    }
}
