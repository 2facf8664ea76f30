import Article
import Posts
import TerminalUI
import TextCells

/// `Article.render(html:)` (libxml2's HTML parser and the block builder) laid out by `ArticleLayout`, and
/// `Article.plainText(html:)`, on arbitrary bytes.
///
/// Input: the HTML (UTF-8, invalid sequences replaced as a feed parser's decoding would).
/// Invariants, at 80, 33, 7 and 1 columns with Unicode glyphs, and at 20 with ASCII ones:
/// - no line is wider than the column, unless its only visible grapheme cluster is wider than the whole column;
/// - no line holds a control character (C0, DEL, C1) or a bidi control: nothing the terminal would act on;
/// - the title of plain text holds no line break or tab and no run of spaces, and is trimmed.
public enum ArticleFuzz: FuzzTarget {
    public static let name = "article"

    private static let locale: Bool = DisplayWidth.prepareLocale()

    public static func check(_ input: [UInt8]) -> [String] {
        _ = locale
        let html = String(decoding: input, as: UTF8.self)
        var problems: [String] = []
        let body = Article.render(html: html, base: "https://example.org/a/b", postLink: "https://example.org/p")
        let post = Post(id: PostID(rawValue: 1), title: "Fuzz", bodyRange: 0..<0)
        for (width, glyphs) in [(80, Glyphs.unicode), (33, .unicode), (7, .unicode), (1, .unicode), (20, .ascii)] {
            let layout = ArticleLayout(post: post, blocks: body.blocks, width: width, glyphs: glyphs)
            for (index, line) in layout.lines.enumerated() {
                let text = line.text
                let cells = DisplayWidth.of(text)
                let visible = text.filter { DisplayWidth.of($0) > 0 }
                if cells > width && !(visible.count == 1 && DisplayWidth.of(visible) > width) {
                    problems.append("line \(index) is \(cells) cells at width \(width): \(debugQuoted(text))")
                }
                if text.unicodeScalars.contains(where: isControl) {
                    problems.append("line \(index) at width \(width) holds a control: \(debugQuoted(text))")
                }
                if problems.count > 5 { return problems }
            }
        }
        let title = Article.plainText(html: html)
        if title.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }) || title.contains("  ")
            || title.first == " " || title.last == " " {
            problems.append("plain text not collapsed: \(debugQuoted(title))")
        }
        return problems
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
            || (0x2066...0x2069).contains(s.value) || s.value == 0x200E || s.value == 0x200F || s.value == 0x61C
    }
}
