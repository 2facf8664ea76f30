import Foundation
import Posts
@testable import ReadState
import XCTest

/// A stored item with the given id; its fields default to plain values a test overrides.
private func item(_ id: UInt64, title: String? = nil, author: String? = "Grant Montgomery", link: String? = nil,
                  published: Int64? = 1_700_000_000, updated: Int64? = nil, content: String = "<p>Body</p>",
                  extra: [UInt8] = [1, 0, 0]) -> StoredItem {
    StoredItem(id: PostID(rawValue: id), title: title ?? "Post \(id)", author: author, guid: "urn:post:\(id)",
               link: link ?? "https://example.org/\(id)", published: published, updated: updated, contentType: 0,
               contentBase: "https://example.org/", content: content, extra: extra)
}

private func postIDs(_ values: [UInt64]) -> [PostID] { values.map { PostID(rawValue: $0) } }

/// Errors met by threads, for the test to assert on.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ text: String) { lock.withLock { list.append(text) } }
    var all: [String] { lock.withLock { list } }
}

/// Fetched feeds and items beside the read marks: migration, upsert, counts, fetch records, moving, removing,
/// pruning, the list's order and paging, two connections at once, and damaged files.
final class ItemStoreTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.file("state.sqlite3") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func unread(_ store: ItemStore) throws -> [Int] { try store.feeds().map(\.unreadCount) }

    // MARK: Schema

    func testAVersion2StoreWithMarksIsMigratedAndKeepsItsMarks() throws {
        do {
            let database = try Database(path: path)
            try Schema.migrate(database, migrations: Array(Schema.migrations.prefix(2)))
            try database.execute("INSERT INTO read_mark (post_id, read, changed_at) VALUES (1, 1, 1000), (2, 0, 2000)")
            XCTAssertEqual(try database.scalarInt("PRAGMA user_version"), 2)
        }
        let store = try ItemStore(path: path)
        XCTAssertEqual(try store.database.scalarInt("PRAGMA user_version"), Int64(Schema.latestVersion))
        XCTAssertEqual(try store.database.scalarText("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try store.database.scalarInt("PRAGMA busy_timeout"), 5000)

        // The marks store opens the migrated file and finds its marks.
        let marks = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try marks.readMarks(), [PostID(rawValue: 1): time(1)])
        XCTAssertEqual(try marks.mark(of: PostID(rawValue: 2)), ReadMark(isRead: false, changedAt: time(2)))

        // Marks made before the items arrived apply to them.
        let feed = try store.addFeed(url: "https://example.org/feed")
        _ = try store.upsert([item(1), item(2), item(3)], feedID: feed, now: time(10))
        XCTAssertEqual(try unread(store), [2])
    }

    func testAnItemOfTheSameFeedWithTheSameGuidUnderAnotherIdIsTheStoredOne() throws {
        // An import (newsboat) or a feed whose self link changed gives the same item another post id: the feed's
        // own id for it (guid) finds the stored row, which is updated, not doubled; its read mark holds.
        let store = try ItemStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        let other = try store.addFeed(url: "https://example.org/other")
        _ = try store.upsert([item(1)], feedID: feed, now: time(1))
        let marks = try SQLiteReadStateStore(path: path)
        _ = try marks.setRead(postIDs([1]), read: true, at: time(2))
        var again = item(2, content: "<p>Body, corrected</p>")
        again.guid = "urn:post:1"
        let result = try store.upsert([again], feedID: feed, now: time(3))
        XCTAssertEqual(result.new, [])
        XCTAssertEqual(result.changed, postIDs([1]), "the stored row, under its own id")
        XCTAssertEqual(try store.itemCount(), 1)
        XCTAssertEqual(try store.item(PostID(rawValue: 1))?.content, "<p>Body, corrected</p>")
        XCTAssertEqual(try unread(store), [0, 0], "still read")
        // Another feed's item with that guid is another item.
        var elsewhere = item(3)
        elsewhere.guid = "urn:post:1"
        XCTAssertEqual(try store.upsert([elsewhere], feedID: other, now: time(4)).new, postIDs([3]))
        // An item without a guid is found by its link where the stored one kept the link as its guid (newsboat).
        var linked = item(4, link: "https://example.org/linked")
        linked.guid = "https://example.org/linked"
        _ = try store.upsert([linked], feedID: feed, now: time(5))
        var fetched = item(5, link: "https://example.org/linked")
        fetched.guid = nil
        XCTAssertEqual(try store.upsert([fetched], feedID: feed, now: time(6)).new, [])
        XCTAssertEqual(try store.upsert([fetched], feedID: feed, now: time(7)).new, [], "and at every fetch after")
        XCTAssertEqual(try store.itemCount(), 3)
    }

    func testAStoreOfANewerSchemaIsRefusedWithTheMarksStoresMessage() throws {
        do {
            let database = try Database(path: path)
            try Schema.migrate(database)
            try database.execute("PRAGMA user_version = \(Schema.latestVersion + 1)")
        }
        let newer = Schema.latestVersion + 1
        let error = assertStoreError(.newerSchema(found: newer, supported: Schema.latestVersion)) { try ItemStore(path: path) }
        XCTAssertEqual(error?.description,
                       "the state database \(path) was written by a newer Gazette (schema \(newer), this Gazette knows up to "
                       + "\(Schema.latestVersion)); "
                       + "upgrade Gazette or pass --state PATH")
    }

    func testTheListIsReadFromTheIndexWithoutASort() throws {
        let store = try ItemStore(path: path)
        for sql in [ItemStore.headlinesSQL, ItemStore.headlinesBeforeSQL] {
            let plan = try store.database.prepare("EXPLAIN QUERY PLAN " + sql)
            var lines: [String] = []
            while try plan.step() { lines.append(plan.text(3) ?? "") }
            XCTAssertTrue(lines.contains { $0.contains("COVERING INDEX item_order") }, "\(lines)")
            XCTAssertFalse(lines.contains { $0.contains("TEMP B-TREE") }, "\(lines)")
        }
    }

    // MARK: Upsert

    func testUpsertTellsNewFromChangedAndLeavesUnchangedItemsAlone() throws {
        let store = try ItemStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        XCTAssertEqual(try store.upsert([item(1), item(2), item(3), item(4), item(5), item(6)], feedID: feed, now: time(10)),
                       UpsertResult(new: postIDs([1, 2, 3, 4, 5, 6])))

        let second = try store.upsert([
            item(1),                                   // unchanged
            item(2, title: "A better title"),
            item(3, content: "<p>Corrected</p>"),
            item(4, link: "https://example.org/moved"),
            item(5, extra: [1, 1, 3, 0x61, 0x62, 0x63]),
            item(6, updated: 1_700_000_500),
            item(7), item(7),                          // new, twice in one batch: new once, not changed
        ], feedID: feed, now: time(20))
        XCTAssertEqual(second, UpsertResult(new: postIDs([7]), changed: postIDs([2, 3, 4, 5, 6])))
        XCTAssertEqual(try store.item(PostID(rawValue: 2))?.title, "A better title")
        XCTAssertEqual(try store.item(PostID(rawValue: 3))?.content, "<p>Corrected</p>")
        XCTAssertEqual(try store.item(PostID(rawValue: 5))?.extra, [1, 1, 3, 0x61, 0x62, 0x63])

        XCTAssertEqual(try store.upsert([item(1), item(2, title: "A better title"), item(7)], feedID: feed, now: time(30)),
                       UpsertResult())
        XCTAssertEqual(try store.itemCount(), 7)
    }

    func testAStoredItemReadsBackAsItWasStored() throws {
        let store = try ItemStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        let full = item(1, published: 1_600_000_000, updated: 1_600_000_100, extra: [1, 2, 3])
        var bare = StoredItem(id: PostID(rawValue: UInt64.max), title: "")
        bare.contentType = 2
        _ = try store.upsert([full, bare], feedID: feed, now: time(10))
        XCTAssertEqual(try store.item(full.id), full)
        XCTAssertEqual(try store.item(bare.id), bare)
        XCTAssertNil(try store.item(PostID(rawValue: 99)))
    }

    func testAnItemThatLeavesTheFeedStays() throws {
        let store = try ItemStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        _ = try store.upsert([item(1), item(2), item(3)], feedID: feed, now: time(10))
        XCTAssertEqual(try store.upsert([item(2), item(3), item(4)], feedID: feed, now: time(20)),
                       UpsertResult(new: postIDs([4])))
        XCTAssertEqual(try store.itemCount(), 4)
        XCTAssertEqual(try store.item(PostID(rawValue: 1))?.title, "Post 1")
        XCTAssertEqual(try store.feeds().map(\.itemCount), [4])
    }

    func testAnItemWhoseContentChangedKeepsItsReadMarkAndShowsTheNewContent() throws {
        let store = try ItemStore(path: path)
        let marks = try SQLiteReadStateStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        _ = try store.upsert([item(1), item(2)], feedID: feed, now: time(10))
        try marks.setRead(postIDs([1]), read: true, at: time(15))

        let result = try store.upsert([item(1, title: "Updated", content: "<p>New</p>"), item(2)], feedID: feed, now: time(20))
        XCTAssertEqual(result.changed, postIDs([1]))
        XCTAssertEqual(try store.item(PostID(rawValue: 1))?.content, "<p>New</p>")
        XCTAssertEqual(try marks.readMarks(), [PostID(rawValue: 1): time(15)])
        XCTAssertEqual(try unread(store), [1])
    }

    func testStoringIntoARemovedFeedIsAClearError() throws {
        let store = try ItemStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        try store.removeFeed(id: feed)
        XCTAssertThrowsError(try store.upsert([item(1)], feedID: feed, now: time(1))) {
            XCTAssertEqual($0 as? ItemStoreError, .noSuchFeed(feed))
        }
        XCTAssertThrowsError(try store.recordFetch(feedID: feed, FetchRecord(at: time(1), status: 200))) {
            XCTAssertEqual($0 as? ItemStoreError, .noSuchFeed(feed))
        }
        XCTAssertEqual(try store.itemCount(), 0)
    }

    // MARK: Feeds

    func testFeedsAreListedInTheOrderAddedWithItemAndUnreadCounts() throws {
        let store = try ItemStore(path: path)
        let marks = try SQLiteReadStateStore(path: path)
        let blog = try store.addFeed(url: "https://example.org/blog")
        let news = try store.addFeed(url: "https://example.org/news")
        let quiet = try store.addFeed(url: "https://example.org/quiet")
        XCTAssertEqual(try store.addFeed(url: "https://example.org/blog"), blog)
        try marks.setRead(postIDs([5, 999]), read: true, at: time(1))  // 5 before it is stored; 999 is an archive's

        _ = try store.upsert([item(1), item(2), item(3)], feedID: blog, now: time(10))
        _ = try store.upsert([item(4), item(5)], feedID: news, now: time(10))
        try marks.setRead(postIDs([1, 2, 4]), read: true, at: time(20))
        try marks.setRead(postIDs([4]), read: false, at: time(30))  // marked unread again: a mark with read = 0

        let feeds = try store.feeds()
        XCTAssertEqual(feeds.map(\.id), [blog, news, quiet])
        XCTAssertEqual(feeds.map(\.url), ["https://example.org/blog", "https://example.org/news", "https://example.org/quiet"])
        XCTAssertEqual(feeds.map(\.itemCount), [3, 2, 0])
        XCTAssertEqual(feeds.map(\.unreadCount), [1, 1, 0])
        XCTAssertEqual(try store.feed(url: "https://example.org/news")?.unreadCount, 1)

        // Undo brings back the state before the last change, and the counts follow.
        XCTAssertNotNil(try marks.undoLast())
        XCTAssertEqual(try unread(store), [1, 0, 0])
        XCTAssertNotNil(try marks.undoLast())  // 1, 2 and 4 lose their marks
        XCTAssertEqual(try unread(store), [3, 1, 0])
        XCTAssertNil(try store.feed(url: "https://example.org/nothing"))
    }

    func testAFetchRecordRoundTripsAndAFailingFeedKeepsTheTimeOfItsFirstFailure() throws {
        let store = try ItemStore(path: path)
        let url = "https://example.org/feed"
        let feed = try store.addFeed(url: url)
        func state() throws -> FeedState { try XCTUnwrap(store.feed(url: url)) }
        XCTAssertEqual(try state(), FeedState(id: feed, url: url))

        try store.recordFetch(feedID: feed, FetchRecord(at: time(100), status: 200, etag: "\"a\"", lastModified: "Mon",
                                                       title: "Author Archives", siteLink: "https://example.org/"))
        let fetched = FeedState(id: feed, url: url, title: "Author Archives", siteLink: "https://example.org/", etag: "\"a\"",
                                lastModified: "Mon", fetchedAt: time(100), succeededAt: time(100), status: 200)
        XCTAssertEqual(try state(), fetched)

        try store.recordFetch(feedID: feed, FetchRecord(at: time(200), status: 503, error: "503 Service Unavailable",
                                                       notBefore: time(500)))
        var failing = fetched
        failing.fetchedAt = time(200)
        failing.status = 503
        failing.error = "503 Service Unavailable"
        failing.errorSince = time(200)
        failing.notBefore = time(500)
        XCTAssertEqual(try state(), failing)

        try store.recordFetch(feedID: feed, FetchRecord(at: time(600), status: 0, error: "timed out after 10 s"))
        failing.fetchedAt = time(600)
        failing.status = 0
        failing.error = "timed out after 10 s"
        failing.notBefore = nil
        XCTAssertEqual(try state(), failing)  // errorSince is still the first failure's

        // A 304 without validators keeps the stored ones, and ends the failure.
        try store.recordFetch(feedID: feed, FetchRecord(at: time(700), status: 304))
        var recovered = fetched
        recovered.fetchedAt = time(700)
        recovered.succeededAt = time(700)
        recovered.status = 304
        XCTAssertEqual(try state(), recovered)

        // A 200 replaces the validators (one without Last-Modified clears it); a new failure starts a new run.
        try store.recordFetch(feedID: feed, FetchRecord(at: time(800), status: 200, etag: "\"b\""))
        try store.recordFetch(feedID: feed, FetchRecord(at: time(900), status: 410, error: "410 Gone", gone: true))
        try store.setBackfill(feedID: feed, "{\"next\":\"?paged=3\"}")
        let gone = try state()
        XCTAssertEqual(gone.etag, "\"b\"")
        XCTAssertNil(gone.lastModified)
        XCTAssertEqual(gone.succeededAt, time(800))
        XCTAssertEqual(gone.errorSince, time(900))
        XCTAssertTrue(gone.gone)
        XCTAssertEqual(gone.backfill, "{\"next\":\"?paged=3\"}")
        XCTAssertEqual(gone.title, "Author Archives")

        // Reopened, everything is still there.
        XCTAssertEqual(try ItemStore(path: path).feeds(), [gone])
    }

    func testAFetchIsStoredWithItsRecordInOneCall() throws {
        let store = try ItemStore(path: path)
        let url = "https://example.org/feed"
        let feed = try store.addFeed(url: url)
        let record = FetchRecord(at: time(100), status: 200, etag: "\"v1\"", title: "Blog")
        XCTAssertEqual(try store.storeFetch(feedID: feed, record, items: [item(1), item(2)], now: time(100)),
                       UpsertResult(new: postIDs([1, 2])))
        let state = try XCTUnwrap(store.feed(url: url))
        XCTAssertEqual(state.etag, "\"v1\"")
        XCTAssertEqual(state.succeededAt, time(100))
        XCTAssertEqual(state.itemCount, 2)
        XCTAssertEqual(try store.storeFetch(feedID: feed, FetchRecord(at: time(200), status: 304), items: [], now: time(200)),
                       UpsertResult())
        XCTAssertEqual(try store.feed(url: url)?.etag, "\"v1\"")

        try store.removeFeed(id: feed)
        XCTAssertThrowsError(try store.storeFetch(feedID: feed, record, items: [item(3)], now: time(300))) {
            XCTAssertEqual($0 as? ItemStoreError, .noSuchFeed(feed))
        }
        XCTAssertEqual(try store.itemCount(), 0)
    }

    func testMovingAFeedKeepsItsIdAndItemsAndRefusesAURLAlreadySubscribed() throws {
        let store = try ItemStore(path: path)
        let old = "http://example.org/feed", new = "https://example.org/feed.xml", other = "https://example.org/other"
        let feed = try store.addFeed(url: old)
        let second = try store.addFeed(url: other)
        _ = try store.upsert([item(1), item(2)], feedID: feed, now: time(10))

        try store.moveFeed(id: feed, to: new)
        XCTAssertNil(try store.feed(url: old))
        XCTAssertEqual(try store.feed(url: new)?.id, feed)
        XCTAssertEqual(try store.feed(url: new)?.itemCount, 2)
        try store.moveFeed(id: feed, to: new)  // where it already is: nothing to do

        XCTAssertThrowsError(try store.moveFeed(id: feed, to: other)) { error in
            XCTAssertEqual(error as? ItemStoreError, .urlTaken(url: other, feedID: second))
            XCTAssertEqual("\(error)", "another subscription (feed \(second)) is already fetched from \(other)")
        }
        XCTAssertEqual(try store.feeds().map(\.url), [new, other])
        XCTAssertThrowsError(try store.moveFeed(id: 999, to: "https://example.org/x")) {
            XCTAssertEqual($0 as? ItemStoreError, .noSuchFeed(999))
        }
    }

    func testRemovingAFeedDeletesItsItemsAndKeepsTheirMarks() throws {
        let store = try ItemStore(path: path)
        let marks = try SQLiteReadStateStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        let kept = try store.addFeed(url: "https://example.org/kept")
        _ = try store.upsert([item(1), item(2)], feedID: feed, now: time(10))
        _ = try store.upsert([item(3)], feedID: kept, now: time(10))
        try marks.setRead(postIDs([1]), read: true, at: time(20))

        try store.removeFeed(id: feed)
        XCTAssertEqual(try store.feeds().map(\.id), [kept])
        XCTAssertEqual(try store.headlines().map(\.id), postIDs([3]))
        XCTAssertEqual(try marks.readMarks(), [PostID(rawValue: 1): time(20)])

        // Subscribing again brings the items back, still read.
        let again = try store.addFeed(url: "https://example.org/feed")
        XCTAssertNotEqual(again, feed)
        XCTAssertEqual(try store.upsert([item(1), item(2)], feedID: again, now: time(30)).new, postIDs([1, 2]))
        XCTAssertEqual(try unread(store), [1, 1])
    }

    func testPruningDeletesOnlyItemsMarkedReadBeforeTheDate() throws {
        let store = try ItemStore(path: path)
        let marks = try SQLiteReadStateStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        _ = try store.upsert((1...6).map { item($0) }, feedID: feed, now: time(10))
        try marks.setRead(postIDs([1, 2, 4]), read: true, at: time(100))
        try marks.setRead(postIDs([3]), read: true, at: time(300))
        try marks.setRead(postIDs([4]), read: false, at: time(150))

        XCTAssertEqual(try store.pruneRead(before: time(200)), 2)
        XCTAssertEqual(Set(try store.headlines().map(\.id)), Set(postIDs([3, 4, 5, 6])))
        XCTAssertEqual(try marks.readMarks().count, 3)  // the marks stay
        XCTAssertEqual(try store.pruneRead(before: time(200)), 0)
    }

    // MARK: The list

    func testHeadlinesAreNewestFirstAndPageByKeyset() throws {
        let store = try ItemStore(path: path)
        let feed = try store.addFeed(url: "https://example.org/feed")
        let other = try store.addFeed(url: "https://example.org/other")
        // Ties on the same second, ids with the top bit set, an item dated by `updated` only, one undated.
        let high = UInt64(1) << 63
        _ = try store.upsert([
            item(1, published: 100), item(2, published: 300), item(high | 2, published: 300), item(3, published: 300),
            item(4, published: nil, updated: 200), item(5, published: nil, updated: nil),
        ], feedID: feed, now: time(250.9))
        _ = try store.upsert([item(6, published: 50), item(high | 7, published: 300)], feedID: other, now: time(260))

        let all = try store.headlines()
        XCTAssertEqual(all.map(\.id), postIDs([3, 2, high | 7, high | 2, 5, 4, 1, 6]))
        XCTAssertEqual(all.map(\.timestamp), [300, 300, 300, 300, 250, 200, 100, 50])
        XCTAssertEqual(all.first, StoredHeadline(id: PostID(rawValue: 3), feedID: feed, title: "Post 3",
                                                 author: "Grant Montgomery", timestamp: 300))
        XCTAssertEqual(all[2].feedID, other)

        for size in 1...4 {
            var paged: [StoredHeadline] = []
            var last: (timestamp: Int64, id: PostID)?
            while true {
                let page = try store.headlines(before: last, limit: size)
                XCTAssertLessThanOrEqual(page.count, size)
                paged += page
                guard let end = page.last else { break }
                last = (end.timestamp, end.id)
            }
            XCTAssertEqual(paged, all, "pages of \(size)")
            XCTAssertEqual(try store.headlines(limit: size, offset: size), Array(all.dropFirst(size).prefix(size)))
        }
        XCTAssertEqual(try store.headlines(ids: postIDs([1, 3, 42, 5])).map(\.id), postIDs([3, 5, 1]))

        // A new date moves an item.
        _ = try store.upsert([item(1, published: 400)], feedID: feed, now: time(500))
        XCTAssertEqual(try store.headlines(limit: 1).map(\.id), postIDs([1]))
    }

    // MARK: Connections and files

    func testAFetchStoringWhileAnotherConnectionMarksAndReadsNeverFailsWithBusy() throws {
        let path = self.path
        let feed = try ItemStore(path: path).addFeed(url: "https://example.org/feed")
        let body = String(repeating: "Lorem ipsum dolor sit amet. ", count: 100)
        let failures = Failures()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            do {
                let store = try ItemStore(path: path)
                for round in 0..<40 {
                    let items = (0..<50).map { item(UInt64(round * 50 + $0 + 1), content: body) }
                    _ = try store.upsert(items, feedID: feed, now: time(Double(round)))
                }
            } catch { failures.add("writer: \(error)") }
        }
        DispatchQueue.global().async(group: group) {
            do {
                let marks = try SQLiteReadStateStore(path: path)
                for n in 1...200 { try marks.setRead([PostID(rawValue: UInt64(n))], read: true, at: time(Double(n))) }
            } catch { failures.add("marker: \(error)") }
        }
        DispatchQueue.global().async(group: group) {
            do {
                let reader = try ItemStore(path: path, readOnly: true)
                for _ in 0..<200 { _ = try reader.headlines(limit: 60) }
            } catch { failures.add("reader: \(error)") }
        }
        group.wait()
        XCTAssertEqual(failures.all, [])
        let store = try ItemStore(path: path)
        XCTAssertEqual(try store.feeds().map(\.itemCount), [2000])
        XCTAssertEqual(try store.feeds().map(\.unreadCount), [1800])
    }

    func testAReadOnlyStoreReadsAndRefusesWrites() throws {
        do {
            let store = try ItemStore(path: path)
            _ = try store.upsert([item(1)], feedID: try store.addFeed(url: "https://example.org/feed"), now: time(1))
        }
        let reader = try ItemStore(path: path, readOnly: true)
        XCTAssertTrue(reader.isReadOnly)
        XCTAssertEqual(try reader.headlines().map(\.id), postIDs([1]))
        let error = assertStoreError(.readOnly) { try reader.addFeed(url: "https://example.org/other") }
        XCTAssertTrue(error?.description.contains(path) ?? false)
    }

    func testAVersion2StoreOpenedReadOnlyAsksForAnUpgrade() throws {
        do {
            let database = try Database(path: path)
            try Schema.migrate(database, migrations: Array(Schema.migrations.prefix(2)))
        }
        assertStoreError(.readOnly) { try ItemStore(path: path, readOnly: true) }
    }

    func testAFileThatIsNotADatabaseGivesTheMarksStoresMessage() throws {
        let text = Data(String(repeating: "Author Archives for Grant Montgomery\n", count: 200).utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: text))
        let error = assertStoreError(.notADatabase) { try ItemStore(path: path) }
        XCTAssertEqual(error?.description,
                       "\(path) is not a Gazette state database (file is not a database); move it aside or pass --state PATH")
        XCTAssertEqual(fileBytes(path), text)
    }

    /// Overwrites `count` pages in the middle of the closed store with garbage.
    private func damageMiddlePages(count: Int) throws {
        var bytes = try XCTUnwrap(fileBytes(path))
        let pages = bytes.count / 4096
        XCTAssertGreaterThan(pages, 4 * count)
        for offset in ((pages / 2) * 4096)..<((pages / 2 + count) * 4096) { bytes[offset] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    func testASmallDamagedStoreIsReportedAtOpen() throws {
        do {
            let store = try ItemStore(path: path)
            let feed = try store.addFeed(url: "https://example.org/feed")
            _ = try store.upsert((1...150).map { item($0, content: String(repeating: "x", count: 2000)) }, feedID: feed,
                                 now: time(1))
        }
        try damageMiddlePages(count: 3)
        let error = assertStoreError(.corrupt) { try ItemStore(path: path) }
        XCTAssertTrue(error?.description.hasPrefix("the state database \(path) is damaged") ?? false, "\(String(describing: error))")
        XCTAssertTrue(error?.description.hasSuffix("move it aside to start a new one, or pass --state PATH") ?? false)
    }

    func testALargeDamagedStoreIsReportedWhenTheDamageIsRead() throws {
        let count: UInt64 = 1200
        do {
            let store = try ItemStore(path: path)
            let feed = try store.addFeed(url: "https://example.org/feed")
            _ = try store.upsert((1...count).map { item($0, content: String(repeating: "x", count: 3000)) }, feedID: feed,
                                 now: time(1))
        }
        XCTAssertGreaterThan(Int64(fileBytes(path)?.count ?? 0), StoreFile.quickCheckLimit)
        try damageMiddlePages(count: 8)
        let store = try ItemStore(path: path)  // too large for the check at open
        var errors: [StoreError] = []
        let reads: [() throws -> Void] = [
            { _ = try store.headlines() },
            { _ = try store.feeds() },
            { for id in 1...count { _ = try store.item(PostID(rawValue: id)) } },
        ]
        for read in reads {
            do { try read() } catch let error as StoreError { errors.append(error) }
        }
        XCTAssertFalse(errors.isEmpty)
        XCTAssertEqual(errors.map(\.kind), Array(repeating: .corrupt, count: errors.count))
    }
}
