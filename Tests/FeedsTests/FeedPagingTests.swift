import Feeds
import Foundation
import XCTest

/// What a feed says about its history, for backfill: feed-level links (RFC 5005 `next`, `prev-archive`), JSON
/// Feed `next_url`, `fh:archive` and `fh:complete`, and the `generator` (WordPress is paged with `?paged=N`).
final class FeedPagingTests: XCTestCase {
    private let history = "xmlns:fh=\"http://purl.org/syndication/history/1.0\""

    func testAtomPagedFeedKeepsNextAndOtherLinksButNotAlternateOrSelf() throws {
        let feed = try readFeed(atom("<entry><id>1</id><title>One</title></entry>", feed: """
            <title>T</title><id>urn:feed</id>
            <link rel="alternate" href="https://example.com/"/>
            <link rel="self" href="https://example.com/feed.xml"/>
            <link rel="next" href="/feed.xml?page=2" type="application/atom+xml"/>
            <link rel="first" href="https://example.com/feed.xml"/>
            <link rel="http://www.iana.org/assignments/relation/last" href="feed.xml?page=9"/>
            """))
        XCTAssertEqual(feed.info.links, [
            FeedLink(rel: "next", href: "https://example.com/feed.xml?page=2", type: "application/atom+xml"),
            FeedLink(rel: "first", href: "https://example.com/feed.xml"),
            FeedLink(rel: "last", href: "https://example.com/feed.xml?page=9"),
        ])
        XCTAssertEqual(feed.info.siteLink, "https://example.com/")
        XCTAssertEqual(feed.info.selfLink, "https://example.com/feed.xml")
        XCTAssertFalse(feed.info.isArchive)
        XCTAssertFalse(feed.info.isComplete)
        XCTAssertEqual(feed.items.count, 1)
    }

    func testRelIsReadWithoutCaseAndDuplicatesAreKeptOnce() throws {
        let feed = try readFeed(atom("", feed: """
            <title>T</title><link rel="NEXT" href="https://example.com/2"/><link rel="next" href="https://example.com/2"/>
            """))
        XCTAssertEqual(feed.info.links, [FeedLink(rel: "next", href: "https://example.com/2")])
    }

    func testEntryLinksAreNotFeedLinks() throws {
        let feed = try readFeed(atom("""
            <entry><id>1</id><link rel="next" href="https://example.com/entry-2"/><link href="https://example.com/1"/></entry>
            """))
        XCTAssertEqual(feed.info.links, [])
        XCTAssertEqual(feed.items.first?.link, "https://example.com/1")
    }

    func testAtomArchiveDocument() throws {
        let feed = try readFeed(atom("<entry><id>1</id></entry>", feed: """
            <title>T</title><fh:archive/>
            <link rel="current" href="https://example.com/feed.xml"/>
            <link rel="prev-archive" href="archive/2019.xml"/>
            <link rel="next-archive" href="archive/2021.xml"/>
            """, attributes: history), url: "https://example.com/archive/2020.xml")
        XCTAssertTrue(feed.info.isArchive)
        XCTAssertFalse(feed.info.isComplete)
        XCTAssertEqual(feed.info.links.map(\.rel), ["current", "prev-archive", "next-archive"])
        XCTAssertEqual(feed.info.links[1].href, "https://example.com/archive/archive/2019.xml",
                       "resolved against the document's URL")
    }

    func testCompleteFeed() throws {
        let feed = try readFeed(atom("", feed: "<title>T</title><fh:complete/>", attributes: history))
        XCTAssertTrue(feed.info.isComplete)
        XCTAssertFalse(feed.info.isArchive)
    }

    func testHistoryElementsInAnotherNamespaceAreIgnored() throws {
        let feed = try readFeed(atom("", feed: "<title>T</title><x:archive/><x:complete/>",
                                     attributes: "xmlns:x=\"http://example.com/not-history\""))
        XCTAssertFalse(feed.info.isArchive)
        XCTAssertFalse(feed.info.isComplete)
    }

    func testLinksAreResolvedAgainstXMLBase() throws {
        let feed = try readFeed(atom("", feed: "<title>T</title><link rel=\"next\" href=\"p2\"/>",
                                     attributes: "xml:base=\"https://other.example/feeds/\""))
        XCTAssertEqual(feed.info.links.first?.href, "https://other.example/feeds/p2")
    }

