import Feeds
import XCTest

/// media:, itunes:, xml:base and xml:lang.
final class XMLNamespaceModuleTests: XCTestCase {
    let media = #"xmlns:media="http://search.yahoo.com/mrss/""#
    let itunes = #"xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd""#

    func testMediaContentAndThumbnail() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><title>x</title><media:content url="https://e.com/v.mp4" type="video/mp4" fileSize="1000" medium="video">
            <media:thumbnail url="https://e.com/t.jpg" width="120"/></media:content></item>
            """, namespaces: media)))
        XCTAssertEqual(item.enclosures, [Enclosure(url: "https://e.com/v.mp4", type: "video/mp4", length: 1000)])
        XCTAssertEqual(item.thumbnail, "https://e.com/t.jpg")
    }

    func testMediaNamespaceWithoutTrailingSlash() throws {
        let item = onlyItem(try readFeed(rss(#"<item><media:thumbnail url="https://e.com/t.jpg"/></item>"#,
                                             namespaces: #"xmlns:media="http://search.yahoo.com/mrss""#)))
        XCTAssertEqual(item.thumbnail, "https://e.com/t.jpg")
    }

    func testMediaTitleWhenNoTitle() throws {
        let item = onlyItem(try readFeed(rss("<item><media:title>Media title</media:title></item>", namespaces: media)))
        XCTAssertEqual(item.title, "Media title")
    }

    func testMediaGroupDescriptionIsTheBodyWhenNothingElse() throws {
        let feed = try readFeed(atom("""
            <entry><title>Video</title><media:group><media:title>Video</media:title>
            <media:description>Line one\nLine two</media:description>
            <media:thumbnail url="https://i.ytimg.com/vi/x/hqdefault.jpg" width="480" height="360"/></media:group></entry>
            """, attributes: media))
        let item = onlyItem(feed)
        XCTAssertEqual(item.content, "Line one\nLine two")
        XCTAssertEqual(item.contentType, .text)
        XCTAssertEqual(item.thumbnail, "https://i.ytimg.com/vi/x/hqdefault.jpg")
    }

    func testDescriptionWinsOverMediaDescription() throws {
        let item = onlyItem(try readFeed(rss("<item><media:description>m</media:description><description>d</description></item>",
                                             namespaces: media)))
        XCTAssertEqual(item.content, "d")
    }

    func testItunes() throws {
        let item = onlyItem(try readFeed(rss("""
            <item><itunes:author>Host</itunes:author><itunes:summary>About the episode</itunes:summary>
            <itunes:duration>1:02:03</itunes:duration><itunes:image href="https://e.com/ep.jpg"/></item>
            """, namespaces: itunes)))
        XCTAssertEqual(item.authors, ["Host"])
        XCTAssertEqual(item.content, "About the episode")
        XCTAssertEqual(item.contentType, .text)
        XCTAssertEqual(item.duration, "1:02:03")
        XCTAssertEqual(item.thumbnail, "https://e.com/ep.jpg")
    }

    func testItunesNamespaceInOtherCase() throws {
        let item = onlyItem(try readFeed(rss("<item><itunes:author>Host</itunes:author></item>",
                                             namespaces: #"xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd""#)))
        XCTAssertEqual(item.authors, ["Host"])
    }

    func testItunesImageIsTheFeedIconWithoutAnother() throws {
        let feed = try readFeed(rss("", channel: #"<title>P</title><itunes:image href="https://e.com/show.jpg"/>"#, namespaces: itunes))
        XCTAssertEqual(feed.info.icon, "https://e.com/show.jpg")
    }

    func testXMLLangOnItemAndContent() throws {
        let feed = try readFeed(atom("""
            <entry xml:lang="de"><title>a</title></entry><entry><title>b</title></entry>
            """, attributes: #"xml:lang="en""#))
        XCTAssertEqual(feed.items.map(\.language), ["de", "en"])
    }

    // The following expect RFC 3986 resolution: they await the real Article.resolveURL.

    func testRelativeLinkResolvedAgainstTheFeedsURL() throws {
        let item = onlyItem(try readFeed(rss("<item><link>/posts/1</link></item>"), url: nil))
        XCTAssertEqual(item.link, "/posts/1")
        let resolved = onlyItem(try readFeed(rss("<item><link>posts/1</link></item>"), url: "https://example.com/blog/feed.xml"))
        XCTAssertEqual(resolved.link, "https://example.com/blog/posts/1")
    }

    func testRelativeLinkResolvedAgainstTheFilesPath() throws {
        let item = onlyItem(try readFeed(rss("<item><link>a.html</link></item>"), url: "file:///home/jo/feeds/f.xml"))
        XCTAssertEqual(item.link, "file:///home/jo/feeds/a.html")
    }

    func testXMLBaseNests() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry xml:base="/blog/"><link xml:base="2024/" href="post.html"/><content type="html">x</content></entry>
            """, attributes: #"xml:base="http://example.org/root/""#)))
        XCTAssertEqual(item.link, "http://example.org/blog/2024/post.html")
        XCTAssertEqual(item.contentBase, "http://example.org/blog/")
    }

    func testXMLBaseOfTheContentElement() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><content type="html" xml:base="http://e.org/x/">y</content></entry>"#)))
        XCTAssertEqual(item.contentBase, "http://e.org/x/")
    }

    func testEnclosureURLResolved() throws {
        let item = onlyItem(try readFeed(rss(#"<item><enclosure url="ep1.mp3" type="audio/mpeg" length="5"/></item>"#),
                                         url: "https://pod.example/feed.xml"))
        XCTAssertEqual(item.enclosures.first?.url, "https://pod.example/ep1.mp3")
    }
}
