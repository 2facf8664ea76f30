import Catalog
import Feeds
import Foundation
import Posts
import ReadState
import Subscriptions

/// A line of newsboat's urls file that is not imported.
public struct NewsboatSkippedLine: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case query = "query feed"
        case exec = "exec feed"
        case filter = "filter feed"
        case file = "file URL"
        case duplicate = "duplicate line"
        case other = "unusable line"
    }

    public var kind: Kind
    /// 1-based line in newsboat's urls file.
    public var line: Int
    /// `UrlsFile`'s message for it.
    public var message: String

    public init(kind: Kind, line: Int, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }
}

/// One subscription's items, ready for the item store.
public struct NewsboatPlannedFeed: Hashable, Sendable {
    public var url: String
    public var items: [StoredItem]
    /// newsboat's title and site link for it (empty when it has none): shown until Gazette's first fetch.
    public var title: String = ""
    public var siteLink: String = ""
}

/// What importing newsboat changes (or, in a dry run, would change) in Gazette. Made by `NewsboatMigration.plan`
/// without writing anything; `NewsboatMigration.apply` and `addSubscriptions` carry it out.
public struct NewsboatImportPlan: Hashable, Sendable {
    /// Every subscription of newsboat's urls file Gazette can take (http and https URLs), in its order.
    public var subscriptions: [Subscription] = []
    /// How many of them Gazette's urls file already has (they are left as they are).
    public var alreadySubscribed = 0
    public var skippedLines: [NewsboatSkippedLine] = []
    /// The subscriptions' stored items, by subscription (those without items too).
    public var feeds: [NewsboatPlannedFeed] = []
    /// Items imported (newsboat's, of the imported subscriptions, not deleted there), and of those already in
    /// Gazette's item store.
    public var itemCount = 0
    public var itemsAlreadyStored = 0
    /// Items read in newsboat, and of those already marked read in Gazette, or marked unread there on purpose
    /// (Gazette's own mark is kept).
    public var readCount = 0
    public var readAlreadyMarked = 0
    public var keptUnread = 0
    /// The read marks to set: items read in newsboat that have no mark in Gazette.
    public var readIDs: [PostID] = []
    /// Items newsboat deleted (hidden there): not imported.
    public var deletedItems = 0
    /// Items of feeds not imported (a skipped line, or a feed no longer in newsboat's urls file), and how many of
    /// them are unread (`newsboat -x print-unread` counts those too).
    public var otherItems = 0
    public var otherUnread = 0
    /// Whether there was a cache to read (a newsboat that never reloaded has none).
    public var hadCache = true

    public init() {}

    /// Whether applying it would change anything.
    public var changesSomething: Bool {
        subscriptions.count > alreadySubscribed || itemCount > itemsAlreadyStored || !readIDs.isEmpty
    }
}

/// Bringing a newsboat user's subscriptions, stored items and read marks into Gazette.
///
/// Post ids. An item gets the id Gazette gives it when it fetches the feed (`Feeds.postID`): the feed's identity
/// (its self link, else its Atom id, else its site link, else its title) and the item's guid. newsboat keeps the
/// item's guid (when the item had none: its link), the feed's URL (`rss_feed.rssurl`), site link and title, but
/// not the feed's self link nor its Atom id. The import takes the subscribed URL as the self link: most feeds
/// (WordPress, Atom blogs, YouTube, GitHub...) name themselves with the URL they are fetched from, and for those
/// Gazette's first fetch after the import finds the same ids, so the imported items and read marks are the
/// fetched ones, not duplicates. For a feed without a self link, or whose self link differs from the subscribed
/// URL (a redirect, http against https), or an item that had no guid (newsboat's guid is then its link, Gazette
/// keys it by its link as a link), the first fetch stores the items again under other ids: each one that is still
/// in the feed is then listed twice, the fetched copy unread. That is the limit of what newsboat keeps.
///
/// Validators. newsboat's `etag` and `lastmodified` are NOT copied: with them Gazette's first fetch would be a
/// 304 and never store the items under the ids Gazette computes from the feed itself (which is what settles the
/// case above), nor the feed's title and the extras newsboat does not keep (categories, several enclosures...).
/// The feed row gets no fetch record either (only newsboat's title and site link): a record would make `gazette fetch`
/// skip the feed as fetched moments ago.
///
/// Read marks: one `setRead` for every item read in newsboat that has no mark in Gazette (one undo group: `u`
/// in the reader takes the whole import back), dated at the import: newsboat does not keep when an item was read,
/// and the import is when Gazette learnt it. A mark Gazette already has is kept, read or unread.
public enum NewsboatMigration {
    /// The feed as `Feeds.postID` sees it (see above): the subscribed URL as its self link.
    public static func feedInfo(url: String, feed: NewsboatFeed?) -> FeedInfo {
        FeedInfo(format: .rss20, title: feed.map(\.title).flatMap(nonEmpty), siteLink: feed.map(\.siteLink).flatMap(nonEmpty),
                 selfLink: url)
    }

