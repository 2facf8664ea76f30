#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

// The on-disk design of the search index (`search.sqlite`, WAL, synchronous=NORMAL):
//
//     text(title, author, body)  FTS5, contentless (content=''), detail=full, columnsize=0, tokenizer `gazette`.
//                                Its rowids (docids) are 1, 2, 3, ... in the order entries are written: FTS5
//                                delta-encodes them, and an ascending rowid never forces it to flush its
//                                in-memory terms early (post ids as rowids: random 64-bit values, made the index
//                                50% bigger than the text and the build four times slower)
//     docs(docid, id)            every FTS5 row: the post it was written for
//     stale(seq, docid)          FTS5 rows that must never match again, in the order they became stale (a
//                                contentless table cannot delete a row without its old text); `rebuild()` empties
//                                everything when they outnumber the live ones
//     posts(id, version, docid, refs)   every live post: the version and docid it is indexed at, how many sources
//                                       have it (the same archive opened twice is one document)
//     sources(sid, key, version, complete)   a source's recorded version; `complete` once its last batch is in
//     member(sid, id, current)   which posts each source has; `current` 0 for those indexed under the source's
//                                previous version (they still match until indexed again or dropped)
//     meta(key, value)           the tokenizer's version; the epoch (new at each rebuild, so that readers drop
//                                what they know of the docids)
//
// `application_id` is "GzSx", `user_version` the schema version: a file where either differs, or whose tokenizer
// version differs, is replaced by an empty index. Each connection keeps the docid → post map in memory (8 bytes and a
// flag per entry) and reads only the `docs` and `stale` rows added since it last looked.
extension SearchIndex {
    static let applicationID: Int32 = 0x477A_5378  // "GzSx"
    static let schemaVersion: Int64 = 1
    /// The version of `SearchTokenizer`'s output the index was built with: bump it when the tokenizer changes what
    /// it returns for any text, so that existing indexes are rebuilt.
    public static let tokenizerVersion = 1

    /// FTS5's page size for index segments (bytes), and how many segments of one level are merged at a time.
    /// Measured at 30,000 posts (98 MB): merging segments is most of the cost of building, so fewer, bigger
    /// level-0 segments (16 MB of pending terms; one per transaction at least) merged 16 at a time build 40%
    /// faster than FTS5's defaults (1 MB, 4, 16) for the same size once `optimize`d.
    static let ftsPageSize = 4050
    static let ftsHashSize = 16 << 20
    static let ftsAutomerge = 16
    static let ftsCrisisMerge = 32

    static let fts5Available: Bool = {
        do {
            let connection = try SearchConnection(path: ":memory:", readOnly: false)
            try connection.execute("CREATE VIRTUAL TABLE temp.probe USING fts5(x, tokenize='gazette')")
            return true
        } catch {
            return false
        }
    }()

    private static let schema = """
        PRAGMA application_id = \(applicationID);
        PRAGMA user_version = \(schemaVersion);
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO meta(key, value) VALUES('tokenizer', '\(tokenizerVersion)');
        CREATE TABLE sources(sid INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, version TEXT NOT NULL,
                             complete INTEGER NOT NULL);
        CREATE TABLE posts(id INTEGER PRIMARY KEY, version INTEGER NOT NULL, docid INTEGER NOT NULL,
                           refs INTEGER NOT NULL);
        CREATE TABLE docs(docid INTEGER PRIMARY KEY, id INTEGER NOT NULL);
        CREATE TABLE stale(seq INTEGER PRIMARY KEY, docid INTEGER NOT NULL);
        CREATE TABLE member(sid INTEGER NOT NULL, id INTEGER NOT NULL, current INTEGER NOT NULL,
                            PRIMARY KEY(sid, id)) WITHOUT ROWID;
        CREATE VIRTUAL TABLE text USING fts5(title, author, body, content='', detail=full, columnsize=0,
                                             tokenize='\(SearchTokenizerModule.name)');
        INSERT INTO text(text, rank) VALUES('pgsz', \(ftsPageSize));
        INSERT INTO text(text, rank) VALUES('hashsize', \(ftsHashSize));
        INSERT INTO text(text, rank) VALUES('automerge', \(ftsAutomerge));
        INSERT INTO text(text, rank) VALUES('crisismerge', \(ftsCrisisMerge));
        """

