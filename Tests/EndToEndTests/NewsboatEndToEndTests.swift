import Foundation
import TestServers
import XCTest
@testable import ReadState

/// `gazette import newsboat DIR` against a cache the real newsboat (Debian's `newsboat`) made in the test from
/// feeds served by nginx, with items that have since left their feed; and caches that are not newsboat's, damaged,
/// locked or missing. Skipped with a message when newsboat or nginx is not installed.
final class NewsboatEndToEndTests: XCTestCase {
    private var nginx: NginxServer?

    override func tearDown() {
        nginx?.stop()
        super.tearDown()
    }

    /// newsboat in a folder of its own (`HOME` too, and its urls, cache and an empty config on the command line:
    /// nothing of the user's is touched).
    private struct Newsboat {
        let folder: String
        var urls: String { folder + "/urls" }
        var cache: String { folder + "/cache.db" }

        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            let result = try Spawn.run(["newsboat", "-u", urls, "-c", cache, "-C", folder + "/config"] + arguments,
                                       environment: ["HOME": folder, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                                                     "TERM": "dumb"], timeout: 60)
            guard result.status == 0 else {
                throw Spawn.Failure(description: "newsboat \(arguments) failed (\(result.status)): \(result.output)")
            }
            return result.output
        }

        /// `newsboat -x print-unread`: "N unread articles".
        func printUnread() throws -> Int {
            let output = try run(["-x", "print-unread"])
            guard let count = output.split(separator: " ").first.flatMap({ Int($0) }) else {
                throw Spawn.Failure(description: "newsboat -x print-unread said: \(output)")
            }
            return count
        }

        /// newsboat has no command to mark one item read: its own UPDATE (`mark_items_read_by_guid`), done with SQLite
        /// through ReadState (test-only) while newsboat is not running.
        func markRead(guids: [String]) throws {
            let database = try Database(path: cache)
            for guid in guids {
                let update = try database.prepare("UPDATE rss_item SET unread = 0 WHERE guid = ?")
                try update.bind(guid, at: 1)
                while try update.step() {}
                XCTAssertEqual(database.changes, 1, "no item \(guid) in newsboat's cache")
            }
        }

