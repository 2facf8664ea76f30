import Foundation
import TestServers
import XCTest

/// Following a real Tiny Tiny RSS as a person does (issue 15): the configuration, `gazette sync`, the reader in
/// tmux showing the server's feeds as sources with their categories as tags, a mark made in the reader reaching the
/// server, and `R` bringing an article and a mark made elsewhere.
final class SyncEndToEndTests: XCTestCase {
    func testTheReaderFollowsTheServerBothWays() throws {
        if let missing = TTRSSServer.missing { throw XCTSkip("no Tiny Tiny RSS here: \(missing)") }
        let server = try TTRSSServer(workers: 2)
        defer { server.stop() }
        let asia = try server.addCategory("Asia")
        let desk = try server.addFeed(title: "Korea Desk", url: "https://desk.example/feed", category: asia)
        let missile = try server.addArticle(feed: desk, title: "Missile test reported off the east coast",
                                            content: "<p>The <b>launch</b> was seen from Sokcho.</p>",
                                            author: "Min-ji Park", link: "https://desk.example/missile",
                                            date: Date(timeIntervalSince1970: 1_586_851_200))
        let rice = try server.addArticle(feed: desk, title: "Rice prices fall in Hyesan markets",
                                         content: "<p>Prices fell for the third week.</p>",
                                         link: "https://desk.example/rice", date: Date(timeIntervalSince1970: 1_586_764_800))

        let password = "Gz-s3cr3t-\(getpid())"
        try server.setPassword(password)
        let gazette = try GazetteHarness(test: self)
        let secret = gazette.dataHome + "/ttrss-secret"
        try (password + "\n").write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o644)
        try gazette.writeConfiguration("""
            set sync ttrss
            set ttrss-url \(server.baseURL)
            set ttrss-login \(TTRSSServer.user)
            set ttrss-password-file \(secret)
            """)
        // A password file others can read is refused, and says what to do.
        let open = try gazette.run(["sync"])
        XCTAssertEqual(open.status, 78, open.output)
        XCTAssertTrue(open.output.contains("chmod 600"), open.output)
        XCTAssertFalse(open.output.contains(password), "the password is never printed")
        chmod(secret, 0o600)

        let first = try gazette.run(["sync"])
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertEqual(Set(try gazette.listAll().map(\.title)), ["Missile test reported off the east coast",
                                                                 "Rice prices fall in Hyesan markets"])

        let tmux = try gazette.startReader(arguments: [], size: (columns: 120, rows: 40))
        defer { tmux.close() }
        try tmux.waitFor(text: "Missile test reported")
        // The server's feed is a source, its category its tag.
        try tmux.send(keys: "s")
        try tmux.waitFor(text: "Korea Desk")
        try tmux.send(keys: "Escape")
        try tmux.send(keys: "t")
        try tmux.waitFor(text: "Asia")
        try tmux.send(keys: "Escape")
        // Opening the newest post marks it read (on-open); R sends the mark and brings what changed elsewhere.
        try tmux.send(keys: "Enter")
        try tmux.waitFor(text: "1 unread")
        let flood = try server.addArticle(feed: desk, title: "Flood warning for the Taedong river",
                                          content: "<p>Rain for three days.</p>", link: "https://desk.example/flood")
        try server.setUnread(articleIDs: [rice], unread: false)
        try tmux.send(keys: "R")
        try tmux.waitFor(text: "Flood warning", timeout: 60)
        try tmux.waitFor(text: "Synced with 127.0.0.1", timeout: 60)
        let synced = try tmux.capture()
        XCTAssertTrue(synced.contains("1 new · 1 marks sent · 1 marks from the server"), synced)
        // The server's mark is on screen at once: Rice is read, Flood is the only unread post.
        try tmux.waitFor(text: "1 unread")
        XCTAssertFalse(try server.unreadArticleIDs().contains(missile), "the mark made in the reader reached the server")
        XCTAssertTrue(try server.unreadArticleIDs().contains(flood))
        try tmux.send(keys: "q")  // the reading pane back to the list
        try tmux.send(keys: "q")
        XCTAssertEqual(tmux.exitStatus(), 0)

        let posts = try gazette.listAll()
        XCTAssertEqual(posts.first { $0.title.hasPrefix("Rice") }?.read, true, "the mark made on the server arrived")
        XCTAssertEqual(posts.first { $0.title.hasPrefix("Flood") }?.read, false)
        XCTAssertEqual(posts.first { $0.title.hasPrefix("Missile") }?.read, true)

        let status = try gazette.run(["sync", "--status"])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("127.0.0.1"), status.output)
        XCTAssertFalse(status.output.contains(password), status.output)

        // Another machine's first run: the reader alone syncs first, then shows the server's articles and marks.
        let second = try GazetteHarness(test: self)
        try second.writeConfiguration(try String(contentsOfFile: gazette.configFile, encoding: .utf8))
        let fresh = try second.startReader(arguments: [], size: (columns: 120, rows: 40))
        defer { fresh.close() }
        try fresh.waitFor(text: "Missile test reported", timeout: 60)
        try fresh.waitFor(text: "1 unread")
        try fresh.send(keys: "q")
        XCTAssertEqual(fresh.exitStatus(), 0)

        // Offline: a mark waits in the store and reaches the server on the next sync.
        server.stopPHP()
        let flooded = try XCTUnwrap(posts.first { $0.title.hasPrefix("Flood") })
        XCTAssertEqual(try gazette.run(["mark", flooded.id]).status, 0)
        XCTAssertEqual(try gazette.run(["sync"]).status, 75)
        try server.startPHP()
        XCTAssertEqual(try gazette.run(["sync"]).status, 0)
        XCTAssertFalse(try server.unreadArticleIDs().contains(flood))
    }
}
