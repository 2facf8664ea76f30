/// The fault server (issue 12): a small HTTP/1.1 server on plain POSIX sockets on 127.0.0.1, for what nginx will
/// not do on demand: trickled bodies, resets in the middle of a body, endless bodies, gzip bombs, delays, answers
/// that change from one request to the next, redirect loops, any status and headers. It records every request
/// (method, target, headers) so tests can count them and check what a client sent.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request as the fault server read it.
public struct RecordedRequest: Hashable, Sendable {
    public var method: String
    /// The request target: path and query (or an absolute URL when the client took the server for a proxy).
    public var target: String
    /// Header names lowercased; a header sent twice has its values joined with ", ".
    public var headers: [String: String]
    /// The server's number for the connection it came on (1, 2, … in the order they were accepted): requests with
    /// the same number shared one connection.
    public var connection: Int

    public init(method: String, target: String, headers: [String: String], connection: Int = 0) {
        self.method = method
        self.target = target
        self.headers = headers
        self.connection = connection
    }
}

/// What the fault server does with a request.
public indirect enum FaultBehaviour: Sendable {
    /// A complete answer with a Content-Length (unless `headers` has one, which is then sent as it is: a lie
    /// allowed). A header value with "\n" in it is sent as several header lines of that name (`Link`).
    case respond(status: Int, headers: [String: String] = [:], body: [UInt8] = [])
    /// 200 with a Content-Length, then the body a few bytes at a time at about `bytesPerSecond`.
    case slow(bytesPerSecond: Int, body: [UInt8])
    /// 200 with `Content-Length: claimed`, then `bytes` bytes of it, then a TCP reset (SO_LINGER 0).
    case resetAfter(bytes: Int, claimed: Int)
    /// 200 with neither a length nor chunks, then data until the client goes away.
    case endless
    /// 200, `Content-Encoding: gzip`, whatever the client accepts: a small body that decodes to `decodedSize` zero
    /// bytes.
    case gzipBomb(decodedSize: Int)
    /// Waits (ending early if the client goes away), then behaves as `then`.
    case delay(seconds: Double, then: FaultBehaviour)
    /// The n-th request to the route gets the n-th behaviour; the last repeats.
    case sequence([FaultBehaviour])
    /// Decided per request.
    case handler(@Sendable (RecordedRequest) -> FaultBehaviour)
}

extension FaultBehaviour {
    /// 200 with `xml` (or any text) as the body and `type` as its Content-Type, plus `headers`.
    public static func feed(_ xml: String, type: String = "application/rss+xml",
                            headers: [String: String] = [:]) -> FaultBehaviour {
        var all = ["Content-Type": type]
        all.merge(headers) { _, new in new }
        return .respond(status: 200, headers: all, body: Array(xml.utf8))
    }

    /// A redirect (`status` 301, 302, 303, 307 or 308) to `location`, as it is (relative or absolute).
    public static func redirect(_ status: Int, to location: String) -> FaultBehaviour {
        .respond(status: status, headers: ["Location": location])
    }

    /// The sizes of every gzip bomb in it that is known before a request comes (not those behind a handler).
    fileprivate var bombSizes: [Int] {
        switch self {
        case let .gzipBomb(size): [size]
        case let .delay(_, then): then.bombSizes
        case let .sequence(list): list.flatMap(\.bombSizes)
        default: []
        }
    }
}

