import ReadState

/// A feed as newsboat's `cache.db` keeps it (`rss_feed`).
public struct NewsboatFeed: Hashable, Sendable {
    /// `rssurl`: the URL of the urls file, newsboat's key for the feed.
    public var rssURL: String
    /// `url`: the site's link, as the feed gave it.
    public var siteLink: String
    public var title: String

    public init(rssURL: String, siteLink: String = "", title: String = "") {
        self.rssURL = rssURL
        self.siteLink = siteLink
        self.title = title
    }
}

/// An item as newsboat's `cache.db` keeps it (`rss_item`). Newsboat keeps an item after it has left its feed.
public struct NewsboatItem: Hashable, Sendable {
    /// newsboat's key for the item: the feed's guid, else its link, else its title.
    public var guid: String
    public var title: String
    public var author: String
    /// `url`: the item's link.
    public var link: String
    /// `feedurl`: its feed's `rssurl`.
    public var feedURL: String
    /// Seconds since 1970 (newsboat puts the time of the reload there when the item has no date).
    public var pubDate: Int64
    /// HTML.
    public var content: String
    public var unread: Bool
    public var enclosureURL: String
    public var enclosureType: String
    /// `xml:base` of the content, when the feed had one.
    public var base: String
    /// Deleted in newsboat (hidden there, purged later).
    public var deleted: Bool

    public init(guid: String, title: String = "", author: String = "", link: String = "", feedURL: String,
                pubDate: Int64 = 0, content: String = "", unread: Bool = true, enclosureURL: String = "",
                enclosureType: String = "", base: String = "", deleted: Bool = false) {
        self.guid = guid
        self.title = title
        self.author = author
        self.link = link
        self.feedURL = feedURL
        self.pubDate = pubDate
        self.content = content
        self.unread = unread
        self.enclosureURL = enclosureURL
        self.enclosureType = enclosureType
        self.base = base
        self.deleted = deleted
    }
}

/// Why newsboat's cache could not be read: one line, and what to do about it.
public struct NewsboatError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The folder, the urls file or the cache is not there.
        case missing
        /// Not the tables and columns of a newsboat cache (another program's file, or a newsboat far from 2.x).
        case unknownSchema
        /// newsboat (or something else) kept it locked longer than the busy timeout.
        case locked
        /// Not an SQLite file, or a damaged one.
        case corrupt
        /// It cannot be read (permissions, an unfinished write, an I/O error).
        case unreadable
    }

    public var kind: Kind
    public var problem: String
    public var advice: String

    public init(kind: Kind, problem: String, advice: String) {
        self.kind = kind
        self.problem = problem
        self.advice = advice
    }

    public var description: String { "\(problem) (\(advice))" }
}

/// newsboat's `cache.db`, read in one snapshot without writing to it (newsboat may be running).
///
/// The snapshot holds a shared lock while the rows are read (everything at once, into memory: a fraction of a
/// second for thousands of items). newsboat sets no busy timeout, so a reload that commits in that moment may fail
/// that write (SQLITE_BUSY; not verified what newsboat shows then); the import itself never waits on newsboat for more
/// than the busy timeout.
///
/// Known layout (newsboat 2.x, schema 2.11 in its `metadata` table; older caches have no `metadata`):
/// `rss_feed(rssurl, url, title, lastmodified, is_rtl, etag)` and `rss_item(id, guid, title, author, url, feedurl,
/// pubDate, content, unread, enclosure_url, enclosure_type, enqueued, flags, deleted, base)`. The columns in
/// `required` must be there; `enclosure_url`, `enclosure_type`, `base` and `deleted` (added by later newsboats)
/// are read when they are. `lastmodified` and `etag` are not read at all: see `NewsboatMigration`.
public struct NewsboatCache: Hashable, Sendable {
    public var feeds: [NewsboatFeed]
    /// In newsboat's own order (`id`: the order it stored them).
    public var items: [NewsboatItem]

    public init(feeds: [NewsboatFeed], items: [NewsboatItem]) {
        self.feeds = feeds
        self.items = items
    }

    /// The tables and columns without which the file is not a newsboat cache Gazette can read.
    public static let required: [(table: String, columns: [String])] = [
        ("rss_feed", ["rssurl", "url", "title"]),
        ("rss_item", ["guid", "title", "author", "url", "feedurl", "pubDate", "content", "unread"]),
    ]

