// CONTRACT (issue 12): the public API of the subscriptions' item store.
import Foundation
import Posts

/// A subscription's row: what was learnt from fetching it.
public struct FeedState: Hashable, Sendable {
    /// The row's key within this store (stable while the feed is subscribed).
    public var id: Int64
    /// The URL fetched (the subscription's, or where a permanent redirect moved it).
    public var url: String
    /// The feed's own title, from its last successful fetch.
    public var title: String?
    public var siteLink: String?
    public var etag: String?
    public var lastModified: String?
    /// The last attempt, successful or not.
    public var fetchedAt: Date?
    public var succeededAt: Date?
    /// The last HTTP status (0: no response).
    public var status: Int?
    /// The last failure's one-line message; `nil` after a success.
    public var error: String?
    /// Since when it has been failing (the first failure after a success).
    public var errorSince: Date?
    /// Not to be fetched before this (Retry-After, Cache-Control max-age), unless forced.
    public var notBefore: Date?
    /// 410 Gone: never fetched again until resubscribed.
    public var gone: Bool
    /// A backfill's saved state (opaque to the store), so an interrupted one resumes.
    public var backfill: String?
    /// Items stored, and of those not marked read (computed by `feeds()`).
    public var itemCount: Int
    public var unreadCount: Int

    public init(id: Int64, url: String, title: String? = nil, siteLink: String? = nil, etag: String? = nil,
                lastModified: String? = nil, fetchedAt: Date? = nil, succeededAt: Date? = nil, status: Int? = nil,
                error: String? = nil, errorSince: Date? = nil, notBefore: Date? = nil, gone: Bool = false,
                backfill: String? = nil, itemCount: Int = 0, unreadCount: Int = 0) {
        self.id = id
        self.url = url
        self.title = title
        self.siteLink = siteLink
        self.etag = etag
        self.lastModified = lastModified
        self.fetchedAt = fetchedAt
        self.succeededAt = succeededAt
        self.status = status
        self.error = error
        self.errorSince = errorSince
        self.notBefore = notBefore
        self.gone = gone
        self.backfill = backfill
        self.itemCount = itemCount
        self.unreadCount = unreadCount
    }
}

/// What one fetch of a feed taught (written by `recordFetch`).
public struct FetchRecord: Hashable, Sendable {
    public var at: Date
    /// 0 when no response came.
    public var status: Int
    /// `nil` for a success (2xx or 304).
    public var error: String?
    public var etag: String?
    public var lastModified: String?
    public var title: String?
    public var siteLink: String?
    public var notBefore: Date?
    public var gone: Bool

    public init(at: Date, status: Int, error: String? = nil, etag: String? = nil, lastModified: String? = nil,
                title: String? = nil, siteLink: String? = nil, notBefore: Date? = nil, gone: Bool = false) {
        self.at = at
        self.status = status
        self.error = error
        self.etag = etag
        self.lastModified = lastModified
        self.title = title
        self.siteLink = siteLink
        self.notBefore = notBefore
        self.gone = gone
    }
}

/// A fetched item as stored: the list's fields as columns, the body and the rest beside them.
public struct StoredItem: Hashable, Sendable {
    public var id: PostID
    public var title: String
    /// Authors joined with ", ".
    public var author: String?
    public var guid: String?
    public var link: String?
    /// Seconds since 1970 UTC.
    public var published: Int64?
    public var updated: Int64?
    /// `Feeds.ContentType`'s raw value.
    public var contentType: UInt8
    public var contentBase: String?
    public var content: String
    /// Everything else (categories, enclosures, ...), encoded by the caller; opaque to the store.
    public var extra: [UInt8]

    public init(id: PostID, title: String, author: String? = nil, guid: String? = nil, link: String? = nil,
                published: Int64? = nil, updated: Int64? = nil, contentType: UInt8 = 0, contentBase: String? = nil,
                content: String = "", extra: [UInt8] = []) {
        self.id = id
        self.title = title
        self.author = author
        self.guid = guid
        self.link = link
        self.published = published
        self.updated = updated
        self.contentType = contentType
        self.contentBase = contentBase
        self.content = content
        self.extra = extra
    }
}

