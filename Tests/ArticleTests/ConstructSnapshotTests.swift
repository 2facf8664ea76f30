import Article
import XCTest

/// Every construct of an HTML body, laid out at 80 and 40 columns (`Snapshots/*.txt`).
final class ConstructSnapshotTests: XCTestCase {
    static let lorem = "The quick brown fox jumps over the lazy dog while the reader waits for the line to wrap."

    func testParagraphsAndLineBreaks() {
        assertArticleSnapshot(html("""
            <p>\(Self.lorem) \(Self.lorem)</p>
            <p>First line<br>Second line<br><br>After an empty line</p>
            Loose text between blocks
            <div>A div is a paragraph too.</div>
            """), named: "paragraphs")
    }

    func testHeadings() {
        assertArticleSnapshot(html("""
            <h1>A first-level heading that is long enough to wrap at forty columns</h1>
            <p>Text under it.</p><h2>Second</h2><h3>Third</h3><p>More text.</p>
            """), named: "headings")
    }

    func testNestedLists() {
        assertArticleSnapshot(html("""
            <p>Before the list.</p>
            <ul>
              <li>First item, \(Self.lorem)</li>
              <li>Second item
                <ul><li>Nested item, \(Self.lorem)</li><li>Another nested item</li></ul>
              </li>
              <li><p>Third item in a paragraph.</p><p>And a second paragraph in the same item.</p></li>
            </ul>
            <ol>
              <li>One</li><li>Two, \(Self.lorem)
                <ol type="a"><li>Nested a</li><li>Nested b</li></ol></li>
              <li>Three</li>
            </ol>
            <p>After the list.</p>
            """), named: "lists")
    }

    func testOrderedListNumbering() {
        let items = (1...6).map { "<li>Item \($0), \($0 == 4 ? Self.lorem : "short")</li>" }.joined()
        assertArticleSnapshot(html("""
            <ol start="7">\(items)</ol>
            <ol type="a" start="24">\(items)</ol>
            <ol type="I">\(items)</ol>
            <ol type="i" start="7">\(items)</ol>
            <ol reversed>\(items)</ol>
            <ol><li>one</li><li value="10">ten</li><li>eleven</li></ol>
            """), named: "ordered-lists")
    }

    func testBlockquote() {
        assertArticleSnapshot(html("""
            <p>Someone wrote:</p>
            <blockquote><p>\(Self.lorem)</p><p>Second paragraph of the quote.</p>
              <blockquote>A quote inside the quote, \(Self.lorem)</blockquote>
              <ul><li>A list in a quote, \(Self.lorem)</li><li>Short</li></ul>
            </blockquote>
            <p>Back to the text.</p>
            """), named: "blockquote")
    }

    func testPreformatted() {
        let long = "let result = items.map { $0.value * 2 }.filter { $0 > 10 }.reduce(0, +) // a comment that runs on"
        assertArticleSnapshot(html("""
            <p>Code:</p>
            <pre><code>func f() {
            \treturn 1   // tab-indented
            }
            \(long)

                indented   with   spaces
            </code></pre>
            <p>Inline <code>code()</code> stays in the text.</p>
            """), named: "pre")
    }

    func testRule() {
        assertArticleSnapshot(html("<p>Above</p><hr><p>Below</p><blockquote><p>Quoted</p><hr><p>Still</p></blockquote>"),
                              named: "rule")
    }

    func testDefinitionList() {
        assertArticleSnapshot(html("""
            <dl><dt>Term</dt><dd>The definition of the term, \(Self.lorem)</dd>
            <dt>Other term</dt><dt>Synonym</dt><dd>Short.</dd><dd>A second definition.</dd></dl>
            """), named: "definition-list")
    }

    func testFigure() {
        assertArticleSnapshot(html("""
            <p>Text.</p>
            <figure><img src="/a.png" alt="A diagram of the pipeline"><figcaption>Figure 1: the pipeline, \(Self.lorem)</figcaption></figure>
            <p>More text.</p>
            """), named: "figure")
    }

    func testTableAsColumnsOrHeaderValueLines() {
        assertArticleSnapshot(html("""
            <table><caption>Releases</caption>
            <thead><tr><th>Version</th><th>Date</th><th>Notes</th></tr></thead>
            <tbody><tr><td>1.0</td><td>2024-01-02</td><td>First release with <b>feeds</b></td></tr>
            <tr><td>1.1</td><td>2024-03-04</td><td>Fixes</td></tr>
            <tr><td>2.0</td><td></td><td>Unreleased</td></tr></tbody></table>
            <table><tr><th>Name</th><th>Description</th></tr>
            <tr><td>libxml2</td><td>\(Self.lorem)</td></tr><tr><td>ncurses</td><td>Draws the screen</td></tr></table>
            <table><tr><td>no</td><td>header</td></tr><tr><td>at</td><td>all</td></tr></table>
            """), named: "tables")
    }

