@testable import Article
import Posts
import XCTest

/// The exact blocks of small HTML bodies: what the reading pane is given to draw.
final class ArticleBlockTests: XCTestCase {
    /// The body's blocks without the list of links at the end.
    private func blocks(_ html: String, base: String? = nil, postLink: String? = nil) -> [Block] {
        let body = Article.render(html: html, base: base, postLink: postLink)
        return Array(body.blocks.prefix(body.blocks.count - (body.links.isEmpty ? 0 : body.links.count + 1)))
    }

    func testParagraphKeepsInlineEmphasisAndCollapsesSpaces() {
        XCTAssertEqual(blocks("<p>  a  <b>bold</b>\n<i>it</i> <code>x()</code> <mark>m</mark>  </p>"), [
            .text([Inline("a "), Inline("bold", .bold), Inline(" "), Inline("it", .italic), Inline(" "),
                   Inline("x()", .code), Inline(" "), Inline("m", .mark)], .none),
        ])
    }

    func testLineBreakIsANewlineInsideTheParagraph() {
        XCTAssertEqual(blocks("<p>one<br>two <br> three<br></p>"), [.text([Inline("one\ntwo\nthree")], .none)])
    }

    func testHeadingHasItsLevel() {
        XCTAssertEqual(blocks("<h2>Title <em>here</em></h2><p>x</p>"), [
            .heading(level: 2, [Inline("Title "), Inline("here", .italic)], .none),
            .text([Inline("x")], .none),
        ])
    }

    func testNestedUnorderedListsUseBulletThenDashWithHangingIndents() {
        XCTAssertEqual(blocks("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"), [
            .text([Inline("a")], Margin(indent: 4, marker: "•")),
            .text([Inline("b")], Margin(indent: 6, marker: "–", tight: true)),
            .text([Inline("c")], Margin(indent: 4, marker: "•", tight: true)),
        ])
    }

    func testOrderedListsFollowStartTypeAndReversed() {
        XCTAssertEqual(blocks("<ol start=\"9\"><li>a</li><li>b</li></ol>"), [
            .text([Inline("a")], Margin(indent: 6, marker: "9.")),
            .text([Inline("b")], Margin(indent: 6, marker: "10.", tight: true)),
        ])
        XCTAssertEqual(blocks("<ol type=\"i\" start=\"3\"><li>a</li><li>b</li></ol>").map(marker), ["iii.", "iv."])
        XCTAssertEqual(blocks("<ol type=\"A\" start=\"26\"><li>a</li><li>b</li></ol>").map(marker), ["Z.", "AA."])
        XCTAssertEqual(blocks("<ol reversed><li>a</li><li>b</li><li>c</li></ol>").map(marker), ["3.", "2.", "1."])
        XCTAssertEqual(blocks("<ol type=\"a\" start=\"0\"><li>a</li></ol>").map(marker), ["0."])
    }

    private func marker(_ block: Block) -> String? {
        if case .text(_, let margin) = block { return margin.marker }
        return nil
    }

    func testItemStartingWithANestedListKeepsItsMarkerOnItsOwnLine() {
        XCTAssertEqual(blocks("<ol><li><ul><li>x</li></ul></li></ol>"), [
            .text([], Margin(indent: 5, marker: "1.")),
            .text([Inline("x")], Margin(indent: 7, marker: "•", tight: true)),
        ])
    }

    func testBlockquotesNest() {
        XCTAssertEqual(blocks("<blockquote><p>a</p><blockquote>b</blockquote></blockquote>c"), [
            .text([Inline("a")], Margin(quoteDepth: 1)),
            .text([Inline("b")], Margin(quoteDepth: 2)),
            .text([Inline("c")], .none),
        ])
    }

    func testPreIsVerbatimWithTabsExpanded() {
        XCTAssertEqual(blocks("<pre>\n  a  <b>b</b>\n\tc\n\n</pre>"), [.verbatim(["  a  b", "        c"], Margin(indent: 2))])
    }

    func testRuleAndDefinitionList() {
        XCTAssertEqual(blocks("<hr><dl><dt>t</dt><dd>d</dd></dl>"), [
            .rule(.none),
            .text([Inline("t", .bold)], .none),
            .text([Inline("d")], Margin(indent: 4, tight: true)),
        ])
    }

    func testTableHeaderRowsComeFromTheadOrRowsOfThOnly() {
        XCTAssertEqual(blocks("<table><tr><th>A</th><th>B</th></tr><tr><th>1</th><td>2</td></tr></table>"), [
            .table(Table(rows: [[[Inline("A")], [Inline("B")]], [[Inline("1")], [Inline("2")]]], headerRows: 1), .none),
        ])
        XCTAssertEqual(blocks("<table><thead><tr><td>A</td></tr></thead><tbody><tr><td>1<br>2</td></tr></tbody></table>"), [
            .table(Table(rows: [[[Inline("A")]], [[Inline("1 2")]]], headerRows: 1), .none),
        ])
    }

