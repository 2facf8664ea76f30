import CSQLite

/// Why the read-state store cannot be used, naming the file and what to do about it.
///
/// `description` is one line, `<problem>; <advice>`; a command line can also print the two parts in its
/// own format. A damaged file is never deleted or overwritten by the store.
public struct StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The file exists but is not an SQLite database (or its header is destroyed).
        case notADatabase
        /// A valid SQLite database that belongs to another program.
        case foreignDatabase
        /// The database is damaged: a malformed page, a truncated file.
        case corrupt
        /// The file (or its directory) cannot be written.
        case readOnly
        /// The file cannot be opened or created: missing directory, a directory path, no permission.
        case cannotOpen
        /// The default directory for the store cannot be created (`path` is the directory).
        case cannotCreateDirectory
        /// Another connection held the lock for longer than the busy timeout.
        case locked
        /// The disk or the database is full.
        case diskFull
        /// Written by a newer Gazette with a schema this one does not know.
        case newerSchema(found: Int, supported: Int)
        /// The home directory (for the default location) cannot be found.
        case noHome
        /// Any other I/O or SQLite failure.
        case other
    }

    public var kind: Kind
    /// The file or directory concerned.
    public var path: String
    /// What the system or SQLite said (`file is not a database`, `Permission denied`).
    public var detail: String

    public init(_ kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// What is wrong, naming the file, without the detail (`/x is not a Gazette state database`).
    public var summary: String {
        switch kind {
        case .notADatabase, .foreignDatabase: "\(path) is not a Gazette state database"
        case .corrupt: "the state database \(path) is damaged"
        case .readOnly: "cannot write the state database \(path)"
        case .cannotOpen: "cannot open the state database \(path)"
        case .cannotCreateDirectory: "cannot create the directory \(path) for the state database"
        case .locked: "the state database \(path) stayed locked by another process"
        case .diskFull: "cannot write the state database \(path)"
        case .newerSchema: "the state database \(path) was written by a newer Gazette"
        case .noHome: "cannot find the home directory for the state database"
        case .other: "the state database \(path) failed"
        }
    }

    /// The summary and the detail, for a message that puts the advice in parentheses:
    /// `/x is not a Gazette state database: file is not a database`.
    public var problem: String { detail.isEmpty ? summary : "\(summary): \(detail)" }

    /// What to do about it.
    public var advice: String {
        switch kind {
        case .notADatabase, .foreignDatabase: "move it aside or pass --state PATH"
        case .corrupt: "move it aside to start a new one, or pass --state PATH"
        case .readOnly: "check the permissions of the file and its directory, or pass --state PATH"
        case .cannotOpen: "check that the directory exists and is accessible, or pass --state PATH"
        case .cannotCreateDirectory: "check the permissions of its parent, set XDG_DATA_HOME, or pass --state PATH"
        case .locked: "close other Gazette windows using it and try again"
        case .diskFull: "free some disk space and try again"
        case .newerSchema: "upgrade Gazette or pass --state PATH"
        case .noHome: "set HOME or XDG_DATA_HOME, or pass --state PATH"
        case .other: "check the file and the disk, or pass --state PATH"
        }
    }

    public var description: String {
        detail.isEmpty ? "\(summary); \(advice)" : "\(summary) (\(detail)); \(advice)"
    }

    /// Classifies an SQLite failure by its primary result code.
    init(_ error: SQLiteError) {
        let kind: Kind = switch error.primaryCode {
        case SQLITE_NOTADB: .notADatabase
        case SQLITE_CORRUPT: .corrupt
        case SQLITE_READONLY: .readOnly
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH: .cannotOpen
        case SQLITE_BUSY, SQLITE_LOCKED: .locked
        case SQLITE_FULL: .diskFull
        // A short read means the file ends inside a page the database says it has: truncated.
        case SQLITE_IOERR where error.code == gazette_sqlite_ioerr_short_read(): .corrupt
        default: .other
        }
        self.init(kind, path: error.path, detail: error.message)
    }
}