    /// The item as a feed reader would have given it to Gazette.
    public static func feedItem(_ item: NewsboatItem, feedURL: String) -> FeedItem {
        FeedItem(guid: nonEmpty(item.guid), title: item.title, link: nonEmpty(item.link),
                 authors: nonEmpty(item.author).map { [$0] } ?? [],
                 published: item.pubDate > 0 ? FeedTimestamp(secondsSince1970: item.pubDate) : nil,
                 enclosures: nonEmpty(item.enclosureURL).map { [Enclosure(url: $0, type: nonEmpty(item.enclosureType))] } ?? [],
                 content: item.content, contentType: .html, contentBase: nonEmpty(item.base) ?? feedURL)
    }

    /// The item as Gazette's item store keeps it, under the id a fetch gives it.
    public static func storedItem(_ item: NewsboatItem, feedURL: String, feed: NewsboatFeed?) -> StoredItem {
        let feedItem = feedItem(item, feedURL: feedURL)
        return StoredItemCodec.storedItem(feedItem, id: Feeds.postID(for: feedItem, in: feedInfo(url: feedURL, feed: feed)))
    }

    /// What importing changes. `urlsText`: newsboat's urls file; `cache`: its cache (`nil` when it has none);
    /// `gazetteURLs`: Gazette's urls file; `items` and `marks`: Gazette's stores when they exist (to count what is
    /// already there). Writes nothing.
    public static func plan(urlsText: String, cache: NewsboatCache?, gazetteURLs: UrlsFile, items: ItemStore?,
                            marks: (any ReadStateStore)?) throws -> NewsboatImportPlan {
        var plan = NewsboatImportPlan()
        plan.hadCache = cache != nil
        let newsboat = UrlsFile(text: urlsText)
        plan.subscriptions = newsboat.subscriptions
        let subscribed = Set(gazetteURLs.subscriptions.map(\.url))
        plan.alreadySubscribed = newsboat.subscriptions.filter { subscribed.contains($0.url) }.count
        let lines = urlsText.split(separator: "\n", omittingEmptySubsequences: false)
        plan.skippedLines = newsboat.problems.map { problem in
            let text = problem.line <= lines.count ? String(lines[problem.line - 1]) : ""
            return NewsboatSkippedLine(kind: kind(of: text, message: problem.message), line: problem.line,
                                       message: problem.message)
        }

        let cache = cache ?? NewsboatCache(feeds: [], items: [])
        let feedsByURL = Dictionary(cache.feeds.map { ($0.rssURL, $0) }, uniquingKeysWith: { a, _ in a })
        var itemsByFeed: [String: [NewsboatItem]] = [:]
        let imported = Set(newsboat.subscriptions.map(\.url))
        for item in cache.items {
            guard imported.contains(item.feedURL) else {
                plan.otherItems += 1
                if item.unread { plan.otherUnread += 1 }
                continue
            }
            if item.deleted {
                plan.deletedItems += 1
                continue
            }
            itemsByFeed[item.feedURL, default: []].append(item)
        }
        var planned = Set<PostID>()
        var readPlanned = Set<PostID>()
        for subscription in newsboat.subscriptions {
            let feed = feedsByURL[subscription.url]
            var stored: [StoredItem] = []
            for item in itemsByFeed[subscription.url] ?? [] {
                let storedItem = storedItem(item, feedURL: subscription.url, feed: feed)
                stored.append(storedItem)
                // Two newsboat items with one Gazette id (guids that differ only in surrounding spaces) are one post.
                guard planned.insert(storedItem.id).inserted else { continue }
                plan.itemCount += 1
                if try items?.item(storedItem.id) != nil { plan.itemsAlreadyStored += 1 }
                guard !item.unread, readPlanned.insert(storedItem.id).inserted else { continue }
                plan.readCount += 1
                switch try marks?.mark(of: storedItem.id) {
                case .some(let mark) where mark.isRead: plan.readAlreadyMarked += 1
                case .some: plan.keptUnread += 1
                case .none: plan.readIDs.append(storedItem.id)
                }
            }
            plan.feeds.append(NewsboatPlannedFeed(url: subscription.url, items: stored, title: feed?.title ?? "",
                                                  siteLink: feed?.siteLink ?? ""))
        }
        return plan
    }

