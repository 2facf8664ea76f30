// CONTRACT (issue 14): the full-text index of every post, SQLite FTS5 with Search's tokenizer, in its own file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Posts
import Search

/// The search index: FTS5 (columns `title`, `author`, `body`; contentless, so it is smaller than the text) in its
/// own SQLite file beside the store (`search.sqlite`): a damaged or outdated index is thrown away and rebuilt
/// without ever touching the read marks, and its long writes never hold the marks' write lock.
///
/// Sources (an archive file, a feed file, a subscription) are indexed by key with a version (an archive: its file
/// identity, so a changed file is indexed again; a subscription: a constant, each item carrying its own version,
/// the time its content changed). Re-indexing a post leaves its old entries in FTS5 as stale (a contentless table
/// cannot delete without the old text); they never come back from `postIDs(matching:)`, and the index rebuilds
/// itself when stale entries are many (`needsRebuild`).
///
/// One instance per thread (a writer in the background indexer, a reader in the search worker); WAL lets them
/// work at once.
public final class SearchIndex: @unchecked Sendable {
    /// A post to index: its id, and the version of its text (0 for archive posts).
    public struct Entry: Hashable, Sendable {
        public var id: PostID
        public var version: Int64

        public init(id: PostID, version: Int64 = 0) {
            self.id = id
            self.version = version
        }
    }

    /// A post's text as indexed.
    public struct Document: Sendable {
        public var id: PostID
        public var version: Int64
        public var title: String
        public var author: String
        public var body: String

        public init(id: PostID, version: Int64 = 0, title: String, author: String, body: String) {
            self.id = id
            self.version = version
            self.title = title
            self.author = author
            self.body = body
        }
    }

    /// The index file's name, beside the state database.
    public static let fileName = "search.sqlite"

    /// The index beside the state database at `location` (`$XDG_DATA_HOME/gazette/search.sqlite` by default).
    public static func path(beside location: StoreLocation) -> String { location.directory + "/" + fileName }

    /// Whether the system's SQLite has FTS5 (checked once). Without it the reader scans, and says so.
    public static var isAvailable: Bool { fts5Available }

    /// Said once after opening: the file was damaged or from another version, and starts empty again.
    public internal(set) var notice: String?

    /// The index file.
    public let path: String

    /// Opened with `readOnly`: searches only.
    public let isReadOnly: Bool

    var connection: SearchConnection
    /// Prepared statements by SQL, dropped when the file is replaced.
    var statements: [String: SearchStatement] = [:]
    /// SQLite reported damage while the index was in use: `needsRebuild`.
    var damaged = false
    /// This instance wrote without syncing: its marker file exists (`beginWriting()`).
    var isWriting = false

    // What queries need besides FTS5: for each docid (FTS5 rowid, 1, 2, 3, ... in the order entries were
    // written), its post and whether it is live. Brought up to date when another connection wrote
    // (`PRAGMA data_version`) or this one did, by reading only the `docs` and `stale` rows added since.
    var cacheLoaded = false
    var cacheDataVersion: Int64 = 0
    var cacheEpoch = ""
    /// The post id of docid `n` at `n - 1`, and whether that entry is live.
    var docPosts: [UInt64] = []
    var docLive: [Bool] = []
    /// The last `stale` row applied.
    var staleSequence: Int64 = 0
    var liveCount = 0
    var staleCount = 0

    private init(path: String, readOnly: Bool, connection: SearchConnection) {
        self.path = path
        self.isReadOnly = readOnly
        self.connection = connection
    }

    deinit { endWriting() }

    /// Opens (creating) the index at `path`. A file that is not a usable index of this version is moved aside
    /// (or deleted) and a new one created; `notice` says so. Throws only when nothing can be created there.
    ///
    /// A file that is not a database, a damaged or truncated one, another program's database, or an index of
    /// another schema or tokenizer version is emptied in place (SQLite's reset, so that another connection to it
    /// sees the empty index) or, when that fails, deleted with its `-wal` and `-shm` and created again.
    /// `readOnly`: nothing is created or replaced; a missing or unusable file throws.
    public static func open(path: String, readOnly: Bool = false) throws -> SearchIndex {
        guard isAvailable else { throw SearchIndexError.unavailable("this system's SQLite has no FTS5") }
        try prepareFile(path, readOnly: readOnly)
        let connection: SearchConnection
        do {
            connection = try SearchConnection(path: path, readOnly: readOnly)
        } catch let error as SQLiteError {
            throw SearchIndexError.unavailable("cannot open \(path): \(error.message)")
        }
        let index = SearchIndex(path: path, readOnly: readOnly, connection: connection)
        try index.setUp()
        return index
    }

