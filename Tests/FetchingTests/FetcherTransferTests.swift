import Foundation
import XCTest
@testable import Fetching
#if canImport(Glibc)
import Glibc
#endif

/// Real transfers through libcurl against a small scripted HTTP server on 127.0.0.1 (below): conditional GET,
/// compression, the decoded-size limit, timeouts, broken connections, redirects, Retry-After, Link headers, the
/// per-host limit, independence of failures, cancelling.
final class FetcherTransferTests: XCTestCase {
    private var servers: [LoopbackServer] = []

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
        super.tearDown()
    }

    private func serve(_ handler: @escaping LoopbackServer.Handler) throws -> LoopbackServer {
        let server = try LoopbackServer(handler: handler)
        servers.append(server)
        return server
    }

    /// Runs the requests and returns the responses by tag.
    private func fetch(_ requests: [FetchRequest], options: FetchOptions = FetchOptions()) throws -> [Int: FetchResponse] {
        let fetcher = try Fetcher(options: options)
        var responses: [Int: FetchResponse] = [:]
        fetcher.run(requests) { response in
            XCTAssertNil(responses[response.request.tag], "one completion per request")
            responses[response.request.tag] = response
        }
        XCTAssertEqual(responses.count, requests.count, "every request completes")
        return responses
    }

    private func fetch(_ url: String, etag: String? = nil, lastModified: String? = nil,
                       options: FetchOptions = FetchOptions()) throws -> FetchResponse {
        try XCTUnwrap(fetch([FetchRequest(url: url, etag: etag, lastModified: lastModified)], options: options)[0])
    }

    func testLibcurlIsLoadedWithoutBeingLinked() {
        XCTAssertTrue(Fetcher.isAvailable)
        XCTAssertNil(Fetcher.unavailableReason)
    }

    // MARK: Conditional GET

    func testSecondFetchSendsTheValidatorsAndA304HasNoBody() throws {
        let modified = "Sun, 06 Nov 1994 08:49:37 GMT"
        let server = try serve { request, connection in
            if request.headers["if-none-match"] == "\"v1\"" {
                connection.respond(status: 304, headers: [("ETag", "\"v1\"")])
            } else {
                connection.respond(status: 200, headers: [("ETag", "\"v1\""), ("Last-Modified", modified),
                                                          ("Content-Type", "application/atom+xml")], body: "<feed/>")
            }
        }
        var options = FetchOptions()
        options.userAgent = "Gazette/12 (+https://example.org/gazette)"
        let first = try fetch(server.url("/feed"), options: options)
        XCTAssertNil(first.error)
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(String(decoding: first.body, as: UTF8.self), "<feed/>")
        XCTAssertEqual(first.headers.etag, "\"v1\"")
        XCTAssertEqual(first.headers.lastModified, modified)
        XCTAssertEqual(first.headers.contentType, "application/atom+xml")
        XCTAssertFalse(first.notModified)

        let second = try fetch(server.url("/feed"), etag: first.headers.etag, lastModified: first.headers.lastModified,
                               options: options)
        XCTAssertNil(second.error)
        XCTAssertTrue(second.notModified)
        XCTAssertEqual(second.body, [])
        let requests = server.requests
        XCTAssertEqual(requests.count, 2)
        XCTAssertNil(requests[0].headers["if-none-match"])
        XCTAssertNil(requests[0].headers["if-modified-since"])
        XCTAssertEqual(requests[1].headers["if-none-match"], "\"v1\"")
        XCTAssertEqual(requests[1].headers["if-modified-since"], modified)
        XCTAssertEqual(requests[1].headers["user-agent"], options.userAgent)
    }

    // MARK: Compression and the size limit

    func testGzipBodyArrivesDecoded() throws {
        let text = String(repeating: "Gazette fetches feeds compressed.\n", count: 200)
        let compressed = try gzip(Array(text.utf8))
        XCTAssertLessThan(compressed.count, text.utf8.count / 4)
        let server = try serve { _, connection in
            connection.respond(status: 200, headers: [("Content-Encoding", "gzip")], body: compressed)
        }
        let response = try fetch(server.url("/feed.xml"))
        XCTAssertNil(response.error)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), text)
        let acceptEncoding = try XCTUnwrap(server.requests.first?.headers["accept-encoding"])
        XCTAssertTrue(acceptEncoding.contains("gzip"), acceptEncoding)
    }

    func testGzipBombStopsAtTheDecodedLimit() throws {
        // 8 MB of zeros compress to ~8 KB: small enough for libcurl's own (compressed) limit, far over ours.
        let bomb = try gzip([UInt8](repeating: 0, count: 8 << 20))
        XCTAssertLessThan(bomb.count, 64 << 10)
        let sentAll = LockedValue(false)
        let server = try serve { _, connection in
            guard connection.send("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: \(bomb.count)\r\n"
                + "Connection: close\r\n\r\n") else { return }
            for start in stride(from: 0, to: bomb.count, by: 256) {
                guard connection.send(Array(bomb[start..<min(start + 256, bomb.count)])) else { return }
                usleep(5000)
            }
            sentAll.set(true)
        }
        var options = FetchOptions()
        options.maxBytes = 64 << 10
        let response = try fetch(server.url("/bomb"), options: options)
        XCTAssertEqual(response.error, .tooLarge(limit: 64 << 10))
        XCTAssertEqual(response.body, [])
        server.waitUntilIdle()
        XCTAssertFalse(sentAll.value, "the transfer was aborted before the server could send the whole bomb")
    }

    func testEndlessBodyIsTooLarge() throws {
        let server = try serve { _, connection in
            guard connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n")
            else { return }
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 16 << 10)
            while connection.send(chunk) {}
        }
        var options = FetchOptions()
        options.maxBytes = 256 << 10
        let response = try fetch(server.url("/endless"), options: options)
        XCTAssertEqual(response.error, .tooLarge(limit: 256 << 10))
        XCTAssertEqual(response.error?.description, "the body passed the size limit of 256 KB (counted decompressed)")
        server.waitUntilIdle()
    }

    func testABodyOfExactlyTheLimitPasses() throws {
        let server = try serve { request, connection in
            connection.respond(status: 200, body: request.target == "/five" ? "hello" : "hello!")
        }
        var options = FetchOptions()
        options.maxBytes = 5
        let responses = try fetch([FetchRequest(url: server.url("/five"), tag: 1), FetchRequest(url: server.url("/six"), tag: 2)],
                                  options: options)
        XCTAssertNil(responses[1]?.error)
        XCTAssertEqual(responses[1]?.body, Array("hello".utf8))
        XCTAssertEqual(responses[2]?.error, .tooLarge(limit: 5))
    }

    // MARK: Timeouts and broken connections

    func testOneByteASecondTimesOut() throws {
        let server = try serve { _, connection in
            guard connection.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n") else { return }
            while connection.send("x") { sleep(1) }
        }
        var options = FetchOptions()
        options.totalTimeout = 2
        let response = try fetch(server.url("/slow"), options: options)
        guard case .timeout(let message) = response.error else { return XCTFail("\(String(describing: response.error))") }
        XCTAssertTrue(message.hasPrefix("timed out after 2 s while reading the body"), message)
        XCTAssertEqual(response.body, [])
    }

    func testResetInTheMiddleOfTheBodyIsATransferError() throws {
        let server = try serve { _, connection in
            guard connection.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n") else { return }
            _ = connection.send([UInt8](repeating: UInt8(ascii: "y"), count: 1000))
            usleep(200_000)
            connection.reset()
        }
        let response = try fetch(server.url("/reset"))
        guard case .transfer(let message) = response.error else { return XCTFail("\(String(describing: response.error))") }
        XCTAssertTrue(message.contains("reset while reading the body") || message.contains("closed before the body was complete"),
                      message)
        XCTAssertEqual(response.body, [])
    }

    func testOneFailingRequestNeverStopsTheOthers() throws {
        let server = try serve { request, connection in
            connection.respond(status: 200, body: "ok \(request.target)")
        }
        let closedPort = try LoopbackServer.unusedPort()
        let responses = try fetch([
            FetchRequest(url: server.url("/one"), tag: 1),
            FetchRequest(url: "http://127.0.0.1:\(closedPort)/feed", tag: 2),
            FetchRequest(url: "ftp://127.0.0.1/feed", tag: 3),
            FetchRequest(url: server.url("/two"), tag: 4),
        ])
        XCTAssertEqual(responses[1]?.body, Array("ok /one".utf8))
        XCTAssertEqual(responses[2]?.error, .connect("connection refused by 127.0.0.1:\(closedPort)"))
        XCTAssertEqual(responses[3]?.error, .badURL("ftp://127.0.0.1/feed is not an http or https URL"))
        XCTAssertEqual(responses[4]?.body, Array("ok /two".utf8))
        XCTAssertEqual(responses[4]?.status, 200)
    }

    // MARK: Redirects

    func testPermanentRedirectsGiveTheNewURLAndEveryHopIsConditional() throws {
        let server = try serve { request, connection in
            switch request.target {
            case "/a/old": connection.respond(status: 301, headers: [("Location", "/b/middle")])
            case "/b/middle": connection.respond(status: 308, headers: [("Location", "../c/feed")])
            case "/c/feed": connection.respond(status: 200, body: "moved")
            default: connection.respond(status: 404)
            }
        }
        let response = try fetch(server.url("/a/old"), etag: "\"e1\"")
        XCTAssertNil(response.error)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "moved")
        XCTAssertEqual(response.redirects, [Redirect(status: 301, location: server.url("/b/middle")),
                                            Redirect(status: 308, location: server.url("/c/feed"))])
        XCTAssertEqual(response.permanentURL, server.url("/c/feed"))
        XCTAssertEqual(response.finalURL, server.url("/c/feed"))
        XCTAssertEqual(server.requests.map(\.target), ["/a/old", "/b/middle", "/c/feed"])
        XCTAssertEqual(server.requests.map { $0.headers["if-none-match"] }, ["\"e1\"", "\"e1\"", "\"e1\""])
    }

    func testTemporaryRedirectKeepsTheStoredURL() throws {
        let server = try serve { request, connection in
            switch request.target {
            case "/temp": connection.respond(status: 302, headers: [("Location", "http://\(request.headers["host"] ?? "")/feed")])
            case "/moved-then-temp": connection.respond(status: 301, headers: [("Location", "/temp")])
            default: connection.respond(status: 200, body: "here")
            }
        }
        let responses = try fetch([FetchRequest(url: server.url("/temp"), tag: 1),
                                   FetchRequest(url: server.url("/moved-then-temp"), tag: 2)])
        let temporary = try XCTUnwrap(responses[1])
        XCTAssertEqual(temporary.status, 200)
        XCTAssertEqual(temporary.redirects, [Redirect(status: 302, location: server.url("/feed"))])
        XCTAssertNil(temporary.permanentURL)
        XCTAssertEqual(temporary.finalURL, server.url("/feed"))
        let mixed = try XCTUnwrap(responses[2])
        XCTAssertEqual(mixed.redirects.map(\.status), [301, 302])
        XCTAssertNil(mixed.permanentURL, "a permanent hop then a temporary one: keep the stored URL")
    }

    func testRedirectLoopIsReported() throws {
        let server = try serve { request, connection in
            connection.respond(status: 302, headers: [("Location", request.target == "/loop/a" ? "b" : "/loop/a")])
        }
        let response = try fetch(server.url("/loop/a"))
        XCTAssertEqual(response.error, .redirectLoop(server.url("/loop/a")))
        XCTAssertEqual(server.requests.map(\.target), ["/loop/a", "/loop/b"])
    }

    func testMoreThanMaxRedirectsIsAnError() throws {
        let server = try serve { request, connection in
            let n = Int(request.target.dropFirst("/hop/".count)) ?? 0
            connection.respond(status: 307, headers: [("Location", "/hop/\(n + 1)")])
        }
        let response = try fetch(server.url("/hop/0"))
        XCTAssertEqual(response.error, .tooManyRedirects(5))
        XCTAssertEqual(response.redirects.count, 5)
        XCTAssertEqual(server.requests.count, 6, "the first request and five redirects followed")
    }

    // MARK: Headers

    func testTooManyRequestsReturnsItsRetryAfter() throws {
        let inTenMinutes = HTTPDate.format(Int(time(nil)) + 600)
        let server = try serve { request, connection in
            if request.target == "/busy" {
                connection.respond(status: 429, headers: [("Retry-After", "120")], body: "slow down")
            } else {
                connection.respond(status: 503, headers: [("Retry-After", inTenMinutes)])
            }
        }
        let responses = try fetch([FetchRequest(url: server.url("/busy"), tag: 1),
                                   FetchRequest(url: server.url("/down"), tag: 2)])
        XCTAssertNil(responses[1]?.error)
        XCTAssertEqual(responses[1]?.status, 429)
        XCTAssertEqual(responses[1]?.headers.retryAfter, 120)
        XCTAssertEqual(responses[2]?.status, 503)
        let seconds = try XCTUnwrap(responses[2]?.headers.retryAfter)
        XCTAssertTrue((590...600).contains(seconds), "\(seconds)")
    }

    func testLinkHeadersAreResolvedAgainstTheFinalURL() throws {
        let server = try serve { request, connection in
            if request.target == "/start" {
                connection.respond(status: 302, headers: [("Location", "/blog/feed/"), ("Link", "</wrong>; rel=next")])
                return
            }
            connection.respond(status: 200, headers: [
                ("Link", "<?paged=2>; rel=\"next\", <https://example.org/wp-json/>; rel=\"https://api.w.org/\""),
                ("Link", "<../archive/2019>; rel=prev-archive"),
                ("Cache-Control", "public, max-age=300"),
            ], body: "<rss/>")
        }
        let response = try fetch(server.url("/start"))
        XCTAssertEqual(response.headers.links, [
            HeaderLink(url: server.url("/blog/feed/?paged=2"), rel: "next"),
            HeaderLink(url: "https://example.org/wp-json/", rel: "https://api.w.org/"),
            HeaderLink(url: server.url("/blog/archive/2019"), rel: "prev-archive"),
        ])
        XCTAssertEqual(response.headers.maxAge, 300)
    }

    // MARK: Politeness

    func testAtMostMaxPerHostTransfersToOneHost() throws {
        let server = try serve { request, connection in
            usleep(250_000)
            connection.respond(status: 200, body: request.target)
        }
        var options = FetchOptions()
        options.maxPerHost = 2
        let requests = (1...6).map { FetchRequest(url: server.url("/feed/\($0)"), tag: $0) }
        let responses = try fetch(requests, options: options)
        XCTAssertEqual(responses.values.filter { $0.status == 200 }.count, 6)
        XCTAssertEqual(server.maxInFlight, 2, "two at once to one host, never more")
    }

    func testStartsToOneHostAreHostDelayApart() throws {
        let server = try serve { _, connection in connection.respond(status: 200, body: "ok") }
        var options = FetchOptions()
        options.hostDelay = 0.3
        options.maxPerHost = 3
        let responses = try fetch((1...3).map { FetchRequest(url: server.url("/page/\($0)"), tag: $0) }, options: options)
        XCTAssertEqual(responses.count, 3)
        let arrivals = server.requests.map(\.arrival)
        XCTAssertEqual(arrivals.count, 3)
        for (earlier, later) in zip(arrivals, arrivals.dropFirst()) {
            XCTAssertGreaterThanOrEqual(later - earlier, 0.25, "requests to one host are spread")
        }
    }

    // MARK: Proxies and cancelling

    func testProxyComesFromTheEnvironment() throws {
        let server = try serve { _, connection in connection.respond(status: 200, body: "via proxy") }
        let saved = ProcessInfo.processInfo.environment.filter { ["http_proxy", "no_proxy", "NO_PROXY"].contains($0.key) }
        setenv("http_proxy", server.url(""), 1)
        unsetenv("no_proxy")
        unsetenv("NO_PROXY")
        defer {
            unsetenv("http_proxy")
            for (name, value) in saved { setenv(name, value, 1) }
        }
        let response = try fetch("http://feeds.example.invalid/rss")
        XCTAssertNil(response.error)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "via proxy")
        XCTAssertEqual(server.requests.first?.target, "http://feeds.example.invalid/rss", "asked the proxy for the URL")
    }

    func testCancelFromAnotherThreadEndsEveryRequest() throws {
        let server = try serve { _, connection in connection.waitForClose() }
        let fetcher = try Fetcher(options: FetchOptions())
        DispatchQueue.global().async {
            // Once two requests are under way (the per-host limit) and three wait.
            for _ in 0..<1000 where server.requests.count < 2 { usleep(10_000) }
            usleep(50_000)
            fetcher.cancel()
        }
        var errors: [FetchError?] = []
        fetcher.run((1...5).map { FetchRequest(url: server.url("/hang/\($0)"), tag: $0) }) { errors.append($0.error) }
        XCTAssertEqual(errors, Array(repeating: .cancelled, count: 5))
        server.waitUntilIdle()
        XCTAssertEqual(server.requests.count, 2, "two had started (the per-host limit), three were still waiting")

        var later: [FetchError?] = []
        fetcher.run([FetchRequest(url: server.url("/after"))]) { later.append($0.error) }
        XCTAssertEqual(later, [.cancelled], "a cancelled fetcher stays cancelled")
    }

    // MARK: Helpers

    /// `bytes` compressed by /bin/gzip.
    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("fetcher-\(UUID().uuidString)")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", "-9", input.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return [UInt8](data)
    }
}