    /// Stores the plan's items (one transaction per feed; items already stored are compared and left as they are)
    /// and sets its read marks in one call (one undo group). `now`: when the items are first seen, and the marks'
    /// time.
    public static func apply(_ plan: NewsboatImportPlan, items: ItemStore, marks: any ReadStateStore, now: Date) throws {
        for feed in plan.feeds {
            let feedID = try items.addFeed(url: feed.url)
            try items.describeFeed(id: feedID, title: feed.title.isEmpty ? nil : feed.title,
                                   siteLink: feed.siteLink.isEmpty ? nil : feed.siteLink)
            if !feed.items.isEmpty { _ = try items.upsert(feed.items, feedID: feedID, now: now) }
        }
        if !plan.readIDs.isEmpty { _ = try marks.setRead(plan.readIDs, read: true, at: now) }
    }

    /// Adds the plan's subscriptions Gazette's urls file does not have yet (with their tags and names); returns how
    /// many were added. Lines already there are left as they are.
    @discardableResult
    public static func addSubscriptions(_ plan: NewsboatImportPlan, to file: inout UrlsFile) -> Int {
        var added = 0
        for subscription in plan.subscriptions
        where file.add(url: subscription.url, tags: subscription.tags, name: subscription.name) {
            added += 1
        }
        return added
    }

    /// The summary line: `Imported from newsboat (DIR): 12 subscriptions (2 already there), 3,456 items, 3,001
    /// read; not imported: 1 query feed (urls:7)`; with `dryRun`, "Would import".
    public static func summary(_ plan: NewsboatImportPlan, from location: String, dryRun: Bool) -> String {
        var text = (dryRun ? "Would import" : "Imported") + " from newsboat (\(location)): "
        text += count(plan.subscriptions.count, "subscription")
        if plan.alreadySubscribed > 0 { text += " (\(number(plan.alreadySubscribed)) already there)" }
        if plan.hadCache {
            text += ", " + count(plan.itemCount, "item")
            if plan.itemsAlreadyStored > 0 { text += " (\(number(plan.itemsAlreadyStored)) already there)" }
            text += ", \(number(plan.readCount)) read"
            var notes: [String] = []
            if plan.readAlreadyMarked > 0 { notes.append("\(number(plan.readAlreadyMarked)) already marked") }
            if plan.keptUnread > 0 { notes.append("\(number(plan.keptUnread)) kept unread as marked in Gazette") }
            if !notes.isEmpty { text += " (" + notes.joined(separator: ", ") + ")" }
        } else {
            text += ", no cache.db (no items)"
        }
        var skipped: [String] = []
        for kind in NewsboatSkippedLine.Kind.allCases {
            let lines = plan.skippedLines.filter { $0.kind == kind }
            guard !lines.isEmpty else { continue }
            skipped.append(count(lines.count, kind.rawValue) + " (" + lines.map { "urls:\($0.line)" }.joined(separator: ", ") + ")")
        }
        if plan.deletedItems > 0 { skipped.append(count(plan.deletedItems, "item") + " deleted in newsboat") }
        if plan.otherItems > 0 {
            skipped.append(count(plan.otherItems, "item") + " of feeds not imported (\(number(plan.otherUnread)) unread)")
        }
        if !skipped.isEmpty { text += "; not imported: " + skipped.joined(separator: ", ") }
        return text
    }

    private static func kind(of line: String, message: String) -> NewsboatSkippedLine.Kind {
        if message.hasPrefix("duplicate") { return .duplicate }
        var url = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" })
        if url.first == "\"" { url = url.dropFirst() }
        let lower = url.prefix(7).lowercased()
        if lower.hasPrefix("query:") { return .query }
        if lower.hasPrefix("exec:") { return .exec }
        if lower.hasPrefix("filter:") { return .filter }
        if lower.hasPrefix("file:") { return .file }
        return .other
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(number(n)) \(noun)\(n == 1 ? "" : "s")"
    }

    /// `3456` as `3,456`.
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (n < 0 ? "-" : "") + result
    }

    private static func nonEmpty(_ text: String) -> String? {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : text
    }
}
