import XCTest
@testable import Posts

final class BlockParserTests: XCTestCase {
    private func parse(_ s: String) -> [Block] { BlockParser.parse(Array(s.utf8)) }

    func testParagraphLinesJoinWithOneSpace() {
        XCTAssertEqual(parse("\n\nOne\n  two  \nthree\n\n\nFour\n"), [.paragraph("One two three"), .paragraph("Four")])
    }

    func testBulletLevels() {
        XCTAssertEqual(parse("Intro:\n\n  • One\n  • – Two\n    • Three\n•Not a bullet\n\u{25E6} Four\n  • —  Five"), [
            .paragraph("Intro:"),
            .bullet(level: 1, text: "One"),
            .bullet(level: 2, text: "Two"),
            .bullet(level: 2, text: "Three"),
            .paragraph("•Not a bullet"),
            .bullet(level: 2, text: "Four"),
            .bullet(level: 2, text: "Five"),
        ])
    }

    func testAsciiBullets() {
        XCTAssertEqual(parse("- one\n* two\n  - three\n* * *\n-5 degrees\n"), [
            .bullet(level: 1, text: "one"),
            .bullet(level: 1, text: "two"),
            .bullet(level: 2, text: "three"),
            .paragraph("* * * -5 degrees"),
        ])
    }

    func testIndentedLineContinuesABullet() {
        XCTAssertEqual(parse("  • A long item\n    that wraps\nA paragraph\nright after."), [
            .bullet(level: 1, text: "A long item that wraps"),
            .paragraph("A paragraph right after."),
        ])
    }

    func testWhitespaceAndNoBreakSpaces() {
        XCTAssertEqual(parse("\u{A0} Keep\u{A0}inner \u{A0}\t\n\u{A0}\u{A0}\n\tTabbed\u{A0}"),
                       [.paragraph("Keep\u{A0}inner"), .paragraph("Tabbed")])
    }

    func testLineEndings() {
        let expected: [Block] = [.paragraph("a b"), .bullet(level: 1, text: "c")]
        XCTAssertEqual(parse("a\r\nb\r\n\r\n  • c\r\n"), expected)
        XCTAssertEqual(parse("a\rb\r\r  • c\r"), expected)
    }

    func testPlainText() {
        XCTAssertEqual(BlockParser.plainText([.paragraph("P"), .bullet(level: 1, text: "a"), .bullet(level: 2, text: "b")]),
                       "P\n• a\n  – b")
    }
}
