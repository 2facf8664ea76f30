import Search
import XCTest

final class SearchHighlighterTests: XCTestCase {
    func highlighted(_ query: String, in text: String, typing: Bool = false) -> [String] {
        SearchHighlighter.ranges(of: SearchQuery.parse(query, typing: typing).required, in: text).map { slice(text, $0) }
    }

    func testWordsAreFoundFoldedAndRangesCoverTheOriginal() {
        XCTAssertEqual(highlighted("eva", in: "Éva met EVA and eval"), ["Éva", "EVA"])
        XCTAssertEqual(highlighted("strasse", in: "Die Straße."), ["Straße"])
        XCTAssertEqual(highlighted("cafe", in: "un café\u{301} noir"), ["café\u{301}"])
        XCTAssertEqual(highlighted("korea", in: "nothing here"), [])
        XCTAssertEqual(highlighted("", in: "nothing here"), [])
    }

    func testPrefixesAndTheLastWordWhileTyping() {
        XCTAssertEqual(highlighted("kor*", in: "Korea, Koreans and a kor"), ["Korea", "Koreans", "kor"])
        XCTAssertEqual(highlighted("missi", in: "missile missing mission", typing: true), ["missile", "missing", "mission"])
        XCTAssertEqual(highlighted("missi", in: "missile missing mission"), [])
    }

    func testPhrasesAreConsecutiveTokens() {
        XCTAssertEqual(highlighted("\"kim jong\"", in: "Kim Jong-un, kim and jong, KIM: jong"), ["Kim Jong", "KIM: jong"])
        XCTAssertEqual(highlighted("\"kim jo\"*", in: "Kim Jong-un"), ["Kim Jong"])
    }

    func testOverlappingAndTouchingRangesAreMerged() {
        let text = "north korea korean"
        let ranges = SearchHighlighter.ranges(of: SearchQuery.parse("\"north korea\" korea*").required, in: text)
        XCTAssertEqual(ranges.map { slice(text, $0) }, ["north korea", "korean"])
        XCTAssertEqual(SearchHighlighter.ranges(of: SearchQuery.parse("ab cd").required, in: "ab-cd"), [0..<2, 3..<5])
        // Ascending whatever the order of the phrases.
        let ranges2 = SearchHighlighter.ranges(of: SearchQuery.parse("z a").required, in: "a z a z")
        XCTAssertEqual(ranges2, [0..<1, 2..<3, 4..<5, 6..<7])
    }

    func testCJKWordsAndSingleCharacters() {
        XCTAssertEqual(highlighted("한국", in: "한국은 미사일을"), ["한국"])
        XCTAssertEqual(highlighted("미사일", in: "한국은 미사일을"), ["미사일"])
        XCTAssertEqual(highlighted("朝鮮", in: "北朝鮮のニュース"), ["朝鮮"])
        // One character: found inside bigrams, only that character lit.
        XCTAssertEqual(highlighted("鮮", in: "北朝鮮のニュース 鮮"), ["鮮", "鮮"])
        XCTAssertEqual(highlighted("\"대한민국 만세\"", in: "대한민국 만세!"), ["대한민국 만세"])
    }

    func testCompiledPhrasesGiveTheSameRanges() {
        var random = LCG(99)
        for _ in 0..<300 {
            let query = SearchQuery.parse(randomText(&random, pieces: 1 + random.below(4)), typing: random.below(2) == 0)
            let phrases = SearchHighlighter.Phrases(query.required)
            let text = randomText(&random, pieces: 20)
            let ranges = SearchHighlighter.ranges(of: query.required, in: text)
            XCTAssertEqual(phrases.ranges(in: text), ranges)
            // Merged and ascending, inside the text.
            for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertLessThan(a.upperBound, b.lowerBound) }
            XCTAssertTrue(ranges.allSatisfy { $0.upperBound <= text.utf8.count && !$0.isEmpty })
            for phrase in query.required {
                XCTAssertEqual(SearchHighlighter.contains(phrase, in: text),
                               !SearchHighlighter.ranges(of: [phrase], in: text).isEmpty)
            }
        }
    }
}