        func itemCount() throws -> Int {
            Int(try Database(path: cache, readOnly: true).scalarInt("SELECT count(*) FROM rss_item") ?? -1)
        }
    }

    /// An RSS feed that names itself with `selfLink` (as most do); items `first...last`, newest first.
    private static func rss(_ title: String, _ slug: String, selfLink: String, items: ClosedRange<Int>) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>\(title)</title>
            <link>https://\(slug).example/</link><atom:link rel="self" type="application/rss+xml" href="\(selfLink)"/>

            """
        for i in items.reversed() {
            xml += """
                <item><title>\(title) story \(i)</title><link>https://\(slug).example/\(i)</link>
                <guid isPermaLink="false">\(slug)-\(i)</guid><pubDate>\(String(format: "%02d", i)) Apr 2020 09:00:00 GMT</pubDate>
                <author>desk@\(slug).example (\(title) desk)</author>
                <description>&lt;p&gt;Body of \(slug) story \(i).&lt;/p&gt;</description></item>

                """
        }
        return xml + "</channel></rss>\n"
    }

    /// Two feeds served by nginx, read by newsboat twice: between the reloads three read-or-unread items leave
    /// the first feed and one arrives. newsboat keeps those that left. Read in newsboat: watch 1, watch 2, desk 1.
    private func newsboatCache() throws -> (Newsboat, NginxServer) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/newsboat") else {
            throw XCTSkip("newsboat is not installed (apt-get install -y newsboat)")
        }
        guard NginxServer.isInstalled else {
            throw XCTSkip("nginx is not installed (apt-get install nginx-light; make test installs it)")
        }
        let base = try Fixtures.temporaryDirectory(for: self)
        let root = base + "/www"
        let newsboat = Newsboat(folder: base + "/newsboat")
        for folder in [root, newsboat.folder] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let server = try NginxServer(root: root)
        nginx = server
        let watch = server.url("/watch.xml"), desk = server.url("/desk.xml")
        try Self.rss("Pyongyang Watch", "watch", selfLink: watch, items: 1...5)
            .write(toFile: root + "/watch.xml", atomically: true, encoding: .utf8)
        try Self.rss("Seoul Desk", "desk", selfLink: desk, items: 1...3)
            .write(toFile: root + "/desk.xml", atomically: true, encoding: .utf8)
        try "".write(toFile: newsboat.folder + "/config", atomically: true, encoding: .utf8)
        try """
            # newsboat's urls
            \(watch) korea "~The Watch"
            \(desk) korea seoul
            "query:Unread:unread = \\"yes\\""

            """.write(toFile: newsboat.urls, atomically: true, encoding: .utf8)
        try newsboat.run(["-x", "reload"])
        try newsboat.markRead(guids: ["watch-1", "watch-2", "desk-1"])
        try Self.rss("Pyongyang Watch", "watch", selfLink: watch, items: 4...6)
            .write(toFile: root + "/watch.xml", atomically: true, encoding: .utf8)
        try newsboat.run(["-x", "reload"])
        XCTAssertEqual(try newsboat.itemCount(), 9, "newsboat keeps watch 1-3, which left the feed")
        return (newsboat, server)
    }

    func testEverySubscriptionItemAndReadMarkComesOverAndASecondImportChangesNothing() throws {
        let (newsboat, server) = try newsboatCache()
        let unreadInNewsboat = try newsboat.printUnread()
        XCTAssertEqual(unreadInNewsboat, 6)
        let gazette = try GazetteHarness(test: self)

        let imported = try gazette.run(["import", "newsboat", newsboat.folder])
        XCTAssertEqual(imported.status, 0, imported.output)
        XCTAssertTrue(imported.output.contains("Imported from newsboat (\(newsboat.folder)): 2 subscriptions, 9 items, "
                                               + "3 read; not imported: 1 query feed (urls:4)"), imported.output)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8), """
            \(server.url("/watch.xml")) korea "~The Watch"
            \(server.url("/desk.xml")) korea seoul

            """)

        let all = try gazette.listAll()
        XCTAssertEqual(all.count, try newsboat.itemCount())
        XCTAssertEqual(try gazette.listAll(["--unread"]).count, unreadInNewsboat, "what newsboat -x print-unread counts")
        let titles = Set(all.map(\.title))
        for i in 1...6 { XCTAssertTrue(titles.contains("Pyongyang Watch story \(i)"), "watch \(i): \(titles)") }
        XCTAssertEqual(Set(all.filter(\.read).map(\.title)),
                       ["Pyongyang Watch story 1", "Pyongyang Watch story 2", "Seoul Desk story 1"])
        // Before any fetch, each feed is named: its urls-file name, else the title newsboat kept.
        let feeds = try gazette.run(["feeds", "--json"])
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(feeds.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.compactMap { $0["name"] as? String }, ["The Watch", "Seoul Desk"], feeds.output)
        let story = try XCTUnwrap(all.first { $0.title == "Seoul Desk story 2" })
        let shown = try gazette.run(["show", story.id])
        XCTAssertTrue(shown.output.contains("Body of desk story 2."), shown.output)

        // Again: nothing new, nothing changed.
        let urlsBefore = try String(contentsOfFile: gazette.urlsFile, encoding: .utf8)
        let again = try gazette.run(["import", "newsboat", newsboat.folder])
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(again.output.contains("2 subscriptions (2 already there), 9 items (9 already there), 3 read (3 already marked)"),
                      again.output)
        XCTAssertEqual(try gazette.listAll(), all)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8), urlsBefore)

        // Gazette's own fetch of the same feeds finds the same posts (they name themselves with their URL): no
        // duplicates, the read marks hold, the items that left stay.
        let fetched = try gazette.run(["fetch"])
        XCTAssertEqual(fetched.status, 0, fetched.output)
        XCTAssertEqual(try gazette.listAll().map(\.id).sorted(), all.map(\.id).sorted())
        XCTAssertEqual(try gazette.listAll(["--unread"]).count, unreadInNewsboat)
    }

    func testDryRunSaysWhatWouldComeAndChangesNothing() throws {
        let (newsboat, _) = try newsboatCache()
        let gazette = try GazetteHarness(test: self)
        let dry = try gazette.run(["import", "newsboat", newsboat.folder, "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.output)
        XCTAssertTrue(dry.output.contains("Would import from newsboat (\(newsboat.folder)): 2 subscriptions, 9 items, 3 read; "
                                          + "not imported: 1 query feed (urls:4)"), dry.output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: gazette.dataHome), [],
                       "no urls file, no store")

        // A Gazette with a subscription of its own: its urls file stays as it was.
        try gazette.writeURLs("https://mine.example/feed.xml\n")
        let before = try FileManager.default.contentsOfDirectory(atPath: gazette.dataHome)
        XCTAssertEqual(try gazette.run(["import", "newsboat", newsboat.folder, "--dry-run"]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8), "https://mine.example/feed.xml\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: gazette.dataHome), before, "still no store")

        // After the import: it would change nothing, and changes nothing.
        XCTAssertEqual(try gazette.run(["import", "newsboat", newsboat.folder]).status, 0)
        let urls = try String(contentsOfFile: gazette.urlsFile, encoding: .utf8)
        let list = try gazette.run(["list", "--json"])
        XCTAssertEqual(list.status, 0, list.output)
        let dryAgain = try gazette.run(["import", "newsboat", newsboat.folder, "--dry-run"])
        XCTAssertTrue(dryAgain.output.contains("Would import from newsboat (\(newsboat.folder)): 2 subscriptions (2 already there), "
                                               + "9 items (9 already there), 3 read (3 already marked)"), dryAgain.output)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8), urls)
        XCTAssertEqual(try gazette.run(["list", "--json"]).output, list.output)
    }

    // MARK: Bad input

    /// A newsboat folder with this cache.db (or none), and a Gazette that already has a subscription and a read post.
    private func brokenCache(_ write: (String) throws -> Void) throws -> (GazetteHarness, String) {
        let base = try Fixtures.temporaryDirectory(for: self)
        let folder = base + "/newsboat"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "https://new.example/feed.xml news\n".write(toFile: folder + "/urls", atomically: true, encoding: .utf8)
        try write(folder + "/cache.db")
        let gazette = try GazetteHarness(test: self)
        try gazette.writeURLs("https://mine.example/feed.xml\n")
        return (gazette, folder)
    }

    private func assertNothingChanged(_ gazette: GazetteHarness, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8), "https://mine.example/feed.xml\n",
                       file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: gazette.dataHome + "/gazette"), "no store made",
                       file: file, line: line)
    }

    func testACacheOfAnotherSchemaSaysWhatIsMissingAndChangesNothing() throws {
        let (gazette, folder) = try brokenCache { path in
            try Database(path: path).execute("CREATE TABLE moz_places (url TEXT); CREATE TABLE rss_feed (rssurl TEXT)")
        }
        let result = try gazette.run(["import", "newsboat", folder])
        XCTAssertEqual(result.status, 65, result.output)
        XCTAssertTrue(result.output.contains("gazette: \(folder)/cache.db is not a newsboat cache Gazette knows: "
                                             + "no column rss_feed.url, no column rss_feed.title, no table rss_item"),
                      result.output)
        try assertNothingChanged(gazette)
    }

    func testACorruptCacheChangesNothing() throws {
        let (gazette, folder) = try brokenCache { path in
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        let result = try gazette.run(["import", "newsboat", folder])
        XCTAssertEqual(result.status, 65, result.output)
        XCTAssertTrue(result.output.contains("gazette: newsboat's cache \(folder)/cache.db is damaged or not SQLite"),
                      result.output)
        try assertNothingChanged(gazette)
    }

    func testALockedCacheIsWaitedForThenReported() throws {
        let (gazette, folder) = try brokenCache { path in
            let database = try Database(path: path)
            try database.execute(NewsboatEndToEndTests.schema)
        }
        // What newsboat's commit does to readers, held for longer than the busy timeout (test-only, through ReadState).
        let writer = try Database(path: folder + "/cache.db")
        try writer.execute("BEGIN EXCLUSIVE")
        let result = try gazette.run(["import", "newsboat", folder])
        try writer.execute("ROLLBACK")
        XCTAssertEqual(result.status, 75, result.output)
        XCTAssertTrue(result.output.contains("gazette: newsboat's cache \(folder)/cache.db stayed locked by another program "
                                             + "(newsboat is probably reloading: try again when it is done)"), result.output)
        try assertNothingChanged(gazette)
        // Once free: imported.
        let retried = try gazette.run(["import", "newsboat", folder])
        XCTAssertEqual(retried.status, 0, retried.output)
        XCTAssertTrue(retried.output.contains("1 subscription, 0 items, 0 read"), retried.output)
    }

    func testAMissingFolderOrUrlsFile() throws {
        let gazette = try GazetteHarness(test: self)
        let base = try Fixtures.temporaryDirectory(for: self)
        let missing = try gazette.run(["import", "newsboat", base + "/nowhere"])
        XCTAssertEqual(missing.status, 66, missing.output)
        XCTAssertTrue(missing.output.contains("gazette: there is no folder \(base)/nowhere"), missing.output)
        let empty = try gazette.run(["import", "newsboat", base])
        XCTAssertEqual(empty.status, 66, empty.output)
        XCTAssertTrue(empty.output.contains("gazette: there is no newsboat urls file at \(base)/urls"), empty.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: gazette.urlsFile))
    }

    func testWithoutACacheTheSubscriptionsComeAlone() throws {
        let (gazette, folder) = try brokenCache { _ in }
        let result = try gazette.run(["import", "newsboat", folder])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("gazette: warning: there is no newsboat cache at \(folder)/cache.db: "
                                             + "importing the subscriptions only"), result.output)
        XCTAssertTrue(result.output.contains("Imported from newsboat (\(folder)): 1 subscription, no cache.db (no items)"),
                      result.output)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8),
                       "https://mine.example/feed.xml\nhttps://new.example/feed.xml news\n")
    }

    /// newsboat 2.21's tables, empty.
    static let schema = """
        CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL,
            title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0,
            is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "");
        CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL,
            title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL,
            feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
            unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),
            enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,
            base VARCHAR(128) NOT NULL DEFAULT "");
        """
}
