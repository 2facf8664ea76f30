#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Foundation
import Posts

/// The read-state store in an SQLite file.
///
/// Durability and concurrency, chosen for "never lose an acknowledged mark" with two windows open:
/// - `journal_mode=WAL`: readers never block the writer and the writer never blocks readers, so a second
///   instance redrawing does not stall the first one marking. A commit appends to the `-wal` file; a crash
///   or SIGKILL mid-write leaves the last committed state (uncommitted frames are ignored on recovery).
/// - `synchronous=FULL`: in WAL mode, NORMAL may lose the last commits on power loss (the WAL is synced only
///   at checkpoints); FULL syncs the WAL at every commit, so a mark is on disk when `setRead` returns.
///   Marks are rare, user-paced writes: the fsync per commit costs nothing the user can see.
/// - `busy_timeout=5000` and `BEGIN IMMEDIATE` for every write: the write lock is taken at the start of the
///   transaction, and a second writer waits (up to 5 s) rather than failing. Each write reads the current
///   row inside its own transaction, so two processes interleaving writes cannot overwrite each other's
///   marks with a stale view.
/// WAL needs shared memory beside the file (`-shm`); on a file system without it (some network mounts)
/// SQLite refuses WAL and we keep the rollback journal, which is as durable with FULL, only less concurrent.
///
/// What the tests show (EndToEndTests/StoreCrashTests; `make stress` runs the long version): 500 SIGKILLs of a
/// process committing marks as fast as it can (13,020 acknowledged marks; kills landing in the open, the schema
/// creation and mid-commit), and 200 runs of `gazette mark` killed at random moments: after every kill
/// `integrity_check` is ok, every mark whose `setRead` had returned is there, and a batch is all there or not at
/// all. A SIGKILL keeps the kernel's page cache, so those results would hold for any `synchronous`; FULL is for
/// what no test here can cause, power loss and kernel crashes, where SQLite documents that WAL with NORMAL may
/// roll back the last commits. Its price, measured here (ext4, 1,000 single-mark commits): 0.39 ms a commit,
/// against 0.03 ms with NORMAL and 0.91 ms with the rollback journal and FULL: nothing a person marking posts
/// can notice. `synchronous=OFF` (as Newsboat runs) can leave a malformed file after a power loss; never use it.
///
/// Opening checks that the file is a database, that it is Gazette's (`application_id`), that its schema is
/// not newer than ours, and (for files up to 2 MB) runs `PRAGMA quick_check`, so that damage is reported at
/// open, not mid-session.
/// A store that can be read but not written (file or directory without write permission, read-only mount)
/// still opens, read-only; writes then throw `StoreError` of kind `.readOnly` (see `isReadOnly`).
public final class SQLiteReadStateStore: ReadStateStore {
    public let path: String
    /// Internal so that tests can inspect pragmas.
    let database: Database
    private var statements: [String: Statement] = [:]
    private var lastDataVersion: Int64?
    /// `mark_version` when the marks were last looked at (`nil`: not yet).
    private var lastMarkVersion: Int64?

    /// True when the file could only be opened for reading; every write will throw `.readOnly`.
    public var isReadOnly: Bool { database.isReadOnly }

    /// Opens the store at `location`, creating its default directory (0700) when needed.
    public convenience init(location: StoreLocation) throws {
        try location.createDirectoryIfNeeded()
        try self.init(path: location.path)
    }

