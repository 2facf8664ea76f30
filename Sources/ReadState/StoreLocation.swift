#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the state database lives.
///
/// The default is `$XDG_DATA_HOME/gazette/state.sqlite3`. Following the XDG Base Directory spec,
/// `XDG_DATA_HOME` is ignored when unset, empty or relative, and `~/.local/share` is used instead
/// (`~` is `HOME`, or the password database when `HOME` is unset or relative). `--state PATH` overrides it.
public struct StoreLocation: Hashable, Sendable {
    /// The database file.
    public var path: String
    /// True for the default location, whose directory is created (0700) when missing. An explicit
    /// `--state` path must be in an existing directory, so that a typo does not create directories.
    public var isDefault: Bool

    public static let directoryName = "gazette"
    public static let fileName = "state.sqlite3"

    public init(path: String, isDefault: Bool) {
        self.path = path
        self.isDefault = isDefault
    }

    /// `explicitPath` (from `--state`) when given, otherwise the default from `environment`.
    public static func resolve(explicitPath: String?, environment: [String: String]) throws -> StoreLocation {
        if let explicitPath, !explicitPath.isEmpty {
            return StoreLocation(path: explicitPath, isDefault: false)
        }
        return StoreLocation(path: try defaultDirectory(environment: environment) + "/" + fileName, isDefault: true)
    }

    /// `$XDG_DATA_HOME/gazette`, or `~/.local/share/gazette` when XDG_DATA_HOME is unset, empty or relative.
    public static func defaultDirectory(environment: [String: String]) throws -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return trimmingTrailingSlashes(xdg) + "/" + directoryName
        }
        return trimmingTrailingSlashes(try homeDirectory(environment: environment)) + "/.local/share/" + directoryName
    }

    /// The directory holding the database file.
    public var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = path[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }

    /// Creates the default location's directory (and missing parents) with mode 0700. Existing directories
    /// keep their mode. Does nothing for an explicit path.
    public func createDirectoryIfNeeded() throws {
        guard isDefault else { return }
        try Self.makeDirectories(directory)
    }

    static func makeDirectories(_ directory: String) throws {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            if stat(prefix, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw StoreError(.cannotCreateDirectory, path: prefix, detail: "a file is in the way")
                }
                continue
            }
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw StoreError(.cannotCreateDirectory, path: prefix, detail: systemError())
            }
        }
    }

    private static func homeDirectory(environment: [String: String]) throws -> String {
        if let home = environment["HOME"], home.hasPrefix("/") { return home }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir {
            let home = String(cString: dir)
            if home.hasPrefix("/") { return home }
        }
        throw StoreError(.noHome, path: "~", detail: "HOME is not set and the user has no home directory")
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }
}

/// Creates `path` exclusively with `mode` (subject to the umask); false with `errno` set when it fails.
func createFile(_ path: String, mode: mode_t) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { return false }
    close(fd)
    return true
}

/// `strerror(errno)`.
func systemError(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
