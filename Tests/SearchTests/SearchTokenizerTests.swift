import Search
import XCTest

final class SearchTokenizerTests: XCTestCase {
    func testASCIIWordsAreLowercasedAndEverythingElseSeparates() {
        XCTAssertEqual(folded("Hello, WORLD! It's an e-mail at 10:30 (x_y) #tag"),
                       ["hello", "world", "it", "s", "an", "e", "mail", "at", "10", "30", "x", "y", "tag"])
        XCTAssertEqual(folded("COVID19 x86_64"), ["covid19", "x86", "64"])
        XCTAssertEqual(folded(""), [])
        XCTAssertEqual(folded(" \t\n.,;!?"), [])
    }

    func testRangesPointAtTheOriginalBytes() {
        let text = "  Éva's Straße, 北朝鮮 (İstanbul) café\u{301}!"
        let tokens = SearchTokenizer.tokens(of: text)
        XCTAssertEqual(tokens.map(\.folded), ["eva", "s", "strasse", "北朝", "朝鮮", "鮮", "istanbul", "cafe"])
        XCTAssertEqual(tokens.map { slice(text, $0.range) }, ["Éva", "s", "Straße", "北朝", "朝鮮", "鮮", "İstanbul", "café\u{301}"])
    }

    func testDiacriticsAreRemovedAndGermanIsSpelledOut() {
        XCTAssertEqual(folded("Éva naïve résumé Ångström Dvořák"), ["eva", "naive", "resume", "angstrom", "dvorak"])
        XCTAssertEqual(folded("Straße STRASSE GROẞ"), ["strasse", "strasse", "gross"])
        XCTAssertEqual(folded("Łódź Øresund Đakovo Æsir œuvre"), ["lodz", "oresund", "dakovo", "aesir", "oeuvre"])
        // Decomposed input folds the same as precomposed.
        XCTAssertEqual(folded("e\u{301}te\u{301}"), folded("été"))
    }

    func testTurkishDottedAndDotlessI() {
        XCTAssertEqual(folded("İstanbul ISTANBUL istanbul ıspanak"), ["istanbul", "istanbul", "istanbul", "ispanak"])
    }

    func testCompatibilityFormsBecomePlainLetters() {
        XCTAssertEqual(folded("ＡＢＣ１２３ ﬁne ǅemal"), ["abc123", "fine", "dzemal"])
        XCTAssertEqual(folded("٣٤ ١٩٩٠"), ["34", "1990"])
        XCTAssertEqual(folded("ΣΊΣΥΦΟΣ σίσυφος"), ["σισυφοσ", "σισυφοσ"])
        XCTAssertEqual(folded("Москва МОСКВА"), ["москва", "москва"])
    }

    func testChineseRunsAreBigramsWithTheLastCharacterAlone() {
        XCTAssertEqual(folded("朝鮮中央"), ["朝鮮", "鮮中", "中央", "央"])
        XCTAssertEqual(folded("朝鮮中央", forQuery: true), ["朝鮮", "鮮中", "中央"])
        XCTAssertEqual(folded("北"), ["北"])
        XCTAssertEqual(folded("北", forQuery: true), ["北"])
        // Runs end at anything that is not CJK, and do not join across it.
        XCTAssertEqual(folded("北京 上海"), ["北京", "京", "上海", "海"])
        XCTAssertEqual(folded("iPhone发布"), ["iphone", "发布", "布"])
    }

    func testJapaneseMixesKanjiHiraganaAndKatakanaWithTheProlongedSoundMark() {
        XCTAssertEqual(folded("北朝鮮のニュース"), ["北朝", "朝鮮", "鮮の", "のニ", "ニュ", "ュー", "ース", "ス"])
        // Half-width Katakana and compatibility ideographs fold to their usual forms.
        XCTAssertEqual(folded("ｶﾀｶﾅ"), folded("カタカナ"))
        XCTAssertEqual(folded("\u{F900}"), ["\u{8C48}"])
        // The Katakana middle dot separates.
        XCTAssertEqual(folded("キム・ジョン", forQuery: true), ["キム", "ジョ", "ョン"])
    }

    func testKoreanWordsWithParticlesContainTheWord() {
        let document = folded("한국은 미사일을 발사했다")
        XCTAssertEqual(document, ["한국", "국은", "은", "미사", "사일", "일을", "을", "발사", "사했", "했다", "다"])
        for word in ["한국", "미사일", "발사"] {
            let query = folded(word, forQuery: true)
            XCTAssertFalse(query.isEmpty)
            XCTAssertTrue(query.allSatisfy(document.contains), word)
        }
        XCTAssertEqual(folded("ㄱㄴ ᄀ", forQuery: true), ["ㄱㄴ", "ᄀ"])
    }

