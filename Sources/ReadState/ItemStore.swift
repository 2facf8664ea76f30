// CONTRACT (issue 12): the public API of the subscriptions' item store. Bodies are placeholders until it lands.
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

/// Fetched feeds and their items, in the same SQLite file as the read marks (tables `feed` and `item`, added by a
/// migration). Several connections may be open on one file (the reader's, a fetch thread's): every write is one
/// `BEGIN IMMEDIATE` transaction, waiting up to the busy timeout for another writer. An item that leaves its feed
/// stays (this is an archive). Not thread-safe: one connection per thread.
public final class ItemStore {
    /// Opens (and creates or migrates) the store at `path`. `readOnly`: for reading bodies beside a writer.
    public init(path: String, readOnly: Bool = false) throws {
        fatalError("ItemStore: not implemented yet")
    }

    /// Every feed, in the order they were added, with item and unread counts.
    public func feeds() throws -> [FeedState] { fatalError() }

    public func feed(url: String) throws -> FeedState? { fatalError() }

    /// Every feed without the counts (cheap: for start-up).
    public func feedRows() throws -> [FeedState] { fatalError() }

    /// The feed's row, made when missing; returns its id.
    @discardableResult
    public func addFeed(url: String) throws -> Int64 { fatalError() }

    /// Forgets a feed and its items (its read marks stay: resubscribing brings them back).
    public func removeFeed(id: Int64) throws { fatalError() }

    /// A permanent redirect: the feed is fetched from `url` from now on (its items and id stay).
    public func moveFeed(id: Int64, to url: String) throws { fatalError() }

    public func recordFetch(feedID: Int64, _ record: FetchRecord) throws { fatalError() }

    public func setBackfill(feedID: Int64, _ state: String?) throws { fatalError() }

    /// Stores items of a feed in one transaction: new ones added, changed ones (title or content) updated, the
    /// rest untouched. `now` is the first-seen time of new items.
    public func upsert(_ items: [StoredItem], feedID: Int64, now: Date) throws -> UpsertResult { fatalError() }

    /// Headlines newest first (by timestamp, then id), `limit` of them after skipping `offset`.
    public func headlines(limit: Int = .max, offset: Int = 0) throws -> [StoredHeadline] { fatalError() }

    /// Headlines newest first after `before` (keyset paging: the last headline of the previous page), `limit` of them.
    public func headlines(before: (timestamp: Int64, id: PostID)?, limit: Int) throws -> [StoredHeadline] { fatalError() }

    /// Headlines of the given items (for the ones a fetch just stored), newest first.
    public func headlines(ids: [PostID]) throws -> [StoredHeadline] { fatalError() }

    /// How many items there are.
    public func itemCount() throws -> Int { fatalError() }

    public func item(_ id: PostID) throws -> StoredItem? { fatalError() }

    /// `set keep-read-days`: deletes items marked read before `date`; returns how many.
    public func pruneRead(before date: Date) throws -> Int { fatalError() }
}
