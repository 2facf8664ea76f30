import Foundation
import XCTest
@testable import Fetching
#if canImport(Glibc)
import Glibc
#endif

/// TLS through libcurl against `openssl s_server` with a certificate from a CA made here: verified by default,
/// trusted with `caFile`, refused with one line that says what to set.
final class FetcherTLSTests: XCTestCase {
    private var folder: URL!
    private var server: Process?
    private var port: UInt16 = 0

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fetcher-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1\n".write(to: folder.appendingPathComponent("ext.cnf"), atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Gazette Test CA"])
        try openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"])
        port = try LoopbackServer.unusedPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem", "-key", "server.key",
                             "-www", "-quiet"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        server = process
        try waitForPort()
    }

    override func tearDown() {
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    func testCertificateOfAPrivateCAIsRefusedWithAHintAndAcceptedWithCAFile() throws {
        let url = "https://127.0.0.1:\(port)/"
        let refused = try fetch(url, options: FetchOptions())
        guard case .tls(let message) = refused.error else { return XCTFail("\(String(describing: refused.error))") }
        XCTAssertTrue(message.hasPrefix("certificate not trusted: "), message)
        XCTAssertTrue(message.hasSuffix("(set ca-file to trust a private CA)"), message)

        var options = FetchOptions()
        options.caFile = folder.appendingPathComponent("ca.pem").path
        let accepted = try fetch(url, options: options)
        XCTAssertNil(accepted.error)
        XCTAssertEqual(accepted.status, 200)
        XCTAssertFalse(accepted.body.isEmpty)
    }

    func testCertificateForAnotherHostIsRefused() throws {
        var options = FetchOptions()
        options.caFile = folder.appendingPathComponent("ca.pem").path
        // The certificate names 127.0.0.1 only.
        let response = try fetch("https://localhost:\(port)/", options: options)
        guard case .tls(let message) = response.error else { return XCTFail("\(String(describing: response.error))") }
        XCTAssertTrue(message.hasPrefix("certificate is not for localhost"), message)
    }

    func testPlainHTTPSpokenToTLSIsATLSError() throws {
        let plain = try LoopbackServer { _, connection in connection.respond(status: 200, body: "not TLS") }
        defer { plain.stop() }
        let response = try fetch("https://127.0.0.1:\(plain.port)/", options: FetchOptions())
        guard case .tls(let message) = response.error else { return XCTFail("\(String(describing: response.error))") }
        XCTAssertTrue(message.hasPrefix("TLS handshake with 127.0.0.1:\(plain.port) failed"), message)
    }

    private func fetch(_ url: String, options: FetchOptions) throws -> FetchResponse {
        var options = options
        options.totalTimeout = 10
        let fetcher = try Fetcher(options: options)
        var responses: [FetchResponse] = []
        fetcher.run([FetchRequest(url: url)]) { responses.append($0) }
        return try XCTUnwrap(responses.first)
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "openssl \(arguments.joined(separator: " "))")
    }

    /// Until s_server accepts connections (up to 5 s).
    private func waitForPort() throws {
        for _ in 0..<500 {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(socket)
            if connected == 0 { return }
            usleep(10_000)
        }
        throw POSIXError(.ETIMEDOUT)
    }
}
