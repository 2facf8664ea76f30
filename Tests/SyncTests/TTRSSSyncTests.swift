import Foundation
import Posts
import ReadState
import Sync
import TestServers
import XCTest

/// Sync against a real Tiny Tiny RSS (Debian's tt-rss, PHP, a throwaway PostgreSQL on 127.0.0.1): one server
/// for the class; each test seeds its own feeds and uses fresh stores.
final class TTRSSSyncTests: XCTestCase {
    nonisolated(unsafe) private static var shared: TTRSSServer?
    nonisolated(unsafe) private static var startError: String?
    private var paths: [String] = []

    override class func setUp() {
        super.setUp()
        if let missing = TTRSSServer.missing {
            startError = missing
            return
        }
        do {
            shared = try TTRSSServer(workers: 2)
        } catch {
            startError = "\(error)"
        }
    }

    override class func tearDown() {
        shared?.stop()
        shared = nil
        super.tearDown()
    }

    override func tearDown() {
        for path in paths { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        paths = []
    }

    private func server() throws -> TTRSSServer {
        guard let server = Self.shared else { throw XCTSkip("no Tiny Tiny RSS server: \(Self.startError ?? "not started")") }
        return server
    }

    private func newStore() -> String {
        let path = NSTemporaryDirectory() + "gazette-ttrss-\(UUID().uuidString).sqlite3"
        paths.append(path)
        return path
    }

    private func syncer(_ path: String, password: PasswordSource = .literal(TTRSSServer.defaultPassword)) throws -> Syncer {
        Syncer(storePath: path, account: TTRSSAccount(url: try server().baseURL, login: TTRSSServer.user, password: password))
    }

    @discardableResult
    private func sync(_ path: String) throws -> SyncReport { try syncer(path).sync() }

    private func post(_ path: String, _ article: Int) throws -> PostID {
        try XCTUnwrap(try SyncStore(path: path).postID(ofArticle: Int64(article)), "article \(article) not stored")
    }

    private func isRead(_ path: String, _ article: Int) throws -> Bool {
        try SQLiteReadStateStore(path: path).mark(of: post(path, article))?.isRead ?? false
    }

    private func mark(_ path: String, _ articles: [Int], read: Bool) throws {
        try SQLiteReadStateStore(path: path).setRead(try articles.map { try post(path, $0) }, read: read, at: Date())
    }

    func testFirstSyncBringsFeedsCategoriesAndArticlesWithTheirContent() throws {
        let server = try server()
        let category = try server.addCategory("Science")
        let feed = try server.addFeed(title: "Physics Today", url: "http://example.org/physics.xml", category: category)
        let plain = try server.addArticles(feed: feed, count: 3, contentBytes: 1000)
        let special = try server.addArticle(feed: feed, title: "Special relativity", content: "<p>Hello <b>world</b></p>",
                                            author: "Ada", link: "http://example.org/special",
                                            date: Date(timeIntervalSince1970: 1_750_000_000), unread: false)
        let path = newStore()
        let report = try sync(path)
        XCTAssertGreaterThanOrEqual(report.newArticles, 4)

        let store = try SyncStore(path: path)
        let synced = try XCTUnwrap(try store.syncedFeeds().first { $0.remoteID == Int64(feed) })
        XCTAssertEqual(synced.title, "Physics Today")
        XCTAssertEqual(synced.category, "Science")
        XCTAssertEqual(synced.feedURL, "http://example.org/physics.xml")
        XCTAssertTrue(synced.url.hasPrefix("ttrss:"), "never fetched over HTTP by gazette fetch")
        let item = try XCTUnwrap(try store.items.item(post(path, special)))
        XCTAssertEqual(item.title, "Special relativity")
        XCTAssertTrue(item.content.contains("Hello <b>world</b>"), item.content)
        XCTAssertEqual(item.author, "Ada")
        XCTAssertEqual(item.link, "http://example.org/special")
        XCTAssertEqual(item.published, 1_750_000_000)
        XCTAssertTrue(try isRead(path, special), "read on the server, read here")
        for article in plain { XCTAssertFalse(try isRead(path, article)) }
        XCTAssertEqual(try store.queue().count, 0, "marks from the server are not sent back")
    }

    func testIncrementalSyncBringsOnlyNewArticles() throws {
        let server = try server()
        let feed = try server.addFeed(title: "Incremental", url: "http://example.org/incremental.xml", category: nil)
        _ = try server.addArticles(feed: feed, count: 2, contentBytes: 200)
        let path = newStore()
        try sync(path)
        let added = try server.addArticles(feed: feed, count: 3, contentBytes: 200)
        let second = try sync(path)
        XCTAssertEqual(second.newArticles, 3)
        for article in added { XCTAssertNotNil(try SyncStore(path: path).postID(ofArticle: Int64(article))) }
        let third = try sync(path)
        XCTAssertEqual(third.newArticles, 0)
        XCTAssertEqual(third.marksApplied, 0)
    }

    func testMarksGoBothWaysAndAnUndoIsSent() throws {
        let server = try server()
        let feed = try server.addFeed(title: "Marks", url: "http://example.org/marks.xml", category: nil)
        let ids = try server.addArticles(feed: feed, count: 4, contentBytes: 200)
        let path = newStore()
        try sync(path)

        try mark(path, [ids[0]], read: true)
        XCTAssertEqual(try sync(path).marksSent, 1)
        XCTAssertFalse(try server.unreadArticleIDs().contains(ids[0]), "a mark made here reaches the server")

        try server.setUnread(articleIDs: [ids[1]], unread: false)
        XCTAssertEqual(try sync(path).marksApplied, 1)
        XCTAssertTrue(try isRead(path, ids[1]), "a mark made elsewhere arrives")

        try SQLiteReadStateStore(path: path).undoLast()
        try sync(path)
        XCTAssertTrue(try server.unreadArticleIDs().contains(ids[0]), "the undo reaches the server")
        XCTAssertFalse(try isRead(path, ids[0]))
    }

    func testMarksMadeOfflineAreQueuedAndSentLater() throws {
        let server = try server()
        let feed = try server.addFeed(title: "Offline", url: "http://example.org/offline.xml", category: nil)
        let ids = try server.addArticles(feed: feed, count: 3, contentBytes: 200)
        let path = newStore()
        try sync(path)
        server.stopPHP()
        defer { try? server.startPHP() }
        try mark(path, [ids[0], ids[1]], read: true)
        try mark(path, [ids[1]], read: false)
        XCTAssertThrowsError(try sync(path)) { error in
            guard case SyncError.unreachable = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try SyncStore(path: path).status()?.queuedMarks, 3)
        XCTAssertNotNil(try SyncStore(path: path).status()?.error)
        try server.startPHP()
        try sync(path)
        let unread = try server.unreadArticleIDs()
        XCTAssertFalse(unread.contains(ids[0]))
        XCTAssertTrue(unread.contains(ids[1]), "the later of two queued marks counts")
        XCTAssertEqual(try SyncStore(path: path).status()?.queuedMarks, 0)
        XCTAssertNil(try SyncStore(path: path).status()?.error)
    }

    func testTwoStoresConvergeThroughTheServer() throws {
        let server = try server()
        let feed = try server.addFeed(title: "Two", url: "http://example.org/two.xml", category: nil)
        let ids = try server.addArticles(feed: feed, count: 4, contentBytes: 200)
        let laptop = newStore()
        let desktop = newStore()
        try sync(laptop)
        try sync(desktop)
        try mark(laptop, [ids[0]], read: true)
        try mark(desktop, [ids[2], ids[3]], read: true)
        try sync(laptop)
        try sync(desktop)
        try sync(laptop)
        for path in [laptop, desktop] {
            XCTAssertEqual(try ids.map { try isRead(path, $0) }, [true, false, true, true])
        }
        XCTAssertEqual(try SyncStore(path: laptop).postID(ofArticle: Int64(ids[0])),
                       try SyncStore(path: desktop).postID(ofArticle: Int64(ids[0])), "the same post id everywhere")
    }

    func testBothSidesChangedTheMarkMadeHereWins() throws {
        let server = try server()
        let feed = try server.addFeed(title: "Conflict", url: "http://example.org/conflict.xml", category: nil)
        let ids = try server.addArticles(feed: feed, count: 2, contentBytes: 200)
        let path = newStore()
        try sync(path)
        try server.setUnread(articleIDs: [ids[0]], unread: false)
        try mark(path, [ids[0]], read: true)
        try mark(path, [ids[0]], read: false)
        let report = try sync(path)
        XCTAssertEqual(report.conflicts, 1)
        XCTAssertFalse(try isRead(path, ids[0]))
        XCTAssertTrue(try server.unreadArticleIDs().contains(ids[0]), "the mark made here (unread) was sent")
    }

    func testAnExpiredSessionLogsInAgain() throws {
        let server = try server()
        let client = TTRSSClient(account: TTRSSAccount(url: server.baseURL, login: TTRSSServer.user,
                                                       password: .literal(TTRSSServer.defaultPassword)))
        try client.login()
        XCTAssertEqual(try client.getApiLevel(), 15)
        try server.expireSessions()
        XCTAssertEqual(try client.getApiLevel(), 15, "logged in again")
        XCTAssertEqual(client.requestCount, 5, "login, a call, the refused call, login again, the call again")
    }

    func testWrongPasswordAndDisabledAPISayWhatToChange() throws {
        let server = try server()
        let path = newStore()
        XCTAssertThrowsError(try syncer(path, password: .literal("not the password")).sync()) { error in
            XCTAssertEqual("\(error)", "the server refused login admin: check ttrss-login and the password")
        }
        try server.setAPIAccess(enabled: false)
        defer { try? server.setAPIAccess(enabled: true) }
        XCTAssertThrowsError(try sync(path)) { error in
            XCTAssertEqual("\(error)", "the API is disabled for admin: enable it in tt-rss's Preferences (Enable API)")
        }
        XCTAssertEqual(try SyncStore(path: path).status()?.error,
                       "the API is disabled for admin: enable it in tt-rss's Preferences (Enable API)")
    }

    func testThePasswordFromACommandAndFromAFile() throws {
        let path = newStore()
        XCTAssertNoThrow(try syncer(path, password: .command(["printf", "%s\\nsecond line\\n", TTRSSServer.defaultPassword])).sync())
        let file = newStore()
        try (TTRSSServer.defaultPassword + "\n").write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        XCTAssertThrowsError(try syncer(path, password: .file(file)).sync()) { error in
            XCTAssertEqual("\(error)", "ttrss-password-file \(file) can be read by others: chmod 600 \(file)")
        }
        chmod(file, 0o600)
        XCTAssertNoThrow(try syncer(path, password: .file(file)).sync())
    }
}
