@testable import Article
import XCTest

/// HTML5 named references (`Article.htmlEntity(named:)`) and plain text of HTML titles (`Article.plainText(html:)`).
final class EntityAndPlainTextTests: XCTestCase {
    func testTheTableHoldsEveryHTML5Name() {
        XCTAssertEqual(HTMLEntities.byName.count, 2231)
        XCTAssertEqual(HTMLEntities.byName.keys.filter { !$0.hasSuffix(";") }.count, 106, "legacy names without ;")
    }

    func testNamedReferences() {
        XCTAssertEqual(Article.htmlEntity(named: "amp"), "&")
        XCTAssertEqual(Article.htmlEntity(named: "hellip"), "…")
        XCTAssertEqual(Article.htmlEntity(named: "CounterClockwiseContourIntegral"), "∳")
        XCTAssertEqual(Article.htmlEntity(named: "NotEqualTilde"), "\u{2242}\u{338}", "two scalars")
        XCTAssertEqual(Article.htmlEntity(named: "NewLine"), "\n")
        XCTAssertNil(Article.htmlEntity(named: "Hellip"), "names are case-sensitive")
        XCTAssertNil(Article.htmlEntity(named: "bogus"))
        XCTAssertNil(Article.htmlEntity(named: ""))
    }

    func testPlainTextWithoutMarkupIsReturnedAsIs() {
        XCTAssertEqual(Article.plainText(html: "Plain title, 100% ready"), "Plain title, 100% ready")
        XCTAssertEqual(Article.plainText(html: "  spaced \n out  "), "spaced out")
    }

    func testPlainTextRemovesTagsAndDecodesReferences() {
        XCTAssertEqual(Article.plainText(html: "<b>Bold</b> &amp; <i>it&apos;s</i> &hellip; &copy 2024"), "Bold & it's … © 2024")
        XCTAssertEqual(Article.plainText(html: "a<br>b<p>c</p>d<span>e</span>"), "a b c de")
        XCTAssertEqual(Article.plainText(html: "x <script>alert('<b>')</script><style>p{}</style>y"), "x y")
        XCTAssertEqual(Article.plainText(html: "<a title=\"a > b\" href=x>link</a><!-- <b>comment</b> -->!"), "link!")
        XCTAssertEqual(Article.plainText(html: "1 < 2 and 3 <= 4 <"), "1 < 2 and 3 <= 4 <")
    }

    func testPlainTextNumericReferences() {
        XCTAssertEqual(Article.plainText(html: "&#65;&#x42;&#x1F600;&#150;&#0;&#xD800;&#1114112;&#;&#x;"),
                       "AB😀–\u{FFFD}\u{FFFD}\u{FFFD}&#;&#x;")
        XCTAssertEqual(Article.plainText(html: "&#99999999999999999999999;"), "\u{FFFD}", "no overflow")
    }

    func testPlainTextUnknownAndUnterminated() {
        XCTAssertEqual(Article.plainText(html: "AT&T &bogus; &notit; fish&chips &"), "AT&T &bogus; ¬it; fish&chips &")
        XCTAssertEqual(Article.plainText(html: "cut <b class=\"x"), "cut")
        XCTAssertEqual(Article.plainText(html: "&#13;a&#10;&#9; b&NewLine;"), "a b", "references to whitespace collapse too")
    }
}
