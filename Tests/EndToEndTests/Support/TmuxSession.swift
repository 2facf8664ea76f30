import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A program running in a pane of a private tmux server, driven like a person would drive it.
///
/// One server per session: `tmux -S <private temp dir>/sock -f /dev/null`, so no user
/// configuration applies and no other tmux server is touched; `close()` (or deinit) kills the
/// server and removes the directory. The pane gets `LANG=C.UTF-8 LC_ALL=C.UTF-8` unless the
/// caller's environment says otherwise.
///
/// The command runs as `CMD; echo $? > status; exec sleep 2147483647`, so the pane (and its
/// last screen) stays after the program exits and the exit status is read from a file
/// (`remain-on-exit` loses it about one run in four). The program writes its own pid first
/// (`sh -c 'echo $$ > pid; exec "$@"'`), so `kill(signal:)` reaches it and not the shell.
///
/// Waiting is by polling `capture-pane` every 20 ms up to a timeout. Timeouts only keep a
/// broken test from hanging: never assert on how long something took.
final class TmuxSession {
    /// Default pane size.
    static let defaultSize = (columns: 120, rows: 40)
    /// Default timeout for the `wait…` methods, in seconds: generous, see above.
    static let defaultTimeout: TimeInterval = 10

    let directory: String
    let socket: String
    let target = "gz:0.0"
    private let tmux: String
    private var closed = false

    private var statusFile: String { directory + "/status" }
    private var pidFile: String { directory + "/pid" }

    /// The tmux binary, or `nil` when it is not installed.
    static var tmuxPath: String? { Spawn.which("tmux") }

    /// Starts `command` (argv, looked up in PATH) in a new pane of `size`.
    ///
    /// - Parameters:
    ///   - environment: added to the pane's environment (after the UTF-8 locale defaults, so it
    ///     can override them).
    ///   - workingDirectory: the pane's current directory (the session's temp directory if nil).
    /// - Throws: `XCTSkip` when tmux is not installed; an error when the server cannot start.
    init(command: [String], environment: [String: String] = [:],
         size: (columns: Int, rows: Int) = TmuxSession.defaultSize,
         workingDirectory: String? = nil) throws {
        guard let tmux = TmuxSession.tmuxPath else {
            throw XCTSkip("tmux is not installed: the end-to-end tests drive the reader in a tmux pane")
        }
        precondition(!command.isEmpty)
        self.tmux = tmux
        // Short: a Unix socket path must fit in 108 bytes.
        var template = Array("/tmp/gz-e2e.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Spawn.Failure(description: "mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        socket = directory + "/sock"

        // The pane's script. The program's pid goes to a file before it execs.
        let quoted = command.map(TmuxSession.shellQuote).joined(separator: " ")
        // `trap :` keeps this shell alive through a Ctrl-C or Ctrl-\ meant for the program (they
        // reach the whole foreground process group) without ignoring them in the program: a
        // trapped signal is reset to its default on exec, an ignored one would stay ignored.
        let script = """
            trap : INT QUIT
            /bin/sh -c 'echo $$ > \(TmuxSession.shellQuote(pidFile)); exec "$@"' sh \(quoted)
            echo $? > \(TmuxSession.shellQuote(statusFile))
            exec sleep 2147483647

            """
        let scriptPath = directory + "/run.sh"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)

        var arguments = ["new-session", "-d", "-s", "gz", "-x", "\(size.columns)", "-y", "\(size.rows)",
                         "-c", workingDirectory ?? directory]
        var paneEnvironment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        paneEnvironment.merge(environment) { _, new in new }
        for (key, value) in paneEnvironment.sorted(by: { $0.key < $1.key }) {
            arguments += ["-e", "\(key)=\(value)"]
        }
        // Several words after new-session: tmux execs them directly, whatever the user's shell.
        arguments += ["/bin/sh", scriptPath]
        do {
            try tmuxCommand(arguments)
        } catch {
            removeDirectory()
            closed = true
            throw error
        }
    }

    deinit { close() }

    /// Kills the server (and with it the program, by SIGHUP) and removes the directory. Idempotent.
    func close() {
        guard !closed else { return }
        closed = true
        _ = try? Spawn.run([tmux, "-S", socket, "kill-server"], environment: TmuxSession.clientEnvironment,
                           timeout: 5)
        removeDirectory()
    }

    // MARK: Driving

    /// Sends tmux key names (`Down`, `Enter`, `C-c`, `q`, `Escape`, `M-x`), one key each.
    func send(keys: String...) throws {
        try send(keys: keys)
    }

    func send(keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try tmuxCommand(["send-keys", "-t", target] + keys)
    }

    /// Types `text` literally (no key-name lookup).
    func type(_ text: String) throws {
        try tmuxCommand(["send-keys", "-t", target, "-l", text])
    }

