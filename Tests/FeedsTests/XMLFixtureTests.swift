import Feeds
import Foundation
import XCTest

/// Whole feeds: the specifications' examples and the shapes of real feeds (`Fixtures/xml`).
final class XMLFixtureTests: XCTestCase {
    private func read(_ name: String, url: String? = nil) throws -> ReadFeed {
        try readFeed(bytes: try xmlFixture(name), url: url)
    }

    func testRSS20SpecificationExample() throws {
        let feed = try read("rss20-spec.xml")
        XCTAssertEqual(feed.info.format, .rss20)
        XCTAssertEqual(feed.info.title, "Liftoff News")
        XCTAssertEqual(feed.info.siteLink, "http://liftoff.msfc.nasa.gov/")
        XCTAssertEqual(feed.info.language, "en-us")
        XCTAssertEqual(feed.info.authors, ["editor@example.com"])
        XCTAssertEqual(feed.items.count, 3)
        XCTAssertEqual(feed.items.map(\.title), ["Star City", "", "The Engine That Does More"])
        // The second item has no link: its guid, a permalink by default, is the link.
        XCTAssertEqual(feed.items[1].link, "http://liftoff.msfc.nasa.gov/2003/05/30.html#item572")
        XCTAssertTrue(feed.items[0].content.hasSuffix(#"<a href="http://howe.iki.rssi.ru/GCTC/gctc_e.htm">Star City</a>."#))
        XCTAssertEqual(feed.items.map(\.line), [14, 21, 26])
        XCTAssertEqual(feed.diagnostics, [])
    }

    func testRFC4287Example() throws {
        let feed = try read("atom10-rfc4287.xml")
        XCTAssertEqual(feed.info.format, .atom10)
        XCTAssertEqual(feed.info.description, "A lot of effort went into making this effortless")
        XCTAssertEqual(feed.info.selfLink, "http://example.org/feed.atom")
        let item = onlyItem(feed)
        XCTAssertEqual(item.authors, ["Mark Pilgrim"])
        XCTAssertEqual(item.enclosures.count, 1)
        XCTAssertEqual(item.contentType, .xhtml)
        XCTAssertEqual(FeedTextForTests.squeeze(item.content), "<p><i>[Update: The Atom draft is finished.]</i></p>")
        XCTAssertEqual(item.contentBase, "http://diveintomark.org/")
    }

    func testRSS091Netscape() throws {
        let feed = try read("rss091-netscape.xml")
        XCTAssertEqual(feed.info.format, .rss091)
        XCTAssertEqual(feed.info.icon, "http://writetheweb.com/images/mynetscape88.gif")
        XCTAssertEqual(feed.items.count, 2)
        XCTAssertTrue(feed.items[0].content.contains("Gnutella\u{A0}-allowing"))
        XCTAssertEqual(feed.diagnostics, [])
    }

    func testAtom03() throws {
        let feed = try read("atom03.xml")
        XCTAssertEqual(feed.info.format, .atom03)
        XCTAssertEqual(feed.info.language, "en")
        let item = onlyItem(feed)
        XCTAssertEqual(item.content, "<p>Hello, <em>weblog</em> world!</p>")
        XCTAssertEqual(item.contentType, .html)
        XCTAssertEqual(item.guid, "tag:diveintomark.org,2003:3.2397")
    }

    func testRFC5005ArchivedFeed() throws {
        let feed = try read("rfc5005-archive.xml")
        XCTAssertEqual(feed.info.selfLink, "http://example.org/2003/11/index.atom")
        XCTAssertNil(feed.info.siteLink)
        XCTAssertEqual(feed.items.map(\.title), ["Atom-Powered Robots Run Amok", "Second one"])
        XCTAssertEqual(feed.items[0].link, "http://example.org/2003/12/13/atom03")
        XCTAssertNil(feed.items[1].link)
        XCTAssertEqual(feed.items.map(\.authors), [["John Doe"], ["John Doe"]])
    }

    func testWordPress() throws {
        let feed = try read("wordpress.xml")
        XCTAssertEqual(feed.info.title, "A Small Blog")
        XCTAssertEqual(feed.info.description, "Notes on gardening & code")
        XCTAssertEqual(feed.info.selfLink, "https://blog.example.com/feed/")
        XCTAssertEqual(feed.info.language, "en-GB")
        let first = feed.items[0]
        XCTAssertEqual(first.title, "Tomatoes \u{2013} the second year")
        XCTAssertEqual(first.authors, ["Ann Example"])
        XCTAssertEqual(first.categories, ["Garden", "Tomatoes"])
        XCTAssertEqual(first.guid, "https://blog.example.com/?p=1234")
        XCTAssertEqual(first.link, "https://blog.example.com/2024/03/04/tomatoes/")
        XCTAssertTrue(first.content.hasPrefix("<p>Last year&#8217;s tomatoes were small.</p>"))
        XCTAssertEqual(first.commentCount, 3)
        XCTAssertEqual(feed.items[1].commentCount, 0)
    }

    func testBlogger() throws {
        let feed = try read("blogger.xml")
        XCTAssertEqual(feed.info.title, "Far Away")
        XCTAssertEqual(feed.info.siteLink, "https://faraway.blogspot.com/")
        XCTAssertEqual(feed.info.selfLink, "https://www.blogger.com/feeds/1234567890/posts/default")
        let item = onlyItem(feed)
        XCTAssertEqual(item.link, "https://faraway.blogspot.com/2024/02/lisbon.html")
        XCTAssertEqual(item.categories, ["travel"])
        XCTAssertEqual(item.thumbnail, "https://blogger.googleusercontent.com/img/s72-c/a.jpg")
        XCTAssertTrue(item.content.hasPrefix("<p>The trams still run.</p>"))
    }

    func testMastodon() throws {
        let feed = try read("mastodon.xml")
        XCTAssertEqual(feed.info.icon, "https://files.social.example/accounts/avatars/original/jo.png")
        XCTAssertEqual(feed.items.count, 2)
        let first = feed.items[0]
        XCTAssertEqual(first.title, "")
        XCTAssertEqual(first.link, "https://social.example/@jo/111999")
        XCTAssertTrue(first.content.hasPrefix("<p>Spring is here"))
        XCTAssertEqual(first.enclosures, [Enclosure(url: "https://files.social.example/media_attachments/files/1/original/p.jpg",
                                                    type: "image/jpeg", length: 204800)])
        XCTAssertEqual(first.categories, ["garden"])
    }

    func testYouTube() throws {
        let feed = try read("youtube.xml")
        XCTAssertEqual(feed.info.title, "Woodworking Weekly")
        XCTAssertEqual(feed.info.selfLink, "http://www.youtube.com/feeds/videos.xml?channel_id=UCabc")
        let item = onlyItem(feed)
        XCTAssertEqual(item.title, "Building a bench & a stool")
        XCTAssertEqual(item.link, "https://www.youtube.com/watch?v=VID123")
        XCTAssertEqual(item.guid, "yt:video:VID123")
        XCTAssertEqual(item.content, "Oak, two days, one mistake.\nTools listed below.")
        XCTAssertEqual(item.contentType, .text)
        XCTAssertEqual(item.thumbnail, "https://i2.ytimg.com/vi/VID123/hqdefault.jpg")
        XCTAssertEqual(item.authors, ["Woodworking Weekly"])
    }

    func testGitHubReleases() throws {
        let feed = try read("github-releases.xml")
        XCTAssertEqual(feed.info.language, "en-US")
        let item = onlyItem(feed)
        XCTAssertEqual(item.title, "v2.1.0")
        XCTAssertTrue(item.content.hasPrefix("<h2>What&#39;s Changed</h2>"))
        XCTAssertEqual(item.thumbnail, "https://avatars.githubusercontent.com/u/1?s=60&v=4")
        XCTAssertEqual(item.language, "en-US")
    }

    func testPodcast() throws {
        let feed = try read("podcast.xml")
        XCTAssertEqual(feed.info.selfLink, "https://pod.example.com/feed.xml")
        XCTAssertEqual(feed.info.authors, ["Sam Host"])
        XCTAssertEqual(feed.info.icon, "https://pod.example.com/cover.jpg")
        let episode = feed.items[0]
        XCTAssertEqual(episode.title, "Episode 12: Rivers")
        XCTAssertEqual(episode.content, "We talk about rivers.")
        XCTAssertEqual(episode.contentType, .text)
        XCTAssertEqual(episode.enclosures, [Enclosure(url: "https://cdn.pod.example.com/ep12.mp3", type: "audio/mpeg",
                                                      length: 48123456)])
        XCTAssertEqual(episode.duration, "01:02:03")
        XCTAssertEqual(episode.thumbnail, "https://pod.example.com/ep12.jpg")
        XCTAssertNil(episode.link)
        XCTAssertEqual(feed.items[1].content, "<p>Full show notes.</p>")
        XCTAssertEqual(feed.items[1].enclosures.first?.length, nil)
    }

    func testSubstack() throws {
        let feed = try read("substack.xml")
        XCTAssertEqual(feed.info.title, "The Weekly Letter")
        XCTAssertEqual(feed.info.language, "en")
        let item = onlyItem(feed)
        XCTAssertEqual(item.authors, ["Lee Writer"])
        XCTAssertTrue(item.content.hasSuffix("<p>Everyone waits.</p>"))
    }

    func testEveryFixtureReadsTheSameInOneByteChunks() throws {
        for name in ["rss20-spec.xml", "atom10-rfc4287.xml", "wordpress.xml", "blogger.xml", "youtube.xml", "podcast.xml",
                     "rss091-netscape.xml", "mastodon.xml"] {
            let bytes = try xmlFixture(name)
            let whole = try readFeed(bytes: bytes)
            let pieces = try readFeed(bytes: bytes, chunk: 1)
            XCTAssertEqual(whole.items, pieces.items, name)
            XCTAssertEqual(whole.info, pieces.info, name)
        }
    }
}

/// Helpers for comparing markup in tests.
enum FeedTextForTests {
    /// `s` without the whitespace between tags and at the ends.
    static func squeeze(_ s: String) -> String {
        var out = s.trimmingCharacters(in: .whitespacesAndNewlines)
        while let r = out.range(of: #">\s+<"#, options: .regularExpression) { out.replaceSubrange(r, with: "><") }
        return out
    }
}
