import XCTest
@testable import Controller

final class LinkFinderTests: XCTestCase {
    func first(_ text: String) -> String? { LinkFinder.firstWebURL(in: text) }

    func testFindsTheFirstWebURL() {
        XCTAssertEqual(first("See https://example.org/a/b?c=d#e for more."), "https://example.org/a/b?c=d#e")
        XCTAssertEqual(first("http://a.example and https://b.example"), "http://a.example")
        XCTAssertEqual(first("HTTPS://EXAMPLE.ORG/X"), "HTTPS://EXAMPLE.ORG/X")
        XCTAssertNil(first("no link here, only example.org and ftp://files.example"))
        XCTAssertNil(first(""))
    }

    func testTrailingPunctuationAndBrackets() {
        XCTAssertEqual(first("(see https://example.org/page)."), "https://example.org/page")
        XCTAssertEqual(first("https://en.wikipedia.org/wiki/Pyongyang_(city), a city"),
                       "https://en.wikipedia.org/wiki/Pyongyang_(city)")
        XCTAssertEqual(first("Read https://example.org/x!"), "https://example.org/x")
        XCTAssertEqual(first("“https://example.org/quoted”"), "https://example.org/quoted")
        XCTAssertEqual(first("<https://example.org/angle>"), "https://example.org/angle")
        XCTAssertEqual(first("[https://example.org/b]"), "https://example.org/b")
        XCTAssertEqual(first("\"https://example.org/q\""), "https://example.org/q")
    }

    func testSkipsSchemesGluedToWordsAndURLsWithoutHost() {
        XCTAssertNil(first("xhttps://example.org"))
        XCTAssertEqual(first("https:// then https://real.example"), "https://real.example")
        XCTAssertEqual(first("http:///path https://ok.example/"), "https://ok.example/")
    }

    func testStopsAtControlCharactersAndSpaces() {
        XCTAssertEqual(first("https://example.org/a\u{1B}[31m"), "https://example.org/a")
        XCTAssertEqual(first("https://example.org/a\tb"), "https://example.org/a")
        XCTAssertEqual(first("https://例え.jp/パス 次"), "https://例え.jp/パス")
    }

    func testIsWebURL() {
        XCTAssertTrue(LinkFinder.isWebURL("https://example.org"))
        XCTAssertTrue(LinkFinder.isWebURL("http://example.org/x?y"))
        XCTAssertFalse(LinkFinder.isWebURL("file:///etc/passwd"))
        XCTAssertFalse(LinkFinder.isWebURL("javascript:alert(1)"))
        XCTAssertFalse(LinkFinder.isWebURL("https://"))
        XCTAssertFalse(LinkFinder.isWebURL("https://a b"))
        XCTAssertFalse(LinkFinder.isWebURL("-https://x"))
    }
}
