import Foundation
import Posts
import ReadState
import Subscriptions
import XCTest
@testable import Interop

/// What importing newsboat plans and does to Gazette's urls file, item store and marks.
final class NewsboatMigrationTests: XCTestCase {
    static let urls = """
        # my feeds
        https://a.example/feed.xml news "~Site A"
        https://b.example/rss tech "two words"
        "query:Unread:unread = \\"yes\\""
        exec:~/bin/make-feed.sh
        filter:~/bin/clean.sh:https://c.example/feed
        file:///home/me/local.xml
        https://a.example/feed.xml again
        https://never-fetched.example/feed

        """

    static let cache = NewsboatCache(
        feeds: [
            NewsboatFeed(rssURL: "https://a.example/feed.xml", siteLink: "https://a.example/", title: "A"),
            NewsboatFeed(rssURL: "https://b.example/rss", siteLink: "https://b.example/", title: "B"),
            NewsboatFeed(rssURL: "exec:~/bin/make-feed.sh", siteLink: "", title: "Made"),
        ],
        items: [
            NewsboatItem(guid: "a1", title: "A one", author: "Ann", link: "https://a.example/1",
                         feedURL: "https://a.example/feed.xml", pubDate: 1_700_000_000, content: "<p>one</p>",
                         unread: false, enclosureURL: "https://a.example/1.mp3", enclosureType: "audio/mpeg"),
            NewsboatItem(guid: "a2", title: "A two", feedURL: "https://a.example/feed.xml", pubDate: 1_700_000_100),
            NewsboatItem(guid: "a3", title: "A three (deleted)", feedURL: "https://a.example/feed.xml", unread: false,
                         deleted: true),
            NewsboatItem(guid: "https://b.example/1", title: "B one", link: "https://b.example/1",
                         feedURL: "https://b.example/rss", pubDate: 1_700_000_200, unread: false),
            NewsboatItem(guid: "m1", title: "Made one", feedURL: "exec:~/bin/make-feed.sh"),
            NewsboatItem(guid: "gone1", title: "Of a removed feed", feedURL: "https://removed.example/feed", unread: false),
        ])

    func testThePlanTakesTheSubscriptionsAndListsEveryLineItLeaves() throws {
        let plan = try NewsboatMigration.plan(urlsText: Self.urls, cache: Self.cache, gazetteURLs: UrlsFile(text: ""),
                                              items: nil, marks: nil)
        XCTAssertEqual(plan.subscriptions.map(\.url),
                       ["https://a.example/feed.xml", "https://b.example/rss", "https://never-fetched.example/feed"])
        XCTAssertEqual(plan.subscriptions[0].tags, ["news"])
        XCTAssertEqual(plan.subscriptions[0].name, "Site A")
        XCTAssertEqual(plan.subscriptions[1].tags, ["tech", "two words"])
        XCTAssertEqual(plan.skippedLines.map(\.kind), [.query, .exec, .filter, .file, .duplicate])
        XCTAssertEqual(plan.skippedLines.map(\.line), [4, 5, 6, 7, 8])
        XCTAssertEqual(plan.itemCount, 3, "a1, a2, b1: not the deleted one, nor those of feeds not imported")
        XCTAssertEqual(plan.readCount, 2)
        XCTAssertEqual(plan.readIDs.count, 2)
        XCTAssertEqual(plan.deletedItems, 1)
        XCTAssertEqual(plan.otherItems, 2)
        XCTAssertEqual(plan.otherUnread, 1)
        XCTAssertEqual(plan.feeds.map { $0.items.count }, [2, 1, 0])
        XCTAssertEqual(NewsboatMigration.summary(plan, from: "/home/me/.newsboat", dryRun: false),
                       "Imported from newsboat (/home/me/.newsboat): 3 subscriptions, 3 items, 2 read; not imported: "
                       + "1 query feed (urls:4), 1 exec feed (urls:5), 1 filter feed (urls:6), 1 file URL (urls:7), "
                       + "1 duplicate line (urls:8), 1 item deleted in newsboat, 2 items of feeds not imported (1 unread)")
        XCTAssertTrue(NewsboatMigration.summary(plan, from: "D", dryRun: true).hasPrefix("Would import from newsboat (D): "))
    }

    func testItemsKeepTheirFieldsAndGetTheIdsOfTheFeedNamedByItsURL() throws {
        let plan = try NewsboatMigration.plan(urlsText: Self.urls, cache: Self.cache, gazetteURLs: UrlsFile(text: ""),
                                              items: nil, marks: nil)
        let one = try XCTUnwrap(plan.feeds[0].items.first { $0.guid == "a1" })
        XCTAssertEqual(one.title, "A one")
        XCTAssertEqual(one.author, "Ann")
        XCTAssertEqual(one.link, "https://a.example/1")
        XCTAssertEqual(one.published, 1_700_000_000)
        XCTAssertEqual(one.content, "<p>one</p>")
        XCTAssertEqual(one.contentBase, "https://a.example/feed.xml")
        XCTAssertEqual(one.extra, StoredItemCodecProbe.extra(enclosure: "https://a.example/1.mp3", type: "audio/mpeg"))
        // The same guid in another feed is another post; the same feed and guid always the same one.
        let elsewhere = NewsboatMigration.storedItem(NewsboatItem(guid: "a1", feedURL: "https://b.example/rss"),
                                                     feedURL: "https://b.example/rss", feed: nil)
        XCTAssertNotEqual(elsewhere.id, one.id)
        let again = NewsboatMigration.storedItem(NewsboatItem(guid: "a1", title: "retitled", feedURL: "https://a.example/feed.xml"),
                                                 feedURL: "https://a.example/feed.xml",
                                                 feed: NewsboatFeed(rssURL: "https://a.example/feed.xml", title: "Other title"))
        XCTAssertEqual(again.id, one.id, "the id is the feed's URL and the guid, as a fetch of a self-linked feed gives")
    }

