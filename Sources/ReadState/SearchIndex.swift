// CONTRACT (issue 14): the full-text index of every post, SQLite FTS5 with Search's tokenizer, in its own file.
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

    /// Whether the system's SQLite has FTS5 (checked once). Without it the reader scans, and says so.
    public static var isAvailable: Bool { false }

    /// Said once after opening: the file was damaged or from another version, and starts empty again.
    public private(set) var notice: String?

    /// Opens (creating) the index at `path`. A file that is not a usable index of this version is moved aside
    /// (or deleted) and a new one created; `notice` says so. Throws only when nothing can be created there.
    public static func open(path: String, readOnly: Bool = false) throws -> SearchIndex {
        throw SearchIndexError.unavailable("CONTRACT stub: the search index is not built yet")
    }

    /// The versions recorded for every source completely indexed (key → source version).
    public func indexedSources() throws -> [String: String] { [:] }

    /// Which of `entries` (indices into it, ascending) are not indexed at their version for source `key` at
    /// `sourceVersion`; when the source's recorded version differs, all of them.
    public func pending(source key: String, version sourceVersion: String, entries: [Entry]) throws -> [Int] {
        Array(entries.indices)
    }

    /// Indexes `documents` of source `key` in one transaction, replacing older versions of the same posts; when
    /// the recorded source version differs from `sourceVersion`, first makes every document of the source stale.
    /// `complete`: this was the source's last batch, so its version is recorded.
    public func add(_ documents: [Document], source key: String, version sourceVersion: String, complete: Bool) throws {}

    /// Forgets the sources not in `keys` (their documents become stale): sources no longer opened are kept, so
    /// this is only for `gazette search --prune`-like maintenance and tests.
    public func forget(sourcesNotIn keys: Set<String>) throws {}

    /// The ids of the live posts whose text matches the FTS5 expression (as `SearchQuery.ftsExpression()`
    /// writes it). Throws `SearchIndexError.query` for an expression FTS5 refuses (never shown raw).
    public func postIDs(matching expression: String) throws -> [PostID] { [] }

    /// Stale entries are more than live ones (or the file was damaged): `rebuild()` before indexing more.
    public var needsRebuild: Bool { false }

    /// Empties the index (every source must be indexed again).
    public func rebuild() throws {}

    /// Bytes on disk (the database and its WAL).
    public func sizeOnDisk() -> Int64 { 0 }
}

/// Why a search through the index failed.
public enum SearchIndexError: Error, Equatable, CustomStringConvertible {
    /// FTS5 refused an expression (a bug in the query builder: the caller falls back to scanning).
    case query(String)
    /// The index file is damaged; it will be rebuilt.
    case damaged(String)
    /// No index can be used here (no FTS5 in the system's SQLite, or the file cannot be created): `message` says
    /// why, in words for the status line; searching scans instead.
    case unavailable(String)

    public var description: String {
        switch self {
        case .query(let message): "the search index could not run this query (\(message))"
        case .damaged(let message): "the search index is damaged (\(message)); it is being rebuilt"
        case .unavailable(let message): "no search index (\(message)); searching reads every post instead"
        }
    }
}