    func testLinksAreNumberedPostLinkFirstSameURLSameNumber() {
        let body = Article.render(html: "<p><a href=\"/a\">A</a> <a href=\"https://x.org/post\">self</a> <a href=\"a\">again</a></p>",
                                  base: "https://x.org/", postLink: "https://x.org/post")
        XCTAssertEqual(body.links, ["https://x.org/post", "https://x.org/a"])
        XCTAssertEqual(body.blocks.first, .text([
            Inline("A", .link), Inline("[2]", .reference), Inline(" "), Inline("self", .link), Inline("[1]", .reference),
            Inline(" "), Inline("again", .link), Inline("[2]", .reference),
        ], .none))
        XCTAssertEqual(body.blocks.last, .text([Inline("https://x.org/a")], Margin(indent: 4, marker: "[2]", tight: true)))
    }

    func testAnchorsAndEmptyLinksGetNoNumber() {
        let body = Article.render(html: "<p><a href=\"#top\">top</a><a href=\"/x\"></a> <a name=\"n\">n</a></p>", base: nil, postLink: nil)
        XCTAssertEqual(body.links, [])
        XCTAssertEqual(body.blocks, [.text([Inline("top n")], .none)])
    }

    func testScriptLinksAreListedAndLongDataURLsAbbreviated() {
        let data = "data:image/png;base64," + String(repeating: "A", count: 100_000)
        let body = Article.render(html: "<a href=\"javascript:void(0)\">j</a><a href=\"\(data)\">d</a>", base: nil, postLink: nil)
        XCTAssertEqual(body.links, ["javascript:void(0)", data], "the list keeps the real URLs for whoever opens them")
        guard case .text(let runs, _) = body.blocks.last else { return XCTFail("no link list") }
        XCTAssertEqual(runs.map(\.text).joined(), "data:image/png;base64," + String(repeating: "A", count: 38) + "… (100022 bytes)")
    }

    func testDroppedElementsLeaveNothing() {
        XCTAssertEqual(blocks("<script>x</script><style>y</style><noscript>z</noscript><template>t</template><!-- c -->"), [])
    }

    func testMediaBecomePlaceholders() {
        XCTAssertEqual(blocks("<img src=a.png alt=\" A  cat \"> <img src=b> <iframe src=\"https://v.example/e\"></iframe>"
                              + " <video title=\"Clip\"></video>", base: nil), [
            .text([Inline("[image: A cat]", .muted), Inline(" "), Inline("[image]", .muted), Inline(" "),
                   Inline("[video: https://v.example/e]", .muted), Inline(" "), Inline("[video: Clip]", .muted)], .none),
        ])
    }

    func testBaseElementAndBaseArgumentResolveRelativeLinks() {
        let body = Article.render(html: "<a href=\"../x\">x</a><base href=\"/sub/dir/\"><a href=\"y\">y</a>",
                                  base: "https://h.org/a/b/c", postLink: nil)
        XCTAssertEqual(body.links, ["https://h.org/a/x", "https://h.org/sub/dir/y"])
    }

    func testEntitiesLibxml2DoesNotKnowAreDecoded() {
        XCTAssertEqual(blocks("<p>&hellip;&copy&NotNestedLessLess;&#x80;&#0;&bogus;</p>"),
                       [.text([Inline("…©\u{2AA1}\u{338}€\u{FFFD}&bogus;")], .none)])
    }

    func testLegacyEntityInAttributeBeforeEqualsStaysLiteral() {
        let body = Article.render(html: "<a href=\"/s?x=1&copy=2&amp;y&copy;\">s</a>", base: "https://h.org/", postLink: nil)
        XCTAssertEqual(body.links, ["https://h.org/s?x=1&copy=2&y©"])
    }

    func testWithoutLibxml2TheTextIsShownAsParagraphs() {
        let body = Article.renderWithoutParser(html: "<p>One &amp; <b>two</b></p><p>Three<br>four</p><script>x</script>",
                                               postLink: "https://p.org/")
        XCTAssertEqual(body.blocks, [
            .text([Inline("One & two")], .none), .text([Inline("Three")], .none), .text([Inline("four")], .none),
            .text([Inline("Links:", .muted)], .none), .text([Inline("https://p.org/")], Margin(indent: 4, marker: "[1]", tight: true)),
        ])
    }

    func testPlainTextBodyKeepsLineBreaksAndListsURLs() {
        let body = Article.render(text: "Hello\r\nworld (https://a.org/x).\n\n  \nBye", postLink: nil)
        XCTAssertEqual(body.links, ["https://a.org/x"])
        XCTAssertEqual(Array(body.blocks.prefix(2)), [
            .text([Inline("Hello\nworld ("), Inline("https://a.org/x", .link), Inline("[1]", .reference), Inline(").")], .none),
            .text([Inline("Bye")], .none),
        ])
    }

    func testCDATAIsText() {
        XCTAssertEqual(blocks("<p><![CDATA[<b>not bold</b> & more]]></p>"), [.text([Inline("<b>not bold</b> & more")], .none)])
    }

    func testSearchTextCoversEveryBlockKind() {
        let text = BlockParser.plainText(blocks("<h1>Head</h1><ul><li>item</li></ul><pre>code</pre><hr>"
                                                + "<table><tr><th>A</th></tr><tr><td>1</td></tr></table>"))
        for word in ["Head", "• item", "code", "A", "1"] { XCTAssertTrue(text.contains(word), "\(word) in \(text)") }
    }
}
