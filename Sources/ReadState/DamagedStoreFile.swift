#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Moving a damaged state file aside so that the reader can start a new one, keeping every byte of the old.
///
/// The policy (README, "Where state lives"): only the interactive reader moves a store aside, and tells the user
/// so on screen; `list`, `show` and `mark` report the damage and change nothing, because a script should not
/// rearrange files behind anyone's back. The reader moves a store aside when SQLite finds it damaged (a bad page,
/// a truncated file), wherever it is, and when it is not a database at all only at the default location (a
/// `--state` path might be any file the user mistyped). Another program's database, a store from a newer
/// Gazette, and a file that cannot be written are never moved: the reader runs without saving instead.
public enum DamagedStoreFile {
    /// Whether the reader may move aside the store at `location` that failed to open with `error`.
    public static func canSetAside(_ error: StoreError, location: StoreLocation) -> Bool {
        switch error.kind {
        case .corrupt: true
        case .notADatabase: location.isDefault
        default: false
        }
    }

    /// SQLite's companion files, moved with the database so that the set-aside copy stays self-consistent
    /// (a `-wal` or `-journal` may hold committed data that `sqlite3 COPY .recover` can still read).
    static let companions = ["-wal", "-journal", "-shm"]

    /// Renames `path` (and its `-wal`, `-journal` and `-shm` files, when present) to
    /// `<path>.damaged-YYYYmmdd-HHMMSS` (local time; `-2`, `-3`, ... appended when that name is taken) and
    /// returns the new path. Nothing is deleted or overwritten.
    public static func setAside(_ path: String, now: Date = Date()) throws -> String {
        let base = path + ".damaged-" + stamp(now)
        var target = base
        var attempt = 1
        while exists(target) || companions.contains(where: { exists(target + $0) }) {
            attempt += 1
            target = base + "-\(attempt)"
        }
        guard rename(path, target) == 0 else {
            throw StoreError(.cannotOpen, path: path, detail: "cannot move the damaged file aside: \(systemError())")
        }
        for suffix in companions where exists(path + suffix) {
            // A `-wal` left behind would be replayed into the new, empty database: it must move too.
            guard rename(path + suffix, target + suffix) == 0 else {
                throw StoreError(.cannotOpen, path: path + suffix,
                                 detail: "cannot move it aside with the damaged database: \(systemError())")
            }
        }
        return target
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// `20261127-130102` in local time.
    private static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "-"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
    }
}