/// The fault server. Listens on a free 127.0.0.1 port from `init` until `stop()` (or release); one thread per
/// connection, HTTP/1.1 with keep-alive. A request is matched by its target against the routes (exactly, then its
/// path without the query), else it gets a 404.
public final class FaultServer: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let core: FaultCore
    private let acceptDone = DispatchSemaphore(value: 0)

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `baseURL` + `target` (which starts with "/").
    public func url(_ target: String) -> String { baseURL + target }

    /// `routes`: request target (such as "/feed.xml" or "/?paged=2") to behaviour.
    public init(routes: [String: FaultBehaviour]) throws {
        for size in routes.values.flatMap(\.bombSizes) { _ = try GzipBomb.bytes(decodedSize: size) }
        (listener, port) = try Loopback.listener()
        core = FaultCore(routes: routes)
        let listener = listener
        let core = core
        let acceptDone = acceptDone
        Thread.detachNewThread {
            core.acceptLoop(listener)
            acceptDone.signal()
        }
    }

    deinit {
        stop()
    }

    /// Replaces a route's behaviour (its sequence starts again from the first).
    public func setRoute(_ target: String, _ behaviour: FaultBehaviour) {
        for size in behaviour.bombSizes { _ = try? GzipBomb.bytes(decodedSize: size) }
        core.state.withLock {
            $0.routes[target] = behaviour
            $0.served[target] = nil
        }
    }

    /// Every request so far, in the order they came.
    public var requests: [RecordedRequest] {
        core.state.withLock { $0.requests }
    }

    /// How many requests came for exactly this target (path and query).
    public func requestCount(_ target: String) -> Int {
        core.state.withLock { $0.requests.count(where: { $0.target == target }) }
    }

    /// The most connections open at once so far (idle keep-alive connections count).
    public var maxConcurrentConnections: Int {
        core.state.withLock { $0.maxOpen }
    }

    /// The most requests being answered at once so far.
    public var maxConcurrentRequests: Int {
        core.state.withLock { $0.maxActive }
    }

    /// Connections open now.
    public var openConnections: Int {
        core.state.withLock { $0.open.count }
    }

    /// Stops listening, shuts every connection down, and waits (up to 2 s) for their threads to end. Idempotent.
    public func stop() {
        let first = core.state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.stopped = true
            for fd in state.open { shutdown(fd, Int32(SHUT_RDWR)) }
            return true
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))  // accept() returns EINVAL
        acceptDone.wait()
        close(listener)
        let deadline = Date().addingTimeInterval(2)
        while core.state.withLock({ $0.threads }) > 0, Date() < deadline { usleep(2_000) }
    }
}

/// The fault server's state and its connection threads' work.
final class FaultCore: @unchecked Sendable {
    struct State {
        var routes: [String: FaultBehaviour]
        /// Requests matched per route key, for `sequence`.
        var served: [String: Int] = [:]
        var requests: [RecordedRequest] = []
        var open: Set<Int32> = []
        var maxOpen = 0
        var active = 0
        var maxActive = 0
        var connections = 0
        var threads = 0
        var stopped = false
    }

    let state: Locked<State>

    init(routes: [String: FaultBehaviour]) {
        state = Locked(State(routes: routes))
    }

