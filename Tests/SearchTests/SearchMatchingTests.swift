import Posts
import Search
import XCTest

final class SearchMatchingTests: XCTestCase {
    func testTextFieldsAndExclusions() {
        let query = SearchQuery.parse("korea title:missile -\"test run\"")
        XCTAssertTrue(query.matchesText(title: "A Missile", author: "", body: "In Korea today"))
        XCTAssertFalse(query.matchesText(title: "Korea", author: "", body: "a missile"), "missile must be in the title")
        XCTAssertFalse(query.matchesText(title: "A missile", author: "", body: "Korea: a TEST-run"))
        XCTAssertTrue(query.matchesText(title: "A missile", author: "", body: "Korea: a test, then a run"))
        let author = SearchQuery.parse("author:lee")
        XCTAssertTrue(author.matchesText(title: "", author: "Lee Kim", body: ""))
        XCTAssertFalse(author.matchesText(title: "Lee", author: "Kim", body: "Lee"))
        XCTAssertTrue(SearchQuery.parse("").matchesText(title: "", author: "", body: ""))
        XCTAssertTrue(SearchQuery.parse("-korea").matchesText(title: "Japan", author: "", body: ""))
        XCTAssertFalse(SearchQuery.parse("-korea").matchesText(title: "Japan", author: "Korea", body: ""))
    }

    func testAPhraseIsInOneFieldNotAcrossThem() {
        let query = SearchQuery.parse("\"kim jong\"")
        XCTAssertFalse(query.matchesText(title: "Kim", author: "", body: "Jong"))
        XCTAssertTrue(query.matchesText(title: "", author: "", body: "said Kim Jong-un"))
    }

    func testCJKWithoutSpaces() {
        XCTAssertTrue(SearchQuery.parse("한국").matchesText(title: "", author: "", body: "한국은 미사일을 발사했다"))
        XCTAssertTrue(SearchQuery.parse("ミサイル 北朝鮮").matchesText(title: "北朝鮮のミサイル発射", author: "", body: ""))
        XCTAssertFalse(SearchQuery.parse("ミサイル 韓国").matchesText(title: "北朝鮮のミサイル発射", author: "", body: ""))
        XCTAssertTrue(SearchQuery.parse("발").matchesText(title: "", author: "", body: "한국은 미사일을 발사했다"))
    }

    /// The one-pass matcher agrees with a plain reading of the rules over the token lists.
    func testTheMatcherAgreesWithAPlainReadingOfTheRules() {
        var random = LCG(5)
        var matched = 0
        for _ in 0..<1500 {
            let query = SearchQuery.parse(randomText(&random, pieces: 1 + random.below(3)), typing: random.below(2) == 0)
            let title = randomText(&random, pieces: random.below(6))
            let author = randomText(&random, pieces: random.below(3))
            let body = randomText(&random, pieces: random.below(30))
            let expected = Self.plainMatch(query, title: title, author: author, body: body)
            XCTAssertEqual(TextMatcher(query).matches(title: title, author: author, body: body), expected,
                           "\(query) in \(title.debugDescription) / \(body.debugDescription)")
            XCTAssertEqual(query.matchesText(title: title, author: author, body: body), expected)
            if expected { matched += 1 }
        }
        XCTAssertGreaterThan(matched, 100)
        XCTAssertLessThan(matched, 1400)
    }

    static func plainMatch(_ query: SearchQuery, title: String, author: String, body: String) -> Bool {
        func has(_ phrase: SearchQuery.Phrase, _ text: String) -> Bool {
            let tokens = folded(text)
            let n = phrase.tokens.count
            guard n > 0, tokens.count >= n else { return false }
            for start in 0...(tokens.count - n) {
                let all = (0..<n).allSatisfy { k in
                    k == n - 1 && phrase.prefix ? tokens[start + k].hasPrefix(phrase.tokens[k])
                        : tokens[start + k] == phrase.tokens[k]
                }
                if all { return true }
            }
            return false
        }
        func has(_ phrase: SearchQuery.Phrase) -> Bool {
            switch phrase.field {
            case .any: has(phrase, title) || has(phrase, author) || has(phrase, body)
            case .title: has(phrase, title)
            case .author: has(phrase, author)
            }
        }
        return query.required.allSatisfy(has) && !query.excluded.contains(where: has)
    }

