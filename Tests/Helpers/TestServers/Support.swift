/// Plumbing shared by the test servers (NginxServer, FaultServer): TCP sockets on 127.0.0.1, free ports, running a
/// tool with an argument list (never through a shell), temporary folders, a lock-protected box, and a safety net
/// that kills the servers' child processes when the test process exits without stopping them.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a test server could not start.
public struct TestServerError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A value behind a lock, for state shared between a server's threads and the test.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// TCP on 127.0.0.1 with plain POSIX calls. Every send uses MSG_NOSIGNAL, so a peer that went away gives EPIPE and
/// never a SIGPIPE that would kill the test process (the signal's disposition is left alone: children inherit it).
enum Loopback {
    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        return address
    }

    static func newSocket() -> Int32 {
        socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    /// A socket bound to 127.0.0.1:`port` (0: the kernel picks one) and listening, with the port it got.
    static func listener(port: Int = 0) throws -> (fd: Int32, port: Int) {
        let fd = newSocket()
        guard fd >= 0 else { throw TestServerError("socket(): \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = address(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0, let actual = localPort(fd) else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw TestServerError("cannot listen on 127.0.0.1:\(port): \(message)")
        }
        return (fd, actual)
    }

    static func localPort(_ fd: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return result == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// A port that was free a moment ago (bound, read back, closed), for a server in another process.
    /// `excluding`: ports already handed out for the same server.
    static func freePort(excluding: Set<Int> = []) throws -> Int {
        for _ in 0..<20 {
            let (fd, port) = try listener()
            close(fd)
            if !excluding.contains(port) { return port }
        }
        throw TestServerError("no free port on 127.0.0.1")
    }

    /// A socket connected to 127.0.0.1:`port`, or nil.
    static func connect(port: Int) -> Int32? {
        let fd = newSocket()
        guard fd >= 0 else { return nil }
        var address = address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            close(fd)
            return nil
        }
        return fd
    }

    static func canConnect(port: Int) -> Bool {
        guard let fd = connect(port: port) else { return false }
        close(fd)
        return true
    }

    /// Sends all of `bytes`; false when the peer went away (or the socket was shut down).
    static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var base = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let sent = send(fd, base, left, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            if sent == 0 { return false }
            base += sent
            left -= sent
        }
        return true
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { sendAll(fd, $0) }
    }

    /// Sends `request` to 127.0.0.1:`port` and reads the answer until the server closes the connection.
    static func exchange(port: Int, request: String, timeout: Double) -> [UInt8]? {
        guard let fd = connect(port: port) else { return nil }
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard sendAll(fd, Array(request.utf8)) else { return nil }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return answer }
            answer += chunk[0..<count]
        }
    }
}

/// What a tool printed and how it ended.
struct ToolResult {
    var status: Int32
    var output: Data
    var errors: String
}

enum Tool {
    /// The first of `candidates` that is an executable file, else `name` looked up in PATH.
    static func find(_ name: String, candidates: [String]) -> String? {
        let manager = FileManager.default
        if let found = candidates.first(where: { manager.isExecutableFile(atPath: $0) }) { return found }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") where manager.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        return nil
    }

    /// Runs `executable` with `arguments` (no shell), standard input empty, and waits for it.
    static func run(_ executable: String, _ arguments: [String]) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Standard error is drained on another thread, so that neither pipe can fill up and block the tool.
        let errorHandle = errors.fileHandleForReading
        let errorText = Locked(Data())
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let data = errorHandle.readDataToEndOfFile()
            errorText.withLock { $0 = data }
            drained.signal()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        let text = errorText.withLock { String(decoding: $0, as: UTF8.self) }
        return ToolResult(status: process.terminationStatus, output: data, errors: text)
    }

    /// Runs it and throws with what it printed on standard error when it fails.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String]) throws -> Data {
        let result = try run(executable, arguments)
        guard result.status == 0 else {
            throw TestServerError("\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.errors)")
        }
        return result.output
    }
}

enum Temporary {
    /// A new, empty folder under the temporary directory (TMPDIR), named `prefix-XXXXXX`.
    static func folder(_ prefix: String) throws -> String {
        var base = FileManager.default.temporaryDirectory.path
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else { throw TestServerError("mkdtemp in \(base): \(String(cString: strerror(errno)))") }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// The child processes the servers started and have not reaped yet. When the test process exits without stopping
/// a server (a test that forgot, an XCTest failure that skipped teardown), they are killed at exit.
enum Children {
    private static let live = Locked(Set<pid_t>())
    private static let installed: Void = {
        atexit {
            Children.killAll()
        }
    }()

    static func add(_ pid: pid_t) {
        _ = installed
        live.withLock { _ = $0.insert(pid) }
    }

    static func remove(_ pid: pid_t) {
        live.withLock { _ = $0.remove(pid) }
    }

    static func killAll() {
        for pid in live.withLock({ $0 }) {
            kill(pid, SIGKILL)
        }
    }
}
