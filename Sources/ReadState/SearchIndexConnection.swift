import CSQLite
import Search

/// One SQLite connection to the search index, with Search's tokenizer registered as FTS5 tokenizer `gazette`.
///
/// Like `Database` (whose handle is private to it), but the index needs the raw handles: `sqlite3_bind_pointer`
/// to reach the `fts5_api`, `SQLITE_DBCONFIG_RESET_DATABASE` to empty a damaged file in place, and text bound with
/// its length (a NUL byte inside an archive must not cut the text short). Errors are `SQLiteError`s.
/// One thread at a time (`SQLITE_OPEN_NOMUTEX`).
final class SearchConnection {
    let path: String
    let handle: OpaquePointer

    init(path: String, readOnly: Bool) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite3_open_v2(path, &db, flags, nil)
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
        try check(sqlite3_busy_timeout(db, 5000), "busy_timeout")
        try SearchTokenizerModule.register(on: self)
    }

    private var isClosed = false

    deinit { close() }

    /// Closes the connection (when its statements are finalized: drop them first).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        sqlite3_close_v2(handle)
    }

    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Makes the statement running on this connection stop with SQLITE_INTERRUPT (safe from another thread while
    /// the connection is open).
    func interrupt() { if !isClosed { sqlite3_interrupt(handle) } }

    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

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

    func prepare(_ sql: String) throws -> SearchStatement {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil),
                  "prepare: \(sql.prefix(60))")
        guard let statement else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement", path: path, context: "prepare: \(sql)")
        }
        return SearchStatement(connection: self, handle: statement, sql: sql)
    }

    func scalarInt(_ sql: String) throws -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    func scalarText(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// `BEGIN IMMEDIATE ... COMMIT`, rolled back when `body` throws.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if inTransaction { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }

    /// One snapshot for every query of `body`.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { if inTransaction { sqlite3_exec(handle, "COMMIT", nil, nil, nil) } }
        return try body()
    }

    /// Empties the database file in place, whatever it held (SQLITE_DBCONFIG_RESET_DATABASE and VACUUM):
    /// other connections to it see an empty database at their next transaction.
    func resetDatabase() throws {
        try check(gazette_sqlite_reset_database(handle, 1), "reset database")
        defer { _ = gazette_sqlite_reset_database(handle, 0) }
        try execute("VACUUM")
    }

    func check(_ rc: Int32, _ context: @autoclosure () -> String) throws {
        guard rc == SQLITE_OK else { throw error(rc, context()) }
    }

    func error(_ rc: Int32, _ context: String) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        let code = (extended & 0xff) == (rc & 0xff) ? extended : rc
        return SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), path: path, context: context)
    }
}

/// A prepared statement of a `SearchConnection`.
final class SearchStatement {
    private let connection: SearchConnection
    let handle: OpaquePointer
    let sql: String

    init(connection: SearchConnection, handle: OpaquePointer, sql: String) {
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ value: Int64, at index: Int32) throws {
        try connection.check(sqlite3_bind_int64(handle, index, value), "bind \(index): \(sql.prefix(60))")
    }

    /// Binds the UTF-8 bytes of `value`, NUL bytes included.
    func bind(_ value: String, at index: Int32) throws {
        var value = value
        let rc = value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // SQLite binds NULL for a nil pointer: "" is bound as "".
                guard let start = chars.baseAddress, !chars.isEmpty else {
                    return sqlite3_bind_text(handle, index, "", 0, gazette_sqlite_transient())
                }
                return sqlite3_bind_text(handle, index, start, Int32(chars.count), gazette_sqlite_transient())
            }
        }
        try connection.check(rc, "bind \(index): \(sql.prefix(60))")
    }

    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc, "step: \(sql.prefix(60))")
        }
    }

    /// Resets the statement and clears its bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds `values` in order, runs the statement to completion, resets it.
    func run(_ values: Int64...) throws {
        reset()
        defer { reset() }
        for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
        while try step() {}
    }

    /// Binds `values`, steps once: the first column of the first row (nil when no row or NULL); resets.
    func firstInt(_ values: Int64...) throws -> Int64? {
        reset()
        defer { reset() }
        for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
        guard try step(), !isNull(0) else { return nil }
        return int64(0)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

/// Search's tokenizer as the FTS5 tokenizer `gazette`, registered on each connection through its `fts5_api`.
///
/// FTS5 calls it for documents (`FTS5_TOKENIZE_DOCUMENT`), for the strings of a MATCH expression
/// (`FTS5_TOKENIZE_QUERY`, with `FTS5_TOKENIZE_PREFIX` for `"abc" *`) and for auxiliary functions
/// (`FTS5_TOKENIZE_AUX`, document text again). Queries use `SearchTokenizer`'s query mode, so a quoted CJK word
/// becomes the phrase of its bigrams.
enum SearchTokenizerModule {
    static let name = "gazette"

    static func register(on connection: SearchConnection) throws {
        let api = try fts5API(connection)
        var tokenizer = fts5_tokenizer(xCreate: create, xDelete: delete, xTokenize: tokenize)
        guard let createTokenizer = api.pointee.xCreateTokenizer else {
            throw SQLiteError(code: SQLITE_ERROR, message: "fts5_api has no xCreateTokenizer", path: connection.path,
                              context: "register tokenizer")
        }
        // FTS5 copies the name and the struct.
        try connection.check(createTokenizer(api, name, nil, &tokenizer, nil), "register tokenizer")
    }

    /// The connection's `fts5_api` (`SELECT fts5(?1)` with the pointer bound as type "fts5_api_ptr").
    private static func fts5API(_ connection: SearchConnection) throws -> UnsafeMutablePointer<fts5_api> {
        let statement = try connection.prepare("SELECT fts5(?1)")
        let slot = UnsafeMutablePointer<UnsafeMutablePointer<fts5_api>?>.allocate(capacity: 1)
        defer { slot.deallocate() }
        slot.initialize(to: nil)
        // The type name must outlive the statement: a static string.
        let type: StaticString = "fts5_api_ptr"
        let typeName = UnsafeRawPointer(type.utf8Start).assumingMemoryBound(to: CChar.self)
        try connection.check(sqlite3_bind_pointer(statement.handle, 1, slot, typeName, nil), "bind fts5_api_ptr")
        _ = try statement.step()
        statement.reset()
        guard let api = slot.pointee else {
            throw SQLiteError(code: SQLITE_ERROR, message: "no FTS5 in this SQLite", path: connection.path,
                              context: "fts5_api")
        }
        return api
    }

    /// The tokenizer keeps no state: any non-null pointer will do as its instance.
    private static let create: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                               Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Int32 = { _, _, _, out in
        out?.pointee = OpaquePointer(bitPattern: 0x1)
        return SQLITE_OK
    }

    private static let delete: @convention(c) (OpaquePointer?) -> Void = { _ in }

    private static let tokenize: @convention(c) (
        OpaquePointer?, UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32,
        (@convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32, Int32, Int32) -> Int32)?
    ) -> Int32 = { _, context, flags, text, count, token in
        guard let token else { return SQLITE_ERROR }
        guard let text, count > 0 else { return SQLITE_OK }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self),
                                        count: Int(count))
        var rc = SQLITE_OK
        SearchTokenizer.tokenize(bytes, forQuery: flags & FTS5_TOKENIZE_QUERY != 0) { folded, range in
            guard rc == SQLITE_OK, let start = folded.baseAddress, !folded.isEmpty else { return }
            rc = token(context, 0, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(folded.count),
                       Int32(range.lowerBound), Int32(range.upperBound))
        }
        return rc
    }
}