    /// The versions recorded for every source completely indexed (key → source version).
    public func indexedSources() throws -> [String: String] {
        try guarded {
            let select = try statement("SELECT key, version FROM sources WHERE complete = 1")
            select.reset()
            defer { select.reset() }
            var result: [String: String] = [:]
            while try select.step() { result[select.text(0) ?? ""] = select.text(1) ?? "" }
            return result
        }
    }

    /// Which of `entries` (indices into it, ascending) are not indexed at their version for source `key` at
    /// `sourceVersion`; when the source's recorded version differs, all of them.
    public func pending(source key: String, version sourceVersion: String, entries: [Entry]) throws -> [Int] {
        try guarded {
            try connection.readTransaction {
                guard let (source, recorded) = try sourceRow(key), recorded == sourceVersion else {
                    return Array(entries.indices)
                }
                // The source's posts indexed under its current version, with their versions: one range scan.
                let select = try statement("""
                    SELECT member.id, posts.version FROM member JOIN posts ON posts.id = member.id
                    WHERE member.sid = ?1 AND member.current = 1
                    """)
                select.reset()
                defer { select.reset() }
                try select.bind(source, at: 1)
                var indexed: [Int64: Int64] = [:]
                while try select.step() { indexed[select.int64(0)] = select.int64(1) }
                return entries.indices.filter { indexed[Int64(bitPattern: entries[$0].id.rawValue)] != entries[$0].version }
            }
        }
    }

    /// Indexes `documents` of source `key` in one transaction, replacing older versions of the same posts; when
    /// the recorded source version differs from `sourceVersion`, first makes every document of the source stale.
    /// `complete`: this was the source's last batch, so its version is recorded.
    ///
    /// A new source version marks the source's posts as indexed under an old version: they still match until
    /// they are indexed again (each then gets a new entry, its old one stale) or, for those the new version no
    /// longer has, until the batch that is `complete` (then they are stale unless another source has them).
    /// A post already indexed at the same version through another source is not indexed twice.
    ///
    /// Batches of about 2,000 posts (a few MB of text) build fastest: each transaction ends with at least one new
    /// FTS5 segment, and merging small segments is most of the cost of building. After a long build, `optimize()`
    /// and `syncToDisk()`.
    public func add(_ documents: [Document], source key: String, version sourceVersion: String, complete: Bool) throws {
        try requireWritable()
        try guarded {
            defer { cacheLoaded = false }
            try connection.writeTransaction {
                let source = try beginSource(key, version: sourceVersion)
                var docid = try nextDocid()
                for document in documents { try index(document, source: source, docid: &docid) }
                if complete { try completeSource(source) }
            }
        }
    }

    /// Forgets the sources not in `keys` (their documents become stale): sources no longer opened are kept, so
    /// this is only for `gazette search --prune`-like maintenance and tests.
    public func forget(sourcesNotIn keys: Set<String>) throws {
        try requireWritable()
        try guarded {
            defer { cacheLoaded = false }
            try connection.writeTransaction {
                let select = try statement("SELECT sid, key FROM sources")
                select.reset()
                var gone: [Int64] = []
                while try select.step() {
                    if !keys.contains(select.text(1) ?? "") { gone.append(select.int64(0)) }
                }
                select.reset()
                for source in gone {
                    try dropMembers(of: source, onlyOld: false)
                    try statement("DELETE FROM sources WHERE sid = ?1").run(source)
                }
            }
        }
    }

    /// The ids of the live posts whose text matches the FTS5 expression (as `SearchQuery.ftsExpression()`
    /// writes it). Throws `SearchIndexError.query` for an expression FTS5 refuses (never shown raw).
    ///
    /// Each id once, in no particular order (the index's).
    public func postIDs(matching expression: String) throws -> [PostID] {
        try guarded {
            try connection.readTransaction {
                try refreshCache()
                let select = try statement("SELECT rowid FROM text WHERE text MATCH ?1")
                select.reset()
                defer { select.reset() }
                try select.bind(expression, at: 1)
                var result: [PostID] = []
                do {
                    while try select.step() {
                        let slot = Int(truncatingIfNeeded: select.int64(0)) &- 1
                        guard slot >= 0 && slot < docLive.count && docLive[slot] else { continue }
                        result.append(PostID(rawValue: docPosts[slot]))
                    }
                } catch let error as SQLiteError where !Self.isDamage(error) && !Self.isResourceProblem(error) {
                    throw SearchIndexError.query(Self.oneLine(error.message))
                }
                return result
            }
        }
    }

