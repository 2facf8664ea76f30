import Posts
import Search
import XCTest

final class SearchQueryTests: XCTestCase {
    typealias Phrase = SearchQuery.Phrase

    func testWordsAreAllRequiredAndFolded() {
        let query = SearchQuery.parse("Korea  MISSILE Séoul")
        XCTAssertEqual(query.required, [Phrase(tokens: ["korea"]), Phrase(tokens: ["missile"]), Phrase(tokens: ["seoul"])])
        XCTAssertTrue(query.excluded.isEmpty && query.filters.isEmpty && query.problems.isEmpty)
        XCTAssertTrue(SearchQuery.parse("   ").isEmpty)
    }

    func testAStarMakesAPrefixAndTypingMakesTheLastBareWordOne() {
        XCTAssertEqual(SearchQuery.parse("kor* missile").required,
                       [Phrase(tokens: ["kor"], prefix: true), Phrase(tokens: ["missile"])])
        XCTAssertEqual(SearchQuery.parse("korea missi", typing: true).required,
                       [Phrase(tokens: ["korea"]), Phrase(tokens: ["missi"], prefix: true)])
        // Not after a space, not a quoted phrase, not an excluded word, not without `typing`.
        XCTAssertEqual(SearchQuery.parse("korea missi ", typing: true).required.last, Phrase(tokens: ["missi"]))
        XCTAssertEqual(SearchQuery.parse("\"kim jong", typing: true).required, [Phrase(tokens: ["kim", "jong"])])
        XCTAssertEqual(SearchQuery.parse("korea -nor", typing: true).excluded, [Phrase(tokens: ["nor"])])
        XCTAssertEqual(SearchQuery.parse("korea missi").required.last, Phrase(tokens: ["missi"]))
        // A field's word while typing.
        XCTAssertEqual(SearchQuery.parse("title:kor", typing: true).required, [Phrase(tokens: ["kor"], prefix: true, field: .title)])
        XCTAssertEqual(SearchQuery.parse("*").required, [])
    }

    func testQuotedPhrasesAndUnbalancedQuotes() {
        XCTAssertEqual(SearchQuery.parse("\"Kim Jong-un\" korea").required,
                       [Phrase(tokens: ["kim", "jong", "un"]), Phrase(tokens: ["korea"])])
        XCTAssertEqual(SearchQuery.parse("korea \"kim jong").required, [Phrase(tokens: ["korea"]), Phrase(tokens: ["kim", "jong"])])
        XCTAssertEqual(SearchQuery.parse("\"kim jo\"*").required, [Phrase(tokens: ["kim", "jo"], prefix: true)])
        XCTAssertEqual(SearchQuery.parse("\"\" \"!!!\" \"").required, [], "phrases without a word are dropped")
        XCTAssertEqual(SearchQuery.parse("a\"b c\"d").required,
                       [Phrase(tokens: ["a"]), Phrase(tokens: ["b", "c"]), Phrase(tokens: ["d"])])
    }

    func testAWordWithPunctuationInsideIsAPhraseOfItsParts() {
        XCTAssertEqual(SearchQuery.parse("e-mail 10:30 http://x.org foo:bar").required, [
            Phrase(tokens: ["e", "mail"]), Phrase(tokens: ["10", "30"]), Phrase(tokens: ["http", "x", "org"]),
            Phrase(tokens: ["foo", "bar"]),
        ])
    }

    func testMinusExcludesWordsAndPhrases() {
        let query = SearchQuery.parse("korea -north -\"kim jong\" - -- x")
        XCTAssertEqual(query.required, [Phrase(tokens: ["korea"]), Phrase(tokens: ["x"])])
        XCTAssertEqual(query.excluded, [Phrase(tokens: ["north"]), Phrase(tokens: ["kim", "jong"])])
        XCTAssertTrue(query.problems.isEmpty)
        XCTAssertEqual(SearchQuery.parse("-").required + SearchQuery.parse("-").excluded, [])
    }

    func testTitleAndAuthorFieldsTakeAWordOrAPhrase() {
        let query = SearchQuery.parse("title:Missile AUTHOR:\"Lee Kim\" -title:test author:jo*")
        XCTAssertEqual(query.required, [Phrase(tokens: ["missile"], field: .title), Phrase(tokens: ["lee", "kim"], field: .author),
                                        Phrase(tokens: ["jo"], prefix: true, field: .author)])
        XCTAssertEqual(query.excluded, [Phrase(tokens: ["test"], field: .title)])
        XCTAssertEqual(SearchQuery.parse("title:").problems, ["title: needs a word"])
        XCTAssertEqual(SearchQuery.parse("title:", typing: true).problems, [], "still being typed")
    }

