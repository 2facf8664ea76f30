import Feeds
import XCTest

/// Smaller rules: precedence between elements that fill the same field, and elements that must be ignored.
final class XMLFieldRuleTests: XCTestCase {
    let dc = #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/""#

    func testAtomLinkEnclosureInsideRSSItem() throws {
        let item = onlyItem(try readFeed(rss(#"<item><atom:link rel="enclosure" href="https://e.com/a.mp3" type="audio/mpeg" length="9"/></item>"#,
                                             namespaces: #"xmlns:atom="http://www.w3.org/2005/Atom""#)))
        XCTAssertEqual(item.enclosures, [Enclosure(url: "https://e.com/a.mp3", type: "audio/mpeg", length: 9)])
    }

    func testSameEnclosureFromEnclosureAndMediaContentIsOne() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><enclosure url="https://e.com/a.mp3" type="audio/mpeg" length="9"/>
            <media:content url="https://e.com/a.mp3" type="audio/mpeg"/></item>
            """, namespaces: #"xmlns:media="http://search.yahoo.com/mrss/""#)))
        XCTAssertEqual(item.enclosures.count, 1)
    }

    func testDublinCoreTitleOnlyWithoutTitle() throws {
        let feed = try readFeed(rss("", channel: "<dc:title>DC</dc:title><title>Real</title>", namespaces: dc))
        XCTAssertEqual(feed.info.title, "Real")
        let dcOnly = try readFeed(rss("", channel: "<dc:title>DC</dc:title>", namespaces: dc))
        XCTAssertEqual(dcOnly.info.title, "DC")
    }

    func testDCTermsModifiedIsUpdated() throws {
        let item = onlyItem(try readFeed(rss("<item><dcterms:modified>2024-03-01T00:00:00Z</dcterms:modified></item>", namespaces: dc)))
        // Awaits the real FeedDate.
        XCTAssertEqual(item.updated, FeedTimestamp(secondsSince1970: 1709251200))
        XCTAssertNil(item.published)
    }

    func testChannelPubDateIsUpdatedWhenNoLastBuildDate() throws {
        let feed = try readFeed(rss("", channel: "<title>T</title><pubDate>Fri, 01 Mar 2024 00:00:00 GMT</pubDate>"))
        // Awaits the real FeedDate.
        XCTAssertEqual(feed.info.updated, FeedTimestamp(secondsSince1970: 1709251200))
    }

    func testUnparsableDateLeavesTheFieldEmpty() throws {
        let item = onlyItem(try readFeed(rss("<item><title>x</title><pubDate>sometime soon</pubDate></item>")))
        XCTAssertNil(item.published)
        XCTAssertEqual(item.title, "x")
    }

    func testAtomSummaryInXHTML() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>b</b></div></summary></entry>"#)))
        XCTAssertEqual(item.content, "A <b>b</b>")
        XCTAssertEqual(item.contentType, .xhtml)
    }

    func testAtomHTMLSummaryWhenNoContent() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><summary type="html">&lt;p&gt;s&lt;/p&gt;</summary></entry>"#)))
        XCTAssertEqual(item.content, "<p>s</p>")
        XCTAssertEqual(item.contentType, .html)
    }

    func testSeveralAtomAuthors() throws {
        let item = onlyItem(try readFeed(atom("<entry><author><name>A</name></author><author><name>B</name></author></entry>")))
        XCTAssertEqual(item.authors, ["A", "B"])
    }

    func testIconBeatsLogo() throws {
        let feed = try readFeed(atom("", feed: "<title>T</title><logo>https://e.com/logo.png</logo><icon>https://e.com/icon.png</icon>"))
        XCTAssertEqual(feed.info.icon, "https://e.com/icon.png")
    }

    func testRSSSourceIsNotTheItemTitle() throws {
        let item = onlyItem(try readFeed(rss(#"<item><source url="https://other/feed">Other feed</source><title>Mine</title></item>"#)))
        XCTAssertEqual(item.title, "Mine")
    }

    func testItunesSummaryOnlyWhenNoDescription() throws {
        let item = onlyItem(try readFeed(rss("<item><itunes:summary>i</itunes:summary><description>d</description></item>",
                                             namespaces: #"xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd""#)))
        XCTAssertEqual(item.content, "d")
        XCTAssertEqual(item.contentType, .html)
    }

    func testFirstOfTwoTitlesWins() throws {
        let item = onlyItem(try readFeed(rss("<item><title>one</title><title>two</title></item>")))
        XCTAssertEqual(item.title, "one")
    }

    func testItemElementsOutsideItemsDoNotLeak() throws {
        let feed = try readFeed(rss("<item><title>a</title></item>", channel: "<title>T</title><guid>not an item</guid>"))
        XCTAssertEqual(feed.items.map(\.guid), [nil])
    }

    func testUnknownExtensionElementsAreIgnoredWithTheirChildren() throws {
        let item = onlyItem(try readFeed(rss(#"<item><x:meta><title>hidden</title></x:meta><title>shown</title></item>"#,
                                             namespaces: #"xmlns:x="http://example.com/x""#)))
        XCTAssertEqual(item.title, "shown")
    }

    func testCommentsAndProcessingInstructionsAreIgnored() throws {
        let item = onlyItem(try readFeed(rss("<item><title>a<!-- no -->b<?pi x?>c</title></item>")))
        XCTAssertEqual(item.title, "abc")
    }

    func testItemsAfterTheChannelAreStillItems() throws {
        let feed = try readFeed(#"<rss version="2.0"><channel><title>T</title></channel><item><title>stray</title></item></rss>"#)
        XCTAssertEqual(feed.items.map(\.title), ["stray"])
    }
}