    /// Stale entries are more than live ones (or the file was damaged): `rebuild()` before indexing more.
    public var needsRebuild: Bool {
        if damaged { return true }
        do {
            try guarded { try connection.readTransaction { try refreshCache() } }
        } catch {
            return damaged
        }
        return staleCount > liveCount
    }

    /// Counts, for the status line and tests: posts that match (`live`), entries that never will again (`stale`).
    public func counts() throws -> (live: Int, stale: Int) {
        try guarded {
            try connection.readTransaction {
                try refreshCache()
                return (liveCount, staleCount)
            }
        }
    }

    /// Empties the index (every source must be indexed again).
    ///
    /// FTS5's `delete-all` and emptied tables, in one transaction; a damaged file is emptied with SQLite's reset
    /// instead (or deleted and created again).
    public func rebuild() throws {
        try requireWritable()
        defer { cacheLoaded = false }
        if !damaged {
            do {
                try connection.writeTransaction {
                    try connection.execute("""
                        INSERT INTO text(text) VALUES('delete-all');
                        DELETE FROM member; DELETE FROM posts; DELETE FROM docs; DELETE FROM stale; DELETE FROM sources;
                        """)
                    try setEpoch()
                }
                return
            } catch let error as SQLiteError where Self.isResourceProblem(error) {
                throw indexError(error)
            } catch {
                // Damaged beyond what SQL can empty: reset the file below.
            }
        }
        do {
            try replaceFile()
            try configure()
            try createSchema()
            damaged = false
        } catch let error as SQLiteError {
            throw SearchIndexError.unavailable("cannot empty \(path): \(error.message)")
        }
    }

    /// Merges FTS5's segments into one: a smaller file and faster queries. For the end of a long build (it
    /// rewrites the whole index: about a second per 10,000 posts).
    public func optimize() throws {
        try requireWritable()
        try guarded {
            try connection.writeTransaction { try connection.execute("INSERT INTO text(text) VALUES('optimize')") }
            _ = try? connection.scalarInt("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// Stops the query running on this instance now, from any thread (`sqlite3_interrupt`): it throws
    /// `SearchIndexError.interrupted`. For a search that a newer keystroke made useless.
    public func interrupt() { connection.interrupt() }

    /// Holds SQLite's page cache for this connection to `kilobytes` (16 MB by default: the fastest builds). The
    /// reader builds in the background with less, so that indexing does not make it a heavy program.
    public func limitCache(kilobytes: Int) {
        try? connection.execute("PRAGMA cache_size = -\(max(256, kilobytes))")
    }

    /// Puts this instance's writes on the disk (they are not synced as they are made: the index is a cache) and
    /// removes the marker that would make the next start after a system crash rebuild the index. For the end of
    /// an indexing pass and before the program ends; writing again is fine. Also done when the instance is freed.
    public func syncToDisk() {
        endWriting()
    }

    /// Bytes on disk (the database and its WAL).
    public func sizeOnDisk() -> Int64 {
        func size(_ path: String) -> Int64 {
            var info = stat()
            return stat(path, &info) == 0 ? Int64(info.st_size) : 0
        }
        return size(path) + size(path + "-wal")
    }

}

/// Why a search through the index failed.
public enum SearchIndexError: Error, Equatable, CustomStringConvertible {
    /// FTS5 refused an expression (a bug in the query builder: the caller falls back to scanning).
    case query(String)
    /// The index file is damaged; it will be rebuilt.
    case damaged(String)
    /// `interrupt()` stopped the query (a newer one is wanted).
    case interrupted
    /// No index can be used here (no FTS5 in the system's SQLite, or the file cannot be created): `message` says
    /// why, in words for the status line; searching scans instead.
    case unavailable(String)

    public var description: String {
        switch self {
        case .query(let message): "the search index could not run this query (\(message))"
        case .damaged(let message): "the search index is damaged (\(message)); it is being rebuilt"
        case .interrupted: "the search was interrupted"
        case .unavailable(let message): "no search index (\(message)); searching reads every post instead"
        }
    }
}
