import CSQLite
import Foundation

/// Why another program's SQLite file could not be read: what a person can act on, in one line.
public struct ForeignDatabaseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// There is no such file.
        case missing
        /// The file (or, in WAL mode, its `-shm`/`-wal` files) cannot be opened for reading.
        case cannotOpen
        /// Another connection holds a lock that keeps readers out, for longer than the busy timeout.
        case locked
        /// Not an SQLite file, or a damaged one.
        case corrupt
        /// A hot journal: the writer was interrupted, and a read-only reader may not roll its write back.
        case unfinishedWrite
        /// Anything else SQLite refused (an I/O error, ...).
        case other
    }

    public var kind: Kind
    public var path: String
    /// What SQLite said, for the curious (the extended result code included).
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .missing: "\(path): no such file"
        case .cannotOpen: "\(path) cannot be opened for reading: \(detail)"
        case .locked: "\(path) is locked by another program (\(detail))"
        case .corrupt: "\(path) is not a readable SQLite database: \(detail)"
        case .unfinishedWrite: "\(path) has an unfinished write (a hot journal) that only its own program may roll back"
        case .other: "\(path): \(detail)"
        }
    }
}

/// A row of a `ForeignDatabase` query: columns by position (0-based), as the caller's SELECT lists them. SQLite
/// converts: `integer` of a text column is its leading number, `text` of an integer its digits. Valid only inside
/// the query's closure.
public struct ForeignRow {
    fileprivate let statement: Statement

    public func isNull(_ column: Int) -> Bool { statement.isNull(Int32(column)) }
    public func integer(_ column: Int) -> Int64? { isNull(column) ? nil : statement.int64(Int32(column)) }
    public func text(_ column: Int) -> String? { statement.text(Int32(column)) }
    public func blob(_ column: Int) -> [UInt8] { statement.blob(Int32(column)) }
}

/// Another program's SQLite database (newsboat's `cache.db`), read and never written.
///
/// Opened with `SQLITE_OPEN_READONLY` and without `SQLITE_OPEN_CREATE` (what a `file:PATH?mode=ro` URI means), and
/// `PRAGMA query_only` on top: a missing file is an error, never an empty new one, and no statement can write. A
/// reader of a rollback-journal database (newsboat's) never creates a `-journal`. A WAL database is the exception
/// SQLite makes: a reader needs the `-shm` index and creates it (and the `-wal`) when they are missing. So a WAL
/// file WITHOUT them (its writer is not running: nothing is in a WAL, nobody is writing) is opened `immutable=1`,
/// which takes no lock and creates nothing; one with them is read through them, as any reader would.
///
/// The owner may be writing meanwhile: a commit keeps readers out for a moment, and each read waits up to the busy
/// timeout for it before failing with `.locked`. `snapshot` runs several queries on one consistent state.
/// Not thread-safe: one instance per thread.
public final class ForeignDatabase {
    public let path: String
    private let database: Database

    /// Opens `path` for reading. `busyTimeout`: how long a read waits for a writer's lock, in milliseconds.
    public init(path: String, busyTimeout milliseconds: Int32 = 5000) throws(ForeignDatabaseError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ForeignDatabaseError(kind: .missing, path: path, detail: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw ForeignDatabaseError(kind: .cannotOpen, path: path, detail: "it is a directory")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ForeignDatabaseError(kind: .cannotOpen, path: path, detail: "permission denied")
        }
        let fileManager = FileManager.default
        let immutable = Self.isWAL(path) && !fileManager.fileExists(atPath: path + "-wal")
            && !fileManager.fileExists(atPath: path + "-shm")
        do {
            database = try Database(path: path, readOnly: true, immutable: immutable)
            try database.setBusyTimeout(milliseconds: max(0, milliseconds))
            try database.execute("PRAGMA query_only = 1")
        } catch let error as SQLiteError {
            throw Self.translate(error, path: path)
        } catch {
            throw ForeignDatabaseError(kind: .other, path: path, detail: "\(error)")
        }
    }

    /// True when the file's header says WAL (bytes 18 and 19, the write and read versions, are 2).
    private static func isWAL(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 20), header.count == 20 else { return false }
        return header.starts(with: Array("SQLite format 3\0".utf8)) && header[18] == 2 && header[19] == 2
    }

    /// The names of the tables (not views, not SQLite's own).
    public func tables() throws -> Set<String> {
        var names = Set<String>()
        try query("SELECT name FROM sqlite_master WHERE type = 'table'") { row in
            if let name = row.text(0) { names.insert(name) }
        }
        return names
    }

    /// The column names of `table` (empty when there is no such table).
    public func columns(of table: String) throws -> Set<String> {
        var names = Set<String>()
        try query("SELECT name FROM pragma_table_info(?)", [table]) { row in
            if let name = row.text(0) { names.insert(name) }
        }
        return names
    }

    /// Runs `sql` with text `arguments` bound in order (`?` placeholders), calling `body` for each row.
    /// SQLite's failures are thrown as `ForeignDatabaseError`s, `body`'s own errors as they are.
    public func query(_ sql: String, _ arguments: [String] = [], _ body: (ForeignRow) throws -> Void) throws {
        let statement = try translating { try database.prepare(sql) }
        for (index, argument) in arguments.enumerated() {
            try translating { try statement.bind(argument, at: Int32(index + 1)) }
        }
        let row = ForeignRow(statement: statement)
        while try translating({ try statement.step() }) { try body(row) }
    }

    /// Runs `body` in one read transaction: every query in it sees the same state of the file, even if its owner
    /// commits meanwhile (in rollback-journal mode the owner's commit waits for the reader's shared lock to go).
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        try translating { try database.execute("BEGIN DEFERRED") }
        defer { try? database.execute("COMMIT") }
        return try body()
    }

    private func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw Self.translate(error, path: path)
        }
    }

    /// What an SQLite failure means for a reader.
    static func translate(_ error: SQLiteError, path: String) -> ForeignDatabaseError {
        let detail = "\(error.message) (SQLite code \(error.code))"
        // SQLITE_READONLY_ROLLBACK: SQLITE_READONLY | 3 << 8 (extended codes are not imported into Swift).
        if error.code == SQLITE_READONLY | (3 << 8) {
            return ForeignDatabaseError(kind: .unfinishedWrite, path: path, detail: detail)
        }
        switch error.primaryCode {
        case SQLITE_BUSY, SQLITE_LOCKED: return ForeignDatabaseError(kind: .locked, path: path, detail: detail)
        case SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FORMAT:
            return ForeignDatabaseError(kind: .corrupt, path: path, detail: detail)
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH, SQLITE_READONLY:
            return ForeignDatabaseError(kind: .cannotOpen, path: path, detail: detail)
        default: return ForeignDatabaseError(kind: .other, path: path, detail: detail)
        }
    }
}
