import CSQLite

/// One SQLite connection: a thin, checked wrapper over `sqlite3*`.
///
/// Every return code is checked and becomes a `SQLiteError` carrying `sqlite3_errmsg` and the file path.
/// A connection belongs to one thread at a time (opened with `SQLITE_OPEN_NOMUTEX`), so the type is not
/// `Sendable`: open one connection per thread or process.
final class Database {
    let path: String
    private let handle: OpaquePointer

    /// Opens `path` with `sqlite3_open_v2`: read-write (created if missing) unless `readOnly`.
    ///
    /// `immutable` opens it read-only with SQLite's `immutable=1`: no locks and no `-shm` file, the only way
    /// to read a WAL database in a directory we cannot write. Only safe when nobody writes the file meanwhile.
    init(path: String, readOnly: Bool = false, immutable: Bool = false) throws {
        var db: OpaquePointer?
        var flags = (readOnly || immutable ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            name = "file:" + Self.uriEscaped(path) + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard let db else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc)), path: path, context: "open")
        }
        guard rc == SQLITE_OK else {
            let error = SQLiteError(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)),
                                    path: path, context: "open")
            sqlite3_close_v2(db)
            throw error
        }
        self.path = path
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    /// Percent-escapes everything but unreserved characters and `/`, as SQLite's URI filenames require.
    private static func uriEscaped(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    deinit {
        // close_v2 defers the close until every statement is finalized, so order does not matter.
        sqlite3_close_v2(handle)
    }

    /// True when SQLite opened the file read-only (it falls back to that when the file is not writable).
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Waits up to `milliseconds` for a lock held by another connection before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) throws {
        try check(sqlite3_busy_timeout(handle, milliseconds), "busy_timeout")
    }

    /// Runs one or more statements that return no rows we need.
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, path: path,
                              context: "exec: \(sql.prefix(60))")
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        try check(rc, "prepare: \(sql.prefix(60))")
        guard let statement else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement", path: path, context: "prepare: \(sql)")
        }
        return Statement(database: self, handle: statement, sql: sql)
    }

    /// The first column of the first row of `sql`, as an integer (`nil` when there is no row or it is NULL).
    func scalarInt(_ sql: String) throws -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// The first column of the first row of `sql`, as text.
    func scalarText(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT`; rolls back when it throws.
    ///
    /// IMMEDIATE takes the write lock at the start, so a second writer waits in the busy handler
    /// (up to the busy timeout) instead of failing midway with SQLITE_BUSY when it upgrades a read lock.
    /// The commit returns only after the WAL is synced (synchronous=FULL), so a returned value means durable.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // A failed COMMIT (SQLITE_BUSY, SQLITE_FULL, I/O) may leave the transaction open; end it.
            if sqlite3_get_autocommit(handle) == 0 {
                sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
    }

    /// Runs `body` inside a read transaction so that all its queries see one snapshot.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer {
            if sqlite3_get_autocommit(handle) == 0 { sqlite3_exec(handle, "COMMIT", nil, nil, nil) }
        }
        return try body()
    }

    /// Throws a `SQLiteError` unless `rc` is `SQLITE_OK`.
    func check(_ rc: Int32, _ context: @autoclosure () -> String) throws {
        guard rc == SQLITE_OK else { throw error(rc, context()) }
    }

    func error(_ rc: Int32, _ context: String) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        // errmsg describes the most recent failure on this connection, which is `rc` when it is not OK.
        let code = (extended & 0xff) == (rc & 0xff) ? extended : rc
        return SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), path: path, context: context)
    }
}