    func testEmojiAndSymbolsSeparate() {
        XCTAssertEqual(folded("x😀y 👍🏽z ❤️w ™ ① ²"), ["x", "y", "z", "w"])
        XCTAssertEqual(folded("😀👍🏽❤️"), [])
    }

    func testInvalidUTF8IsASeparator() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0xC3, 0x63, 0xE2, 0x82, 0x64, 0xED, 0xA0, 0x80, 0x65, 0xC0, 0xAF, 0x66,
                              0xF4, 0x90, 0x80, 0x80, 0x67, 0xF0, 0x9F, 0x98]
        let result = tokens(ofBytes: bytes)
        XCTAssertEqual(result.map(\.folded), ["a", "b", "c", "d", "e", "f", "g"])
        XCTAssertEqual(result.map(\.range.lowerBound), [0, 2, 4, 7, 11, 14, 19])
    }

    func testRandomBytesNeverBreakTheTokenizer() {
        var random = LCG(7)
        for round in 0..<300 {
            let bytes = (0..<random.below(200)).map { _ in
                random.below(3) == 0 ? UInt8(random.below(128)) : UInt8(truncatingIfNeeded: random.next())
            }
            for forQuery in [false, true] {
                var previousEnd = 0
                for token in tokens(ofBytes: bytes, forQuery: forQuery) {
                    XCTAssertFalse(token.folded.isEmpty)
                    XCTAssertLessThanOrEqual(token.folded.utf8.count, SearchTokenizer.maximumTokenBytes)
                    XCTAssertTrue(token.range.lowerBound >= 0 && token.range.upperBound <= bytes.count, "round \(round)")
                    XCTAssertLessThan(token.range.lowerBound, token.range.upperBound)
                    // Tokens come in order (a bigram may overlap the one before by a character).
                    XCTAssertGreaterThanOrEqual(token.range.upperBound, previousEnd)
                    previousEnd = token.range.upperBound
                }
            }
        }
    }

    func testLongWordsAreCutTheSameWayInBothModes() {
        let long = String(repeating: "a", count: 100)
        for forQuery in [false, true] {
            let result = SearchTokenizer.tokens(of: "x \(long) y", forQuery: forQuery)
            XCTAssertEqual(result.map(\.folded), ["x", String(repeating: "a", count: 64), "y"])
            XCTAssertEqual(result[1].range, 2..<102, "the range is the whole word")
        }
        // Cut at a whole character: a two-byte letter that does not fit is left out, and what remains is stable.
        let edge = String(repeating: "a", count: 63) + "жb"
        let cut = folded(edge)
        XCTAssertEqual(cut, [String(repeating: "a", count: 63)])
        XCTAssertEqual(folded(cut[0], forQuery: true), cut)
        // Cutting is on the folded text: a decomposed and a precomposed word give the same token.
        let accents = String(repeating: "é", count: 70)
        XCTAssertEqual(folded(accents), [String(repeating: "e", count: 64)])
        XCTAssertEqual(folded(String(repeating: "e\u{301}", count: 70)), folded(accents))
    }

    func testAFoldedTokenTokenizedAgainForAQueryIsItself() {
        var random = LCG(14)
        var checked = 0
        for _ in 0..<2000 {
            let text = randomText(&random, pieces: 1 + random.below(8))
            for token in folded(text) {
                XCTAssertEqual(folded(token, forQuery: true), [token], "from \(text.debugDescription)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 2000)
    }

    func testEveryLetterOfThePlanesInUseFoldsToAStableToken() {
        var letters = 0
        // Every scalar, but only one in 61 of the big ideograph and syllable blocks (they fold to themselves).
        let big = [0x3400...0x9FFF, 0xAC00...0xD7A3, 0x20000...0x2FFFF]
        for value in 0x80...0x2FFFF where !(0xD800...0xDFFF).contains(value) {
            if value % 61 != 0, big.contains(where: { $0.contains(value) }) { continue }
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(scalar) + "a"
            for token in folded(text) {
                XCTAssertEqual(folded(token, forQuery: true), [token], "U+\(String(value, radix: 16))")
                XCTAssertEqual(SearchTokenizer.fold(token), token, "U+\(String(value, radix: 16))")
                letters += 1
            }
        }
        XCTAssertGreaterThan(letters, 20_000)
    }

    func testFoldKeepsWordsAndMakesSeparatorsOneSpace() {
        XCTAssertEqual(SearchTokenizer.fold("  NK News / Séoul  東京 "), "nk news seoul 東京")
        XCTAssertEqual(SearchTokenizer.fold("Yonhap--NEWS"), "yonhap news")
        XCTAssertEqual(SearchTokenizer.fold("!!!"), "")
        XCTAssertEqual(SearchTokenizer.fold("café\u{301}"), "cafe")
    }
}
