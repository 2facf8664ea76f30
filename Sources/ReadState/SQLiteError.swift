import CSQLite

/// A failed SQLite call: the extended result code, `sqlite3_errmsg` and the database file it concerns.
///
/// The wrapper throws this; `SQLiteReadStateStore` turns it into a `StoreError` that says what to do.
struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`SQLITE_IOERR_SHORT_READ`, ...); `primaryCode` is its low byte.
    var code: Int32
    /// What SQLite said (`sqlite3_errmsg`, or `sqlite3_errstr` when there is no connection).
    var message: String
    /// The database file.
    var path: String
    /// What we were doing, for the developer reading a log (`prepare: SELECT ...`).
    var context: String

    var primaryCode: Int32 { code & 0xff }

    var description: String { "\(path): \(message) (SQLite code \(code), \(context))" }
}