/// What the list needs of a stored item (no body).
public struct StoredHeadline: Hashable, Sendable {
    public var id: PostID
    public var feedID: Int64
    public var title: String
    public var author: String?
    /// Published, else updated, else when first stored: seconds since 1970 UTC.
    public var timestamp: Int64

    public init(id: PostID, feedID: Int64, title: String, author: String?, timestamp: Int64) {
        self.id = id
        self.feedID = feedID
        self.title = title
        self.author = author
        self.timestamp = timestamp
    }
}

/// What `upsert` changed.
public struct UpsertResult: Hashable, Sendable {
    /// Items not stored before.
    public var new: [PostID]
    /// Items stored before whose title or content changed (their read marks are kept).
    public var changed: [PostID]

    public init(new: [PostID] = [], changed: [PostID] = []) {
        self.new = new
        self.changed = changed
    }
}

/// What the item store refuses (besides the file's own failures, which are `StoreError`s).
public enum ItemStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `moveFeed` to a URL another subscription already has.
    case urlTaken(url: String, feedID: Int64)
    /// The feed's row is gone (removed meanwhile, perhaps by another window).
    case noSuchFeed(Int64)

    public var description: String {
        switch self {
        case let .urlTaken(url, feedID): "another subscription (feed \(feedID)) is already fetched from \(url)"
        case let .noSuchFeed(id): "the subscription (feed \(id)) is no longer in the store"
        }
    }
}

/// Fetched feeds and their items, in the same SQLite file as the read marks (tables `feed` and `item`, added by
/// migration 3). Several connections may be open on one file (the reader's, a fetch thread's): every write is one
/// `BEGIN IMMEDIATE` transaction, waiting up to the busy timeout for another writer. An item that leaves its feed
/// stays (this is an archive). Not thread-safe: one connection per thread.
///
/// The file is opened exactly as `SQLiteReadStateStore` opens it (`StoreFile`: WAL, busy timeout 5 s, the same
/// checks, migrations and `StoreError`s), except that this connection commits with `synchronous=NORMAL`: what the
/// last fetches stored is still in the feeds, so a power loss that rolls them back loses nothing the next fetch does
/// not bring back, while an fsync per feed is a fifth to a third of the time of storing a fetch (100 feeds of 100 items of 3 KB: 1.1-1.25 s
/// with NORMAL, 1.2-1.8 s with FULL, on a busy machine). NORMAL in WAL mode keeps the file consistent (with
/// `storeFetch` a feed's validators and its items commit together, so they are lost together); a mark committed
/// afterwards by the marks connection (FULL) syncs those frames too.
///
/// Order of the list: newest first by `sort_time` (published, else updated, else first seen), ties by the post
/// id's signed 64-bit form (as stored), descending. The covering index `item_order` serves it without a sort.
/// Start-up: `headlines(limit:)` for the first screen (0.1 ms with 100,000 items), then the rest in pages with
/// `headlines(before:limit:)` (all 100,000 take 50-80 ms, in one query or in pages of 1,000 to 20,000 alike;
/// OFFSET paging takes twice as long).
public final class ItemStore {
    public let path: String
    /// Internal so that tests can inspect pragmas and plans.
    let database: Database
    private var statements: [String: Statement] = [:]

    /// True when the file could only be opened for reading; every write will throw `StoreError` `.readOnly`.
    public var isReadOnly: Bool { database.isReadOnly }

