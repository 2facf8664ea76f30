/// Self-tests of the test servers (TestServers: NginxServer and FaultServer), driven with the curl tool, so that the
/// fetching tests can trust them: what nginx answers to conditional and compressed requests, what its access log
/// records, TLS with the private CA, and every fault the fault server can play.
import Foundation
import TestServers
import XCTest

final class TestServersSelfTests: XCTestCase {
    private var folder = ""
    private static let curlPath = "/usr/bin/curl"

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.curlPath),
                          "curl is not installed (apt-get install curl): the test servers are checked with it")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-selftest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: - Helpers

    private struct Curl {
        var exitCode: Int32
        var body: Data
        var status: Int
        var downloaded: Int
        var headers: String
        var errors: String

        func header(_ name: String) -> String? {
            for line in headers.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":"),
                      line[..<colon].lowercased() == name.lowercased() else { continue }
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
    }

    /// Starts curl with `arguments` (no shell), its body to a file, the last response's headers to another.
    private func startCurl(_ arguments: [String]) throws -> (Process, Pipe, Pipe, String) {
        let name = UUID().uuidString
        let bodyPath = "\(folder)/\(name).body"
        let headersPath = "\(folder)/\(name).headers"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.curlPath)
        process.arguments = ["-q", "-sS", "--noproxy", "*", "-o", bodyPath, "-D", headersPath,
                             "-w", "%{http_code} %{size_download}"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, output, errors, name)
    }

    private func finish(_ started: (Process, Pipe, Pipe, String)) -> Curl {
        let (process, output, errors, name) = started
        let written = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = written.split(separator: " ")
        let body = FileManager.default.contents(atPath: "\(folder)/\(name).body") ?? Data()
        let headerData = FileManager.default.contents(atPath: "\(folder)/\(name).headers") ?? Data()
        // With -L, -D keeps every response's headers: the last block is the final response's.
        let blocks = String(decoding: headerData, as: UTF8.self).components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
        try? FileManager.default.removeItem(atPath: "\(folder)/\(name).body")
        return Curl(exitCode: process.terminationStatus, body: body,
                    status: parts.first.flatMap { Int($0) } ?? 0, downloaded: parts.count > 1 ? Int(parts[1]) ?? 0 : 0,
                    headers: blocks.last ?? "", errors: errorText)
    }

    private func curl(_ arguments: String...) throws -> Curl {
        finish(try startCurl(arguments))
    }

    private func write(_ text: String, to name: String) throws {
        try text.write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
    }

    private func startNginx(locations: String = "", tls: Bool = false) throws -> NginxServer {
        try XCTSkipUnless(NginxServer.isInstalled, "nginx is not installed (apt-get install nginx-light)")
        let root = "\(folder)/www"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try feed.write(toFile: "\(root)/feed.xml", atomically: true, encoding: .utf8)
        try "<rss version=\"2.0\"><channel><title>New</title></channel></rss>\n"
            .write(toFile: "\(root)/new.xml", atomically: true, encoding: .utf8)
        let server = try NginxServer(root: root, locations: locations, tls: tls)
        addTeardownBlock { server.stop() }
        return server
    }

    private let feed = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Self-test</title>\n"
        + String(repeating: "<item><title>An item</title><description>Some words, again.</description></item>\n", count: 50)
        + "</channel></rss>\n"

    // MARK: - nginx

    func testNginxServesAFileAndAnswers304ToItsValidators() throws {
        let server = try startNginx()
        let first = try curl("-A", "SelfTest/1", server.url("/feed.xml"))
        XCTAssertEqual(first.status, 200, first.errors)
        XCTAssertEqual(String(decoding: first.body, as: UTF8.self), feed)
        XCTAssertEqual(first.header("Content-Type"), "application/xml")
        let etag = try XCTUnwrap(first.header("ETag"))
        let lastModified = try XCTUnwrap(first.header("Last-Modified"))

        let byETag = try curl("-A", "SelfTest/2", "-H", "If-None-Match: \(etag)", server.url("/feed.xml"))
        XCTAssertEqual(byETag.status, 304)
        XCTAssertEqual(byETag.body.count, 0)
        let byDate = try curl("-H", "If-Modified-Since: \(lastModified)", server.url("/feed.xml"))
        XCTAssertEqual(byDate.status, 304)
        let missing = try curl(server.url("/missing.xml"))
        XCTAssertEqual(missing.status, 404)

        let log = server.accessLog()
        XCTAssertEqual(log.map(\.status), [200, 304, 304, 404])
        XCTAssertEqual(log.map(\.uri), ["/feed.xml", "/feed.xml", "/feed.xml", "/missing.xml"])
        XCTAssertEqual(log[0].method, "GET")
        XCTAssertEqual(log[0].bytes, feed.utf8.count)
        XCTAssertNil(log[0].ifNoneMatch)
        XCTAssertEqual(log[0].userAgent, "SelfTest/1")
        XCTAssertEqual(log[1].ifNoneMatch, etag)
        XCTAssertEqual(log[1].bytes, 0)
        XCTAssertEqual(log[1].userAgent, "SelfTest/2")
        XCTAssertEqual(log[2].ifModifiedSince, lastModified)
        XCTAssertNil(log[2].ifNoneMatch)
        XCTAssertFalse(log[0].tls)
    }

    func testNginxCompressesWhenTheClientAcceptsGzip() throws {
        let server = try startNginx()
        let compressed = try curl("--compressed", "-G", "-d", "a=1", server.url("/feed.xml"))
        XCTAssertEqual(compressed.status, 200, compressed.errors)
        XCTAssertEqual(compressed.header("Content-Encoding"), "gzip")
        XCTAssertEqual(String(decoding: compressed.body, as: UTF8.self), feed)
        XCTAssertLessThan(compressed.downloaded, feed.utf8.count / 4)
        let plain = try curl(server.url("/feed.xml"))
        XCTAssertNil(plain.header("Content-Encoding"))
        XCTAssertEqual(plain.downloaded, feed.utf8.count)

        let log = server.accessLog()
        XCTAssertEqual(log.count, 2)
        XCTAssertEqual(log[0].uri, "/feed.xml?a=1")
        XCTAssertTrue(log[0].acceptEncoding?.contains("gzip") ?? false, "\(log[0])")
        XCTAssertLessThan(log[0].bytes, feed.utf8.count / 3, "the log counts compressed bytes")
        XCTAssertNil(log[1].acceptEncoding)
    }

    func testNginxLocationsRedirectRefuseAndAddHeaders() throws {
        let server = try startNginx(locations: """
            location = /old.xml { return 301 /new.xml; }
            location = /moved.xml { return 302 /new.xml; }
            location = /gone.xml { return 410; }
            location = /feed.xml { add_header Link '<http://127.0.0.1/page2.xml>; rel="next"'; }
            """)
        let permanent = try curl(server.url("/old.xml"))
        XCTAssertEqual(permanent.status, 301)
        XCTAssertTrue(permanent.header("Location")?.hasSuffix("/new.xml") ?? false, permanent.headers)
        let followed = try curl("-L", server.url("/old.xml"))
        XCTAssertEqual(followed.status, 200)
        XCTAssertTrue(String(decoding: followed.body, as: UTF8.self).contains("<title>New</title>"))
        XCTAssertEqual(try curl(server.url("/moved.xml")).status, 302)
        XCTAssertEqual(try curl(server.url("/gone.xml")).status, 410)
        let linked = try curl(server.url("/feed.xml"))
        XCTAssertEqual(linked.header("Link"), "<http://127.0.0.1/page2.xml>; rel=\"next\"")
        XCTAssertEqual(server.accessLog().map(\.status), [301, 301, 200, 302, 410, 200])
    }

    func testNginxTLSIsTrustedOnlyWithItsCA() throws {
        let server = try startNginx(tls: true)
        let base = try XCTUnwrap(server.tlsBaseURL)
        let port = try XCTUnwrap(server.tlsPort)
        let caFile = try XCTUnwrap(server.caFile)
        XCTAssertNotEqual(port, server.port)

        let trusted = try curl("--cacert", caFile, base + "/feed.xml")
        XCTAssertEqual(trusted.exitCode, 0, trusted.errors)
        XCTAssertEqual(String(decoding: trusted.body, as: UTF8.self), feed)
        let byName = try curl("--cacert", caFile, "https://localhost:\(port)/feed.xml")
        XCTAssertEqual(byName.exitCode, 0, byName.errors)
        XCTAssertEqual(byName.status, 200)
        let untrusted = try curl(base + "/feed.xml")
        XCTAssertEqual(untrusted.exitCode, 60, "curl: certificate problem expected, got: \(untrusted.errors)")
        XCTAssertEqual(try curl(server.url("/feed.xml")).status, 200, "plain HTTP still served")

        let log = server.accessLog()
        XCTAssertEqual(log.map(\.tls), [true, true, false])
    }

    func testNginxStopEndsTheProcessAndRemovesItsFolder() throws {
        let server = try startNginx()
        XCTAssertEqual(try curl(server.url("/feed.xml")).status, 200)
        server.stop()
        server.stop()
        XCTAssertEqual(kill(server.processIdentifier, 0), -1, "nginx still running after stop()")
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.directory))
        XCTAssertEqual(try curl(server.url("/feed.xml")).exitCode, 7, "connection refused expected")
        XCTAssertEqual(server.accessLog().map(\.status), [200], "the log as it was when stopped")
    }

    func testNginxThatCannotStartSaysWhy() throws {
        try XCTSkipUnless(NginxServer.isInstalled, "nginx is not installed (apt-get install nginx-light)")
        XCTAssertThrowsError(try NginxServer(root: folder, locations: "no_such_directive on;")) { error in
            XCTAssertTrue("\(error)".contains("unknown directive \"no_such_directive\""), "\(error)")
        }
    }

    // MARK: - Fault server

    private func startFaults(_ routes: [String: FaultBehaviour]) throws -> FaultServer {
        let server = try FaultServer(routes: routes)
        addTeardownBlock { server.stop() }
        return server
    }

    func testFaultServerRoutesSequencesRedirectsAndHandlers() throws {
        let server = try startFaults([
            "/feed": .feed("<rss/>", headers: ["ETag": "\"v1\""]),
            "/busy": .sequence([.respond(status: 503, headers: ["Retry-After": "7"]), .feed("<rss>2</rss>"),
                                .feed("<rss>3</rss>")]),
            "/old": .redirect(301, to: "/feed"),
            "/loop": .redirect(302, to: "/loop"),
            "/page?paged=2": .feed("two", type: "text/plain"),
            "/page": .feed("any", type: "text/plain"),
            "/validate": .handler { request in
                request.headers["if-none-match"] == "\"v1\"" ? .respond(status: 304) : .feed("<rss/>")
            },
        ])
        let first = try curl("-A", "SelfTest", "-H", "X-Extra: yes", server.url("/feed"))
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.header("content-type"), "application/rss+xml")
        XCTAssertEqual(first.header("etag"), "\"v1\"")
        XCTAssertEqual(String(decoding: first.body, as: UTF8.self), "<rss/>")

        let busy = try (0..<4).map { _ in try curl(server.url("/busy")) }
        XCTAssertEqual(busy.map(\.status), [503, 200, 200, 200])
        XCTAssertEqual(busy[0].header("Retry-After"), "7")
        XCTAssertEqual(busy.map { String(decoding: $0.body, as: UTF8.self) }, ["", "<rss>2</rss>", "<rss>3</rss>", "<rss>3</rss>"])

        let moved = try curl("-L", server.url("/old"))
        XCTAssertEqual(moved.status, 200)
        XCTAssertEqual(String(decoding: moved.body, as: UTF8.self), "<rss/>")
        let loop = try curl("-L", "--max-redirs", "3", server.url("/loop"))
        XCTAssertEqual(loop.exitCode, 47, "too many redirects: \(loop.errors)")

        XCTAssertEqual(String(decoding: try curl(server.url("/page?paged=2")).body, as: UTF8.self), "two")
        XCTAssertEqual(String(decoding: try curl(server.url("/page?paged=3")).body, as: UTF8.self), "any")
        XCTAssertEqual(try curl(server.url("/nowhere")).status, 404)
        XCTAssertEqual(try curl("-H", "If-None-Match: \"v1\"", server.url("/validate")).status, 304)
        XCTAssertEqual(try curl(server.url("/validate")).status, 200)

        XCTAssertEqual(server.requestCount("/feed"), 2)
        XCTAssertEqual(server.requestCount("/busy"), 4)
        XCTAssertEqual(server.requestCount("/old"), 1)
        XCTAssertEqual(server.requestCount("/loop"), 4)
        XCTAssertEqual(server.requestCount("/page?paged=3"), 1)
        let recorded = server.requests[0]
        XCTAssertEqual(recorded.method, "GET")
        XCTAssertEqual(recorded.target, "/feed")
        XCTAssertEqual(recorded.headers["user-agent"], "SelfTest")
        XCTAssertEqual(recorded.headers["x-extra"], "yes")

        server.setRoute("/busy", .respond(status: 410))
        XCTAssertEqual(try curl(server.url("/busy")).status, 410)
    }

    func testFaultServerKeepsConnectionsAlive() throws {
        let server = try startFaults(["/a": .feed("<rss>a</rss>"), "/b": .respond(status: 304)])
        let started = try startCurl([server.url("/a"), "-o", "\(folder)/b.body", server.url("/b"),
                                     "-o", "\(folder)/a2.body", server.url("/a")])
        let result = finish(started)
        XCTAssertEqual(result.exitCode, 0, result.errors)
        XCTAssertEqual(server.requests.map(\.target), ["/a", "/b", "/a"])
        XCTAssertEqual(Set(server.requests.map(\.connection)).count, 1, "curl reused one connection")
        XCTAssertEqual(server.maxConcurrentConnections, 1)
    }

    func testFaultServerResetsInTheMiddleOfABody() throws {
        let server = try startFaults(["/reset": .resetAfter(bytes: 1000, claimed: 5000)])
        let result = try curl(server.url("/reset"))
        XCTAssertEqual(result.exitCode, 56, "connection reset expected: \(result.errors)")
        XCTAssertEqual(result.body.count, 1000)
        XCTAssertEqual(result.header("Content-Length"), "5000")
    }

    func testFaultServerTricklesABody() throws {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 600)
        let server = try startFaults(["/slow": .slow(bytesPerSecond: 1, body: body),
                                      "/steady": .slow(bytesPerSecond: 2000, body: body)])
        let timedOut = try curl("-m", "2", server.url("/slow"))
        XCTAssertEqual(timedOut.exitCode, 28, "timeout expected: \(timedOut.errors)")
        XCTAssertGreaterThanOrEqual(timedOut.body.count, 1)
        XCTAssertLessThanOrEqual(timedOut.body.count, 4)
        let complete = try curl(server.url("/steady"))
        XCTAssertEqual(complete.exitCode, 0, complete.errors)
        XCTAssertEqual([UInt8](complete.body), body)
        try waitUntil { server.openConnections == 0 }
    }

    func testFaultServerSendsAnEndlessBodyUntilTheClientLeaves() throws {
        let server = try startFaults(["/endless": .endless])
        let result = try curl("-m", "2", "--limit-rate", "1M", server.url("/endless"))
        XCTAssertEqual(result.exitCode, 28, result.errors)
        XCTAssertGreaterThan(result.downloaded, 256 * 1024)
        XCTAssertNil(result.header("Content-Length"))
        try waitUntil { server.openConnections == 0 }
        XCTAssertEqual(server.requestCount("/endless"), 1)
    }

    func testFaultServerGzipBombDecodesToZeros() throws {
        let size = 10_000_000
        let server = try startFaults(["/bomb": .gzipBomb(decodedSize: size)])
        let decoded = try curl("--compressed", server.url("/bomb"))
        XCTAssertEqual(decoded.exitCode, 0, decoded.errors)
        XCTAssertEqual(decoded.header("Content-Encoding"), "gzip")
        XCTAssertEqual(decoded.body.count, size)
        let zeros = Data(count: size)
        XCTAssertTrue(decoded.body == zeros, "the bomb decodes to zero bytes")
        XCTAssertLessThan(decoded.downloaded, size / 100, "the bomb is small on the wire")
        let raw = try curl(server.url("/bomb"))
        XCTAssertEqual(raw.body.count, raw.downloaded)
        XCTAssertEqual(Array(raw.body.prefix(2)), [0x1F, 0x8B], "gzip's magic number")
    }

    func testFaultServerCountsConcurrentConnections() throws {
        let server = try startFaults(["/wait": .delay(seconds: 0.5, then: .feed("<rss/>"))])
        let started = try (0..<3).map { _ in try startCurl([server.url("/wait")]) }
        let results = started.map(finish)
        XCTAssertEqual(results.map(\.status), [200, 200, 200])
        XCTAssertEqual(server.requestCount("/wait"), 3)
        XCTAssertEqual(server.maxConcurrentConnections, 3)
        XCTAssertEqual(server.maxConcurrentRequests, 3)
        XCTAssertEqual(Set(server.requests.map(\.connection)).count, 3)
    }

    func testFaultServerStopClosesTheListener() throws {
        let server = try startFaults(["/feed": .feed("<rss/>")])
        XCTAssertEqual(try curl(server.url("/feed")).status, 200)
        server.stop()
        server.stop()
        XCTAssertEqual(try curl(server.url("/feed")).exitCode, 7, "connection refused expected")
    }

    private func waitUntil(_ condition: () -> Bool, file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(3)
        while !condition() {
            guard Date() < deadline else {
                XCTFail("condition not met within 3 s", file: file, line: line)
                return
            }
            usleep(10_000)
        }
    }
}
