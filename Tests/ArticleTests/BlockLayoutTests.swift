import Article
import Posts
import TerminalUI
import TextCells
import XCTest

/// How HTML blocks are drawn: styles of inline emphasis, gutters, glyph sets.
final class BlockLayoutTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    private func layout(_ blocks: [Block], width: Int = 40, glyphs: Glyphs = .unicode) -> [StyledLine] {
        let post = Post(id: PostID(rawValue: 1), title: "T", bodyRange: 0..<0)
        return Array(ArticleLayout(post: post, blocks: blocks, width: width, glyphs: glyphs).lines.dropFirst(2))
    }

    private func style(of text: String, in lines: [StyledLine]) -> Style? {
        lines.lazy.flatMap(\.spans).first { $0.text == text }?.style
    }

    func testInlineEmphasisBecomesStyles() {
        let lines = layout([.text([Inline("b", .bold), Inline(" "), Inline("i", .italic), Inline(" "), Inline("c", .code),
                                   Inline(" "), Inline("m", .mark), Inline(" "), Inline("l", .link), Inline("[2]", .reference),
                                   Inline(" "), Inline("cap", .muted)], .none)])
        XCTAssertEqual(style(of: "b", in: lines), Style(.bold))
        XCTAssertEqual(style(of: "i", in: lines), Style(.italic))
        XCTAssertEqual(style(of: "c", in: lines), Style(tint: .code))
        XCTAssertEqual(style(of: "m", in: lines), Style(tint: .mark))
        XCTAssertEqual(style(of: "l", in: lines), Style(.underline, tint: .accent))
        XCTAssertEqual(style(of: "[2]", in: lines), Style(.dim, tint: .muted))
        XCTAssertEqual(style(of: "cap", in: lines), Style(.dim, tint: .muted))
        XCTAssertEqual(lines[0].text, "b i c m l[2] cap")
    }

    func testStylesSurviveWrapping() {
        let lines = layout([.text([Inline("plain words here "), Inline("bold words that wrap over", .bold), Inline(" end")], .none)],
                           width: 20)
        XCTAssertEqual(lines.map(\.text), ["plain words here", "bold words that wrap", "over end"])
        XCTAssertEqual(lines[1].spans, [Span("bold words that wrap", Style(.bold))])
        XCTAssertEqual(lines[2].spans, [Span("over", Style(.bold)), Span(" end")])
    }

    func testHeadingsAreBoldWithBlankLinesAround() {
        let lines = layout([.text([Inline("a")], .none), .heading(level: 2, [Inline("H")], .none),
                            .text([Inline("b")], Margin(tight: true))])
        XCTAssertEqual(lines.map(\.text), ["a", "", "H", "", "b"])
        XCTAssertEqual(lines[2].spans.first?.style.attributes, .bold)
    }

    func testQuoteBarsOnEveryWrappedLineAndBetweenParagraphs() {
        let lines = layout([.text([Inline("one two three four five six")], Margin(quoteDepth: 2)),
                            .text([Inline("seven")], Margin(quoteDepth: 1))], width: 14)
        XCTAssertEqual(lines.map(\.text), ["│ │ one two", "│ │ three four", "│ │ five six", "│", "│ seven"])
        XCTAssertEqual(layout([.text([Inline("q")], Margin(quoteDepth: 1))], glyphs: .ascii).map(\.text), ["| q"])
    }

    func testMarkersAreRightAlignedAndTextHangs() {
        let lines = layout([.text([Inline("alpha beta gamma")], Margin(indent: 6, marker: "9.")),
                            .text([Inline("delta")], Margin(indent: 6, marker: "10.", tight: true))], width: 16)
        XCTAssertEqual(lines.map(\.text), ["   9. alpha beta", "      gamma", "  10. delta"])
        XCTAssertEqual(lines[0].spans[1], Span("9.", Style(tint: .accent)))
    }

    func testBulletsFollowTheGlyphSet() {
        let blocks: [Block] = [.text([Inline("a")], Margin(indent: 4, marker: "•")),
                               .text([Inline("b")], Margin(indent: 6, marker: "–", tight: true))]
        XCTAssertEqual(layout(blocks, glyphs: .ascii).map(\.text), ["  * a", "    - b"])
    }

    func testVerbatimIsClippedWithTheEllipsisGlyph() {
        let block = Block.verbatim(["short", String(repeating: "x", count: 30)], Margin(indent: 2))
        XCTAssertEqual(layout([block], width: 12).map(\.text), ["  short", "  xxxxxxxxx…"])
        XCTAssertEqual(layout([block], width: 12, glyphs: .ascii).map(\.text), ["  short", "  xxxxxxx..."])
        XCTAssertEqual(layout([block]).first?.spans.last?.style, Style(tint: .code))
    }

    func testGuttersGiveWayOnNarrowColumns() {
        let deep = Block.text([Inline("text that wraps")], Margin(quoteDepth: 500, indent: 3000, marker: "iiii."))
        for width in [1, 2, 5, 10, 40] {
            let lines = layout([deep], width: width)
            XCTAssertFalse(lines.isEmpty)
            for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(line.text), width, "\(width): \(line.text)") }
            XCTAssertTrue(lines.map(\.text).joined().contains("t"), "some text is left at \(width)")
        }
    }

    func testTablesUseColumnsOnlyWhenTheyFit() {
        let table = Block.table(Table(rows: [[[Inline("Key")], [Inline("Value")]], [[Inline("a")], [Inline("one")]]], headerRows: 1), .none)
        XCTAssertEqual(layout([table], width: 12).map(\.text), ["Key  Value", "───  ─────", "a    one"])
        XCTAssertEqual(layout([table], width: 9).map(\.text), ["Key: a", "Value:", "  one"])
        XCTAssertEqual(layout([table], width: 12).first?.spans.first?.style, Style(.bold), "header cells are bold")
    }

    func testTextArchiveBlocksAreDrawnAsBefore() {
        XCTAssertEqual(layout([.paragraph("para"), .bullet(level: 1, text: "one"), .bullet(level: 2, text: "two")]).map(\.text),
                       ["para", "", "  • one", "    – two"])
    }
}
