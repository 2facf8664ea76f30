import Glibc

/// A private tmux server (its own socket in a temporary directory, no configuration), driven through one
/// control-mode client: commands and screen captures go over a pipe, without starting a tmux process for each
/// poll, so a capture costs a fraction of a millisecond and the polling resolution is fine enough for keys.
///
/// tmux 3.3a keeps some memory for every capture made in control mode (about 5 kB), so a server is used for one
/// series of measurements and then stopped.
final class Tmux {
    let directory: String
    let columns: Int
    let rows: Int
    private let socket: String
    private var control: Spawn.Child
    private var serverPID: pid_t = 0
    private var pending: [UInt8] = []
    private var windows = 0

    init(columns: Int = 120, rows: Int = 40) throws {
        var template = Array("/tmp/gazette-bench.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError("mkdtemp failed") }
        directory = String(cString: made)
        socket = directory + "/sock"
        self.columns = columns
        self.rows = rows
        let started = Spawn.run(["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "bench",
                                 "-x", "\(columns)", "-y", "\(rows)", "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8",
                                 "sleep 2147483647"])
        guard started.status == 0,
              let child = Spawn.start(["tmux", "-S", socket, "-C", "attach", "-t", "bench"], pipeInput: true)
        else { throw BenchError("cannot start tmux") }
        control = child
        _ = try block()  // the attach itself
        _ = try command("refresh-client -f no-output")
        serverPID = pid_t(try command("display -p '#{pid}'").first ?? "") ?? 0
    }

    deinit { shutdown() }

    /// Stops the server (and whatever still runs in it) and removes the directory.
    func shutdown() {
        guard control.pid > 0 else { return }
        close(control.input)
        if serverPID > 0 { Glibc.kill(serverPID, SIGTERM) }
        Glibc.kill(control.pid, SIGTERM)
        close(control.output)
        _ = Spawn.wait(control.pid)
        control.pid = 0
        Spawn.run(["rm", "-rf", directory])
    }

    /// Runs a tmux command and returns its output lines.
    @discardableResult
    func command(_ line: String) throws -> [String] {
        var bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(control.input, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw BenchError("tmux control client went away") }
            written += n
        }
        return try block()
    }

    /// The pane's text, with attributes (`-e`: the selection is in reverse video) unless `plain`.
    func capture(_ window: String, plain: Bool = false) throws -> String {
        try command("capture-pane -p \(plain ? "" : "-e ")-t bench:\(window)").joined(separator: "\n")
    }

    /// Opens a window running `shellCommand` (single quotes not allowed) with extra environment; returns its name.
    func open(_ shellCommand: String, environment: [String: String] = [:]) throws -> String {
        windows += 1
        let name = "w\(windows)"
        let env = environment.map { "-e '\($0.key)=\($0.value)' " }.joined()
        try command("new-window -d -n \(name) \(env)'\(shellCommand)'")
        return name
    }

    func send(_ window: String, _ keys: String...) throws {
        try command("send-keys -t bench:\(window) \(keys.joined(separator: " "))")
    }

    /// Whether the window still exists (its program still runs).
    func exists(_ window: String) throws -> Bool {
        try command("list-windows -t bench -F '#{window_name}'").contains(window)
    }

    func kill(_ window: String) {
        _ = try? command("kill-window -t bench:\(window)")
    }

    /// Polls the pane until `done` holds for its text; returns the milliseconds since `start`, or nil after
    /// `timeout` seconds.
    func wait(_ window: String, since start: Double, timeout: Double, plain: Bool = false,
              until done: (String) -> Bool) throws -> Double? {
        while true {
            let screen = try capture(window, plain: plain)
            let now = monotonic()
            if done(screen) { return (now - start) * 1000 }
            if now - start > timeout { return nil }
            // A breath between polls: tmux answering captures nonstop would take a core from the program measured
            // (there are two), and tmux 3.3a grows with every capture. 0.1 ms, or 1% of the time waited so far up to
            // 2 ms: the resolution stays about 1% of what is measured.
            usleep(UInt32(min(2000, max(100, (now - start) * 10_000))))
        }
    }

    /// Waits (up to `timeout` seconds) for the window's program to exit.
    func waitForExit(_ window: String, timeout: Double = 30) throws {
        let start = monotonic()
        while try exists(window) {
            if monotonic() - start > timeout {
                kill(window)
                return
            }
            usleep(5_000)
        }
    }

    /// The lines of the next response block, skipping notifications.
    private func block() throws -> [String] {
        var lines: [String] = []
        var inside = false
        while true {
            let line = try readLine()
            if !inside {
                if line.hasPrefix("%begin") { inside = true }
                continue
            }
            if line.hasPrefix("%end") { return lines }
            if line.hasPrefix("%error") { throw BenchError("tmux: \(lines.joined(separator: " "))") }
            lines.append(line)
        }
    }

    private func readLine() throws -> String {
        while true {
            if let nl = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<nl], as: UTF8.self)
                pending.removeSubrange(...nl)
                return line
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = read(control.output, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw BenchError("tmux control client closed") }
            pending += buffer[0..<n]
        }
    }
}