    // MARK: Opening

    /// Refuses a directory; creates a missing file with mode 0600 (the index holds the posts' words).
    static func prepareFile(_ path: String, readOnly: Bool) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { throw SearchIndexError.unavailable("\(path) is a directory") }
            return
        }
        guard errno == ENOENT else { throw SearchIndexError.unavailable("cannot open \(path): \(systemError())") }
        if readOnly { throw SearchIndexError.unavailable("\(path) does not exist") }
        if !createFile(path, mode: 0o600) && errno != EEXIST {
            throw SearchIndexError.unavailable("cannot create \(path): \(systemError())")
        }
    }

    private enum Inspection {
        case ready
        case empty
        case replace(String)
    }

    /// Checks the file, creates the schema in an empty one, replaces an unusable one (once in place, then by
    /// deleting it), and loads the cache.
    func setUp() throws {
        var replacements = 0
        var reason: String?
        for _ in 0..<6 {
            var inspection: Inspection
            do {
                inspection = try inspect()
                if case .ready = inspection {
                    try configure()
                    try connection.readTransaction { try refreshCache() }
                }
            } catch let error as SQLiteError where Self.isResourceProblem(error) {
                throw SearchIndexError.unavailable("cannot use \(path): \(error.message)")
            } catch {
                inspection = .replace("was damaged")
            }
            switch inspection {
            case .ready:
                if let reason { notice = "The search index \(reason): a new, empty one replaces it." }
                return
            case .empty:
                if isReadOnly { throw SearchIndexError.unavailable("\(path) is not a search index yet") }
                do {
                    try beginWriting()
                    try configure()
                    try createSchema()
                } catch let error as SQLiteError {
                    throw SearchIndexError.unavailable("cannot create the index in \(path): \(error.message)")
                }
            case .replace(let why):
                if isReadOnly { throw SearchIndexError.damaged("\(path) \(why)") }
                guard replacements < 2 else {
                    throw SearchIndexError.unavailable("\(path) \(why) and cannot be replaced")
                }
                reason = reason ?? why
                do {
                    try replaceFile(inPlace: replacements == 0)
                } catch let error as SQLiteError {
                    throw SearchIndexError.unavailable("cannot replace \(path): \(error.message)")
                }
                replacements += 1
            }
        }
        throw SearchIndexError.unavailable("cannot set up \(path)")
    }

    private func inspect() throws -> Inspection {
        do {
            return try connection.readTransaction {
                let application = try connection.scalarInt("PRAGMA application_id") ?? 0
                let version = try connection.scalarInt("PRAGMA user_version") ?? 0
                let objects = try connection.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0
                if application == 0 && version == 0 && objects == 0 { return .empty }
                if application != Int64(Self.applicationID) { return .replace("was another program's database") }
                if version != Self.schemaVersion {
                    return .replace("was made by another version of Gazette (schema \(version))")
                }
                let tokenizer = try connection.scalarText("SELECT value FROM meta WHERE key = 'tokenizer'")
                if tokenizer != String(Self.tokenizerVersion) {
                    return .replace("was made with another version of the tokenizer")
                }
                if try isTruncated() { return .replace("was truncated") }
                if markerFromAnotherBoot() { return .replace("was being written when the system stopped") }
                return .ready
            }
        } catch let error as SQLiteError where !Self.isResourceProblem(error) {
            return .replace(error.primaryCode == SQLITE_NOTADB ? "was not an SQLite database" : "was damaged")
        }
    }

    /// The header promises more pages than the file has (and no WAL holds them).
    private func isTruncated() throws -> Bool {
        var info = stat()
        if stat(path + "-wal", &info) == 0 && info.st_size > 0 { return false }
        guard stat(path, &info) == 0 else { return false }
        let pages = try connection.scalarInt("PRAGMA page_count") ?? 0
        let pageSize = try connection.scalarInt("PRAGMA page_size") ?? 4096
        return pages * pageSize > Int64(info.st_size)
    }

    /// WAL (readers never wait for the writer); synchronous=OFF, since the index is a cache: a crash of the
    /// program loses nothing (the data is in the system's cache), and a crash of the system while it was being
    /// written is detected by the marker file (`beginWriting()`); a cache big enough for FTS5's merges.
    func configure() throws {
        if !isReadOnly {
            _ = try connection.scalarText("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA journal_size_limit = \(16 << 20)")
        }
        try connection.execute("PRAGMA synchronous = OFF; PRAGMA cache_size = -16384")
    }

    // MARK: Writing without syncing

    /// `search.sqlite-writing`: exists while a writer has unsynced writes, holding the boot id of the system
    /// they were made on. Found at opening with another boot id, the system stopped before the writes reached the
    /// disk: the file may be damaged in ways SQLite cannot see, so it is replaced.
    var writingMarker: String { path + "-writing" }

    /// The kernel's id of this boot ("" when unknown: then a marker is never trusted as another boot's).
    static func bootID() -> String {
        let fd = Glibc.open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return "" }
        return String(decoding: buffer[..<count], as: UTF8.self).filter { !$0.isWhitespace }
    }

    /// The marker of a writer stopped by the end of its system, not by its own end.
    func markerFromAnotherBoot() -> Bool {
        let fd = Glibc.open(writingMarker, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        let recorded = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        let current = Self.bootID()
        return current.isEmpty || recorded != current
    }

    /// Before this instance's first write: the marker, synced with its directory.
    func beginWriting() throws {
        guard !isWriting else { return }
        let fd = Glibc.open(writingMarker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SearchIndexError.unavailable("cannot create \(writingMarker): \(systemError())") }
        let boot = Array(Self.bootID().utf8)
        let written = write(fd, boot, boot.count)
        let synced = fsync(fd) == 0
        close(fd)
        guard written == boot.count, synced else {
            throw SearchIndexError.unavailable("cannot write \(writingMarker): \(systemError())")
        }
        let directory = Glibc.open(StoreLocation(path: path, isDefault: false).directory, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
        isWriting = true
    }

    /// At the end of a writer: its writes to the disk, then the marker away.
    func endWriting() {
        guard isWriting else { return }
        for file in [path, path + "-wal"] {
            let fd = Glibc.open(file, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
        }
        unlink(writingMarker)
        isWriting = false
    }

    /// Creates the tables in an empty file (nothing when another connection has just done it).
    func createSchema() throws {
        try connection.writeTransaction {
            guard try connection.scalarInt("SELECT count(*) FROM sqlite_schema") == 0 else { return }
            try connection.execute(Self.schema)
            try setEpoch()
        }
        cacheLoaded = false
    }

    /// Empties the file: in place (SQLite's reset: another connection sees an empty database), or by deleting it
    /// with its companions and creating it again.
    func replaceFile(inPlace: Bool = true) throws {
        statements.removeAll()
        cacheLoaded = false
        // Emptied, the file is consistent again: an old marker must not condemn the new index.
        if !isWriting { unlink(writingMarker) }
        if inPlace {
            do {
                try connection.resetDatabase()
                return
            } catch {
                // Not even SQLite's reset can read it: delete it.
            }
        }
        connection.close()
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        try Self.prepareFile(path, readOnly: false)
        connection = try SearchConnection(path: path, readOnly: false)
    }

    // MARK: Errors

    /// Runs `body`; SQLite's errors become `SearchIndexError`s (and damage sets `needsRebuild`).
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            if !Self.isResourceProblem(error) { damaged = true }
            throw indexError(error)
        }
    }

    func indexError(_ error: SQLiteError) -> SearchIndexError {
        switch error.primaryCode {
        case SQLITE_FULL: .unavailable("the disk is full")
        case SQLITE_BUSY, SQLITE_LOCKED: .unavailable("another Gazette is writing it")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN: .unavailable("\(path) cannot be written")
        case SQLITE_NOMEM: .unavailable("out of memory")
        case SQLITE_INTERRUPT: .interrupted
        case SQLITE_IOERR: .unavailable("\(path) cannot be read or written (\(Self.oneLine(error.message)))")
        default: .damaged(Self.oneLine(error.message))
        }
    }

    /// Errors that say nothing about the file's content: waiting, space, permissions, memory, I/O.
    static func isResourceProblem(_ error: SQLiteError) -> Bool {
        [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN, SQLITE_NOMEM,
         SQLITE_IOERR, SQLITE_INTERRUPT].contains(error.primaryCode)
    }

    static func isDamage(_ error: SQLiteError) -> Bool {
        error.primaryCode == SQLITE_CORRUPT || error.primaryCode == SQLITE_NOTADB
    }

    /// SQLite's message on one line, control characters as spaces, at most 200 characters.
    static func oneLine(_ message: String) -> String {
        String(String.UnicodeScalarView(message.unicodeScalars.prefix(200).map {
            $0.value < 0x20 || $0.value == 0x7F ? " " : $0
        }))
    }

    /// Throws for a read-only index; otherwise the writing marker is in place.
    func requireWritable() throws {
        if isReadOnly { throw SearchIndexError.unavailable("\(path) was opened read-only") }
        try beginWriting()
    }

    // MARK: Statements and the cache

    func statement(_ sql: String) throws -> SearchStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try connection.prepare(sql)
        statements[sql] = prepared
        return prepared
    }

    /// A new epoch: readers forget what they know of the docids (which start from 1 again).
    func setEpoch() throws {
        var bytes = SystemRandomNumberGenerator()
        let epoch = String(bytes.next(), radix: 36)
        try connection.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('epoch', '\(epoch)')")
    }

    /// Brings the docid map up to date with the file (inside a transaction): nothing when nobody wrote since,
    /// otherwise the `docs` and `stale` rows added since, or everything after a rebuild.
    func refreshCache() throws {
        let version = try statement("PRAGMA data_version").firstInt() ?? 0
        if cacheLoaded && version == cacheDataVersion { return }
        let selectEpoch = try statement("SELECT value FROM meta WHERE key = 'epoch'")
        selectEpoch.reset()
        let epoch = try selectEpoch.step() ? selectEpoch.text(0) ?? "" : ""
        selectEpoch.reset()
        if epoch != cacheEpoch {
            docPosts = []
            docLive = []
            staleSequence = 0
            liveCount = 0
            staleCount = 0
            cacheEpoch = epoch
        }
        let selectDocs = try statement("SELECT docid, id FROM docs WHERE docid > ?1 ORDER BY docid")
        selectDocs.reset()
        try selectDocs.bind(Int64(docPosts.count), at: 1)
        while try selectDocs.step() {
            let docid = Int(truncatingIfNeeded: selectDocs.int64(0))
            guard docid > docPosts.count && docid <= docPosts.count + (1 << 24) else { continue }
            // Entries already stale before this connection saw them are gaps, never live.
            while docPosts.count < docid - 1 {
                docPosts.append(0)
                docLive.append(false)
            }
            docPosts.append(UInt64(bitPattern: selectDocs.int64(1)))
            docLive.append(true)
            liveCount += 1
        }
        selectDocs.reset()
        let selectStale = try statement("SELECT seq, docid FROM stale WHERE seq > ?1 ORDER BY seq")
        selectStale.reset()
        try selectStale.bind(staleSequence, at: 1)
        while try selectStale.step() {
            staleSequence = selectStale.int64(0)
            staleCount += 1
            let slot = Int(truncatingIfNeeded: selectStale.int64(1)) &- 1
            if slot >= 0 && slot < docLive.count && docLive[slot] {
                docLive[slot] = false
                liveCount -= 1
            }
        }
        selectStale.reset()
        cacheDataVersion = version
        cacheLoaded = true
    }

    // MARK: Writing

    func sourceRow(_ key: String) throws -> (id: Int64, version: String)? {
        let select = try statement("SELECT sid, version FROM sources WHERE key = ?1")
        select.reset()
        defer { select.reset() }
        try select.bind(key, at: 1)
        guard try select.step() else { return nil }
        return (select.int64(0), select.text(1) ?? "")
    }

    /// The docid of the next FTS5 row (one more than the last written since the last rebuild).
    func nextDocid() throws -> Int64 {
        (try statement("SELECT max(docid) FROM docs").firstInt() ?? 0) + 1
    }

    /// The source's row id; a new version marks its posts as indexed under the old one.
    func beginSource(_ key: String, version: String) throws -> Int64 {
        if let (source, recorded) = try sourceRow(key) {
            if recorded != version {
                try statement("UPDATE member SET current = 0 WHERE sid = ?1").run(source)
                let update = try statement("UPDATE sources SET version = ?2, complete = 0 WHERE sid = ?1")
                update.reset()
                defer { update.reset() }
                try update.bind(source, at: 1)
                try update.bind(version, at: 2)
                try update.step()
            }
            return source
        }
        let insert = try statement("INSERT INTO sources(key, version, complete) VALUES(?1, ?2, 0)")
        insert.reset()
        defer { insert.reset() }
        try insert.bind(key, at: 1)
        try insert.bind(version, at: 2)
        try insert.step()
        return sqlite3_last_insert_rowid(connection.handle)
    }

    private struct LivePost {
        var version: Int64
        var docid: Int64
        var refs: Int64
    }

    private func livePost(_ id: Int64) throws -> LivePost? {
        let select = try statement("SELECT version, docid, refs FROM posts WHERE id = ?1")
        select.reset()
        defer { select.reset() }
        try select.bind(id, at: 1)
        guard try select.step() else { return nil }
        return LivePost(version: select.int64(0), docid: select.int64(1), refs: select.int64(2))
    }

    /// Indexes one document for `source` (nothing when it is already there at its version).
    func index(_ document: Document, source: Int64, docid nextDocid: inout Int64) throws {
        let id = Int64(bitPattern: document.id.rawValue)
        let post = try livePost(id)
        // 1: indexed for this source at its version; 0: under the source's previous version; nil: not a member.
        let membership = try statement("SELECT current FROM member WHERE sid = ?1 AND id = ?2").firstInt(source, id)
        let setMember = try statement("""
            INSERT INTO member(sid, id, current) VALUES(?1, ?2, 1) ON CONFLICT(sid, id) DO UPDATE SET current = 1
            """)
        let refs = (post?.refs ?? 0) + (membership == nil ? 1 : 0)
        if let post, post.version == document.version {
            if membership == 1 { return }
            if membership == nil {
                // Already indexed through another source: the same id at the same version is the same text.
                try setMember.run(source, id)
                try statement("UPDATE posts SET refs = ?2 WHERE id = ?1").run(id, refs)
                return
            }
        }
        if let post { try retire(docid: post.docid) }
        let docid = nextDocid
        nextDocid += 1
        let insert = try statement("INSERT INTO text(rowid, title, author, body) VALUES(?1, ?2, ?3, ?4)")
        insert.reset()
        defer { insert.reset() }
        try insert.bind(docid, at: 1)
        try insert.bind(document.title, at: 2)
        try insert.bind(document.author, at: 3)
        try insert.bind(document.body, at: 4)
        try insert.step()
        try statement("""
            INSERT INTO posts(id, version, docid, refs) VALUES(?1, ?2, ?3, ?4)
            ON CONFLICT(id) DO UPDATE SET version = excluded.version, docid = excluded.docid, refs = excluded.refs
            """).run(id, document.version, docid, refs)
        try statement("INSERT INTO docs(docid, id) VALUES(?1, ?2)").run(docid, id)
        try setMember.run(source, id)
    }

    /// Makes a docid stale: it never matches again.
    private func retire(docid: Int64) throws {
        try statement("INSERT INTO stale(docid) VALUES(?1)").run(docid)
    }

    /// The source's last batch is in: posts it no longer has leave it (stale unless another source has them).
    func completeSource(_ source: Int64) throws {
        try dropMembers(of: source, onlyOld: true)
        try statement("UPDATE sources SET complete = 1 WHERE sid = ?1").run(source)
    }

    /// Removes the source's memberships (all, or those from its previous version); posts no source has any more
    /// become stale.
    func dropMembers(of source: Int64, onlyOld: Bool) throws {
        let condition = onlyOld ? " AND current = 0" : ""
        let select = try statement("SELECT id FROM member WHERE sid = ?1" + condition)
        select.reset()
        try select.bind(source, at: 1)
        var ids: [Int64] = []
        while try select.step() { ids.append(select.int64(0)) }
        select.reset()
        try statement("DELETE FROM member WHERE sid = ?1" + condition).run(source)
        for id in ids {
            guard let post = try livePost(id) else { continue }
            if post.refs > 1 {
                try statement("UPDATE posts SET refs = ?2 WHERE id = ?1").run(id, post.refs - 1)
            } else {
                try retire(docid: post.docid)
                try statement("DELETE FROM posts WHERE id = ?1").run(id)
            }
        }
    }
}