    /// Opens (or creates, mode 0600) the database at `path` and brings its schema up to date.
    /// With `readOnly`, nothing is created and nothing is written: a missing file is an error.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let opened = try StoreFile.open(path: path, readOnly: readOnly)
        database = opened.database
        lastDataVersion = opened.dataVersion
        lastMarkVersion = try? database.scalarInt("SELECT version FROM mark_version")
    }

    /// A prepared statement kept for the life of the store.
    private func statement(_ sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `body`, turning SQLite failures into `StoreError`.
    private func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
    }

    // MARK: ReadStateStore

    public func readMarks() throws -> [PostID: Date] {
        try translatingErrors {
            let select = try statement("SELECT post_id, changed_at FROM read_mark WHERE read = 1")
            try select.reset()
            defer { try? select.reset() }
            var marks: [PostID: Date] = [:]
            while try select.step() {
                marks[PostID(rawValue: UInt64(bitPattern: select.int64(0)))] = StoreTime.date(select.int64(1))
            }
            return marks
        }
    }

    public func mark(of id: PostID) throws -> ReadMark? {
        try translatingErrors { try storedMark(of: id) }
    }

    private func storedMark(of id: PostID) throws -> ReadMark? {
        let select = try statement("SELECT read, changed_at FROM read_mark WHERE post_id = ?")
        try select.reset()
        defer { try? select.reset() }
        try select.bind(Int64(bitPattern: id.rawValue), at: 1)
        guard try select.step() else { return nil }
        return ReadMark(isRead: select.int64(0) != 0, changedAt: StoreTime.date(select.int64(1)))
    }

    private func store(_ mark: ReadMark?, of id: PostID) throws {
        let key = Int64(bitPattern: id.rawValue)
        if let mark {
            try statement("""
                INSERT INTO read_mark (post_id, read, changed_at) VALUES (?, ?, ?)
                ON CONFLICT (post_id) DO UPDATE SET read = excluded.read, changed_at = excluded.changed_at
                """).run(key, mark.isRead ? 1 : 0, StoreTime.milliseconds(mark.changedAt))
        } else {
            try statement("DELETE FROM read_mark WHERE post_id = ?").run(key)
        }
    }

    @discardableResult
    public func setRead(_ ids: [PostID], read: Bool, at date: Date) throws -> Int {
        let milliseconds = StoreTime.milliseconds(date)
        return try translatingErrors {
            try database.writeTransaction {
                var seen = Set<PostID>()
                var group: Int64?
                var changed = 0
                for id in ids where seen.insert(id).inserted {
                    let previous = try storedMark(of: id)
                    if (previous?.isRead ?? false) == read { continue }
                    if group == nil {
                        try statement("INSERT INTO undo_group (made_at) VALUES (?)").run(milliseconds)
                        group = database.lastInsertRowID
                    }
                    try statement("""
                        INSERT INTO undo_entry (group_id, seq, post_id, prev_read, prev_changed_at)
                        VALUES (?, ?, ?, ?, ?)
                        """).run(group, Int64(changed), Int64(bitPattern: id.rawValue),
                                 previous.map { $0.isRead ? 1 : 0 }, previous.map { StoreTime.milliseconds($0.changedAt) })
                    try store(ReadMark(isRead: read, changedAt: StoreTime.date(milliseconds)), of: id)
                    changed += 1
                }
                if group != nil { try trimJournal() }
                return changed
            }
        }
    }

    /// Keeps the newest `UndoJournal.depth` groups. (Internal: `mergeMarks` records undo groups too.)
    func trimJournal() throws {
        let oldestKept = try statement("SELECT id FROM undo_group ORDER BY id DESC LIMIT 1 OFFSET ?")
        try oldestKept.reset()
        defer { try? oldestKept.reset() }
        try oldestKept.bind(Int64(UndoJournal.depth - 1), at: 1)
        guard try oldestKept.step() else { return }
        let cutoff = oldestKept.int64(0)
        try oldestKept.reset()
        try statement("DELETE FROM undo_entry WHERE group_id < ?").run(cutoff)
        try statement("DELETE FROM undo_group WHERE id < ?").run(cutoff)
    }

    @discardableResult
    public func undoLast() throws -> UndoneChange? {
        try translatingErrors {
            try database.writeTransaction {
                let last = try statement("SELECT id, made_at FROM undo_group ORDER BY id DESC LIMIT 1")
                try last.reset()
                defer { try? last.reset() }
                guard try last.step() else { return nil }
                let group = last.int64(0)
                let madeAt = StoreTime.date(last.int64(1))
                try last.reset()

                let entries = try statement("""
                    SELECT post_id, prev_read, prev_changed_at FROM undo_entry WHERE group_id = ? ORDER BY seq
                    """)
                try entries.reset()
                defer { try? entries.reset() }
                try entries.bind(group, at: 1)
                var restored: [(PostID, ReadMark?)] = []
                while try entries.step() {
                    let id = PostID(rawValue: UInt64(bitPattern: entries.int64(0)))
                    let mark = entries.isNull(1)
                        ? nil : ReadMark(isRead: entries.int64(1) != 0, changedAt: StoreTime.date(entries.int64(2)))
                    restored.append((id, mark))
                }
                try entries.reset()

                var marks: [PostID: ReadMark] = [:]
                for (id, mark) in restored {
                    try store(mark, of: id)
                    marks[id] = mark
                }
                try statement("DELETE FROM undo_entry WHERE group_id = ?").run(group)
                try statement("DELETE FROM undo_group WHERE id = ?").run(group)
                return UndoneChange(madeAt: madeAt, postIDs: restored.map(\.0), marks: marks)
            }
        }
    }

    public func position(of id: PostID) throws -> ReadingPosition? {
        try translatingErrors {
            let select = try statement("SELECT block, line FROM reading_position WHERE post_id = ?")
            try select.reset()
            defer { try? select.reset() }
            try select.bind(Int64(bitPattern: id.rawValue), at: 1)
            guard try select.step() else { return nil }
            return ReadingPosition(block: Int(select.int64(0)), line: Int(select.int64(1)))
        }
    }

    public func setPosition(_ position: ReadingPosition?, of id: PostID, at date: Date) throws {
        let key = Int64(bitPattern: id.rawValue)
        try translatingErrors {
            try database.writeTransaction {
                if let position {
                    try statement("""
                        INSERT INTO reading_position (post_id, block, line, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (post_id) DO UPDATE
                        SET block = excluded.block, line = excluded.line, updated_at = excluded.updated_at
                        """).run(key, Int64(position.block), Int64(position.line), StoreTime.milliseconds(date))
                } else {
                    try statement("DELETE FROM reading_position WHERE post_id = ?").run(key)
                }
            }
        }
    }

    public func seenPosts() throws -> Set<PostID>? {
        try translatingErrors {
            let select = try statement("SELECT ids FROM seen_posts WHERE id = 1")
            try select.reset()
            defer { try? select.reset() }
            guard try select.step() else { return nil }
            return SeenPostsCodec.decode(select.blob(0))
        }
    }

    public func setSeenPosts(_ ids: Set<PostID>) throws {
        try translatingErrors {
            try database.writeTransaction {
                let upsert = try statement("""
                    INSERT INTO seen_posts (id, ids) VALUES (1, ?)
                    ON CONFLICT (id) DO UPDATE SET ids = excluded.ids
                    """)
                try upsert.reset()
                defer { try? upsert.reset() }
                try upsert.bind(blob: SeenPostsCodec.encode(ids), at: 1)
                while try upsert.step() {}
            }
        }
    }

    public func setting(_ key: String) throws -> String? {
        try translatingErrors {
            let select = try statement("SELECT value FROM setting WHERE key = ?")
            try select.reset()
            defer { try? select.reset() }
            try select.bind(key, at: 1)
            guard try select.step() else { return nil }
            return select.text(0)
        }
    }

    public func setSetting(_ key: String, _ value: String?) throws {
        try translatingErrors {
            try database.writeTransaction {
                if let value {
                    let upsert = try statement("""
                        INSERT INTO setting (key, value) VALUES (?, ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value
                        """)
                    try upsert.reset()
                    defer { try? upsert.reset() }
                    try upsert.bind(key, at: 1)
                    try upsert.bind(value, at: 2)
                    while try upsert.step() {}
                } else {
                    let delete = try statement("DELETE FROM setting WHERE key = ?")
                    try delete.reset()
                    defer { try? delete.reset() }
                    try delete.bind(key, at: 1)
                    while try delete.step() {}
                }
            }
        }
    }

    public func hasExternalChanges() throws -> Bool {
        try translatingErrors {
            // data_version changes when another connection commits; our own commits leave it alone.
            let version = try database.scalarInt("PRAGMA data_version")
            defer { lastDataVersion = version }
            guard version != lastDataVersion else { return false }
            // Something else committed: the marks, or only items (a fetch)? One row says.
            // (A store opened read-only before its migration to version 4 has no counter: then any change counts.)
            guard let marks = try? database.scalarInt("SELECT version FROM mark_version") else { return true }
            defer { lastMarkVersion = marks }
            return lastMarkVersion == nil || marks != lastMarkVersion
        }
    }

    /// Runs `PRAGMA integrity_check` (slower and more thorough than the check at open); `["ok"]` when sound.
    public func integrityCheck() throws -> [String] {
        try translatingErrors {
            let check = try database.prepare("PRAGMA integrity_check")
            var lines: [String] = []
            while try check.step() { lines.append(check.text(0) ?? "") }
            return lines
        }
    }
}