    func testMediaPlaceholders() {
        assertArticleSnapshot(html("""
            <p>An image: <img src="cat.jpg" alt="A cat on a  mat"> and one without alt: <img src="x.png">.</p>
            <iframe src="https://www.youtube.com/embed/abc" title="Talk: feeds in the terminal"></iframe>
            <video src="/clip.mp4">Your browser does not support video.</video>
            <audio><source src="episode.mp3"></audio>
            <p><a href="/big.png"><img src="/small.png" alt="Screenshot"></a></p>
            """), named: "media")
    }

    func testDroppedElements() {
        assertArticleSnapshot(html("""
            <style>p { color: red }</style><script>alert("x")</script>
            <p>Visible<!-- a comment --> text.</p>
            <noscript>Enable JavaScript</noscript><template><p>Hidden template</p></template>
            <p>End.</p>
            """), named: "dropped")
    }

    func testWhitespaceAndInvisibleCharacters() {
        assertArticleSnapshot(html("""
            <p>   Runs   of
            spaces,\ttabs and
            newlines   collapse. <b>Bold</b><i>italic</i> touch; <b>bold </b> <i> italic</i> do not.</p>
            <p>Soft&shy;hyphen, zero&#8203;width, word&#x2060;joiner, no&nbsp;break&nbsp;space.</p>
            """), named: "whitespace")
    }

    func testInlineStyles() {
        assertArticleSnapshot(html("""
            <p><b>bold</b> <strong>strong</strong> <i>italic</i> <em>emphasis</em> <code>code</code> <mark>marked</mark>
            <q>quoted</q> <kbd>Ctrl-C</kbd> <b><i>both</i></b></p>
            """), named: "inline")
    }

    func testLinks() {
        assertArticleSnapshot(html("""
            <p>See <a href="https://example.org/posts/1">this post</a>, <a href="/about">the about page</a>,
            <a href="other">a relative link</a> and <a href="/about">the about page again</a>.</p>
            <p><a href="javascript:alert(1)">a script link</a>, <a href="#top">an anchor</a>,
            <a href="mailto:a@example.org">mail</a>, <a href="data:text/plain;base64,\(String(repeating: "QUJD", count: 25_000))">data</a>,
            <a href="https://example.org/a/very/long/path/that/does/not/fit/on/one/line/at/forty/columns?q=1&amp;r=2">long</a>.</p>
            """), named: "links")
    }

    func testBaseElement() {
        assertArticleSnapshot(html("<base href=\"https://cdn.example.net/blog/\"><p><a href=\"../img/x\">x</a> <a href=\"y\">y</a></p>",
                                   base: "https://example.org/feed.xml", postLink: nil), named: "base")
    }

    func testEntities() {
        assertArticleSnapshot(html("""
            <p>&copy; &copy &amp; &lt;tag&gt; &hellip; &NotNestedLessLess; &Bfr; &notit; &frac34 &#8212; &#x1F600; &#150; &#0; &#xD800; &#99999999; &bogus; AT&T &#; fish &chips</p>
            <p><a href="/search?a=1&copy=2&amp;b=3">attribute</a></p>
            """), named: "entities")
    }

    func testCDATA() {
        assertArticleSnapshot(html("<p>Before <![CDATA[a < b && c > d]]> after</p>"), named: "cdata")
    }

    func testPlainTextBody() {
        assertArticleSnapshot(Article.render(text: """
            First paragraph with a URL https://example.org/a?b=1, and more text that has to wrap at forty columns.
            A second line of the same paragraph.

            Second paragraph (see https://example.org/x).
            \t
            Third, with the post's own link https://example.org/posts/1 again.
            """, postLink: "https://example.org/posts/1"), named: "plain-text")
    }

    func testHostileText() {
        assertArticleSnapshot(html("""
            <p>Escape \u{1B}[2J sequences \u{1B}]0;title\u{07} and bidi \u{202E}reversed\u{202C} text.</p>
            <p><img alt="alt \u{1B}[31mred"> <a href="https://e.org/\u{1B}[2J\u{202E}x">link</a></p>
            <ol><li>item</li></ol><pre>pre \u{1B}[1mbold\u{1B}[0m and \u{08}backspace</pre>
            """), named: "hostile")
    }
}
