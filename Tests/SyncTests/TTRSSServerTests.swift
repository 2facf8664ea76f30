/// The Tiny Tiny RSS harness itself (TestServers.TTRSSServer): the real server starts, serves what the tests seed
/// through its real API, takes marks, expires sessions, refuses a wrong password and a disabled API, goes down and
/// comes back on the same port, and leaves no process or folder behind.
import Foundation
import TestServers
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class TTRSSServerTests: XCTestCase {
    private func startServer() throws -> TTRSSServer {
        if let missing = TTRSSServer.missing { throw XCTSkip(missing) }
        let server = try TTRSSServer()
        addTeardownBlock { server.stop() }
        return server
    }

    private func content(_ answer: [String: Any], file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        XCTAssertEqual(answer["status"] as? Int, 0, "\(answer)", file: file, line: line)
        return answer["content"] as? [String: Any] ?? [:]
    }

    private func list(_ answer: [String: Any], file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        XCTAssertEqual(answer["status"] as? Int, 0, "\(answer)", file: file, line: line)
        return answer["content"] as? [[String: Any]] ?? []
    }

    private func error(_ answer: [String: Any]) -> String? {
        guard answer["status"] as? Int == 1 else { return nil }
        return (answer["content"] as? [String: Any])?["error"] as? String
    }

    /// curl, as an ordinary HTTP client would send it (not the harness's own socket code).
    /// (With the harness's User-Agent: the server binds a session to the User-Agent that logged in.)
    private func curlLogin(_ server: TTRSSServer, password: String) throws -> [String: Any] {
        guard let curl = ["/usr/bin/curl", "/bin/curl"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("curl is not installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        let body = try JSONSerialization.data(withJSONObject: ["op": "login", "user": TTRSSServer.user, "password": password])
        process.arguments = ["-sS", "--max-time", "20", "-A", TTRSSServer.userAgent, "-H", "Content-Type: application/json",
                             "--data-binary", String(decoding: body, as: UTF8.self), server.apiURL]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
    }

    func testServesSeededFeedsCategoriesAndArticlesThroughTheAPI() throws {
        let server = try startServer()
        let category = try server.addCategory("Science & Nature")
        let science = try server.addFeed(title: "Science daily", url: "http://example.org/science.xml", category: category)
        let misc = try server.addFeed(title: "Misc", url: "http://example.org/misc.xml")
        let scienceIDs = try server.addArticles(feed: science, count: 250, contentBytes: 3_000)
        let miscIDs = try server.addArticles(feed: misc, count: 5, contentBytes: 500, titlePrefix: "Misc")
        XCTAssertEqual(scienceIDs.count, 250)
        XCTAssertEqual(Set(scienceIDs + miscIDs).count, 255)
        XCTAssertEqual(try server.articleCount(), 255)

        let login = try curlLogin(server, password: TTRSSServer.defaultPassword)
        let loginContent = content(login)
        let sid = try XCTUnwrap(loginContent["session_id"] as? String)
        XCTAssertFalse(sid.isEmpty)
        XCTAssertEqual(loginContent["api_level"] as? Int, 15)
        XCTAssertEqual(content(try server.call("getApiLevel", sid: sid))["level"] as? Int, 15)
        XCTAssertEqual(error(try server.call("getApiLevel", sid: sid, userAgent: "another client")), "NOT_LOGGED_IN",
                       "a session belongs to the User-Agent that logged in")

        let categories = list(try server.call("getCategories", sid: sid))
        XCTAssertEqual(categories.first { $0["id"] as? Int == category }?["title"] as? String, "Science & Nature")

        let feeds = list(try server.call("getFeeds", sid: sid, ["cat_id": -3]))
        let scienceFeed = try XCTUnwrap(feeds.first { $0["id"] as? Int == science }, "\(feeds)")
        XCTAssertEqual(scienceFeed["title"] as? String, "Science daily")
        XCTAssertEqual(scienceFeed["feed_url"] as? String, "http://example.org/science.xml")
        XCTAssertEqual(scienceFeed["cat_id"] as? Int, category)
        XCTAssertEqual(scienceFeed["unread"] as? Int, 250)
        XCTAssertEqual(feeds.first { $0["id"] as? Int == misc }?["cat_id"] as? Int, 0)

        // A page is at most 200, whatever the client asks for; skip pages on.
        let first = list(try server.call("getHeadlines", sid: sid, ["feed_id": science, "limit": 500, "show_content": true]))
        XCTAssertEqual(first.count, 200)
        let second = list(try server.call("getHeadlines", sid: sid, ["feed_id": science, "skip": 200, "show_content": true]))
        XCTAssertEqual(second.count, 50)
        let seen = (first + second).compactMap { $0["id"] as? Int }
        XCTAssertEqual(Set(seen), Set(scienceIDs))
        let article = try XCTUnwrap((first + second).first { $0["id"] as? Int == scienceIDs[0] })
        XCTAssertEqual(article["title"] as? String, "Article 1")
        XCTAssertEqual(article["author"] as? String, "Author 1")
        XCTAssertEqual(article["unread"] as? Bool, true)
        XCTAssertEqual(article["feed_id"] as? Int, science)
        XCTAssertEqual(article["updated"] as? Int, 1_700_000_060)
        let body = try XCTUnwrap(article["content"] as? String)
        XCTAssertTrue(body.contains("Article 1 of feed \(science)."), body)
        XCTAssertGreaterThan(body.utf8.count, 2_500)

        // All articles (-4), only those after an id.
        let newer = list(try server.call("getHeadlines", sid: sid, ["feed_id": -4, "since_id": scienceIDs.last!]))
        XCTAssertEqual(Set(newer.compactMap { $0["id"] as? Int }), Set(miscIDs))

        let counters = list(try server.call("getCounters", sid: sid))
        XCTAssertEqual(counters.first { $0["id"] as? Int == misc && $0["kind"] == nil }?["counter"] as? Int, 5, "\(counters)")
    }

    func testMarksGoBothWays() throws {
        let server = try startServer()
        let feed = try server.addFeed(title: "Feed", url: "http://example.org/feed.xml")
        let ids = try server.addArticles(feed: feed, count: 10, contentBytes: 100)
        let sid = try server.login()

        let update = content(try server.call("updateArticle", sid: sid,
                                             ["article_ids": ids[0..<3].map(String.init).joined(separator: ","),
                                              "mode": 0, "field": 2]))
        XCTAssertEqual(update["updated"] as? Int, 3)
        XCTAssertEqual(try server.unreadArticleIDs(), Array(ids[3...]))

        // A change made elsewhere shows in the API.
        try server.setUnread(articleIDs: [ids[0]], unread: true)
        try server.setUnread(articleIDs: [ids[9]], unread: false)
        let headlines = list(try server.call("getHeadlines", sid: sid, ["feed_id": feed]))
        let unread = Set(headlines.filter { $0["unread"] as? Bool == true }.compactMap { $0["id"] as? Int })
        XCTAssertEqual(unread, Set([ids[0]] + Array(ids[3..<9])))
        XCTAssertEqual(try server.articleIDs(), ids)
    }

    func testExpiredSessionWrongPasswordAndDisabledAPI() throws {
        let server = try startServer()
        let sid = try server.login()
        XCTAssertNil(error(try server.call("getFeeds", sid: sid)))

        try server.expireSessions()
        XCTAssertEqual(error(try server.call("getFeeds", sid: sid)), "NOT_LOGGED_IN")

        XCTAssertEqual(error(try curlLogin(server, password: "wrong")), "LOGIN_ERROR")
        try server.setPassword("new secret")
        XCTAssertEqual(error(try curlLogin(server, password: TTRSSServer.defaultPassword)), "LOGIN_ERROR")
        let newSession = try server.login(password: "new secret")
        XCTAssertNil(error(try server.call("getCategories", sid: newSession)))

        try server.setAPIAccess(enabled: false)
        XCTAssertEqual(error(try server.call("getCategories", sid: newSession)), "API_DISABLED")
        XCTAssertEqual(error(try curlLogin(server, password: "new secret")), "API_DISABLED")
        try server.setAPIAccess(enabled: true)
        XCTAssertNil(error(try server.call("getCategories", sid: newSession)))
    }

    func testStopPHPRefusesConnectionsAndStartPHPAnswersAgain() throws {
        let server = try startServer()
        let feed = try server.addFeed(title: "Feed", url: "http://example.org/feed.xml")
        try server.addArticles(feed: feed, count: 3)
        let port = server.port

        server.stopPHP()
        XCTAssertFalse(server.isPHPRunning)
        XCTAssertNil(server.post(#"{"op":"getApiLevel"}"#, timeout: 2))
        XCTAssertThrowsError(try server.login())
        XCTAssertEqual(try server.articleCount(), 3)

        try server.startPHP()
        XCTAssertEqual(server.port, port)
        let sid = try server.login()
        XCTAssertEqual(list(try server.call("getHeadlines", sid: sid, ["feed_id": feed])).count, 3)
    }

    func testStopLeavesNoProcessAndNoFolder() throws {
        let server = try startServer()
        let php = try XCTUnwrap(server.phpProcessIdentifier)
        let postgres = try XCTUnwrap(server.databaseProcessIdentifier)
        XCTAssertEqual(getpgid(php), php, "php -S leads its own process group")
        XCTAssertGreaterThan(pids(matching: server.directory).count, 3, "postgres, its workers and php's are running")

        server.stop()
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.directory))
        XCTAssertEqual(kill(-php, 0), -1, "no process left in php's group")
        XCTAssertEqual(kill(postgres, 0), -1, "the postmaster is gone")
        XCTAssertEqual(pids(matching: server.directory), [], "nothing runs from the server's folder")
        XCTAssertFalse(canConnect(port: server.port))
        XCTAssertFalse(canConnect(port: server.databasePort))
        server.stop()
    }

    func testTenThousandArticlesAreSeededInOneStatement() throws {
        let server = try startServer()
        let feeds = try (1...20).map { try server.addFeed(title: "Feed \($0)", url: "http://example.org/\($0).xml") }
        var ids: [Int] = []
        for feed in feeds {
            ids += try server.addArticles(feed: feed, count: 500, contentBytes: 3_000)
        }
        XCTAssertEqual(Set(ids).count, 10_000)
        XCTAssertEqual(try server.articleCount(), 10_000)
        XCTAssertEqual(try server.unreadArticleIDs().count, 10_000)
        try server.analyze()
        let sid = try server.login()
        let counters = list(try server.call("getCounters", sid: sid))
        XCTAssertEqual(counters.first { $0["id"] as? String == "global-unread" }?["counter"] as? Int, 10_000, "\(counters.prefix(5))")
    }

    func testOneArticleWithExactContentOfMegabytes() throws {
        let server = try startServer()
        let feed = try server.addFeed(title: "Big", url: "http://example.org/big.xml")
        let paragraph = "<p>It's \"quoted\" \\ and ünïcödé – 한국어.</p>\n"
        let content = String(repeating: paragraph, count: 2_000_000 / paragraph.utf8.count)
        let id = try server.addArticle(feed: feed, title: "Big one", content: content, author: "O'Brien",
                                       link: "http://example.org/big", date: Date(timeIntervalSince1970: 1_650_000_000),
                                       unread: false)
        let sid = try server.login()
        let headlines = list(try server.call("getHeadlines", sid: sid, ["feed_id": feed, "show_content": true,
                                                                         "sanitize": false]))
        let article = try XCTUnwrap(headlines.first)
        XCTAssertEqual(article["id"] as? Int, id)
        // The server trims the content (DiskCache::rewriteUrls), nothing else with sanitize off.
        let served = try XCTUnwrap(article["content"] as? String)
        let expected = content.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(served == expected, "served \(served.utf8.count) bytes, stored \(expected.utf8.count); first "
                      + "difference at \(zip(served.utf8, expected.utf8).prefix { $0 == $1 }.count)")
        XCTAssertEqual(article["author"] as? String, "O'Brien")
        XCTAssertEqual(article["unread"] as? Bool, false)
        XCTAssertEqual(article["updated"] as? Int, 1_650_000_000)
        XCTAssertEqual(try server.unreadArticleIDs(), [])
    }

    private func pids(matching text: String) -> [Int32] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        process.arguments = ["-f", text]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return [] }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { Int32($0) }
    }

    private func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        } 
    }
}
