import Feeds
import XCTest

/// Entities and CDATA.
final class XMLEntityTests: XCTestCase {
    func testPredefinedAndCharacterReferences() throws {
        let item = onlyItem(try readFeed(rss("<item><title>&lt;&gt;&amp;&quot;&apos; &#233;&#x2019;</title></item>")))
        XCTAssertEqual(item.title, "<>&\"' é\u{2019}")
    }

    func testUndeclaredHTMLEntitiesInRSSAreDecoded() throws {
        let read = try readFeed(rss("<item><title>a&nbsp;b</title><description>x&nbsp;y</description></item><item><title>second</title></item>"))
        XCTAssertEqual(read.items.map(\.title), ["a\u{A0}b", "second"])
        XCTAssertEqual(read.items.first?.content, "x\u{A0}y")
    }

    func testUndeclaredHTMLEntityWithMoreThanOneByte() throws {
        let read = try readFeed(rss("<item><title>caf&eacute; &eacute;t&eacute;</title></item>"))
        XCTAssertEqual(read.items.first?.title, "café été")
    }

    func testUnknownEntityDoesNotLoseTheItemOrLaterEscapes() throws {
        let read = try readFeed(rss("""
            <item><title>a &nosuchentity; b</title></item>
            <item><title>AT&amp;T</title><description>&lt;p&gt;kept&lt;/p&gt;</description></item>
            """))
        XCTAssertEqual(read.items.map(\.title), ["a &nosuchentity; b", "AT&T"])
        XCTAssertEqual(read.items.last?.content, "<p>kept</p>")
        XCTAssertEqual(read.diagnostics.first?.message, "unknown entity &nosuchentity;")
        XCTAssertEqual(read.diagnostics.first?.line, 3)
    }

    func testEscapesAfterAnErrorAreKept() throws {
        let read = try readFeed(rss("""
            <item><title>a</b></title></item>
            <item><title>AT&amp;T</title><description>&lt;p&gt;kept&lt;/p&gt;</description></item>
            """))
        XCTAssertEqual(read.items.last?.title, "AT&T")
        XCTAssertEqual(read.items.last?.content, "<p>kept</p>")
        XCTAssertFalse(read.diagnostics.isEmpty)
    }

    func testDeclaredInternalEntity() throws {
        let read = try readFeed("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY who "Jo &amp; Ann">]>
            <rss version="2.0"><channel><item><title>By &who;</title></item></channel></rss>
            """)
        XCTAssertEqual(read.items.first?.title, "By Jo & Ann")
    }

    func testRSS091DoctypeWithHTMLEntities() throws {
        let read = try readFeed("""
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
            <rss version="0.91"><channel><title>T&nbsp;T</title><item><title>x</title></item></channel></rss>
            """)
        XCTAssertEqual(read.info.title, "T\u{A0}T")
        XCTAssertEqual(read.items.count, 1)
    }

    func testCDATA() throws {
        let item = onlyItem(try readFeed(rss("<item><title><![CDATA[A <b>bold</b> & plain]]></title><description><![CDATA[<p>a &amp; b</p>]]></description></item>")))
        XCTAssertEqual(item.title, "A bold & plain")
        XCTAssertEqual(item.content, "<p>a &amp; b</p>")
    }

    func testEntitiesInAttributes() throws {
        let item = onlyItem(try readFeed(rss(#"<item><enclosure url="https://e.com/a?x=1&amp;y=2" type="audio/mpeg"/></item>"#)))
        XCTAssertEqual(item.enclosures.first?.url, "https://e.com/a?x=1&y=2")
    }

    func testUndeclaredHTMLEntitiesThatAreMarkupCharacters() throws {
        // Awaits the real Article.htmlEntity (HTML5's uppercase &AMP; and &LT;, and &nvlt; which has a `<` in it).
        let read = try readFeed(rss("<item><title>a &AMP; b &LT; c &nvlt;</title></item><item><title>next</title></item>"))
        XCTAssertEqual(read.items.map(\.title), ["a & b < c <\u{20D2}", "next"])
    }

    func testDoubleEscapedEntityInRSSTitle() throws {
        // Awaits the real Article.plainText (which decodes the `&#8217;` left after XML decoding).
        let item = onlyItem(try readFeed(rss("<item><title>It&amp;#8217;s</title></item>")))
        XCTAssertEqual(item.title, "It\u{2019}s")
    }
}