    func testFiltersAreFoldedAndMayBeNegated() {
        let query = SearchQuery.parse("source:\"NK News\" feed:Yonhap tag:Politics is:unread -tag:Sports -is:read -source:kcna")
        XCTAssertEqual(query.filters, [.source("nk news"), .feed("yonhap"), .tag("politics"), .unread])
        XCTAssertEqual(query.excludedFilters, [.tag("sports"), .read, .source("kcna")])
        XCTAssertTrue(query.required.isEmpty)
        XCTAssertFalse(query.isEmpty)
        XCTAssertEqual(SearchQuery.parse("is:READ").filters, [.read])
        XCTAssertEqual(SearchQuery.parse("is:maybe").problems, ["is: takes unread or read"])
        XCTAssertEqual(SearchQuery.parse("tag:!!").problems, ["tag: needs a word"])
    }

    func testDatesTakeDaysMonthsAndYears() {
        XCTAssertEqual(SearchQuery.parse("after:2020-04-01 before:2021").filters,
                       [.after(PostDate(year: 2020, month: 4, day: 1)), .before(PostDate(year: 2021, month: 1, day: 1))])
        XCTAssertEqual(SearchQuery.parse("after:2020-04").filters, [.after(PostDate(year: 2020, month: 4, day: 1))])
        XCTAssertEqual(SearchQuery.parse("before:2024-2-29").filters, [.before(PostDate(year: 2024, month: 2, day: 29))])
        XCTAssertEqual(SearchQuery.parse("-after:2020").excludedFilters, [.after(PostDate(year: 2020, month: 1, day: 1))])
        for bad in ["after:yesterday", "after:2023-02-29", "after:2020-13", "after:20-04-01", "after:2020-04-01-02",
                    "after:2020--04", "after:"] {
            let query = SearchQuery.parse(bad)
            XCTAssertEqual(query.problems, ["after: needs a date like 2020-04-01"], bad)
            XCTAssertTrue(query.isEmpty, bad)
        }
        XCTAssertEqual(SearchQuery.parse("before:x").problems, ["before: needs a date like 2020-04-01"])
    }

    func testFTSSyntaxIsText() {
        let query = SearchQuery.parse("a NEAR b AND c OR NOT d ^e (f) {g} +h : i:j \"NEAR\" *")
        XCTAssertEqual(query.required.map(\.tokens), [["a"], ["near"], ["b"], ["and"], ["c"], ["or"], ["not"], ["d"], ["e"],
                                                      ["f"], ["g"], ["h"], ["i", "j"]])
        XCTAssertTrue(query.problems.isEmpty)
    }

    func testControlCharactersAndEscapeSequencesAreSpacesOrText() {
        let query = SearchQuery.parse("korea\u{0}north\u{1B}[31mred\u{7}\u{7F}x\u{85}y\u{3000}z")
        XCTAssertEqual(query.required.map(\.tokens), [["korea"], ["north"], ["31mred"], ["x"], ["y"], ["z"]])
    }

    func testCJKWordsArePhrasesOfBigramsAndOneCharacterIsAPrefix() {
        XCTAssertEqual(SearchQuery.parse("대한민국").required, [Phrase(tokens: ["대한", "한민", "민국"])])
        XCTAssertEqual(SearchQuery.parse("北").required, [Phrase(tokens: ["北"], prefix: true)])
        // Inside a phrase, the last character of a run keeps its place (as in the index).
        XCTAssertEqual(SearchQuery.parse("\"대한민국 만세\"").required, [Phrase(tokens: ["대한", "한민", "민국", "국", "만세"])])
        XCTAssertEqual(SearchQuery.parse("title:朝鮮").required, [Phrase(tokens: ["朝鮮"], field: .title)])
    }

    func testLongQueriesKeepTheFirstPhrasesAndSaySo() {
        var text = ""
        var random = LCG(3)
        while text.count < 10_000 { text += "w\(random.below(100_000)) " }
        let query = SearchQuery.parse(text, typing: true)
        XCTAssertEqual(query.required.count, SearchQuery.maximumPhrases)
        XCTAssertEqual(query.problems, ["only the first 64 words and phrases are searched"])
        let phrase = SearchQuery.parse("\"" + String(repeating: "ab ", count: 3000))
        XCTAssertEqual(phrase.required.first?.tokens.count, SearchQuery.maximumPhraseTokens)
        XCTAssertEqual(phrase.problems, ["a phrase is searched by its first 64 words"])
        // Ten thousand characters of anything.
        let noise = randomText(&random, pieces: 2500)
        let parsed = SearchQuery.parse(noise, typing: true)
        XCTAssertLessThanOrEqual(parsed.required.count + parsed.excluded.count, SearchQuery.maximumPhrases)
    }

    func testRepeatedWordsAreSearchedOnce() {
        XCTAssertEqual(SearchQuery.parse("korea Korea KOREA").required, [Phrase(tokens: ["korea"])])
        XCTAssertEqual(SearchQuery.parse("tag:a tag:A").filters, [.tag("a")])
    }
}
