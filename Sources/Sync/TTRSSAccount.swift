import Foundation

/// Where the password comes from. Never the command line, never the store, never a log.
public enum PasswordSource: Hashable, Sendable {
    /// `set ttrss-password-command`: run without a shell (the words as given, the first looked up in PATH); the
    /// first line of its standard output.
    case command([String])
    /// `set ttrss-password-file`: its first line; refused when its group or others may read it.
    case file(String)
    /// For tests and embedding programs only: the configuration has no way to give it.
    case literal(String)

    /// The password, or `SyncError.configuration` saying what to change.
    public func password() throws(SyncError) -> String {
        switch self {
        case .literal(let password): return password
        case .file(let path): return try Self.fromFile(path)
        case .command(let words): return try Self.fromCommand(words)
        }
    }

    private static func firstLine(_ bytes: [UInt8]) -> String {
        let line = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        var text = String(decoding: line, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    static func fromFile(_ path: String) throws(SyncError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .configuration("cannot read ttrss-password-file \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .configuration("ttrss-password-file \(path) is not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .configuration("ttrss-password-file \(path) can be read by others: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read ttrss-password-file \(path)")
        }
        let password = firstLine(Array(data))
        guard !password.isEmpty else { throw .configuration("ttrss-password-file \(path) is empty (its first line is the password)") }
        return password
    }

    static func fromCommand(_ words: [String]) throws(SyncError) -> String {
        guard let name = words.first, !name.isEmpty else { throw .configuration("ttrss-password-command is empty") }
        guard let executable = lookUp(name) else {
            throw .configuration("ttrss-password-command: \(name) not found (give its full path or put it in PATH)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(words.dropFirst())
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .configuration("ttrss-password-command: \(name) could not be run")
        }
        // Both pipes read to their end before waiting (a large output must not block the child).
        let errorData = Mutex<Data>()
        let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let detail = firstLine(Array(errorData.value ?? Data()))
            let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "killed by a signal"
            throw .configuration("ttrss-password-command \(name) failed (\(how))" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        let password = firstLine(Array(data))
        guard !password.isEmpty else { throw .configuration("ttrss-password-command \(name) printed no password") }
        return password
    }

    /// `name` itself when it holds a slash, else the first executable of that name in PATH.
    static func lookUp(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// A value set once by another thread.
private final class Mutex<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    func set(_ value: Value) { lock.withLock { stored = value } }
    var isSet: Bool { lock.withLock { stored != nil } }
    var value: Value? { lock.withLock { stored } }
}

/// A Tiny Tiny RSS account: the server's base URL (the API is `api/` under it), the login, the password's source.
public struct TTRSSAccount: Hashable, Sendable {
    public var url: String
    public var login: String
    public var password: PasswordSource

    public init(url: String, login: String, password: PasswordSource) {
        self.url = url
        self.login = login
        self.password = password
    }

    /// The API's URL: `api/` under the base URL (kept when the URL already ends in `api/`).
    public var apiURL: String {
        var base = url
        if !base.hasSuffix("/") { base += "/" }
        if base.hasSuffix("/api/") { return base }
        return base + "api/"
    }
}