    /// Opens (and creates or migrates) the store at `path`. `readOnly`: for reading bodies beside a writer.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        database = try StoreFile.open(path: path, readOnly: readOnly).database
        try translatingErrors { try database.execute("PRAGMA synchronous = NORMAL") }
    }

    // MARK: Feeds

    private static let feedColumns = """
        f.id, f.url, f.title, f.site_link, f.etag, f.last_modified, f.fetched_at, f.succeeded_at, f.status, f.error,
        f.error_since, f.not_before, f.gone, f.backfill
        """

    /// A `FeedState` from a row that starts with `feedColumns` and has the item and unread counts after them.
    private static func feedState(_ row: Statement) -> FeedState {
        FeedState(id: row.int64(0), url: row.text(1) ?? "", title: row.text(2), siteLink: row.text(3),
                  etag: row.text(4), lastModified: row.text(5), fetchedAt: row.date(6), succeededAt: row.date(7),
                  status: row.optionalInt(8).map { Int($0) }, error: row.text(9), errorSince: row.date(10),
                  notBefore: row.date(11), gone: row.int64(12) != 0, backfill: row.text(13),
                  itemCount: Int(row.int64(14)), unreadCount: Int(row.int64(15)))
    }

    /// Every feed, in the order they were added, with item and unread counts.
    ///
    /// One query; the counts come from the index `item_feed (feed_id, read)` alone (`item.read` mirrors the marks).
    public func feeds() throws -> [FeedState] {
        try translatingErrors {
            try query("""
                SELECT \(Self.feedColumns), coalesce(c.total, 0), coalesce(c.unread, 0)
                FROM feed f LEFT JOIN (
                    SELECT feed_id, count(*) AS total, count(*) - sum(read) AS unread FROM item GROUP BY feed_id
                ) c ON c.feed_id = f.id
                ORDER BY f.id
                """) { select in
                var feeds: [FeedState] = []
                while try select.step() { feeds.append(Self.feedState(select)) }
                return feeds
            }
        }
    }

    /// Every feed without its counts, in the order they were added: what start-up needs, without counting items.
    public func feedRows() throws -> [FeedState] {
        try translatingErrors {
            try query("SELECT \(Self.feedColumns), 0, 0 FROM feed f ORDER BY f.id") { select in
                var feeds: [FeedState] = []
                while try select.step() { feeds.append(Self.feedState(select)) }
                return feeds
            }
        }
    }

    /// For a run of many writes (a fetch of every subscription): the WAL is not copied into the database every
    /// 4 MB (each copy ends in an fsync) but once, by `checkpoint()` at the end, or when the WAL reaches `pages`.
    public func deferCheckpoints(pages: Int = 25_000) throws {
        try translatingErrors { _ = try database.scalarInt("PRAGMA wal_autocheckpoint = \(max(1, pages))") }
    }

    /// Copies the WAL into the database now (without waiting for readers: what they still read stays in the WAL).
    public func checkpoint() throws {
        try translatingErrors { _ = try database.scalarInt("PRAGMA wal_checkpoint(PASSIVE)") }
    }

    public func feed(url: String) throws -> FeedState? {
        try translatingErrors {
            try query("""
                SELECT \(Self.feedColumns), (SELECT count(*) FROM item i WHERE i.feed_id = f.id),
                    (SELECT count(*) FROM item i WHERE i.feed_id = f.id AND i.read = 0)
                FROM feed f WHERE f.url = ?
                """) { select in
                try select.bind(url, at: 1)
                return try select.step() ? Self.feedState(select) : nil
            }
        }
    }

    /// The feed's row, made when missing; returns its id. An existing row is left as it is (a gone feed stays
    /// gone: `removeFeed` then `addFeed` resubscribes).
    @discardableResult
    public func addFeed(url: String) throws -> Int64 {
        let now = StoreTime.milliseconds(Date())
        return try translatingErrors {
            try database.writeTransaction {
                try query("INSERT INTO feed (url, added_at) VALUES (?, ?) ON CONFLICT (url) DO NOTHING") { insert in
                    try insert.bind(url, at: 1)
                    try insert.bind(now, at: 2)
                    while try insert.step() {}
                }
                return try feedID(url: url) ?? database.lastInsertRowID
            }
        }
    }

    private func feedID(url: String) throws -> Int64? {
        try query("SELECT id FROM feed WHERE url = ?") { select in
            try select.bind(url, at: 1)
            return try select.step() ? select.int64(0) : nil
        }
    }

    /// Whether an item with this post id is stored.
    private func exists(_ id: PostID) throws -> Bool {
        let select = try statement("SELECT 1 FROM item WHERE post_id = ?1")
        try select.reset()
        defer { try? select.reset() }
        try select.bind(Int64(bitPattern: id.rawValue), at: 1)
        return try select.step()
    }

    private func requireFeed(_ id: Int64) throws {
        let exists = try query("SELECT 1 FROM feed WHERE id = ?") { select in
            try select.bind(id, at: 1)
            return try select.step()
        }
        if !exists { throw ItemStoreError.noSuchFeed(id) }
    }

    /// Forgets a feed and its items (its read marks stay: resubscribing brings them back). Nothing happens for a
    /// feed that is not there.
    public func removeFeed(id: Int64) throws {
        try translatingErrors {
            try database.writeTransaction {
                try statement("DELETE FROM item WHERE feed_id = ?").run(id)
                try statement("DELETE FROM feed WHERE id = ?").run(id)
            }
        }
    }

    /// A permanent redirect: the feed is fetched from `url` from now on (its items and id stay).
    /// Throws `ItemStoreError.urlTaken` when another subscription already has `url`, `.noSuchFeed` when the feed
    /// is gone.
    public func moveFeed(id: Int64, to url: String) throws {
        try translatingErrors {
            try database.writeTransaction {
                try requireFeed(id)
                if let other = try feedID(url: url) {
                    if other == id { return }
                    throw ItemStoreError.urlTaken(url: url, feedID: other)
                }
                try query("UPDATE feed SET url = ? WHERE id = ?") { update in
                    try update.bind(url, at: 1)
                    try update.bind(id, at: 2)
                    while try update.step() {}
                }
            }
        }
    }

    /// Records one fetch. Always: the attempt's time, status, `notBefore` and `gone`. A success (no `error`) also
    /// sets `succeededAt`, clears the error and its `errorSince`, takes the validators (a 304 without them keeps
    /// the stored ones) and the title and site link when given. A failure keeps everything learnt before, and
    /// `errorSince` stays the time of the first failure in a row.
    public func recordFetch(feedID: Int64, _ record: FetchRecord) throws {
        try translatingErrors {
            try database.writeTransaction { try writeRecord(record, feedID: feedID) }
        }
    }

    /// Stores what one fetch brought in ONE transaction: its items (as `upsert`) and its record (as
    /// `recordFetch`). Prefer it to the two calls: new validators (ETag, Last-Modified) are never committed without
    /// the items they vouch for, so a crash between the two cannot make the next fetch a 304 that skips them.
    public func storeFetch(feedID: Int64, _ record: FetchRecord, items: [StoredItem], now: Date) throws -> UpsertResult {
        try translatingErrors {
            try database.writeTransaction {
                let result = try upsertItems(items, feedID: feedID, now: now)
                try writeRecord(record, feedID: feedID)
                return result
            }
        }
    }

    /// `recordFetch`'s UPDATE, inside the caller's transaction.
    private func writeRecord(_ record: FetchRecord, feedID: Int64) throws {
        try query("""
            UPDATE feed SET
                fetched_at = ?1,
                status = ?2,
                error = ?3,
                error_since = CASE WHEN ?3 IS NULL THEN NULL ELSE coalesce(error_since, ?1) END,
                succeeded_at = CASE WHEN ?3 IS NULL THEN ?1 ELSE succeeded_at END,
                etag = CASE WHEN ?3 IS NOT NULL THEN etag WHEN ?2 = 304 THEN coalesce(?4, etag) ELSE ?4 END,
                last_modified = CASE WHEN ?3 IS NOT NULL THEN last_modified
                                     WHEN ?2 = 304 THEN coalesce(?5, last_modified) ELSE ?5 END,
                title = CASE WHEN ?3 IS NULL THEN coalesce(?6, title) ELSE title END,
                site_link = CASE WHEN ?3 IS NULL THEN coalesce(?7, site_link) ELSE site_link END,
                not_before = ?8,
                gone = ?9
            WHERE id = ?10
            """) { update in
            try update.bind(StoreTime.milliseconds(record.at), at: 1)
            try update.bind(Int64(record.status), at: 2)
            try update.bind(text: record.error, at: 3)
            try update.bind(text: record.etag, at: 4)
            try update.bind(text: record.lastModified, at: 5)
            try update.bind(text: record.title, at: 6)
            try update.bind(text: record.siteLink, at: 7)
            try update.bind(record.notBefore.map(StoreTime.milliseconds), at: 8)
            try update.bind(record.gone, at: 9)
            try update.bind(feedID, at: 10)
            while try update.step() {}
        }
        if database.changes == 0 { throw ItemStoreError.noSuchFeed(feedID) }
    }

    /// Names a feed that was never fetched (an import): its title and site link, only where it has none yet. Records
    /// no fetch, so `min-interval` does not hold the first fetch back.
    public func describeFeed(id: Int64, title: String?, siteLink: String?) throws {
        try translatingErrors {
            try database.writeTransaction {
                try query("""
                    UPDATE feed SET title = coalesce(title, ?1), site_link = coalesce(site_link, ?2) WHERE id = ?3
                    """) { update in
                    try update.bind(text: title, at: 1)
                    try update.bind(text: siteLink, at: 2)
                    try update.bind(id, at: 3)
                    while try update.step() {}
                }
            }
        }
    }

    public func setBackfill(feedID: Int64, _ state: String?) throws {
        try translatingErrors {
            try database.writeTransaction {
                try query("UPDATE feed SET backfill = ? WHERE id = ?") { update in
                    try update.bind(text: state, at: 1)
                    try update.bind(feedID, at: 2)
                    while try update.step() {}
                }
                if database.changes == 0 { throw ItemStoreError.noSuchFeed(feedID) }
            }
        }
    }

    // MARK: Items

    /// Stores items of a feed in one transaction: new ones added, changed ones updated, the rest untouched.
    /// `now` is the first-seen time of new items, and the change time of changed ones.
    ///
    /// An item is changed when its title, author, link, guid, dates, content (or its type or base) or `extra`
    /// differ from the stored ones; the comparison is done by SQLite in the UPDATE's WHERE, so an unchanged item
    /// costs one index lookup and no write. Its read mark (in `read_mark`, by post id) is never touched, nor is
    /// the feed it was first stored under. Throws `ItemStoreError.noSuchFeed` when the feed was removed meanwhile.
    public func upsert(_ items: [StoredItem], feedID: Int64, now: Date) throws -> UpsertResult {
        try translatingErrors {
            try database.writeTransaction { try upsertItems(items, feedID: feedID, now: now) }
        }
    }

    /// `upsert` inside the caller's transaction (internal: the sync applies a whole sync in one transaction).
    func upsertItems(_ items: [StoredItem], feedID: Int64, now: Date) throws -> UpsertResult {
        let milliseconds = StoreTime.milliseconds(now)
        let firstSeen = Int64((Double(milliseconds) / 1000).rounded(.down))
        try requireFeed(feedID)
        let insert = try statement("""
            INSERT INTO item (post_id, feed_id, sort_time, read, title, author, published, updated,
                              first_seen, changed_at, guid, link, content_type, content_base, extra, content)
            VALUES (?1, ?2, ?3, coalesce((SELECT read FROM read_mark WHERE post_id = ?1), 0), ?4, ?5, ?6, ?7,
                    ?8, ?8, ?9, ?10, ?11, ?12, coalesce(?13, x''), ?14)
            ON CONFLICT (post_id) DO NOTHING
            """)
        let update = try statement("""
            UPDATE item SET title = ?2, author = ?3, published = ?4, updated = ?5, guid = coalesce(?6, guid), link = ?7,
                content_type = ?8, content_base = ?9, extra = coalesce(?10, x''), content = ?11,
                changed_at = ?12, sort_time = coalesce(?4, ?5, first_seen / 1000)
            WHERE post_id = ?1 AND (title IS NOT ?2 OR author IS NOT ?3 OR published IS NOT ?4
                OR updated IS NOT ?5 OR coalesce(?6, guid) IS NOT guid OR link IS NOT ?7 OR content_type IS NOT ?8
                OR content_base IS NOT ?9 OR extra IS NOT coalesce(?10, x'') OR content IS NOT ?11)
            """)
        // The same feed's item under another post id: its guid (or, for an item without one, its link, which is
        // what newsboat keeps as the guid then) names it.
        let alias = try statement("""
            SELECT post_id FROM item WHERE feed_id = ?1 AND guid = ?2 AND post_id <> ?3 LIMIT 1
            """)
        var result = UpsertResult()
        var newIDs = Set<PostID>()
        var changedIDs = Set<PostID>()
        for var item in items {
            if let own = item.guid ?? item.link, !own.isEmpty {
                try alias.reset()
                try alias.bind(feedID, at: 1)
                try alias.bind(own, at: 2)
                try alias.bind(Int64(bitPattern: item.id.rawValue), at: 3)
                if try alias.step() {
                    let stored = PostID(rawValue: UInt64(bitPattern: alias.int64(0)))
                    // Unless the item's own id is stored too (then it is that row's).
                    if try !exists(item.id) { item.id = stored }
                }
                try alias.reset()
            }
            let key = Int64(bitPattern: item.id.rawValue)
            try insert.reset()
            try insert.bind(key, at: 1)
            try insert.bind(feedID, at: 2)
            try insert.bind(item.published ?? item.updated ?? firstSeen, at: 3)
            try insert.bind(item.title, at: 4)
            try insert.bind(text: item.author, at: 5)
            try insert.bind(item.published, at: 6)
            try insert.bind(item.updated, at: 7)
            try insert.bind(milliseconds, at: 8)
            try insert.bind(text: item.guid, at: 9)
            try insert.bind(text: item.link, at: 10)
            try insert.bind(Int64(item.contentType), at: 11)
            try insert.bind(text: item.contentBase, at: 12)
            try insert.bind(blob: item.extra, at: 13)
            try insert.bind(item.content, at: 14)
            while try insert.step() {}
            let inserted = database.changes == 1
            try insert.reset()
            if inserted {
                if newIDs.insert(item.id).inserted { result.new.append(item.id) }
                continue
            }
            try update.reset()
            try update.bind(key, at: 1)
            try update.bind(item.title, at: 2)
            try update.bind(text: item.author, at: 3)
            try update.bind(item.published, at: 4)
            try update.bind(item.updated, at: 5)
            try update.bind(text: item.guid, at: 6)
            try update.bind(text: item.link, at: 7)
            try update.bind(Int64(item.contentType), at: 8)
            try update.bind(text: item.contentBase, at: 9)
            try update.bind(blob: item.extra, at: 10)
            try update.bind(item.content, at: 11)
            try update.bind(milliseconds, at: 12)
            while try update.step() {}
            let changed = database.changes == 1
            try update.reset()
            // A second copy of an item new in this batch is not a change of a stored item.
            if changed && !newIDs.contains(item.id) && changedIDs.insert(item.id).inserted {
                result.changed.append(item.id)
            }
        }
        return result
    }

    private static let headlineColumns = "post_id, feed_id, title, author, sort_time"

    /// The list's queries (internal so that a test can check that the index serves them without a sort).
    static let headlinesSQL = """
        SELECT \(headlineColumns) FROM item ORDER BY sort_time DESC, post_id DESC LIMIT ? OFFSET ?
        """
    /// `sort_time <= ?1` bounds the index range; the second term skips the few entries of the same second.
    static let headlinesBeforeSQL = """
        SELECT \(headlineColumns) FROM item WHERE sort_time <= ?1 AND (sort_time < ?1 OR post_id < ?2)
        ORDER BY sort_time DESC, post_id DESC LIMIT ?3
        """

    private static func headline(_ row: Statement) -> StoredHeadline {
        StoredHeadline(id: PostID(rawValue: UInt64(bitPattern: row.int64(0))), feedID: row.int64(1),
                       title: row.text(2) ?? "", author: row.text(3), timestamp: row.int64(4))
    }

    private static func headlines(_ select: Statement, capacity: Int) throws -> [StoredHeadline] {
        var headlines: [StoredHeadline] = []
        headlines.reserveCapacity(capacity)
        while try select.step() { headlines.append(headline(select)) }
        return headlines
    }

    /// Headlines newest first (by timestamp, then id), `limit` of them after skipping `offset`.
    ///
    /// Skipping is linear in `offset`: page with `headlines(before:limit:)` instead.
    public func headlines(limit: Int = .max, offset: Int = 0) throws -> [StoredHeadline] {
        try translatingErrors {
            try query(Self.headlinesSQL) { select in
                try select.bind(Int64(max(0, limit)), at: 1)
                try select.bind(Int64(max(0, offset)), at: 2)
                return try Self.headlines(select, capacity: min(limit, 4096))
            }
        }
    }

    /// Up to `limit` headlines, newest first, that come after `before` in that order (the last headline of the
    /// previous page: its `timestamp` and `id`); from the newest when `before` is `nil`. Keyset paging: each page
    /// costs the same wherever it starts, and an item stored meanwhile never shifts a page.
    public func headlines(before: (timestamp: Int64, id: PostID)?, limit: Int) throws -> [StoredHeadline] {
        guard let before else { return try headlines(limit: limit) }
        return try translatingErrors {
            try query(Self.headlinesBeforeSQL) { select in
                try select.bind(before.timestamp, at: 1)
                try select.bind(Int64(bitPattern: before.id.rawValue), at: 2)
                try select.bind(Int64(max(0, limit)), at: 3)
                return try Self.headlines(select, capacity: min(limit, 4096))
            }
        }
    }

    /// Headlines of the given items (for the ones a fetch just stored), newest first. Ids not stored are skipped.
    public func headlines(ids: [PostID]) throws -> [StoredHeadline] {
        try translatingErrors {
            try database.readTransaction {
                var headlines: [StoredHeadline] = []
                for id in Set(ids) {
                    try query("SELECT \(Self.headlineColumns) FROM item WHERE post_id = ?") { select in
                        try select.bind(Int64(bitPattern: id.rawValue), at: 1)
                        if try select.step() { headlines.append(Self.headline(select)) }
                    }
                }
                return headlines.sorted { a, b in
                    a.timestamp != b.timestamp
                        ? a.timestamp > b.timestamp
                        : Int64(bitPattern: a.id.rawValue) > Int64(bitPattern: b.id.rawValue)
                }
            }
        }
    }

    /// How many items there are.
    public func itemCount() throws -> Int {
        try translatingErrors {
            try query("SELECT count(*) FROM item") { select in
                try select.step()
                return Int(select.int64(0))
            }
        }
    }

    public func item(_ id: PostID) throws -> StoredItem? {
        try translatingErrors {
            try query("""
                SELECT title, author, guid, link, published, updated, content_type, content_base, content, extra
                FROM item WHERE post_id = ?
                """) { select in
                try select.bind(Int64(bitPattern: id.rawValue), at: 1)
                guard try select.step() else { return nil }
                return StoredItem(id: id, title: select.text(0) ?? "", author: select.text(1), guid: select.text(2),
                                  link: select.text(3), published: select.optionalInt(4),
                                  updated: select.optionalInt(5), contentType: UInt8(truncatingIfNeeded: select.int64(6)),
                                  contentBase: select.text(7), content: select.text(8) ?? "", extra: select.blob(9))
            }
        }
    }

    /// Every item's post id with the time its content last changed (milliseconds): what the search index compares
    /// with its own to index only new or changed items (issue 14).
    public func itemVersions() throws -> [(id: PostID, changedAt: Int64)] {
        try translatingErrors {
            try query("SELECT post_id, changed_at FROM item") { select in
                var versions: [(id: PostID, changedAt: Int64)] = []
                while try select.step() {
                    versions.append((PostID(rawValue: UInt64(bitPattern: select.int64(0))), select.int64(1)))
                }
                return versions
            }
        }
    }

    /// `set keep-read-days`: deletes items marked read before `date` (their mark's time); returns how many.
    /// The marks stay, so an item fetched again later comes back read.
    public func pruneRead(before date: Date) throws -> Int {
        try translatingErrors {
            try database.writeTransaction {
                try statement("""
                    DELETE FROM item WHERE post_id IN
                        (SELECT post_id FROM read_mark WHERE read = 1 AND changed_at < ?)
                    """).run(StoreTime.milliseconds(date))
                return database.changes
            }
        }
    }

    // MARK: Plumbing

    /// A prepared statement kept for the life of the store.
    private func statement(_ sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` with the cached statement for `sql`, reset before and after.
    private func query<T>(_ sql: String, _ body: (Statement) throws -> T) throws -> T {
        let select = try statement(sql)
        try select.reset()
        defer { try? select.reset() }
        return try body(select)
    }

    /// Runs `body`, turning SQLite failures into `StoreError`.
    private func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
    }
}

private extension Statement {
    func bind(text value: String?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func date(_ column: Int32) -> Date? { isNull(column) ? nil : StoreTime.date(int64(column)) }
}
