import Feeds
import XCTest

/// RSS 0.9x/2.0 elements, one rule per test.
final class RSSElementTests: XCTestCase {
    func testChannelFields() throws {
        let feed = try readFeed(rss("", channel: """
            <title>Scripting News</title><link>http://www.scripting.com/</link>
            <description>A weblog about scripting &amp; stuff</description><language>en-us</language>
            <managingEditor>dave@userland.com (Dave Winer)</managingEditor>
            <image><url>http://www.scripting.com/gifs/tinyScriptingNews.gif</url><title>Image title</title>
            <link>http://www.scripting.com/image-link</link></image>
            """))
        XCTAssertEqual(feed.info.format, .rss20)
        XCTAssertEqual(feed.info.title, "Scripting News")
        XCTAssertEqual(feed.info.siteLink, "http://www.scripting.com/")
        XCTAssertEqual(feed.info.description, "A weblog about scripting & stuff")
        XCTAssertEqual(feed.info.language, "en-us")
        XCTAssertEqual(feed.info.authors, ["Dave Winer"])
        XCTAssertEqual(feed.info.icon, "http://www.scripting.com/gifs/tinyScriptingNews.gif")
    }

    func testItemTitleLinkGuidAndDescription() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><title>Hello &amp; welcome</title><link>https://example.com/a</link>
            <guid isPermaLink="false">post-1</guid><description>&lt;p&gt;Hi &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;</description></item>
            """)))
        XCTAssertEqual(item.title, "Hello & welcome")
        XCTAssertEqual(item.link, "https://example.com/a")
        XCTAssertEqual(item.guid, "post-1")
        XCTAssertEqual(item.content, "<p>Hi <b>there</b></p>")
        XCTAssertEqual(item.contentType, .html)
    }

    func testContentEncodedWinsOverDescription() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><title>A</title><description>short</description>
            <content:encoded><![CDATA[<p>The full text</p>]]></content:encoded></item>
            """, namespaces: #"xmlns:content="http://purl.org/rss/1.0/modules/content/""#)))
        XCTAssertEqual(item.content, "<p>The full text</p>")
        XCTAssertEqual(item.contentType, .html)
    }

    func testContentEncodedBeforeDescriptionStillWins() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><content:encoded>&lt;p&gt;full&lt;/p&gt;</content:encoded><description>short</description></item>
            """, namespaces: #"xmlns:c="http://purl.org/rss/1.0/modules/content/""#.replacingOccurrences(of: "c=", with: "content="))))
        XCTAssertEqual(item.content, "<p>full</p>")
    }

    func testEmptyContentEncodedFallsBackToDescription() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><content:encoded>  </content:encoded><description>the summary</description></item>
            """, namespaces: #"xmlns:content="http://purl.org/rss/1.0/modules/content/""#)))
        XCTAssertEqual(item.content, "the summary")
    }

    func testMatchedByNamespaceNotPrefix() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><x:encoded>full</x:encoded><description>short</description><y:creator>Jo</y:creator></item>
            """, namespaces: #"xmlns:x="http://purl.org/rss/1.0/modules/content/" xmlns:y="http://purl.org/dc/elements/1.1/""#)))
        XCTAssertEqual(item.content, "full")
        XCTAssertEqual(item.authors, ["Jo"])
    }

    func testUnknownNamespaceWithKnownPrefixIsIgnored() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><content:encoded>not content</content:encoded><description>short</description></item>
            """, namespaces: #"xmlns:content="http://example.com/not-content""#)))
        XCTAssertEqual(item.content, "short")
    }

    func testGuidPermalinkGivesLinkWhenNoLink() throws {
        let item = onlyItem(try readFeed(rss("<item><guid>https://example.com/p/1</guid></item>")))
        XCTAssertEqual(item.link, "https://example.com/p/1")
        XCTAssertEqual(item.guid, "https://example.com/p/1")
    }

    func testGuidNotPermalinkGivesNoLink() throws {
        let item = onlyItem(try readFeed(rss(#"<item><guid isPermaLink="false">https://example.com/p/1</guid></item>"#)))
        XCTAssertNil(item.link)
    }

    func testLinkWinsOverGuidPermalink() throws {
        let item = onlyItem(try readFeed(rss("<item><guid>https://example.com/g</guid><link>https://example.com/l</link></item>")))
        XCTAssertEqual(item.link, "https://example.com/l")
    }

    func testAuthorEmailForms() throws {
        let feed = try readFeed(rss("""
            <item><author>jo@example.org (Jo Smith)</author></item>
            <item><author>Ann Lee &lt;ann@example.org&gt;</author></item>
            <item><author>bare@example.org</author></item>
            """))
        XCTAssertEqual(feed.items.map(\.authors), [["Jo Smith"], ["Ann Lee"], ["bare@example.org"]])
    }

    func testAllAuthorsInOrderWithoutDuplicates() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><dc:creator>Ann</dc:creator><dc:creator>Bob</dc:creator><itunes:author>Ann</itunes:author></item>
            """, namespaces: #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd""#)))
        XCTAssertEqual(item.authors, ["Ann", "Bob"])
    }

    func testDublinCoreWithoutTrailingSlash() throws {
        let item = onlyItem(try readFeed(rss("<item><dc:creator>Ann</dc:creator><dc:subject>Cats</dc:subject></item>",
                                             namespaces: #"xmlns:dc="http://purl.org/dc/elements/1.1""#)))
        XCTAssertEqual(item.authors, ["Ann"])
        XCTAssertEqual(item.categories, ["Cats"])
    }

    func testCategories() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><category domain="http://x">Swift</category><category>
            Linux </category><dc:subject>Swift</dc:subject></item>
            """, namespaces: #"xmlns:dc="http://purl.org/dc/elements/1.1/""#)))
        XCTAssertEqual(item.categories, ["Swift", "Linux"])
    }

    func testEnclosure() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><enclosure url="http://www.scripting.com/mp3s/weatherReportSuite.mp3" length="12216320" type="audio/mpeg" /></item>
            """)))
        XCTAssertEqual(item.enclosures, [Enclosure(url: "http://www.scripting.com/mp3s/weatherReportSuite.mp3",
                                                   type: "audio/mpeg", length: 12216320)])
    }

    func testEnclosureWithoutLengthOrZeroLength() throws {
        let item = onlyItem(try readFeed(rss(#"<item><enclosure url="a.mp3" length="0" type="audio/mpeg"/></item>"#)))
        XCTAssertEqual(item.enclosures.first?.length, nil)
    }

    func testSlashComments() throws {
        let item = onlyItem(try readFeed(rss("<item><slash:comments>42</slash:comments></item>",
                                             namespaces: #"xmlns:slash="http://purl.org/rss/1.0/modules/slash/""#)))
        XCTAssertEqual(item.commentCount, 42)
    }

    func testAtomLinkSelfInChannel() throws {
        let feed = try readFeed(rss("", channel: """
            <title>T</title><atom:link href="https://example.com/feed.xml" rel="self" type="application/rss+xml"/>
            <link>https://example.com/</link>
            """, namespaces: #"xmlns:atom="http://www.w3.org/2005/Atom""#))
        XCTAssertEqual(feed.info.selfLink, "https://example.com/feed.xml")
        XCTAssertEqual(feed.info.siteLink, "https://example.com/")
    }

    func testTitleInImageIsNotTheFeedTitle() throws {
        let feed = try readFeed(rss("", channel: "<image><title>Logo</title><url>https://e.com/l.png</url></image><title>Real</title>"))
        XCTAssertEqual(feed.info.title, "Real")
    }

    func testRSSTitleWithEscapedMarkupIsPlainText() throws {
        let item = onlyItem(try readFeed(rss("<item><title>&lt;b&gt;Bold&lt;/b&gt; move</title></item>")))
        XCTAssertEqual(item.title, "Bold move")
    }

    func testTitleWhitespaceCollapsed() throws {
        let item = onlyItem(try readFeed(rss("<item><title>\n   Two\n   lines  </title></item>")))
        XCTAssertEqual(item.title, "Two lines")
    }

    func testItemWithoutTitleHasEmptyTitle() throws {
        let item = onlyItem(try readFeed(rss("<item><description>no title</description></item>")))
        XCTAssertEqual(item.title, "")
    }

    func testUnescapedMarkupInDescriptionIsKept() throws {
        let item = onlyItem(try readFeed(rss("<item><description><p>Hi <a href=\"x.html\">there</a><br/>you</p></description></item>")))
        XCTAssertEqual(item.content, #"<p>Hi <a href="x.html">there</a><br>you</p>"#)
    }

    func testVersions() throws {
        for (version, format) in [("0.91", FeedFormat.rss091), ("0.92", .rss092), ("0.93", .rss093), ("0.94", .rss094),
                                  ("2.0", .rss20)] {
            let feed = try readFeed(#"<rss version="\#(version)"><channel><title>x</title></channel></rss>"#)
            XCTAssertEqual(feed.info.format, format, version)
        }
    }

    func testFeedDatesGoToUpdated() throws {
        let feed = try readFeed(rss("", channel: "<title>T</title><lastBuildDate>Sat, 07 Sep 2002 09:42:31 GMT</lastBuildDate>"))
        // Awaits the real FeedDate.
        XCTAssertEqual(feed.info.updated, FeedTimestamp(secondsSince1970: 1031391751))
    }

    func testItemPubDateIsPublished() throws {
        let item = onlyItem(try readFeed(rss("<item><pubDate>Sat, 07 Sep 2002 00:00:01 GMT</pubDate></item>")))
        // Awaits the real FeedDate.
        XCTAssertEqual(item.published, FeedTimestamp(secondsSince1970: 1031356801))
        XCTAssertNil(item.updated)
    }

    func testItemLanguageFromChannel() throws {
        let item = onlyItem(try readFeed(rss("<item><title>x</title></item>", channel: "<language>fr</language>")))
        XCTAssertEqual(item.language, "fr")
    }

    func testItemLines() throws {
        let feed = try readFeed("<rss version=\"2.0\"><channel>\n<item>\n<title>a</title></item>\n\n<item><title>b</title></item></channel></rss>")
        XCTAssertEqual(feed.items.map(\.line), [2, 5])
    }
}
