import Article
import Posts
import TerminalUI
import TextCells
import XCTest

/// Bodies built to break the renderer: deep nesting, huge text, terminal escapes, unclosed tags, huge tables.
final class HostileInputTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    /// Renders and lays out `html` at 80 and 40 columns; fails on a line too wide or a control character; returns the
    /// lines at 80 columns.
    @discardableResult
    private func check(_ html: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let body = Article.render(html: html, base: "https://h.org/", postLink: "https://h.org/p")
        var result: [String] = []
        for width in [80, 40] {
            let lines = layoutLines(body, width: width)
            if width == 80 { result = lines }
            for (index, text) in lines.enumerated() {
                if DisplayWidth.of(text) > width {
                    XCTFail("line \(index) is \(DisplayWidth.of(text)) cells at \(width)", file: file, line: line)
                    return result
                }
                if let bad = text.unicodeScalars.first(where: Self.isForbidden) {
                    XCTFail("line \(index) holds U+\(String(bad.value, radix: 16)): \(text.debugDescription)", file: file, line: line)
                    return result
                }
            }
        }
        return result
    }

    /// Controls, escapes, bidi controls: nothing the terminal would act on.
    static func isForbidden(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
            || (0x2066...0x2069).contains(s.value) || s.value == 0x200E || s.value == 0x200F
    }

    func testNestingOneHundredThousandLevelsDeep() {
        let depth = 100_000
        for (open, close) in [("<div>", "</div>"), ("<blockquote>", "</blockquote>"), ("<ul><li>", "</li></ul>"),
                              ("<ol start=\"7\"><li>x", "</li></ol>"), ("<b>", "</b>"), ("<table><tr><td>", "</td></tr></table>")] {
            let html = String(repeating: open, count: depth) + "deep text" + String(repeating: close, count: depth)
            let lines = check(html)
            XCTAssertTrue(lines.contains { $0.contains("deep text") }, "\(open): the innermost text is shown")
        }
        // Unclosed, too.
        check(String(repeating: "<blockquote><p>q", count: depth))
    }

    func testTextAfterVeryDeepNestingIsKept() {
        // libxml2 stops at 256 open elements; the deepest start tags are left out so the rest survives.
        let html = String(repeating: "<div><span>", count: 300) + "deep" + String(repeating: "</span></div>", count: 300)
            + "<p>after</p><ul>" + String(repeating: "<li><p>unclosed item", count: 500) + "</ul><p>end</p>"
        let lines = check(html)
        for word in ["deep", "after", "end"] { XCTAssertTrue(lines.contains { $0.contains(word) }, word) }
        XCTAssertEqual(lines.filter { $0.hasPrefix("  • unclosed item") }.count, 500, "implied end tags do not count as depth")
    }

    func testTenMegabyteTextNode() {
        let word = "lorem ipsum dolor sit amet "
        let text = String(repeating: word, count: 10_000_000 / word.utf8.count)
        let body = Article.render(html: "<p>" + text + "</p>", base: nil, postLink: nil)
        guard case .text(let runs, _) = body.blocks.first else { return XCTFail("no text") }
        XCTAssertEqual(runs.map(\.text.utf8.count).reduce(0, +), text.utf8.count - 1, "all of it, the last space trimmed")
        let lines = layoutLines(body, width: 80)
        XCTAssertGreaterThan(lines.count, 10_000_000 / 81)
        XCTAssertTrue(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
    }

    func testEscapeSequencesAndBidiControlsNeverReachTheScreen() {
        let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07}\u{9B}31m\u{202E}\u{2066}\u{200F}\r\u{08}\u{7F}"
        let lines = check("""
            <h1>T\(hostile)</h1><p>p\(hostile) <a href="https://h.org/\(hostile)">link\(hostile)</a></p>
            <img alt="alt\(hostile)"><video title="v\(hostile)"></video><ol><li>i\(hostile)</li></ol>
            <pre>pre\(hostile)</pre><table><tr><th>h\(hostile)</th></tr><tr><td>c\(hostile)</td></tr></table>
            <dl><dt>t\(hostile)</dt><dd>d\(hostile)</dd></dl><a href="\(hostile)">only escapes</a>
            """)
        XCTAssertFalse(lines.joined().contains("[2J"), "the whole sequence goes, not just its ESC")
        XCTAssertFalse(lines.joined().contains("pwned"))
        // Plain-text bodies and the link list too.
        let body = Article.render(text: "x\(hostile) https://h.org/\(hostile)", postLink: "https://p.org/\(hostile)")
        for line in layoutLines(body, width: 40) { XCTAssertFalse(line.unicodeScalars.contains(where: Self.isForbidden), line) }
    }

    func testUnclosedTagsStillGiveTheText() {
        let lines = check("<p>one <b>bold <i>both <ul><li>item <blockquote>quote <table><tr><td>cell")
        for word in ["one", "bold", "both", "item", "quote", "cell"] {
            XCTAssertTrue(lines.contains { $0.contains(word) }, word)
        }
    }

    func testTableWithAThousandColumnsFallsBackToHeaderValueLines() {
        let header = (1...1000).map { "<th>H\($0)</th>" }.joined()
        let row = (1...1000).map { "<td>v\($0)</td>" }.joined()
        let lines = check("<table><tr>\(header)</tr><tr>\(row)</tr></table>")
        XCTAssertTrue(lines.contains("H1: v1"))
        XCTAssertTrue(lines.contains("H1000: v1000"))
    }

    func testPreWithTenThousandCharacterLinesIsClipped() {
        let long = String(repeating: "0123456789", count: 1000)
        let lines = check("<pre>\(long)\n\(long)</pre>")
        let clipped = lines.filter { $0.hasPrefix("  0123") }
        XCTAssertEqual(clipped.count, 2)
        XCTAssertTrue(clipped.allSatisfy { $0.hasSuffix("…") && DisplayWidth.of($0) == 80 })
    }

    func testWideAndZeroWidthCharactersKeepTheColumns() {
        let lines = check("<ul><li>" + String(repeating: "日本語のテキスト e\u{301} 👨‍👩‍👧 soft\u{AD}hyphen zero\u{200B}width ", count: 20) + "</li></ul>")
        XCTAssertFalse(lines.joined().contains("\u{AD}"))
    }
}