    func testApplyingStoresItemsAndMarksInOneUndoGroupAndASecondRunChangesNothing() throws {
        let path = try NewsboatCacheTests.folder(self) + "/state.sqlite3"
        let items = try ItemStore(path: path)
        let marks = try SQLiteReadStateStore(path: path)
        var urls = UrlsFile(text: "https://b.example/rss mine\n")
        let plan = try NewsboatMigration.plan(urlsText: Self.urls, cache: Self.cache, gazetteURLs: urls, items: items,
                                              marks: marks)
        XCTAssertEqual(plan.alreadySubscribed, 1)
        XCTAssertTrue(plan.changesSomething)
        try NewsboatMigration.apply(plan, items: items, marks: marks, now: Date(timeIntervalSince1970: 1_800_000_000))
        XCTAssertEqual(NewsboatMigration.addSubscriptions(plan, to: &urls), 2)
        XCTAssertEqual(urls.text, """
            https://b.example/rss mine
            https://a.example/feed.xml news "~Site A"
            https://never-fetched.example/feed

            """, "b.example's own line is left as it was")

        XCTAssertEqual(try items.itemCount(), 3)
        XCTAssertEqual(try items.feeds().map(\.url),
                       ["https://a.example/feed.xml", "https://b.example/rss", "https://never-fetched.example/feed"])
        XCTAssertEqual(try items.feeds().map(\.unreadCount), [1, 0, 0])
        XCTAssertEqual(try items.feeds().map(\.etag), [nil, nil, nil], "no validators: the first fetch gets everything")
        XCTAssertEqual(try items.feeds().map(\.fetchedAt), [nil, nil, nil], "not fetched yet")
        XCTAssertEqual(Set(try marks.readMarks().keys), Set(plan.readIDs))
        XCTAssertEqual(Set(try marks.readMarks().values), [Date(timeIntervalSince1970: 1_800_000_000)])

        let second = try NewsboatMigration.plan(urlsText: Self.urls, cache: Self.cache, gazetteURLs: urls, items: items,
                                                marks: marks)
        XCTAssertFalse(second.changesSomething)
        XCTAssertEqual(second.itemsAlreadyStored, 3)
        XCTAssertEqual(second.readAlreadyMarked, 2)
        XCTAssertEqual(second.readIDs, [])
        XCTAssertTrue(NewsboatMigration.summary(second, from: "D", dryRun: false)
            .hasPrefix("Imported from newsboat (D): 3 subscriptions (3 already there), 3 items (3 already there), 2 read (2 already marked)"))

        // `u` in the reader: the whole import's marks go at once.
        let undone = try XCTUnwrap(marks.undoLast())
        XCTAssertEqual(Set(undone.postIDs), Set(plan.readIDs))
        XCTAssertEqual(try marks.readMarks(), [:])
        XCTAssertNil(try marks.undoLast(), "one group, nothing before it")
    }

    func testGazettesOwnMarksWin() throws {
        let path = try NewsboatCacheTests.folder(self) + "/state.sqlite3"
        let items = try ItemStore(path: path)
        let marks = try SQLiteReadStateStore(path: path)
        let first = try NewsboatMigration.plan(urlsText: Self.urls, cache: Self.cache, gazetteURLs: UrlsFile(text: ""),
                                               items: items, marks: marks)
        // The user had already read b1 in Gazette and then marked it unread again.
        let b1 = try XCTUnwrap(first.feeds[1].items.first).id
        try marks.setRead([b1], read: true, at: Date(timeIntervalSince1970: 1))
        try marks.setRead([b1], read: false, at: Date(timeIntervalSince1970: 2))
        let plan = try NewsboatMigration.plan(urlsText: Self.urls, cache: Self.cache, gazetteURLs: UrlsFile(text: ""),
                                              items: items, marks: marks)
        XCTAssertEqual(plan.keptUnread, 1)
        XCTAssertFalse(plan.readIDs.contains(b1))
        try NewsboatMigration.apply(plan, items: items, marks: marks, now: Date())
        XCTAssertEqual(try marks.mark(of: b1)?.isRead, false)
    }

    func testWithoutACacheOnlyTheSubscriptionsCome() throws {
        let plan = try NewsboatMigration.plan(urlsText: Self.urls, cache: nil, gazetteURLs: UrlsFile(text: ""),
                                              items: nil, marks: nil)
        XCTAssertEqual(plan.subscriptions.count, 3)
        XCTAssertEqual(plan.itemCount, 0)
        XCTAssertTrue(NewsboatMigration.summary(plan, from: "D", dryRun: false)
            .hasPrefix("Imported from newsboat (D): 3 subscriptions, no cache.db (no items); not imported: 1 query feed"))
    }

    func testNumbersAreGroupedInThousands() {
        XCTAssertEqual(NewsboatMigration.number(0), "0")
        XCTAssertEqual(NewsboatMigration.number(999), "999")
        XCTAssertEqual(NewsboatMigration.number(3456), "3,456")
        XCTAssertEqual(NewsboatMigration.number(1_234_567), "1,234,567")
    }
}

/// The `extra` bytes StoredItemCodec writes for an item with one enclosure and nothing else (version 1).
enum StoredItemCodecProbe {
    static func extra(enclosure: String, type: String) -> [UInt8] {
        [1, 0, 1, UInt8(enclosure.utf8.count)] + Array(enclosure.utf8) + [1, UInt8(type.utf8.count)] + Array(type.utf8)
            + [0, 0, 0, 0, 0, 0]
    }
}
