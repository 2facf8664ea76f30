import Feeds
import XCTest

/// RSS 1.0 (RDF) and RSS 0.90.
final class RDFElementTests: XCTestCase {
    func testRSS10() throws {
        let feed = try readFeed("""
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="http://www.xml.com/xml/news.rss">
                <title>XML.com</title><link>http://xml.com/pub</link>
                <description>XML.com features a rich mix of information and services for the XML community.</description>
                <image rdf:resource="http://xml.com/universal/images/xml_tiny.gif" />
                <items><rdf:Seq><rdf:li resource="http://xml.com/pub/2000/08/09/xslt/xslt.html" /></rdf:Seq></items>
              </channel>
              <image rdf:about="http://xml.com/universal/images/xml_tiny.gif">
                <title>XML.com</title><link>http://www.xml.com</link><url>http://xml.com/universal/images/xml_tiny.gif</url>
              </image>
              <item rdf:about="http://xml.com/pub/2000/08/09/xslt/xslt.html">
                <title>Processing Inclusions with XSLT</title>
                <link>http://xml.com/pub/2000/08/09/xslt/xslt.html</link>
                <description>Processing document inclusions with general XML tools can be problematic.</description>
                <dc:creator>Bob Ducharme</dc:creator><dc:date>2000-08-09T00:00:00Z</dc:date><dc:subject>XSLT</dc:subject>
              </item>
            </rdf:RDF>
            """)
        XCTAssertEqual(feed.info.format, .rss10)
        XCTAssertEqual(feed.info.title, "XML.com")
        XCTAssertEqual(feed.info.siteLink, "http://xml.com/pub")
        XCTAssertEqual(feed.info.icon, "http://xml.com/universal/images/xml_tiny.gif")
        let item = onlyItem(feed)
        XCTAssertEqual(item.title, "Processing Inclusions with XSLT")
        XCTAssertEqual(item.link, "http://xml.com/pub/2000/08/09/xslt/xslt.html")
        XCTAssertEqual(item.guid, "http://xml.com/pub/2000/08/09/xslt/xslt.html")
        XCTAssertEqual(item.authors, ["Bob Ducharme"])
        XCTAssertEqual(item.categories, ["XSLT"])
        XCTAssertEqual(item.content, "Processing document inclusions with general XML tools can be problematic.")
    }

    func testDCDateIsPublished() throws {
        let feed = try readFeed("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:dc="http://purl.org/dc/elements/1.1/"><item rdf:about="x"><dc:date>2000-08-09T00:00:00Z</dc:date></item></rdf:RDF>
            """)
        // Awaits the real FeedDate.
        XCTAssertEqual(onlyItem(feed).published, FeedTimestamp(secondsSince1970: 965779200))
    }

    func testRSS090() throws {
        let feed = try readFeed("""
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
              <channel><title>Mozilla Dot Org</title><link>http://www.mozilla.org</link>
                <description>the Mozilla Organization web site</description></channel>
              <image><title>Mozilla</title><url>http://www.mozilla.org/images/moz.gif</url><link>http://www.mozilla.org</link></image>
              <item><title>New Status Updates</title><link>http://www.mozilla.org/status/</link></item>
              <item><title>Bugzilla Reorganized</title><link>http://www.mozilla.org/bugs/</link></item>
            </rdf:RDF>
            """)
        XCTAssertEqual(feed.info.format, .rss090)
        XCTAssertEqual(feed.info.title, "Mozilla Dot Org")
        XCTAssertEqual(feed.items.map(\.title), ["New Status Updates", "Bugzilla Reorganized"])
        XCTAssertEqual(feed.items.map(\.link), ["http://www.mozilla.org/status/", "http://www.mozilla.org/bugs/"])
    }

    func testContentEncodedInRSS10() throws {
        let feed = try readFeed("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:content="http://purl.org/rss/1.0/modules/content/"><item rdf:about="x"><description>d</description>
              <content:encoded><![CDATA[<p>full</p>]]></content:encoded></item></rdf:RDF>
            """)
        XCTAssertEqual(onlyItem(feed).content, "<p>full</p>")
    }
}
