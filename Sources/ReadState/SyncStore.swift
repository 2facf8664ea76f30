import Foundation
import Posts

/// Which server a store follows, and how the last sync went (`gazette sync --status`). Never a password or a
/// session id: the store does not have them.
public struct SyncStatus: Hashable, Sendable {
    public var url: String
    public var login: String
    /// The last sync that finished (everything applied).
    public var syncedAt: Date?
    /// The last attempt, finished or not.
    public var attemptedAt: Date?
    /// The last attempt's failure, one line; `nil` after a success.
    public var error: String?
    /// The highest article id stored: the next sync asks for articles after it.
    public var lastArticleID: Int64
    /// Marks made here and not yet taken by the server.
    public var queuedMarks: Int
    public var articles: Int
    public var feeds: Int
}

/// A mark made in Gazette on a synced post, waiting to be sent (`sync_queue`).
public struct SyncQueueEntry: Hashable, Sendable {
    public var seq: Int64
    public var articleID: Int64
    public var read: Bool
    public var madeAt: Date
}

/// A synced feed as the sources view and `gazette list` show it.
public struct SyncedFeed: Hashable, Sendable {
    /// Its row in the item store (`FeedState.id`).
    public var feedID: Int64
    /// The server's id of the feed.
    public var remoteID: Int64
    /// The store's URL of the feed (`ttrss:ID@SERVER`): never fetched over HTTP by `gazette fetch`.
    public var url: String
    public var title: String?
    /// The feed's own URL, as the server fetches it.
    public var feedURL: String?
    /// Its category's title on the server: the feed's tag.
    public var category: String?
}

/// Everything one sync brings, applied by `SyncStore.apply` in ONE transaction.
public struct SyncBatch: Sendable {
    public struct Feed: Sendable {
        public var remoteID: Int64
        public var title: String
        public var feedURL: String?
        public var categoryID: Int64?
        public init(remoteID: Int64, title: String, feedURL: String?, categoryID: Int64?) {
            self.remoteID = remoteID
            self.title = title
            self.feedURL = feedURL
            self.categoryID = categoryID
        }
    }

    public struct Article: Sendable {
        public var articleID: Int64
        public var remoteFeedID: Int64
        /// The feed's title from the headline (for a feed `feeds` does not name yet).
        public var feedTitle: String?
        public var unread: Bool
        public var item: StoredItem
        public init(articleID: Int64, remoteFeedID: Int64, feedTitle: String?, unread: Bool, item: StoredItem) {
            self.articleID = articleID
            self.remoteFeedID = remoteFeedID
            self.feedTitle = feedTitle
            self.unread = unread
            self.item = item
        }
    }

    /// Categories by id (nil: not asked this time, keep the stored ones).
    public var categories: [Int64: String]?
    public var feeds: [Feed] = []
    public var articles: [Article] = []
    /// The server's unread flag now, for known articles whose flag was asked again.
    public var serverUnread: [Int64: Bool] = [:]
    /// The flag the server took from us (`updateArticle` said OK): article id → unread.
    public var sent: [Int64: Bool] = [:]
    /// Queue entries up to this `seq` were sent (or needed no sending): they leave the queue.
    public var dequeueThrough: Int64 = 0
    public var lastArticleID: Int64 = 0
    public var at: Date

    public init(at: Date) { self.at = at }
}

/// What `apply` did.
public struct SyncApplied: Hashable, Sendable {
    public var newItems = 0
    public var changedItems = 0
    /// Marks made on the server applied here.
    public var marksApplied = 0
    /// Server changes not applied because a mark made here on the same article since the last sync won.
    public var conflicts = 0
    public init() {}
}

/// The sync's tables in the store (migration 6): the server, its categories and feeds, the article ↔ post mapping
/// with the server's last known unread flag, and the queue of marks made here. The queue is fed by triggers on
/// `read_mark` (see `Schema`), so every way of marking (the reader, `gazette mark`, undo, an import) is queued.
/// One connection; not thread-safe.
public final class SyncStore {
    public let items: ItemStore
    private var database: Database { items.database }

    public init(path: String, readOnly: Bool = false) throws {
        items = try ItemStore(path: path, readOnly: readOnly)
    }

    /// The synced feeds of the store at `path`, read without writing anything (none when it never synced).
    public static func syncedFeeds(path: String) throws -> [SyncedFeed] {
        let store = try SyncStore(path: path, readOnly: true)
        guard try store.server() != nil else { return [] }
        return try store.syncedFeeds()
    }