    func testFiltersOnSourceFeedTagsAndReadState() {
        let facts = PostFacts(source: "NK News / Seoul", feed: "Yonhap English", tags: ["Politics", "Asia"], isRead: false)
        XCTAssertTrue(SearchQuery.parse("source:\"nk news\"").matchesFilters(facts))
        XCTAssertTrue(SearchQuery.parse("source:NK-NEWS feed:yonhap tag:politics is:unread").matchesFilters(facts))
        XCTAssertFalse(SearchQuery.parse("source:kcna").matchesFilters(facts))
        XCTAssertFalse(SearchQuery.parse("tag:polit").matchesFilters(facts), "a tag is matched whole")
        XCTAssertFalse(SearchQuery.parse("is:read").matchesFilters(facts))
        XCTAssertFalse(SearchQuery.parse("-tag:asia").matchesFilters(facts))
        XCTAssertTrue(SearchQuery.parse("-tag:sports -is:read").matchesFilters(facts))
        XCTAssertTrue(SearchQuery.parse("korea").matchesFilters(facts), "no filters")
        XCTAssertTrue(SearchQuery.holds(.feed("english"), for: facts))
    }

    func testDatesComparePostDaysAndFeedItemsUTCDays() {
        let day = PostFacts(date: PostDate(year: 2020, month: 4, day: 1))
        XCTAssertTrue(SearchQuery.parse("after:2020-04-01").matchesFilters(day), "after: includes the day")
        XCTAssertFalse(SearchQuery.parse("before:2020-04-01").matchesFilters(day), "before: excludes it")
        XCTAssertTrue(SearchQuery.parse("after:2020 before:2020-05").matchesFilters(day))
        XCTAssertFalse(SearchQuery.parse("after:2020-04-02").matchesFilters(day))
        XCTAssertFalse(SearchQuery.parse("-after:2020").matchesFilters(day))
        // 2020-03-31T23:30:00Z: the 31st in UTC.
        let item = PostFacts(timestamp: 1_585_697_400)
        XCTAssertEqual(item.day, PostDate(year: 2020, month: 3, day: 31))
        XCTAssertTrue(SearchQuery.parse("before:2020-04-01").matchesFilters(item))
        let undated = PostFacts()
        XCTAssertFalse(SearchQuery.parse("after:1970").matchesFilters(undated))
        XCTAssertFalse(SearchQuery.parse("before:2100").matchesFilters(undated))
        XCTAssertTrue(SearchQuery.parse("-before:2100").matchesFilters(undated))
    }

    func testUTCDays() {
        XCTAssertEqual(PostFacts.utcDay(0), PostDate(year: 1970, month: 1, day: 1))
        XCTAssertEqual(PostFacts.utcDay(-1), PostDate(year: 1969, month: 12, day: 31))
        XCTAssertEqual(PostFacts.utcDay(951_782_400), PostDate(year: 2000, month: 2, day: 29))
        XCTAssertEqual(PostFacts.utcDay(4_102_444_799), PostDate(year: 2099, month: 12, day: 31))
    }

    func testFiltersAndTextTogether() {
        let query = SearchQuery.parse("missile is:unread")
        let facts = PostFacts(title: "Missile test", author: "Lee", isRead: false)
        XCTAssertTrue(query.matches(facts, body: ""))
        var read = facts
        read.isRead = true
        XCTAssertFalse(query.matches(read, body: ""))
        XCTAssertFalse(query.matches(PostFacts(title: "Talks"), body: "no"))
    }
}
