import Search
import XCTest

final class SearchFTSExpressionTests: XCTestCase {
    func testWordsPhrasesPrefixesAndFieldsAreQuotedByUs() {
        let query = SearchQuery.parse("korea* \"kim jong\" title:missile author:\"lee kim\" 북한 -north -\"test run\"")
        XCTAssertEqual(query.ftsExpression(),
                       "\"korea\" * AND \"kim\" + \"jong\" AND title : (\"missile\") AND author : (\"lee\" + \"kim\") AND \"북한\"")
        XCTAssertEqual(query.ftsExclusion(), "\"north\" OR \"test\" + \"run\"")
        XCTAssertEqual(SearchQuery.parse("title:kor*").ftsExpression(), "title : (\"kor\" *)")
        XCTAssertEqual(SearchQuery.parse("北").ftsExpression(), "\"北\" *")
    }

    func testNoPhrasesNoExpression() {
        let query = SearchQuery.parse("is:unread tag:x \"!!\"")
        XCTAssertNil(query.ftsExpression())
        XCTAssertNil(query.ftsExclusion())
        XCTAssertNil(SearchQuery.parse("korea").ftsExclusion())
    }

    func testHandMadePhrasesAreQuotedSafely() {
        var query = SearchQuery()
        query.required = [SearchQuery.Phrase(tokens: ["a\"b", "", "c\u{0}d"]), SearchQuery.Phrase(tokens: [""])]
        XCTAssertEqual(query.ftsExpression(), "\"a\"\"b\" + \"cd\"")
    }

    func testFTSKeywordsAndSyntaxAreAlwaysInsideQuotes() {
        let query = SearchQuery.parse("NEAR(a b) AND \"OR\" NOT ^c {title author}: d*e")
        XCTAssertEqual(query.ftsExpression(),
                       "\"near\" + \"a\" AND \"b\" AND \"and\" AND \"or\" AND \"not\" AND \"c\" AND \"title\" AND \"author\" AND \"d\" + \"e\"")
    }

    /// Every expression of random input is made only of quoted tokens in the allowed forms, and each quoted token,
    /// tokenized again as FTS5 will (query mode), is exactly that token.
    func testRandomQueriesGiveOnlyWellFormedExpressions() {
        var random = LCG(2024)
        var expressions = 0
        for _ in 0..<3000 {
            let text = randomText(&random, pieces: random.below(12))
            let query = SearchQuery.parse(text, typing: random.below(2) == 0)
            for (expression, joiner) in [(query.ftsExpression(), " AND "), (query.ftsExclusion(), " OR ")] {
                guard let expression else { continue }
                expressions += 1
                XCTAssertTrue(Self.isWellFormed(expression, joiner: joiner), "\(text.debugDescription) → \(expression)")
            }
        }
        XCTAssertGreaterThan(expressions, 2000)
    }

    /// expression := phrase (joiner phrase)*; phrase := body | "title : (" body ")" | "author : (" body ")";
    /// body := token (" + " token)* [" *"]; token := '"' (any but '"' | '""')+ '"', a single query-mode token.
    static func isWellFormed(_ expression: String, joiner: String) -> Bool {
        var rest = Substring(expression)
        func token() -> Bool {
            guard rest.first == "\"" else { return false }
            rest.removeFirst()
            var text = ""
            while let c = rest.first {
                rest.removeFirst()
                if c == "\"" {
                    if rest.first == "\"" { rest.removeFirst(); text.append("\"") } else { break }
                } else {
                    text.append(c)
                }
                if rest.isEmpty && c != "\"" { return false }
            }
            return !text.isEmpty && folded(text, forQuery: true) == [text]
        }
        func body() -> Bool {
            guard token() else { return false }
            while rest.hasPrefix(" + ") {
                rest.removeFirst(3)
                guard token() else { return false }
            }
            if rest.hasPrefix(" *") { rest.removeFirst(2) }
            return true
        }
        func phrase() -> Bool {
            for field in ["title : (", "author : ("] where rest.hasPrefix(field) {
                rest.removeFirst(field.count)
                guard body(), rest.first == ")" else { return false }
                rest.removeFirst()
                return true
            }
            return body()
        }
        guard phrase() else { return false }
        while rest.hasPrefix(joiner) {
            rest.removeFirst(joiner.count)
            guard phrase() else { return false }
        }
        return rest.isEmpty
    }
}
