import Foundation
import TestServers
import XCTest

/// Not a test: a real Tiny Tiny RSS for trying Gazette by hand (`GAZETTE_TTRSS_HOLD=SECONDS swift test --filter
/// TTRSSHoldForManualUse`): seeds a few feeds in two categories (`GAZETTE_TTRSS_ARTICLES=N` more in a fourth feed,
/// for a long sync), writes what `set ttrss-url` needs to
/// `$GAZETTE_TTRSS_INFO` (or prints it), keeps the server up for that many seconds, then stops it. Skipped unless
/// asked for.
final class TTRSSHoldForManualUse: XCTestCase {
    func testHoldAServerForManualUse() throws {
        guard let hold = ProcessInfo.processInfo.environment["GAZETTE_TTRSS_HOLD"].flatMap(Double.init) else {
            throw XCTSkip("set GAZETTE_TTRSS_HOLD=SECONDS to keep a Tiny Tiny RSS up for trying Gazette by hand")
        }
        if let missing = TTRSSServer.missing { throw XCTSkip(missing) }
        let server = try TTRSSServer(workers: 2)
        defer { server.stop() }
        let asia = try server.addCategory("Asia")
        let tech = try server.addCategory("Technology")
        let desk = try server.addFeed(title: "Korea Desk", url: "https://desk.example/feed", category: asia)
        let wire = try server.addFeed(title: "Tokyo Wire", url: "https://wire.example/rss", category: asia)
        let lab = try server.addFeed(title: "Lab Notes", url: "https://lab.example/atom", category: tech)
        _ = try server.addArticles(feed: desk, count: 300, contentBytes: 3_000, titlePrefix: "Desk report")
        _ = try server.addArticles(feed: wire, count: 200, contentBytes: 2_000, titlePrefix: "Wire story")
        _ = try server.addArticles(feed: lab, count: 100, contentBytes: 4_000, titlePrefix: "Lab note")
        if let extra = ProcessInfo.processInfo.environment["GAZETTE_TTRSS_ARTICLES"].flatMap(Int.init), extra > 0 {
            let bulk = try server.addFeed(title: "Bulk", url: "https://bulk.example/feed", category: tech)
            _ = try server.addArticles(feed: bulk, count: extra, contentBytes: 3_000, titlePrefix: "Bulk item")
        }
        let info = """
            url \(server.baseURL)
            login \(TTRSSServer.user)
            password \(TTRSSServer.defaultPassword)
            psql-port \(server.databasePort)
            """
        if let path = ProcessInfo.processInfo.environment["GAZETTE_TTRSS_INFO"] {
            try info.write(toFile: path, atomically: true, encoding: .utf8)
        }
        print(info)
        Thread.sleep(forTimeInterval: hold)
    }
}
