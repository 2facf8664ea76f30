#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// Opening the state file, shared by every connection to it (`SQLiteReadStateStore` for the marks, `ItemStore`
/// for fetched feeds): the same checks, pragmas, migrations and errors, whichever opens it first.
///
/// What opening does, in order: refuses a directory and creates a missing file with mode 0600; sets the busy
/// timeout (5 s); checks that the file is a database, that it is Gazette's (`application_id`) and that its schema
/// is not newer than ours; switches to WAL with `synchronous=FULL`; migrates (`Schema`); runs `PRAGMA quick_check`
/// on files up to `quickCheckLimit`. A readable WAL file in a directory that cannot be written opens read-only
/// (`immutable=1`). Every failure is a `StoreError` naming the file.
enum StoreFile {
    /// An open, checked and migrated connection, and its `data_version` at the end of opening.
    struct Opened {
        var database: Database
        var dataVersion: Int64?
    }

    /// Opens (or creates, mode 0600) the database at `path` and brings its schema up to date.
    /// With `readOnly`, nothing is created and nothing is written: a missing file is an error.
    static func open(path: String, readOnly: Bool) throws -> Opened {
        do {
            try prepareFile(path, create: !readOnly)
            do {
                let connection = try Database(path: path, readOnly: readOnly)
                return Opened(database: connection, dataVersion: try configure(connection, path: path))
            } catch let error as SQLiteError
                        where error.primaryCode == SQLITE_READONLY || error.primaryCode == SQLITE_CANTOPEN {
                // A readable WAL store in a directory we cannot write: SQLite cannot create the `-shm` index
                // to read it (READONLY_CANTINIT on a read-only file, CANTOPEN on a writable one). Fall back to
                // an immutable, read-only view; writes then throw `.readOnly`. When the file itself cannot be
                // read, this second open fails the same way and that error is reported.
                let connection = try Database(path: path, immutable: true)
                return Opened(database: connection, dataVersion: try configure(connection, path: path))
            }
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
    }

    /// Refuses a directory, and creates a missing file with mode 0600 (SQLite would use 0644).
    private static func prepareFile(_ path: String, create: Bool) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR {
                throw StoreError(.cannotOpen, path: path, detail: "it is a directory")
            }
            return
        }
        guard errno == ENOENT else { throw StoreError(.cannotOpen, path: path, detail: systemError()) }
        guard create else { throw StoreError(.cannotOpen, path: path, detail: systemError()) }
        if !createFile(path, mode: 0o600) && errno != EEXIST {  // EEXIST: another process created it first, fine.
            let kind: StoreError.Kind = errno == EROFS ? .readOnly : .cannotOpen
            throw StoreError(kind, path: path, detail: systemError())
        }
    }

    /// Configures the connection, checks the file, migrates it; returns its `data_version`.
    private static func configure(_ database: Database, path: String) throws -> Int64? {
        try database.setBusyTimeout(milliseconds: 5000)
        // The first read of the header: SQLITE_NOTADB here for a file that is not a database. One snapshot,
        // so that a migration committed by another process between two reads cannot look like a foreign file.
        let (applicationID, version, objects) = try database.readTransaction {
            (try database.scalarInt("PRAGMA application_id") ?? 0,
             Int(try database.scalarInt("PRAGMA user_version") ?? 0),
             try database.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0)
        }
        if applicationID != Int64(Schema.applicationID) && (applicationID != 0 || version != 0 || objects != 0) {
            throw StoreError(.foreignDatabase, path: path, detail: "an SQLite database of another program")
        }
        if version > Schema.latestVersion {
            throw StoreError(.newerSchema(found: version, supported: Schema.latestVersion), path: path,
                             detail: "schema \(version), this Gazette knows up to \(Schema.latestVersion)")
        }
        if !database.isReadOnly {
            // Persistent in the file; a no-op when it is already WAL.
            _ = try database.scalarText("PRAGMA journal_mode = WAL")
        }
        try database.execute("PRAGMA synchronous = FULL")
        if version < Schema.latestVersion {
            if database.isReadOnly {
                throw StoreError(.readOnly, path: path, detail: "it needs a schema upgrade but cannot be written")
            }
            try Schema.migrate(database)
        }
        let pages = try database.scalarInt("PRAGMA page_count") ?? 0
        let pageSize = try database.scalarInt("PRAGMA page_size") ?? 4096
        if pages * pageSize <= quickCheckLimit { try quickCheck(database, path: path) }
        return try database.scalarInt("PRAGMA data_version")
    }

    /// Files up to this size get `PRAGMA quick_check` at open. It reads every page: about 4 ms per MB here,
    /// so 8 ms at most, while a store of 100,000 marks plus its journal (6 MB, 25 ms) would eat a sixth of
    /// the start-up budget. Larger stores skip it; `readMarks()` at start-up still reads every page of the
    /// marks table, so damage there is reported at start-up all the same.
    static let quickCheckLimit: Int64 = 2 << 20

    /// `PRAGMA quick_check`: verifies every page and b-tree structure (not index contents).
    private static func quickCheck(_ database: Database, path: String) throws {
        let statement = try database.prepare("PRAGMA quick_check")
        var problems: [String] = []
        while try statement.step() {
            if let line = statement.text(0), line != "ok" { problems.append(line) }
        }
        if let first = problems.first {
            throw StoreError(.corrupt, path: path, detail: problems.count == 1 ? first : "\(first); and \(problems.count - 1) more problems")
        }
    }
}