    func acceptLoop(_ listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if state.withLock({ $0.stopped }) { return }
                if errno == EMFILE || errno == ENFILE {
                    usleep(10_000)
                    continue
                }
                return
            }
            let number = state.withLock { state -> Int? in
                guard !state.stopped else { return nil }
                state.connections += 1
                state.open.insert(fd)
                state.maxOpen = max(state.maxOpen, state.open.count)
                state.threads += 1
                return state.connections
            }
            guard let number else {
                close(fd)
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // a tool the test starts must not keep the connection open
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            Thread.detachNewThread { [self] in
                serve(fd, connection: number)
            }
        }
    }

    private enum Outcome {
        case keepAlive, close, reset
    }

    private struct Request {
        var recorded: RecordedRequest
        var version: String
        var bodyLength: Int
        var chunked: Bool
    }

    private func serve(_ fd: Int32, connection: Int) {
        var buffer: [UInt8] = []
        var outcome = Outcome.close
        while let request = readRequest(fd, &buffer, connection: connection) {
            let (behaviour, count) = state.withLock { state -> (FaultBehaviour, Int) in
                state.requests.append(request.recorded)
                state.active += 1
                state.maxActive = max(state.maxActive, state.active)
                let target = request.recorded.target
                let path = String(target.prefix { $0 != "?" })
                let key = state.routes[target] != nil ? target : path
                guard let behaviour = state.routes[key] else {
                    return (.respond(status: 404, headers: ["Content-Type": "text/plain"], body: Array("not found\n".utf8)), 1)
                }
                let count = (state.served[key] ?? 0) + 1
                state.served[key] = count
                return (behaviour, count)
            }
            let headers = request.recorded.headers
            let connectionHeader = headers["connection"]?.lowercased() ?? ""
            let clientCloses = request.version == "HTTP/1.0" ? !connectionHeader.contains("keep-alive")
                : connectionHeader.contains("close")
            outcome = perform(behaviour, request: request.recorded, count: count, fd: fd,
                              close: clientCloses || request.chunked)
            state.withLock { $0.active -= 1 }
            if outcome != .keepAlive || clientCloses || request.chunked { break }
        }
        state.withLock { state in
            if outcome == .reset {
                var abort = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, socklen_t(MemoryLayout<linger>.size))
            }
            state.open.remove(fd)
            close(fd)
            state.threads -= 1
        }
    }

    /// Reads one request's head (and skips its Content-Length body); nil when the client closed, the server
    /// stopped, or the request is not HTTP.
    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8], connection: Int) -> Request? {
        let end: Int
        while true {
            if let found = headEnd(buffer) {
                end = found
                break
            }
            guard buffer.count < 64 * 1024, receive(fd, into: &buffer) else { return nil }
        }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        let length = Int(headers["content-length"] ?? "") ?? 0
        while buffer.count < length {
            guard receive(fd, into: &buffer) else { return nil }
        }
        buffer.removeFirst(length)
        return Request(recorded: RecordedRequest(method: String(parts[0]), target: String(parts[1]), headers: headers,
                                                 connection: connection),
                       version: String(parts[2]), bodyLength: length,
                       chunked: headers["transfer-encoding"]?.lowercased().contains("chunked") ?? false)
    }

    private func headEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer += chunk[0..<count]
            return true
        }
    }

    private func perform(_ behaviour: FaultBehaviour, request: RecordedRequest, count: Int, fd: Int32,
                         close: Bool) -> Outcome {
        switch behaviour {
        case let .respond(status, headers, body):
            let bodiless = status == 204 || status == 304 || (100..<200).contains(status)
            var all = headers
            if !bodiless, !headers.keys.contains(where: { $0.lowercased() == "content-length" }) {
                all["Content-Length"] = "\(body.count)"
            }
            let sendsBody = !bodiless && request.method != "HEAD"
            let ok = Loopback.sendAll(fd, Self.head(status, all, close: close) + (sendsBody ? body : []))
            return ok ? .keepAlive : .close

        case let .slow(bytesPerSecond, body):
            let rate = max(1, bytesPerSecond)
            let head = Self.head(200, ["Content-Type": "application/rss+xml", "Content-Length": "\(body.count)"],
                                 close: close)
            guard Loopback.sendAll(fd, head) else { return .close }
            guard request.method != "HEAD" else { return .keepAlive }
            let step = max(1, rate / 10)
            var offset = 0
            while offset < body.count {
                let piece = Array(body[offset..<min(body.count, offset + step)])
                guard Loopback.sendAll(fd, piece) else { return .close }
                offset += piece.count
                if offset < body.count, !wait(Double(piece.count) / Double(rate), fd: fd) { return .close }
            }
            return .keepAlive

        case let .resetAfter(bytes, claimed):
            let head = Self.head(200, ["Content-Type": "application/rss+xml", "Content-Length": "\(claimed)"],
                                 close: false)
            let part = [UInt8](repeating: UInt8(ascii: "x"), count: max(0, min(bytes, claimed)))
            guard Loopback.sendAll(fd, head + part) else { return .close }
            // Wait until the client's kernel has acknowledged every byte, so that the reset cannot overtake them.
            let deadline = Date().addingTimeInterval(1)
            var unacknowledged: Int32 = 1
            while Date() < deadline {
                guard ioctl(fd, UInt(0x5411) /* SIOCOUTQ */, &unacknowledged) == 0, unacknowledged > 0 else { break }
                usleep(1_000)
            }
            usleep(20_000)
            return .reset

        case .endless:
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n"
            guard Loopback.sendAll(fd, Array(head.utf8)) else { return .close }
            let item = Array("<item><title>again</title><description>and again</description></item>\n".utf8)
            let chunk = Array(Array(repeating: item, count: 64 * 1024 / item.count).joined())
            while !state.withLock({ $0.stopped }) {
                guard Loopback.sendAll(fd, chunk) else { break }
            }
            return .close

        case let .gzipBomb(decodedSize):
            guard let compressed = try? GzipBomb.bytes(decodedSize: decodedSize) else {
                return perform(.respond(status: 500, body: Array("gzip failed\n".utf8)), request: request,
                               count: count, fd: fd, close: close)
            }
            return perform(.respond(status: 200, headers: ["Content-Type": "application/rss+xml",
                                                           "Content-Encoding": "gzip"], body: compressed),
                           request: request, count: count, fd: fd, close: close)

        case let .delay(seconds, then):
            guard wait(seconds, fd: fd) else { return .close }
            return perform(then, request: request, count: count, fd: fd, close: close)

        case let .sequence(list):
            guard let chosen = list.isEmpty ? nil : list[min(count, list.count) - 1] else {
                return perform(.respond(status: 500, body: Array("empty sequence\n".utf8)), request: request,
                               count: count, fd: fd, close: close)
            }
            return perform(chosen, request: request, count: count, fd: fd, close: close)

        case let .handler(decide):
            return perform(decide(request), request: request, count: count, fd: fd, close: close)
        }
    }

    /// Sleeps `seconds`; false as soon as the client hangs up or the server stops.
    private func wait(_ seconds: Double, fd: Int32) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if state.withLock({ $0.stopped }) { return false }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return true }
            let pollRDHUP: Int16 = 0x2000  // POLLRDHUP: the peer closed its end
            var entry = pollfd(fd: fd, events: pollRDHUP, revents: 0)
            let milliseconds = Int32(min(left, 0.05) * 1000) + 1
            if poll(&entry, 1, milliseconds) > 0 {
                if entry.revents & (pollRDHUP | Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)) != 0 { return false }
                usleep(UInt32(milliseconds) * 1000)  // a pipelined request is waiting: not a reason to hurry
            }
        }
    }

    private static let reasons = [
        200: "OK", 201: "Created", 204: "No Content", 206: "Partial Content", 301: "Moved Permanently", 302: "Found",
        303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 410: "Gone",
        429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    ]

    private static func head(_ status: Int, _ headers: [String: String], close: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reasons[status] ?? "Status")\r\n"
        for name in headers.keys.sorted() {
            for value in headers[name]!.split(separator: "\n", omittingEmptySubsequences: false) {
                text += "\(name): \(value)\r\n"
            }
        }
        if close { text += "Connection: close\r\n" }
        return Array((text + "\r\n").utf8)
    }
}

/// Gzip bombs, made once per size with the gzip tool (from a sparse file of zeros, so nothing big is written)
/// and kept in memory: about 1 KB per MB decoded.
enum GzipBomb {
    private static let cache = Locked([Int: [UInt8]]())

    static func bytes(decodedSize: Int) throws -> [UInt8] {
        if let cached = cache.withLock({ $0[decodedSize] }) { return cached }
        guard let gzip = Tool.find("gzip", candidates: ["/usr/bin/gzip", "/bin/gzip"]) else {
            throw TestServerError("gzip is not installed")
        }
        let folder = try Temporary.folder("gazette-bomb")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/zeros"
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TestServerError("cannot create \(path)") }
        let sized = ftruncate(fd, off_t(decodedSize))
        close(fd)
        guard sized == 0 else { throw TestServerError("cannot size \(path)") }
        let compressed = [UInt8](try Tool.check(gzip, ["-c", "-n", "-9", path]))
        cache.withLock { $0[decodedSize] = compressed }
        return compressed
    }
}