    /// The store's URL of a synced feed.
    public static func feedURL(remoteID: Int64, server: String) -> String { "ttrss:\(remoteID)@\(server)" }

    /// The server the store follows, or nil.
    public func server() throws -> (url: String, login: String)? {
        try translating {
            let select = try database.prepare("SELECT url, login FROM sync_server WHERE id = 1")
            guard try select.step() else { return nil }
            return (select.text(0) ?? "", select.text(1) ?? "")
        }
    }

    /// Makes `url` and `login` the server followed. Another server (or login) than before starts over: its
    /// article ids mean other articles, so the mapping, the queue and the progress are forgotten (the items and
    /// their marks stay, as the archive they are).
    public func follow(url: String, login: String) throws {
        try translating {
            try database.writeTransaction {
                if let current = try server(), current.url == url, current.login == login { return }
                try database.execute("""
                    DELETE FROM sync_queue; DELETE FROM sync_article; DELETE FROM sync_feed; DELETE FROM sync_category;
                    DELETE FROM sync_server;
                    """)
                let insert = try database.prepare("INSERT INTO sync_server (id, url, login) VALUES (1, ?, ?)")
                try insert.bind(url, at: 1)
                try insert.bind(login, at: 2)
                while try insert.step() {}
            }
        }
    }

    public func status() throws -> SyncStatus? {
        try translating {
            try database.readTransaction {
                let select = try database.prepare("""
                    SELECT url, login, synced_at, attempted_at, error, last_article_id,
                        (SELECT count(*) FROM sync_queue), (SELECT count(*) FROM sync_article),
                        (SELECT count(*) FROM sync_feed)
                    FROM sync_server WHERE id = 1
                    """)
                guard try select.step() else { return nil }
                return SyncStatus(url: select.text(0) ?? "", login: select.text(1) ?? "",
                                  syncedAt: select.isNull(2) ? nil : StoreTime.date(select.int64(2)),
                                  attemptedAt: select.isNull(3) ? nil : StoreTime.date(select.int64(3)),
                                  error: select.text(4), lastArticleID: select.int64(5),
                                  queuedMarks: Int(select.int64(6)), articles: Int(select.int64(7)),
                                  feeds: Int(select.int64(8)))
            }
        }
    }

    /// The queue, oldest first.
    public func queue() throws -> [SyncQueueEntry] {
        try translating {
            let select = try database.prepare("SELECT seq, article_id, read, made_at FROM sync_queue ORDER BY seq")
            var entries: [SyncQueueEntry] = []
            while try select.step() {
                entries.append(SyncQueueEntry(seq: select.int64(0), articleID: select.int64(1), read: select.int64(2) != 0,
                                              madeAt: StoreTime.date(select.int64(3))))
            }
            return entries
        }
    }

    /// The server's unread flag at the last sync of every stored article, by article id, with its feed.
    public func articleStates() throws -> [Int64: (feed: Int64, unread: Bool)] {
        try translating {
            let select = try database.prepare("SELECT article_id, remote_feed_id, server_unread FROM sync_article")
            var states: [Int64: (feed: Int64, unread: Bool)] = [:]
            while try select.step() { states[select.int64(0)] = (select.int64(1), select.int64(2) != 0) }
            return states
        }
    }

    /// The article ids of posts (for marks given by post id).
    public func articleIDs(of posts: [PostID]) throws -> [PostID: Int64] {
        try translating {
            let select = try database.prepare("SELECT article_id FROM sync_article WHERE post_id = ?")
            var ids: [PostID: Int64] = [:]
            for post in posts {
                try select.reset()
                try select.bind(Int64(bitPattern: post.rawValue), at: 1)
                if try select.step() { ids[post] = select.int64(0) }
            }
            return ids
        }
    }

    /// The post id of an article, or nil.
    public func postID(ofArticle article: Int64) throws -> PostID? {
        try translating {
            let select = try database.prepare("SELECT post_id FROM sync_article WHERE article_id = ?")
            try select.bind(article, at: 1)
            return try select.step() ? PostID(rawValue: UInt64(bitPattern: select.int64(0))) : nil
        }
    }

    /// Every synced feed, in the order the server lists them (its ids).
    public func syncedFeeds() throws -> [SyncedFeed] {
        try translating {
            let select = try database.prepare("""
                SELECT s.feed_id, s.remote_id, f.url, f.title, s.feed_url, c.title
                FROM sync_feed s JOIN feed f ON f.id = s.feed_id LEFT JOIN sync_category c ON c.remote_id = s.category_id
                ORDER BY s.remote_id
                """)
            var feeds: [SyncedFeed] = []
            while try select.step() {
                feeds.append(SyncedFeed(feedID: select.int64(0), remoteID: select.int64(1), url: select.text(2) ?? "",
                                        title: select.text(3), feedURL: select.text(4), category: select.text(5)))
            }
            return feeds
        }
    }