    func testRSSChannelAtomLinksAndGenerator() throws {
        let feed = try readFeed(rss("<item><title>A</title></item>", channel: """
            <title>Grant Montgomery – Site</title><link>https://example.org/</link>
            <atom:link href="https://example.org/author/grant-montgomery/feed/" rel="self" type="application/rss+xml"/>
            <atom:link href="/author/grant-montgomery/feed/?paged=2" rel="next"/>
            <fh:archive/><fh:complete/>
            <generator>https://wordpress.org/?v=6.4.2</generator>
            """, namespaces: "xmlns:atom=\"http://www.w3.org/2005/Atom\" \(history)"),
            url: "https://example.org/author/grant-montgomery/feed/")
        XCTAssertEqual(feed.info.selfLink, "https://example.org/author/grant-montgomery/feed/")
        XCTAssertEqual(feed.info.links, [FeedLink(rel: "next", href: "https://example.org/author/grant-montgomery/feed/?paged=2")])
        XCTAssertEqual(feed.info.generator, "https://wordpress.org/?v=6.4.2")
        XCTAssertTrue(feed.info.isArchive)
        XCTAssertTrue(feed.info.isComplete)
        XCTAssertEqual(feed.items.map(\.title), ["A"])
    }

    func testItemGeneratorOrLinkElementDoesNotCount() throws {
        let feed = try readFeed(rss("<item><title>A</title><generator>WordPress</generator></item>"))
        XCTAssertNil(feed.info.generator)
        XCTAssertEqual(feed.info.links, [])
    }

    func testAtomGeneratorTextThenURI() throws {
        let text = try readFeed(atom("", feed: """
            <title>T</title><generator uri="https://wordpress.org/" version="6.4">  WordPress  </generator>
            """))
        XCTAssertEqual(text.info.generator, "WordPress")
        let uriOnly = try readFeed(atom("", feed: "<title>T</title><generator uri=\"https://wordpress.org/\"/>"))
        XCTAssertEqual(uriOnly.info.generator, "https://wordpress.org/")
        let none = try readFeed(atom("", feed: "<title>T</title>"))
        XCTAssertNil(none.info.generator)
    }

    func testLinksAfterTheItemsAreThereAtTheEnd() throws {
        let xml = atom("<entry><id>1</id></entry>", feed: "<title>T</title>")
            .replacingOccurrences(of: "</feed>", with: "<link rel=\"next\" href=\"https://example.com/2\"/></feed>")
        let feed = try readFeed(xml)
        XCTAssertEqual(feed.info.links.map(\.href), ["https://example.com/2"])
    }

    func testJSONFeedNextURL() throws {
        let json = """
            {"version": "https://jsonfeed.org/version/1.1", "title": "T", "feed_url": "https://example.org/feed.json",
             "next_url": "feed.json?page=3", "items": [{"id": "1", "content_text": "x"}]}
            """
        let feed = try JSONFeedSupport.read(json, documentURL: "https://example.org/pages/feed.json?page=2")
        XCTAssertEqual(feed.info.links, [FeedLink(rel: "next", href: "https://example.org/pages/feed.json?page=3")],
                       "resolved against where the page came from")
        XCTAssertNil(feed.info.generator)
        XCTAssertEqual(feed.items.count, 1)
    }

    func testJSONFeedWithoutNextURLOrWithABlankOne() throws {
        let none = try JSONFeedSupport.read("""
            {"version": "https://jsonfeed.org/version/1.1", "items": []}
            """, documentURL: "https://example.org/feed.json")
        XCTAssertEqual(none.info.links, [])
        let blank = try JSONFeedSupport.read("""
            {"version": "https://jsonfeed.org/version/1.1", "next_url": "  ", "items": []}
            """, documentURL: "https://example.org/feed.json")
        XCTAssertEqual(blank.info.links, [])
        let item = try JSONFeedSupport.read("""
            {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "next_url": "https://x.example/"}]}
            """, documentURL: "https://example.org/feed.json")
        XCTAssertEqual(item.info.links, [], "an item's next_url is not the feed's")
    }

    func testJSONFeedAbsoluteNextURLWithoutDocumentURL() throws {
        let feed = try JSONFeedSupport.read("""
            {"version": "https://jsonfeed.org/version/1", "next_url": "https://example.org/feed.json?page=2", "items": []}
            """)
        XCTAssertEqual(feed.info.links.map(\.href), ["https://example.org/feed.json?page=2"])
        XCTAssertEqual(feed.info.links.map(\.rel), ["next"])
    }
}
