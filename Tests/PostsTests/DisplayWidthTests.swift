import XCTest
@testable import TextCells

final class DisplayWidthTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        DisplayWidth.prepareLocale()
    }

    func testLocaleIsUTF8() {
        XCTAssertTrue(DisplayWidth.prepareLocale())
    }

    func testClusters() {
        let cases: [(Character, Int)] = [
            ("a", 1), (" ", 1), ("~", 1), ("\t", 0), ("\u{0}", 0), ("\r\n", 0), ("\u{7F}", 0), ("\u{9B}", 0),
            ("é", 1), ("e\u{301}", 1), ("한", 2), ("\u{1100}\u{1161}\u{11A8}", 2), ("中", 2), ("Ａ", 2),
            ("😀", 2), ("👨\u{200D}👩\u{200D}👧\u{200D}👦", 2), ("🇰🇷", 2), ("\u{1F1F0}", 1),
            ("\u{2764}\u{FE0F}", 1), ("\u{2764}", 1), ("👍🏽", 2),
            ("\u{200B}", 0), ("\u{AD}", 0), ("\u{200D}", 0), ("\u{FEFF}", 0), ("\u{202E}", 0), ("\u{301}", 0),
            ("’", 1), ("—", 1), ("•", 1), ("\u{A0}", 1),
        ]
        for (c, w) in cases {
            XCTAssertEqual(DisplayWidth.of(c), w, c.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " "))
        }
    }

    func testTexts() {
        XCTAssertEqual(DisplayWidth.of(""), 0)
        XCTAssertEqual(DisplayWidth.of("Plain text"), 10)
        XCTAssertEqual(DisplayWidth.of("한국어 text"), 11)
        XCTAssertEqual(DisplayWidth.of("a😀b👨‍👩‍👧c🇰🇷"), 9)
        XCTAssertEqual(DisplayWidth.of("Pyongyang’s “zero”"[...]), 18)
        XCTAssertEqual(DisplayWidth.of("e\u{301}e\u{301}"), 2)
    }

    func testFallbackTableWhenTheLocaleKnowsNothing() {
        XCTAssertEqual(DisplayWidth.fallbackWidth(0x4E00), 2)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0xAC00), 2)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0x1F600), 2)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0xFF21), 2)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0x301), 0)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0x200B), 0)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0x1161), 0)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0xE9), 1)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0x2019), 1)
        XCTAssertEqual(DisplayWidth.fallbackWidth(0x378), 1)
    }
}
