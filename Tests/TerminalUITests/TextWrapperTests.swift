import XCTest
import TextCells
@testable import TerminalUI

final class TextWrapperTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    func testWrapsAtWordBoundariesWithinTheWidth() {
        let lines = TextWrapper.wrap("The quick brown fox jumps over the lazy dog", width: 10)
        XCTAssertEqual(lines, ["The quick", "brown fox", "jumps over", "the lazy", "dog"])
    }

    func testNeverSplitsAWordThatFits() {
        for width in 5...30 {
            for line in TextWrapper.wrap("internationalisation is a long word indeed", width: width) {
                XCTAssertLessThanOrEqual(DisplayWidth.of(line), width)
            }
        }
        XCTAssertEqual(TextWrapper.wrap("ab cdefgh", width: 6), ["ab", "cdefgh"])
    }

    func testSplitsAWordWiderThanTheLine() {
        XCTAssertEqual(TextWrapper.wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
    }

    func testNoBreakSpaceKeepsWordsTogether() {
        let lines = TextWrapper.wrap("fired in\u{A0}Munchon what", width: 12)
        XCTAssertTrue(lines.contains("in\u{A0}Munchon"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.hasSuffix("in") })
    }

    func testWideCharactersCountTwoCells() {
        let lines = TextWrapper.wrap("한국어 문장을 감싸기 테스트", width: 8)
        XCTAssertEqual(lines, ["한국어", "문장을", "감싸기", "테스트"])
        for line in TextWrapper.wrap("北朝鮮が巡航ミサイルを発射した北朝鮮が巡航", width: 7) {
            XCTAssertLessThanOrEqual(DisplayWidth.of(line), 7, line)
        }
    }

    func testNoTextIsLostOrReordered() {
        let text = "Kim Jong Un orders construction — of a “modern general hospital” in 평양 🏥 quickly"
        for width in 1...40 {
            let joined = TextWrapper.wrap(text, width: width).joined()
            XCTAssertEqual(joined.filter { $0 != " " }, text.filter { $0 != " " }, "width \(width)")
        }
    }

    func testFirstLineCanBeNarrower() {
        XCTAssertEqual(TextWrapper.wrap("aaa bbb ccc", width: 7, firstWidth: 3), ["aaa", "bbb ccc"])
    }

    func testTruncateAddsAnEllipsisOnlyWhenCutting() {
        XCTAssertEqual(TextWrapper.truncate("short", width: 10), "short")
        XCTAssertEqual(TextWrapper.truncate("a longer title here", width: 10), "a longer…")
        XCTAssertEqual(DisplayWidth.of(TextWrapper.truncate("北朝鮮が巡航ミサイル", width: 9)), 9)
        XCTAssertEqual(TextWrapper.truncate("北朝鮮が巡航ミサイル", width: 8), "北朝鮮…")
    }
}
