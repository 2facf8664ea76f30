import Foundation
import XCTest
@testable import Interop
@testable import ReadState

/// newsboat's cache.db read without writing: one the real newsboat made (Debian's `newsboat`, skipped when it is
/// absent), and files that are not newsboat caches, damaged, locked or missing.
final class NewsboatCacheTests: XCTestCase {
    // MARK: The real newsboat

    func testReadsEverythingTheRealNewsboatStoredIncludingItemsThatLeftTheFeed() throws {
        let newsboat = try NewsboatRunner(test: self)
        let feed = newsboat.folder + "/feed.xml"
        try NewsboatRunner.rss(title: "File Feed", site: "https://site.example/", items: [
            .init(guid: "g3", title: "Three", day: 3, enclosure: "https://site.example/3.mp3"),
            .init(guid: "g2", title: "Two", day: 2),
            .init(guid: "g1", title: "One", day: 1),
        ]).write(toFile: feed, atomically: true, encoding: .utf8)
        try newsboat.writeURLs("file://\(feed) news \"~My File\"\n")
        try newsboat.reload()
        // The feed moves on: One leaves it, Four arrives. newsboat keeps One.
        try NewsboatRunner.rss(title: "File Feed", site: "https://site.example/", items: [
            .init(guid: "g4", title: "Four", day: 4), .init(guid: "g3", title: "Three", day: 3, enclosure: "https://site.example/3.mp3"),
            .init(guid: "g2", title: "Two", day: 2),
        ]).write(toFile: feed, atomically: true, encoding: .utf8)
        try newsboat.reload()
        try newsboat.markRead(guids: ["g2"])

        let cache = try NewsboatCache.read(path: newsboat.cache)
        XCTAssertEqual(cache.feeds, [NewsboatFeed(rssURL: "file://\(feed)", siteLink: "https://site.example/", title: "File Feed")])
        XCTAssertEqual(Set(cache.items.map(\.guid)), ["g1", "g2", "g3", "g4"], "One left the feed and is still there")
        let three = try XCTUnwrap(cache.items.first { $0.guid == "g3" })
        XCTAssertEqual(three.title, "Three")
        XCTAssertEqual(three.author, "Ann")
        XCTAssertEqual(three.link, "https://site.example/g3")
        XCTAssertEqual(three.feedURL, "file://\(feed)")
        XCTAssertEqual(three.pubDate, 1_704_240_000, "03 Jan 2024 00:00:00 GMT")
        XCTAssertEqual(three.content, "<p>Body of Three</p>")
        XCTAssertEqual(three.enclosureURL, "https://site.example/3.mp3")
        XCTAssertEqual(three.enclosureType, "audio/mpeg")
        XCTAssertEqual(cache.items.filter { !$0.unread }.map(\.guid), ["g2"])
        XCTAssertEqual(cache.items.filter(\.unread).count, try newsboat.printUnread())
    }

    func testReadingLeavesTheCacheAndItsFolderByteForByteAsTheyWere() throws {
        let newsboat = try NewsboatRunner(test: self)
        let feed = newsboat.folder + "/feed.xml"
        try NewsboatRunner.rss(title: "F", site: "https://f.example/", items: [.init(guid: "a", title: "A", day: 1)])
            .write(toFile: feed, atomically: true, encoding: .utf8)
        try newsboat.writeURLs("file://\(feed)\n")
        try newsboat.reload()
        let before = try Self.snapshot(of: newsboat.folder)
        XCTAssertEqual(try NewsboatCache.read(path: newsboat.cache).items.count, 1)
        XCTAssertEqual(try Self.snapshot(of: newsboat.folder), before, "no file written, created or touched")
    }

    // MARK: Made here

