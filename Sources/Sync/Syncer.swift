import Catalog
import Feeds
import Fetching
import Foundation
import Posts
import ReadState

/// Where a sync is (for a progress line or the reader's status bar).
public enum SyncProgress: Hashable, Sendable {
    case connecting
    case feeds
    /// Articles received so far.
    case articles(Int)
    /// Marks made on the server being looked up (feeds whose unread count changed).
    case serverMarks(feeds: Int)
    /// Marks made here being sent.
    case sendingMarks(Int)
    case applying
}

/// What one sync did.
public struct SyncReport: Hashable, Sendable {
    public var newArticles = 0
    public var changedArticles = 0
    public var feeds = 0
    /// Marks made here that the server took.
    public var marksSent = 0
    /// Marks made on the server applied here.
    public var marksApplied = 0
    /// Articles changed on both sides since the last sync: the mark made here won (see `Syncer`).
    public var conflicts = 0
    public var requests = 0
    public init() {}
}

/// Syncs a store with a Tiny Tiny RSS account, on the caller's thread (run it in the background: reading never
/// waits for it), reporting progress.
///
/// - Feeds become rows of the item store with the URL `ttrss:ID@SERVER` (never fetched over HTTP by `gazette
///   fetch`, which fetches only the urls file's subscriptions) and the server's title; categories become their
///   tags (`SyncStore.syncedFeeds`). Articles are stored as items (HTML content, author, date, link, tags and
///   attachments), shown through the same sanitizer and renderer as fetched feeds; every article is kept.
/// - Incremental: articles after the highest id stored (`since_id`), paged 200 at a time, two pages at once.
/// - Marks made on the server: `getCounters` (one cheap request) gives each feed's unread count; only feeds whose
///   count differs from what the store knows of the server are asked for their unread ids.
/// - Marks made here: queued in the store by triggers (whoever marks, including undo), sent in order (per
///   article the last change counts) with `updateArticle`, up to 2,000 ids a request, and dequeued only in the
///   transaction that applies the sync, after the server said OK. Offline, they stay queued.
/// - Both sides changed one article since the last sync: the API tells no time for a mark made on the server,
///   only that it happened after the last sync; a mark made here since then and still queued is dated, so it is
///   taken as the later change and wins (it is sent; the server's is not applied).
/// - Nothing is applied half-way: everything is asked first, then marks are sent, then the store takes it all in
///   one transaction; a failure before that leaves the store as it was (and the failure in `--status`).
public final class Syncer: @unchecked Sendable {
    public let storePath: String
    public let client: TTRSSClient
    private let pageSize = 200

    public init(storePath: String, account: TTRSSAccount, options: FetchOptions = TTRSSClient.defaultOptions) {
        self.storePath = storePath
        client = TTRSSClient(account: account, options: options)
    }

    /// Stops a sync under way soon (thread-safe); it then throws `.cancelled` and changes nothing.
    public func cancel() { client.cancel() }

    /// The store's sync status, or nil when it never synced.
    public static func status(storePath: String) throws(SyncError) -> SyncStatus? {
        guard FileManager.default.fileExists(atPath: storePath) else { return nil }
        do {
            return try SyncStore(path: storePath).status()
        } catch {
            throw .store("\(error)")
        }
    }

    public func sync(now: () -> Date = Date.init, progress: (SyncProgress) -> Void = { _ in }) throws(SyncError) -> SyncReport {
        let store: SyncStore
        do {
            store = try SyncStore(path: storePath)
            try store.follow(url: client.account.url, login: client.account.login)
        } catch {
            throw .store("\(error)")
        }
        do {
            return try run(store, now: now, progress: progress)
        } catch {
            try? store.recordFailure(error.description, at: now())
            throw error
        }
    }

    private func storeCall<T>(_ body: () throws -> T) throws(SyncError) -> T {
        do {
            return try body()
        } catch {
            throw .store("\(error)")
        }
    }

