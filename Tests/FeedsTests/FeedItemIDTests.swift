import Feeds
import Posts
import XCTest

/// The rule for a feed item's Gazette id (`FeedItemID.swift`).
final class FeedItemIDTests: XCTestCase {
    private let feed = FeedInfo(format: .rss20, title: "T", siteLink: "https://example.com/",
                                selfLink: "https://example.com/feed.xml", id: "urn:feed")

    func testGoldenValues() {
        // Pinned: changing them loses people's read marks. Computed apart from this code, as XXH64 of the bytes the
        // rule names, e.g. "https://example.com/feed.xml" FF "g" FF "post-1".
        let byGuid = postID(for: FeedItem(guid: "post-1", title: "A", link: "https://example.com/a"), in: feed)
        let byLink = postID(for: FeedItem(title: "A", link: "https://example.com/a"), in: feed)
        let byText = postID(for: FeedItem(title: "A", published: FeedTimestamp(secondsSince1970: 1_700_000_000),
                                          content: "<p>x</p>"), in: feed)
        XCTAssertEqual(byGuid.rawValue, 0x4596_73BE_3CD5_CB2A, String(byGuid.rawValue, radix: 16))
        XCTAssertEqual(byLink.rawValue, 0x2AB8_0012_3B81_7AE1, String(byLink.rawValue, radix: 16))
        XCTAssertEqual(byText.rawValue, 0x8545_353C_5CF3_4D74, String(byText.rawValue, radix: 16))
    }

    func testGuidWinsOverLinkAndText() {
        let a = postID(for: FeedItem(guid: "g", title: "A", link: "https://e/1", content: "x"), in: feed)
        let b = postID(for: FeedItem(guid: "g", title: "B", link: "https://e/2", content: "y"), in: feed)
        XCTAssertEqual(a, b)
    }

    func testLinkWhenNoGuid() {
        let a = postID(for: FeedItem(title: "A", link: "https://e/1"), in: feed)
        let b = postID(for: FeedItem(title: "edited", link: "https://e/1"), in: feed)
        let c = postID(for: FeedItem(title: "A", link: "https://e/2"), in: feed)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testTextWhenNoGuidNorLink() {
        let a = postID(for: FeedItem(title: "A", content: "x"), in: feed)
        XCTAssertEqual(a, postID(for: FeedItem(title: " A\n", content: "x "), in: feed))
        XCTAssertNotEqual(a, postID(for: FeedItem(title: "A", content: "y"), in: feed))
        XCTAssertNotEqual(a, postID(for: FeedItem(title: "A", published: FeedTimestamp(secondsSince1970: 1), content: "x"),
                                    in: feed))
    }

    func testSameGuidInTwoFeedsIsTwoPosts() {
        let other = FeedInfo(format: .rss20, title: "Other", selfLink: "https://other.example/feed.xml")
        XCTAssertNotEqual(postID(for: FeedItem(guid: "1"), in: feed), postID(for: FeedItem(guid: "1"), in: other))
    }

    func testFeedIdentityFallsBackFromSelfLinkToIdToSiteToTitle() {
        let item = FeedItem(guid: "1")
        let bySelf = FeedInfo(format: .atom10, title: "T", siteLink: "s", selfLink: "self", id: "id")
        XCTAssertEqual(postID(for: item, in: bySelf), postID(for: item, in: FeedInfo(format: .rss20, selfLink: "self")))
        XCTAssertEqual(postID(for: item, in: FeedInfo(format: .atom10, title: "T", siteLink: "s", id: "id")),
                       postID(for: item, in: FeedInfo(format: .atom10, id: "id")))
        XCTAssertEqual(postID(for: item, in: FeedInfo(format: .rss20, title: "T", siteLink: "s")),
                       postID(for: item, in: FeedInfo(format: .rss20, siteLink: "s")))
        XCTAssertEqual(postID(for: item, in: FeedInfo(format: .rss20, title: "T")),
                       postID(for: item, in: FeedInfo(format: .rss20, title: " T ")))
    }

    func testTwoCopiesOfAFileGiveTheSameIds() throws {
        let bytes = try xmlFixture("wordpress.xml")
        let a = try readFeed(bytes: bytes, url: "file:///home/jo/a/feed.xml")
        let b = try readFeed(bytes: bytes, url: "file:///tmp/copy.xml")
        XCTAssertEqual(a.items.map { postID(for: $0, in: a.info) }, b.items.map { postID(for: $0, in: b.info) })
        XCTAssertEqual(Set(a.items.map { postID(for: $0, in: a.info) }).count, a.items.count)
    }
}