    /// Reads the cache at `path`. `busyTimeout`: how long to wait for newsboat's lock (milliseconds) before
    /// giving up with `.locked`.
    public static func read(path: String, busyTimeout: Int32 = 5000) throws(NewsboatError) -> NewsboatCache {
        do {
            let database = try ForeignDatabase(path: path, busyTimeout: busyTimeout)
            return try database.snapshot { try read(database) }
        } catch let error as NewsboatError {
            throw error
        } catch let error as ForeignDatabaseError {
            throw translate(error)
        } catch {
            throw NewsboatError(kind: .unreadable, problem: "cannot read newsboat's cache \(path): \(error)",
                                advice: "is it newsboat's cache.db?")
        }
    }

    private static func read(_ database: ForeignDatabase) throws -> NewsboatCache {
        let tables = try database.tables()
        var missing: [String] = []
        var columns: [String: Set<String>] = [:]
        for (table, needed) in required {
            guard tables.contains(table) else {
                missing.append("table \(table)")
                continue
            }
            let present = try database.columns(of: table)
            columns[table] = present
            missing += needed.filter { !present.contains($0) }.map { "column \(table).\($0)" }
        }
        if !missing.isEmpty {
            throw NewsboatError(
                kind: .unknownSchema,
                problem: "\(database.path) is not a newsboat cache Gazette knows: no \(missing.joined(separator: ", no "))",
                advice: "Gazette reads the cache of newsboat 2.x; is it newsboat's cache.db?")
        }
        var feeds: [NewsboatFeed] = []
        try database.query("SELECT rssurl, url, title FROM rss_feed") { row in
            feeds.append(NewsboatFeed(rssURL: row.text(0) ?? "", siteLink: row.text(1) ?? "", title: row.text(2) ?? ""))
        }
        let itemColumns = columns["rss_item"] ?? []
        func optional(_ name: String, _ fallback: String) -> String { itemColumns.contains(name) ? name : fallback }
        let order = itemColumns.contains("id") ? "ORDER BY id" : ""
        var items: [NewsboatItem] = []
        try database.query("""
            SELECT guid, title, author, url, feedurl, pubDate, content, unread, \(optional("enclosure_url", "NULL")),
                \(optional("enclosure_type", "NULL")), \(optional("base", "NULL")), \(optional("deleted", "0"))
            FROM rss_item \(order)
            """) { row in
            items.append(NewsboatItem(
                guid: row.text(0) ?? "", title: row.text(1) ?? "", author: row.text(2) ?? "", link: row.text(3) ?? "",
                feedURL: row.text(4) ?? "", pubDate: row.integer(5) ?? 0, content: row.text(6) ?? "",
                // newsboat reads `unread` as "is it the text 1" (`"1" == argv[6]`).
                unread: row.integer(7) == 1, enclosureURL: row.text(8) ?? "", enclosureType: row.text(9) ?? "",
                base: row.text(10) ?? "", deleted: (row.integer(11) ?? 0) != 0))
        }
        return NewsboatCache(feeds: feeds, items: items)
    }

    static func translate(_ error: ForeignDatabaseError) -> NewsboatError {
        let path = error.path
        switch error.kind {
        case .missing:
            return NewsboatError(kind: .missing, problem: "there is no newsboat cache at \(path)",
                                 advice: "pass the folder that holds newsboat's urls and cache.db")
        case .locked:
            return NewsboatError(kind: .locked, problem: "newsboat's cache \(path) stayed locked by another program",
                                 advice: "newsboat is probably reloading: try again when it is done")
        case .corrupt:
            return NewsboatError(kind: .corrupt, problem: "newsboat's cache \(path) is damaged or not SQLite: \(error.detail)",
                                 advice: "nothing was imported; newsboat itself may repair it, or import an older copy")
        case .unfinishedWrite:
            return NewsboatError(kind: .unreadable, problem: "newsboat's cache \(path) has an unfinished write (a hot journal)",
                                 advice: "start and quit newsboat once so that it finishes it, then import again")
        case .cannotOpen, .other:
            return NewsboatError(kind: .unreadable, problem: "cannot read newsboat's cache \(path): \(error.detail)",
                                 advice: "check the file's permissions (and, for a WAL database, its -shm and -wal files)")
        }
    }
}
