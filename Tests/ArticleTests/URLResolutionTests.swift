import Article
import XCTest

/// `Article.resolveURL`: RFC 3986 section 5.4's examples against its base `http://a/b/c/d;p?q`.
final class URLResolutionTests: XCTestCase {
    let base = "http://a/b/c/d;p?q"

    func testNormalExamples() {
        let examples: [(String, String)] = [
            ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"),
            (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("g;x?y#s", "http://a/b/c/g;x?y#s"),
            ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"),
            ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"),
            ("../../g", "http://a/g"),
        ]
        for (reference, expected) in examples {
            XCTAssertEqual(Article.resolveURL(reference, against: base), expected, reference)
        }
    }

    func testAbnormalExamples() {
        let examples: [(String, String)] = [
            ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"), ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."), ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"), ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"), ("g;x=1/../y", "http://a/b/c/y"),
            ("g?y/./x", "http://a/b/c/g?y/./x"), ("g?y/../x", "http://a/b/c/g?y/../x"), ("g#s/./x", "http://a/b/c/g#s/./x"),
            ("g#s/../x", "http://a/b/c/g#s/../x"), ("http:g", "http:g"),
        ]
        for (reference, expected) in examples {
            XCTAssertEqual(Article.resolveURL(reference, against: base), expected, reference)
        }
    }

    func testWhitespaceAndMissingBases() {
        XCTAssertEqual(Article.resolveURL("  /x\n ", against: "https://h.org/a"), "https://h.org/x")
        XCTAssertEqual(Article.resolveURL("/a\tb\nc", against: "https://h.org/"), "https://h.org/abc")
        XCTAssertEqual(Article.resolveURL("/x", against: nil), "/x")
        XCTAssertEqual(Article.resolveURL("/x", against: "relative/base"), "/x", "a base without a scheme resolves nothing")
        XCTAssertEqual(Article.resolveURL("x", against: "https://h.org"), "https://h.org/x", "empty base path")
        XCTAssertEqual(Article.resolveURL("//cdn.org/i.png", against: "https://h.org/a"), "https://cdn.org/i.png")
        XCTAssertEqual(Article.resolveURL(" HTTPS://Other.org/A/../B ", against: "https://h.org/"), "HTTPS://Other.org/A/../B",
                       "absolute references are returned as they are")
    }
}