    /// Resizes the window (and so the pane): the program gets SIGWINCH.
    func resize(columns: Int, rows: Int) throws {
        try tmuxCommand(["resize-window", "-t", "gz:0", "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// Sends `signal` to the program (not to the shell around it).
    func kill(signal: Int32) throws {
        guard let pid = try programPID() else {
            throw Spawn.Failure(description: "the program's pid never appeared in \(pidFile)")
        }
        guard Glibc.kill(pid, signal) == 0 else {
            throw Spawn.Failure(description: "kill(\(pid), \(signal)) failed: \(String(cString: strerror(errno)))")
        }
    }

    // MARK: Looking

    /// The pane's visible screen, one line per row, trailing blanks trimmed, a wide character
    /// once. With attributes, SGR escape sequences are kept (reverse video marks the selection).
    /// With `joinWrapped`, a line the terminal wrapped comes back as one line. With `history`, the lines
    /// that scrolled off the top come first.
    func capture(withAttributes: Bool = false, joinWrapped: Bool = false, history: Bool = false) throws -> String {
        var output = try tmuxCommand(["capture-pane", "-p", "-t", target]
                                     + (withAttributes ? ["-e"] : []) + (joinWrapped ? ["-J"] : [])
                                     + (history ? ["-S", "-"] : []))
        if output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// The screen's rows (see `capture`).
    func lines(joinWrapped: Bool = false) throws -> [String] {
        try capture(joinWrapped: joinWrapped).components(separatedBy: "\n")
    }

    /// A tmux format evaluated for the pane: `#{alternate_on}`, `#{cursor_flag}`,
    /// `#{cursor_x}`, `#{pane_title}`, `#{pane_width}x#{pane_height}`…
    func display(_ format: String) throws -> String {
        var output = try tmuxCommand(["display-message", "-p", "-t", target, format])
        if output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// The program's pid, once its wrapper wrote it.
    func programPID(timeout: TimeInterval = TmuxSession.defaultTimeout) throws -> pid_t? {
        var pid: pid_t?
        try? waitUntil(timeout: timeout, "the program's pid file") {
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), text.hasSuffix("\n"),
                  let value = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
            pid = value
            return true
        }
        return pid
    }

    /// The program's exit status (128 + n when signal n ended it), or `nil` if it is still
    /// running after `timeout`.
    func exitStatus(timeout: TimeInterval = TmuxSession.defaultTimeout) -> Int32? {
        var status: Int32?
        try? waitUntil(timeout: timeout, "the program to exit") {
            guard let text = try? String(contentsOfFile: statusFile, encoding: .utf8), text.hasSuffix("\n"),
                  let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
            status = value
            return true
        }
        return status
    }

    // MARK: Waiting

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    /// Polls every 20 ms until `predicate` holds; throws `Timeout` (with the last screen) after
    /// `timeout` seconds.
    func waitUntil(timeout: TimeInterval = TmuxSession.defaultTimeout, _ what: String = "a condition",
                   _ predicate: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try predicate() { return }
            if Date() > deadline {
                let screen = (try? capture()) ?? "(no capture)"
                throw Timeout(description: "timed out after \(timeout) s waiting for \(what); the screen:\n\(screen)")
            }
            usleep(20_000)
        }
    }

    /// Waits until `text` is on the screen.
    func waitFor(text: String, timeout: TimeInterval = TmuxSession.defaultTimeout) throws {
        try waitUntil(timeout: timeout, "\"\(text)\" on screen") { try capture().contains(text) }
    }

    /// Waits until `text` is no longer on the screen.
    func waitForAbsence(of text: String, timeout: TimeInterval = TmuxSession.defaultTimeout) throws {
        try waitUntil(timeout: timeout, "\"\(text)\" to leave the screen") { try !capture().contains(text) }
    }

    /// Waits until `format` evaluates to `value`, e.g. `#{alternate_on}` to `0`.
    func waitFor(format: String, toBe value: String, timeout: TimeInterval = TmuxSession.defaultTimeout) throws {
        try waitUntil(timeout: timeout, "\(format) == \(value)") { try display(format) == value }
    }

    /// Runs any tmux command against this session's server (`set-option`, `pipe-pane`, `list-buffers`…) and
    /// returns its output.
    @discardableResult
    func command(_ arguments: [String]) throws -> String {
        try tmuxCommand(arguments)
    }

    // MARK: Plumbing

    /// Runs a tmux client command against this server; returns its output, throws on failure.
    @discardableResult
    private func tmuxCommand(_ arguments: [String]) throws -> String {
        let result = try Spawn.run([tmux, "-S", socket, "-f", "/dev/null"] + arguments,
                                   environment: TmuxSession.clientEnvironment)
        guard result.status == 0 else {
            throw Spawn.Failure(description: "tmux \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.output)")
        }
        return result.output
    }

    /// The client's (and so the server's) environment: ours, without the variables that tie a
    /// client to an enclosing tmux.
    private static var clientEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        environment["TMUX_PANE"] = nil
        return environment
    }

    private func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `text` in single quotes for /bin/sh.
    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
