import CSQLite

/// A prepared statement: bind parameters (1-based), step through rows, read columns (0-based), reset.
final class Statement {
    private let database: Database
    private let handle: OpaquePointer
    let sql: String

    init(database: Database, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding

    func bind(_ value: Int64, at index: Int32) throws {
        try database.check(sqlite3_bind_int64(handle, index, value), "bind \(index): \(sql.prefix(60))")
    }

    func bind(_ value: Int, at index: Int32) throws { try bind(Int64(value), at: index) }

    func bind(_ value: Bool, at index: Int32) throws { try bind(Int64(value ? 1 : 0), at: index) }

    func bind(_ value: String, at index: Int32) throws {
        let rc = sqlite3_bind_text(handle, index, value, -1, gazette_sqlite_transient())
        try database.check(rc, "bind \(index): \(sql.prefix(60))")
    }

    func bind(blob bytes: [UInt8], at index: Int32) throws {
        let rc = bytes.withUnsafeBytes { raw in
            sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), gazette_sqlite_transient())
        }
        try database.check(rc, "bind \(index): \(sql.prefix(60))")
    }

    func bindNull(at index: Int32) throws {
        try database.check(sqlite3_bind_null(handle, index), "bind \(index): \(sql.prefix(60))")
    }

    func bind(_ value: Int64?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    // MARK: Stepping

    /// Advances to the next row: `true` when a row is available, `false` when the statement is done.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(rc, "step: \(sql.prefix(60))")
        }
    }

    /// Resets the statement and clears its bindings, ready to run again.
    func reset() throws {
        // sqlite3_reset repeats the error of the last step; that error was already thrown by `step`.
        sqlite3_reset(handle)
        try database.check(sqlite3_clear_bindings(handle), "clear bindings: \(sql.prefix(60))")
    }

    /// Binds `values` in order, runs the statement to completion, and resets it.
    func run(_ values: Int64?...) throws {
        try reset()
        for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
        while try step() {}
        try reset()
    }

    // MARK: Columns

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
