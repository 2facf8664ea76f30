import CSQLite

/// The SQLite library the store runs on.
public enum SQLiteVersion {
    /// `3.40.1`, as `sqlite3_libversion()` reports it (the library linked at run time).
    public static var library: String {
        String(cString: sqlite3_libversion())
    }
}