    private func run(_ store: SyncStore, now: () -> Date, progress: (SyncProgress) -> Void) throws(SyncError) -> SyncReport {
        progress(.connecting)
        try client.login()
        guard let status = try storeCall({ try store.status() }) else { throw .store("the sync's state is missing") }
        let queue = try storeCall { try store.queue() }
        let states = try storeCall { try store.articleStates() }

        progress(.feeds)
        let categories = try client.getCategories()
        let feeds = try client.getFeeds()
        let counters = try client.getCounters()

        // New articles, two pages at a time. The server orders by score and dates, never by id, and PostgreSQL
        // may order ties differently from one page to the next: rows seen twice mean others were missed, and
        // then each feed is asked on its own (fewer ties within one feed).
        var fresh: [Int64: TTRSSHeadline] = [:]
        var rows = 0
        func take(_ pages: [[TTRSSHeadline]]) {
            for page in pages {
                rows += page.count
                for headline in page where headline.id > status.lastArticleID && states[headline.id] == nil {
                    fresh[headline.id] = headline
                }
            }
            progress(.articles(fresh.count))
        }
        progress(.articles(0))
        try pageThrough({ skip in TTRSSClient.HeadlinesQuery(sinceID: status.lastArticleID, skip: skip, limit: pageSize) },
                        each: take)
        if fresh.count < rows {
            for feed in feeds {
                try pageThrough({ skip in
                    TTRSSClient.HeadlinesQuery(feedID: feed.id, sinceID: status.lastArticleID, skip: skip, limit: pageSize)
                }, each: take)
            }
        }

        // Marks made on the server: feeds whose unread count is not what the store knows.
        var expected: [Int64: Int64] = [:]
        for (_, state) in states where state.unread { expected[state.feed, default: 0] += 1 }
        for (_, headline) in fresh where headline.unread { expected[headline.feedID, default: 0] += 1 }
        var actual: [Int64: Int64] = [:]
        for counter in counters { if let feed = counter.feedID { actual[feed] = counter.counter } }
        let changedFeeds = Set(expected.keys).union(actual.keys).filter { expected[$0, default: 0] != actual[$0, default: 0] }
            .sorted()
        var serverUnread: [Int64: Bool] = [:]
        if !changedFeeds.isEmpty {
            progress(.serverMarks(feeds: changedFeeds.count))
            var byFeed: [Int64: [Int64]] = [:]
            for (article, state) in states { byFeed[state.feed, default: []].append(article) }
            for feed in changedFeeds {
                let unread = try unreadIDs(feed: feed)
                for article in byFeed[feed] ?? [] { serverUnread[article] = unread.contains(article) }
            }
        }

        // Marks made here: the last change of each article, in the order they were made.
        var desired: [Int64: Bool] = [:]  // article → unread wanted
        var order: [Int64] = []
        for entry in queue {
            if desired.updateValue(!entry.read, forKey: entry.articleID) == nil { order.append(entry.articleID) }
        }
        var report = SyncReport()
        var toRead: [Int64] = []
        var toUnread: [Int64] = []
        for article in order {
            guard let unread = desired[article] else { continue }
            let server = serverUnread[article] ?? fresh[article]?.unread ?? states[article]?.unread
            guard let server, server != unread else { continue }
            if unread { toUnread.append(article) } else { toRead.append(article) }
        }
        var sent: [Int64: Bool] = [:]
        if !toRead.isEmpty || !toUnread.isEmpty {
            progress(.sendingMarks(toRead.count + toUnread.count))
            try client.setUnread(toRead, unread: false)
            try client.setUnread(toUnread, unread: true)
            for article in toRead { sent[article] = false }
            for article in toUnread { sent[article] = true }
        }

        // Everything in one transaction.
        progress(.applying)
        let at = now()
        var batch = SyncBatch(at: at)
        batch.categories = Dictionary(categories.filter { $0.id > 0 }.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        batch.feeds = feeds.map { SyncBatch.Feed(remoteID: $0.id, title: $0.title, feedURL: $0.feedURL, categoryID: $0.categoryID) }
        let identity = FeedInfo(format: .jsonFeed11, selfLink: "ttrss:" + client.account.url)
        batch.articles = fresh.values.sorted { $0.id < $1.id }.map { headline in
            SyncBatch.Article(articleID: headline.id, remoteFeedID: headline.feedID, feedTitle: headline.feedTitle,
                              unread: sent[headline.id] ?? headline.unread, item: Self.item(headline, in: identity))
        }
        for (article, unread) in serverUnread where states[article]?.unread != unread { batch.serverUnread[article] = unread }
        batch.sent = sent
        batch.dequeueThrough = queue.last?.seq ?? 0
        batch.lastArticleID = max(status.lastArticleID, fresh.keys.max() ?? 0)
        let applied = try storeCall { try store.apply(batch) }

        report.newArticles = applied.newItems
        report.changedArticles = applied.changedItems
        report.feeds = feeds.count
        report.marksSent = sent.count
        report.marksApplied = applied.marksApplied
        report.conflicts = applied.conflicts
        report.requests = client.requestCount
        return report
    }

    /// Pages of a query, two at a time, until a page comes back short.
    private func pageThrough(_ query: (Int) -> TTRSSClient.HeadlinesQuery,
                             each: ([[TTRSSHeadline]]) -> Void) throws(SyncError) {
        var skip = 0
        while true {
            let pages = try client.getHeadlines([query(skip), query(skip + pageSize)])
            each(pages)
            if pages.contains(where: { $0.count < pageSize }) { return }
            skip += 2 * pageSize
        }
    }

    /// The ids of a feed's unread articles on the server (no content: cheap pages).
    private func unreadIDs(feed: Int64) throws(SyncError) -> Set<Int64> {
        var ids = Set<Int64>()
        try pageThrough { skip in
            TTRSSClient.HeadlinesQuery(feedID: feed, skip: skip, limit: pageSize, unreadOnly: true, withContent: false)
        } each: { pages in
            for page in pages { for headline in page { ids.insert(headline.id) } }
        }
        return ids
    }

    /// An article as the store keeps a fetched feed's item. Its post id: the feed-item rule with the server as the
    /// feed's identity and the article id as the guid, so every store syncing the same server agrees.
    static func item(_ headline: TTRSSHeadline, in identity: FeedInfo) -> StoredItem {
        let feedItem = FeedItem(guid: "ttrss:\(headline.id)", title: headline.title, link: headline.link,
                                authors: headline.author.map { [$0] } ?? [],
                                published: headline.updated.map(FeedTimestamp.init(secondsSince1970:)),
                                categories: headline.tags,
                                enclosures: headline.attachments.map { PostEnclosure(url: $0.url, type: $0.type) },
                                content: headline.content ?? "", contentType: .html, contentBase: headline.link)
        return StoredItemCodec.storedItem(feedItem, id: postID(for: feedItem, in: identity))
    }
}