    func testACacheInWALModeWithoutItsFilesIsReadWithoutCreatingThem() throws {
        let path = try Self.folder(self) + "/cache.db"
        try Self.makeCache(at: path, items: 3, wal: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        let before = try Self.snapshot(of: (path as NSString).deletingLastPathComponent)
        XCTAssertEqual(try NewsboatCache.read(path: path).items.count, 3)
        XCTAssertEqual(try Self.snapshot(of: (path as NSString).deletingLastPathComponent), before,
                       "no -wal or -shm created")
    }

    func testOldCachesWithoutTheLaterColumnsAreRead() throws {
        let path = try Self.folder(self) + "/cache.db"
        let database = try Database(path: path)
        try database.execute("""
            CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL,
                title VARCHAR(1024) NOT NULL);
            CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL,
                title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL,
                feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
                unread INTEGER(1) NOT NULL);
            INSERT INTO rss_feed VALUES ('https://old.example/feed', 'https://old.example/', 'Old');
            INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread)
                VALUES ('x', 'X', '', 'https://old.example/x', 'https://old.example/feed', '1600000000', 'body', '0');
            """)
        let cache = try NewsboatCache.read(path: path)
        XCTAssertEqual(cache.items, [NewsboatItem(guid: "x", title: "X", link: "https://old.example/x",
                                                  feedURL: "https://old.example/feed", pubDate: 1_600_000_000,
                                                  content: "body", unread: false)])
    }

    func testAFileOfAnotherSchemaNamesWhatIsMissing() throws {
        let path = try Self.folder(self) + "/cache.db"
        try Database(path: path).execute("""
            CREATE TABLE bookmarks (url TEXT, title TEXT);
            CREATE TABLE rss_feed (rssurl TEXT, url TEXT);
            """)
        XCTAssertThrowsError(try NewsboatCache.read(path: path)) { error in
            let error = error as? NewsboatError
            XCTAssertEqual(error?.kind, .unknownSchema)
            XCTAssertEqual(error?.problem, "\(path) is not a newsboat cache Gazette knows: no column rss_feed.title, no table rss_item")
        }
    }

    func testAnEmptyFileIsAnUnknownSchema() throws {
        let path = try Self.folder(self) + "/cache.db"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        XCTAssertThrowsError(try NewsboatCache.read(path: path)) { error in
            XCTAssertEqual((error as? NewsboatError)?.kind, .unknownSchema)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, 0, "still empty")
    }

    func testRandomBytesAreACorruptCache() throws {
        let path = try Self.folder(self) + "/cache.db"
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        XCTAssertThrowsError(try NewsboatCache.read(path: path)) { error in
            let error = error as? NewsboatError
            XCTAssertEqual(error?.kind, .corrupt)
            XCTAssertTrue(error?.problem.contains("is damaged or not SQLite") ?? false, "\(String(describing: error))")
        }
    }

    func testDamagedPagesInARealCacheAreReportedNotHalfRead() throws {
        let path = try Self.folder(self) + "/cache.db"
        try Self.makeCache(at: path, items: 400)
        // Keep the header and the schema page, scribble over everything after the second page.
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        XCTAssertGreaterThan(size, 40_000)
        try handle.seek(toOffset: 8192)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 8192))
        try handle.close()
        XCTAssertThrowsError(try NewsboatCache.read(path: path)) { error in
            XCTAssertEqual((error as? NewsboatError)?.kind, .corrupt, "\(error)")
        }
    }

    func testALockedCacheWaitsForTheBusyTimeoutThenSaysSoAndIsReadOnceFree() throws {
        let path = try Self.folder(self) + "/cache.db"
        try Self.makeCache(at: path, items: 2)
        // What newsboat's commit does to readers for a moment: an EXCLUSIVE lock (test-only, through ReadState).
        let writer = try Database(path: path)
        try writer.execute("BEGIN EXCLUSIVE")
        XCTAssertThrowsError(try NewsboatCache.read(path: path, busyTimeout: 100)) { error in
            let error = error as? NewsboatError
            XCTAssertEqual(error?.kind, .locked)
            XCTAssertEqual(error?.advice, "newsboat is probably reloading: try again when it is done")
        }
        try writer.execute("COMMIT")
        XCTAssertEqual(try NewsboatCache.read(path: path, busyTimeout: 100).items.count, 2)
    }

    func testAMissingFileOrAFolderInsteadOfAFile() throws {
        let folder = try Self.folder(self)
        XCTAssertThrowsError(try NewsboatCache.read(path: folder + "/nothing.db")) { error in
            XCTAssertEqual((error as? NewsboatError)?.kind, .missing)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/nothing.db"), "not created")
        XCTAssertThrowsError(try NewsboatCache.read(path: folder)) { error in
            XCTAssertEqual((error as? NewsboatError)?.kind, .unreadable)
        }
    }

    func testForeignDatabaseRefusesToWrite() throws {
        let path = try Self.folder(self) + "/cache.db"
        try Self.makeCache(at: path, items: 1)
        let database = try ForeignDatabase(path: path)
        XCTAssertThrowsError(try database.query("DELETE FROM rss_item") { _ in }) { error in
            XCTAssertEqual((error as? ForeignDatabaseError)?.kind, .cannotOpen, "\(error)")
        }
        XCTAssertEqual(try NewsboatCache.read(path: path).items.count, 1)
    }

    // MARK: Support

    static func folder(_ test: XCTestCase) throws -> String {
        let path = NSTemporaryDirectory() + "gazette-newsboat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Every file of `folder`: name, size, modification time and a digest of its bytes.
    static func snapshot(of folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            let path = folder + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in data { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            return "\(name) \(data.count) \(String(describing: attributes[.modificationDate])) \(hash)"
        }
    }

    /// A cache with newsboat 2.21's schema and `items` items of one feed (every third one read).
    static func makeCache(at path: String, items: Int, wal: Bool = false) throws {
        let database = try Database(path: path)
        if wal { _ = try database.scalarText("PRAGMA journal_mode = WAL") }
        try database.execute(NewsboatRunner.schema)
        try database.execute("INSERT INTO rss_feed (rssurl, url, title) VALUES ('https://made.example/feed', 'https://made.example/', 'Made')")
        let insert = try database.prepare("""
            INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread)
            VALUES (?, ?, 'Ann', ?, 'https://made.example/feed', ?, ?, ?)
            """)
        try database.writeTransaction {
            for i in 0..<items {
                try insert.reset()
                try insert.bind("guid-\(i)", at: 1)
                try insert.bind("Item \(i)", at: 2)
                try insert.bind("https://made.example/\(i)", at: 3)
                try insert.bind(Int64(1_700_000_000 + i), at: 4)
                try insert.bind("<p>" + String(repeating: "text \(i) ", count: 40) + "</p>", at: 5)
                try insert.bind(i % 3 == 0 ? 0 : 1, at: 6)
                while try insert.step() {}
            }
        }
        try insert.reset()
        // Closing the last connection of a WAL database checkpoints it and removes its -wal and -shm.
    }
}

/// The real newsboat, in a folder of its own: `HOME` is the folder and its urls, cache and (empty) configuration
/// are passed on the command line, so nothing of the user's is read or touched.
struct NewsboatRunner {
    struct Item {
        var guid: String
        var title: String
        var day: Int
        var enclosure: String?
    }

    let folder: String
    let executable: String

    var urls: String { folder + "/urls" }
    var cache: String { folder + "/cache.db" }
    var config: String { folder + "/config" }

    init(test: XCTestCase) throws {
        guard let executable = ["/usr/bin/newsboat", "/usr/local/bin/newsboat"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("newsboat is not installed (apt-get install -y newsboat)")
        }
        self.executable = executable
        folder = try NewsboatCacheTests.folder(test)
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/config", contents: Data()))
    }

    func writeURLs(_ text: String) throws {
        try text.write(toFile: urls, atomically: true, encoding: .utf8)
    }

    /// `newsboat -x ARGS` with this folder's files; its output.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-u", urls, "-c", cache, "-C", config] + arguments
        process.environment = ["HOME": folder, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "newsboat", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "newsboat \(arguments) failed: \(output)"])
        }
        return output
    }

    func reload() throws { try run(["-x", "reload"]) }

    /// `newsboat -x print-unread`: "N unread articles".
    func printUnread() throws -> Int {
        let output = try run(["-x", "print-unread"])
        guard let count = output.split(separator: " ").first.flatMap({ Int($0) }) else {
            throw NSError(domain: "newsboat", code: 0, userInfo: [NSLocalizedDescriptionKey: "print-unread said \(output)"])
        }
        return count
    }

    /// newsboat has no command to mark one item read: the UPDATE its own `mark_items_read_by_guid` runs.
    func markRead(guids: [String]) throws {
        let database = try Database(path: cache)
        let update = try database.prepare("UPDATE rss_item SET unread = 0 WHERE guid = ?")
        for guid in guids {
            try update.reset()
            try update.bind(guid, at: 1)
            while try update.step() {}
            XCTAssertEqual(database.changes, 1, "no item \(guid) in newsboat's cache")
        }
        try update.reset()
    }

    /// An RSS 2.0 feed; day N is N January 2024.
    static func rss(title: String, site: String, selfLink: String? = nil, items: [Item]) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>\(title)</title><link>\(site)</link>

            """
        if let selfLink { xml += "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"\(selfLink)\"/>\n" }
        for item in items {
            xml += """
                <item><title>\(item.title)</title><link>\(site)\(item.guid)</link><guid isPermaLink="false">\(item.guid)</guid>
                <author>ann@example.com (Ann)</author>
                <pubDate>\(String(format: "%02d", item.day)) Jan 2024 00:00:00 GMT</pubDate>
                <description>&lt;p&gt;Body of \(item.title)&lt;/p&gt;</description>
                """
            if let enclosure = item.enclosure {
                xml += "<enclosure url=\"\(enclosure)\" type=\"audio/mpeg\" length=\"1234\"/>"
            }
            xml += "</item>\n"
        }
        return xml + "</channel></rss>\n"
    }

    /// newsboat 2.21's cache schema (as `sqlite3 cache.db .schema` shows it).
    static let schema = """
        CREATE TABLE rss_feed (  rssurl VARCHAR(1024) PRIMARY KEY NOT NULL,  url VARCHAR(1024) NOT NULL,
            title VARCHAR(1024) NOT NULL , lastmodified INTEGER(11) NOT NULL DEFAULT 0,
            is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "");
        CREATE TABLE rss_item (  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,  guid VARCHAR(64) NOT NULL,
            title VARCHAR(1024) NOT NULL,  author VARCHAR(1024) NOT NULL,  url VARCHAR(1024) NOT NULL,
            feedurl VARCHAR(1024) NOT NULL,  pubDate INTEGER NOT NULL,  content VARCHAR(65535) NOT NULL,
            unread INTEGER(1) NOT NULL , enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),
            enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,
            base VARCHAR(128) NOT NULL DEFAULT "");
        CREATE TABLE metadata (  db_schema_version_major INTEGER NOT NULL,  db_schema_version_minor INTEGER NOT NULL );
        INSERT INTO metadata VALUES (2, 11);
        """
}