/// A value shared with server threads.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func set(_ value: Value) { lock.withLock { stored = value } }
}

/// A scripted HTTP/1.1 server on 127.0.0.1: one thread per connection, one request per connection (every answer
/// closes it), the handler writing the answer (or not) as the test wants. It records each request and the most
/// requests it was answering at once.
final class LoopbackServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        /// Lowercased names.
        var headers: [String: String]
        /// Monotonic seconds when it arrived.
        var arrival: Double
    }

    typealias Handler = @Sendable (Request, Connection) -> Void

    final class Connection: @unchecked Sendable {
        fileprivate let socket: Int32
        fileprivate var closed = false

        fileprivate init(socket: Int32) { self.socket = socket }

        /// False when the client has gone.
        @discardableResult
        func send(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }

        @discardableResult
        func send(_ text: String) -> Bool { send(Array(text.utf8)) }

        func respond(status: Int, headers: [(String, String)] = [], body: String = "") {
            respond(status: status, headers: headers, body: Array(body.utf8))
        }

        func respond(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
            var head = "HTTP/1.1 \(status) Status\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if status != 304 { head += "Content-Length: \(body.count)\r\n" }
            head += "Connection: close\r\n\r\n"
            if send(head), status != 304 { send(body) }
        }

        /// Closes with a TCP reset (SO_LINGER 0).
        func reset() {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(socket)
            closed = true
        }

        /// Blocks until the client closes the connection.
        func waitForClose() {
            var buffer = [UInt8](repeating: 0, count: 1024)
            while recv(socket, &buffer, buffer.count, 0) > 0 {}
        }
    }

    let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var inFlight = 0
    private var mostInFlight = 0
    private var open = 0
    private var stopped = false

    init(handler: @escaping Handler) throws {
        self.handler = handler
        (listener, port) = try LoopbackServer.listen()
        Thread { [self] in acceptLoop() }.start()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var requests: [Request] { lock.withLock { recorded } }

    /// The most requests being answered at once.
    var maxInFlight: Int { lock.withLock { mostInFlight } }

    /// Waits (up to 10 s) until every connection was handled.
    func waitUntilIdle() {
        for _ in 0..<1000 {
            if lock.withLock({ open == 0 }) { return }
            usleep(10_000)
        }
        XCTFail("the server's connections did not end")
    }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// A port nothing listens on (bound, then closed).
    static func unusedPort() throws -> UInt16 {
        let (socket, port) = try listen()
        close(socket)
        return port
    }

    private static func listen() throws -> (Int32, UInt16) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EMFILE) }
        var reuse: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(socket, 64) == 0 else {
            close(socket)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return (socket, UInt16(bigEndian: address.sin_port))
    }

    private func acceptLoop() {
        while true {
            let socket = accept(listener, nil, nil)
            if socket < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            lock.withLock { open += 1 }
            Thread { [self] in serve(socket) }.start()
        }
    }

    private func serve(_ socket: Int32) {
        let connection = Connection(socket: socket)
        defer {
            if !connection.closed { close(socket) }
            lock.withLock { open -= 1 }
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest(socket) else { return }
        lock.withLock {
            recorded.append(request)
            inFlight += 1
            mostInFlight = max(mostInFlight, inFlight)
        }
        handler(request, connection)
        lock.withLock { inFlight -= 1 }
    }

    private func readRequest(_ socket: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data += buffer[0..<count]
            // Not HTTP (a TLS ClientHello starts with 0x16): answer as a plain server would, at once.
            if let first = data.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
                Connection(socket: socket).send("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                return nil
            }
            if data.count >= 4, data.indices.dropLast(3).contains(where: { Array(data[$0..<$0 + 4]) == end }) { break }
            if data.count > 65536 { return nil }
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Request(method: String(parts[0]), target: String(parts[1]), headers: headers,
                       arrival: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
    }
}