    /// Records a failed attempt (its one-line message); nothing else changes.
    public func recordFailure(_ message: String, at date: Date) throws {
        try translating {
            try database.writeTransaction {
                let update = try database.prepare("UPDATE sync_server SET attempted_at = ?, error = ? WHERE id = 1")
                try update.bind(StoreTime.milliseconds(date), at: 1)
                try update.bind(message, at: 2)
                while try update.step() {}
            }
        }
    }

    /// Applies one sync in ONE transaction: categories, feeds, articles (as items, with their mapping), the
    /// server's marks (a server change is applied unless the article has a queued mark made here: then the mark
    /// made here wins and was sent), what the server took from us, the queue's sent entries, the progress.
    /// A failure rolls everything back.
    public func apply(_ batch: SyncBatch) throws -> SyncApplied {
        try translating {
            try database.writeTransaction { try applyInTransaction(batch) }
        }
    }

    private func applyInTransaction(_ batch: SyncBatch) throws -> SyncApplied {
        guard let server = try server() else { return SyncApplied() }
        var applied = SyncApplied()
        let now = StoreTime.milliseconds(batch.at)
        try database.execute("UPDATE sync_server SET applying = 1 WHERE id = 1")

        if let categories = batch.categories {
            try database.execute("DELETE FROM sync_category")
            let insert = try database.prepare("INSERT INTO sync_category (remote_id, title) VALUES (?, ?)")
            for (id, title) in categories {
                try insert.reset()
                try insert.bind(id, at: 1)
                try insert.bind(title, at: 2)
                while try insert.step() {}
            }
        }

        // Feeds: remote id → local feed row.
        var local: [Int64: Int64] = [:]
        let known = try database.prepare("SELECT remote_id, feed_id FROM sync_feed")
        while try known.step() { local[known.int64(0)] = known.int64(1) }
        let addFeed = try database.prepare("""
            INSERT INTO feed (url, added_at, title) VALUES (?1, ?2, ?3)
            ON CONFLICT (url) DO UPDATE SET title = coalesce(excluded.title, title) RETURNING id
            """)
        let addMapping = try database.prepare("""
            INSERT INTO sync_feed (remote_id, feed_id, category_id, feed_url) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (remote_id) DO UPDATE SET category_id = excluded.category_id, feed_url = excluded.feed_url
            """)
        let describe = try database.prepare("""
            UPDATE feed SET title = ?2, fetched_at = ?3, succeeded_at = ?3, status = 200, error = NULL, error_since = NULL
            WHERE id = ?1
            """)
        func feedRow(remoteID: Int64, title: String?, feedURL: String?, categoryID: Int64?, describeAll: Bool) throws -> Int64 {
            let id: Int64
            var created = false
            if let existing = local[remoteID] {
                id = existing
            } else {
                created = true
                try addFeed.reset()
                try addFeed.bind(Self.feedURL(remoteID: remoteID, server: server.url), at: 1)
                try addFeed.bind(now, at: 2)
                if let title { try addFeed.bind(title, at: 3) } else { try addFeed.bindNull(at: 3) }
                guard try addFeed.step() else { throw ItemStoreError.noSuchFeed(remoteID) }
                id = addFeed.int64(0)
                try addFeed.reset()
                local[remoteID] = id
            }
            if describeAll || created {
                try addMapping.reset()
                try addMapping.bind(remoteID, at: 1)
                try addMapping.bind(id, at: 2)
                if let categoryID { try addMapping.bind(categoryID, at: 3) } else { try addMapping.bindNull(at: 3) }
                if let feedURL { try addMapping.bind(feedURL, at: 4) } else { try addMapping.bindNull(at: 4) }
                while try addMapping.step() {}
            }
            if let title {
                try describe.reset()
                try describe.bind(id, at: 1)
                try describe.bind(title, at: 2)
                try describe.bind(now, at: 3)
                while try describe.step() {}
            }
            return id
        }
        for feed in batch.feeds {
            _ = try feedRow(remoteID: feed.remoteID, title: feed.title, feedURL: feed.feedURL, categoryID: feed.categoryID,
                            describeAll: true)
        }

        let queued = try database.prepare("SELECT 1 FROM sync_queue WHERE article_id = ? LIMIT 1")
        func hasQueuedMark(_ article: Int64) throws -> Bool {
            try queued.reset()
            try queued.bind(article, at: 1)
            defer { try? queued.reset() }
            return try queued.step()
        }
        let markRead = try database.prepare("""
            INSERT INTO read_mark (post_id, read, changed_at) VALUES (?1, 1, ?2)
            ON CONFLICT (post_id) DO UPDATE SET read = 1, changed_at = excluded.changed_at WHERE read_mark.read = 0
            """)
        let markUnread = try database.prepare("UPDATE read_mark SET read = 0, changed_at = ?2 WHERE post_id = ?1 AND read = 1")
        func setLocal(post: Int64, unread: Bool) throws {
            let statement = unread ? markUnread : markRead
            try statement.reset()
            try statement.bind(post, at: 1)
            try statement.bind(now, at: 2)
            while try statement.step() {}
            if database.changes > 0 { applied.marksApplied += 1 }
        }

        // Articles, grouped by feed (one upsert per feed).
        let mapArticle = try database.prepare("""
            INSERT INTO sync_article (article_id, post_id, remote_feed_id, server_unread) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (article_id) DO UPDATE SET remote_feed_id = excluded.remote_feed_id, server_unread = excluded.server_unread
            """)
        let previous = try database.prepare("SELECT server_unread, post_id FROM sync_article WHERE article_id = ?")
        var byFeed: [Int64: [SyncBatch.Article]] = [:]
        var feedOrder: [Int64] = []
        for article in batch.articles {
            if byFeed[article.remoteFeedID] == nil { feedOrder.append(article.remoteFeedID) }
            byFeed[article.remoteFeedID, default: []].append(article)
        }
        for remoteFeed in feedOrder {
            let articles = byFeed[remoteFeed] ?? []
            let feedID = try feedRow(remoteID: remoteFeed, title: local[remoteFeed] == nil ? articles.first?.feedTitle : nil,
                                     feedURL: nil, categoryID: nil, describeAll: false)
            let result = try items.upsertItems(articles.map(\.item), feedID: feedID, now: batch.at)
            applied.newItems += result.new.count
            applied.changedItems += result.changed.count
            for article in articles {
                try previous.reset()
                try previous.bind(article.articleID, at: 1)
                let before: Bool? = try previous.step() ? previous.int64(0) != 0 : nil
                try previous.reset()
                try mapArticle.reset()
                try mapArticle.bind(article.articleID, at: 1)
                try mapArticle.bind(Int64(bitPattern: article.item.id.rawValue), at: 2)
                try mapArticle.bind(remoteFeed, at: 3)
                try mapArticle.bind(article.unread, at: 4)
                while try mapArticle.step() {}
                // A new article takes the server's flag; a known one only when the server's flag changed.
                guard before != article.unread else { continue }
                if try hasQueuedMark(article.articleID) {
                    applied.conflicts += 1
                    continue
                }
                try setLocal(post: Int64(bitPattern: article.item.id.rawValue), unread: article.unread)
            }
        }

        let updateServer = try database.prepare("UPDATE sync_article SET server_unread = ?2 WHERE article_id = ?1")
        for (article, unread) in batch.serverUnread.sorted(by: { $0.key < $1.key }) {
            try previous.reset()
            try previous.bind(article, at: 1)
            guard try previous.step() else { continue }
            let before = previous.int64(0) != 0
            let post = previous.int64(1)
            try previous.reset()
            guard before != unread else { continue }
            try updateServer.reset()
            try updateServer.bind(article, at: 1)
            try updateServer.bind(unread, at: 2)
            while try updateServer.step() {}
            if try hasQueuedMark(article) {
                applied.conflicts += 1
                continue
            }
            try setLocal(post: post, unread: unread)
        }
        for (article, unread) in batch.sent {
            try updateServer.reset()
            try updateServer.bind(article, at: 1)
            try updateServer.bind(unread, at: 2)
            while try updateServer.step() {}
        }
        let dequeue = try database.prepare("DELETE FROM sync_queue WHERE seq <= ?")
        try dequeue.bind(batch.dequeueThrough, at: 1)
        while try dequeue.step() {}

        let finish = try database.prepare("""
            UPDATE sync_server SET applying = 0, last_article_id = max(last_article_id, ?1), synced_at = ?2,
                attempted_at = ?2, error = NULL WHERE id = 1
            """)
        try finish.bind(batch.lastArticleID, at: 1)
        try finish.bind(now, at: 2)
        while try finish.step() {}
        return applied
    }

    private func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
    }
}
