import Foundation
import Posts
import ReadState
import Sync
import TestServers
import XCTest

/// Large things against a real Tiny Tiny RSS (a server of its own): an article of 5 MB, and 10,000 articles in
/// 20 feeds, all kept, then a sync with nothing new and 1,000 marks sent. Times are printed (figures for
/// BENCHMARKS.md), never asserted.
final class TTRSSVolumeTests: XCTestCase {
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
        let path = NSTemporaryDirectory() + "gazette-ttrss-volume-\(UUID().uuidString).sqlite3"
        paths.append(path)
        return path
    }

    private func syncer(_ path: String) throws -> Syncer {
        Syncer(storePath: path, account: TTRSSAccount(url: try server().baseURL, login: TTRSSServer.user,
                                                      password: .literal(TTRSSServer.defaultPassword)))
    }

    private func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        let result = try body()
        print("TTRSSVolumeTests: \(label): \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        return result
    }

    func testAnArticleOfFiveMegabytes() throws {
        let server = try server()
        let feed = try server.addFeed(title: "Huge", url: "http://example.org/huge.xml", category: nil)
        let paragraph = "<p>" + String(repeating: "lorem ipsum dolor sit amet ", count: 40) + "</p>\n"
        let content = String(repeating: paragraph, count: 5 * 1024 * 1024 / paragraph.utf8.count + 1)
        let article = try server.addArticle(feed: feed, title: "Five megabytes", content: content, author: "Big",
                                            link: "http://example.org/huge", date: Date(), unread: true)
        let path = newStore()
        try timed("5 MB article") { _ = try syncer(path).sync() }
        let store = try SyncStore(path: path)
        let post = try XCTUnwrap(try store.postID(ofArticle: Int64(article)))
        let item = try XCTUnwrap(try store.items.item(post))
        XCTAssertGreaterThan(item.content.utf8.count, 5 * 1024 * 1024)
        XCTAssertEqual(item.title, "Five megabytes")
    }

    func testTenThousandArticlesAllKeptThenNothingNewThenAThousandMarks() throws {
        let server = try server()
        var ids: [Int] = []
        for number in 1...20 {
            let feed = try server.addFeed(title: "Feed \(number)", url: "http://example.org/\(number).xml", category: nil)
            ids += try server.addArticles(feed: feed, count: 500, contentBytes: 3000)
        }
        let path = newStore()
        let first = try timed("first sync of 10,000 articles") { try syncer(path).sync() }
        // Every article the server has (another test of the class may have added some).
        let total = try server.articleCount()
        XCTAssertGreaterThanOrEqual(total, 10_000)
        XCTAssertEqual(first.newArticles, total)
        let store = try SyncStore(path: path)
        for id in ids { XCTAssertNotNil(try store.postID(ofArticle: Int64(id))) }
        XCTAssertEqual(try store.status()?.articles, total)

        let idle = try timed("sync with nothing new") { try syncer(path).sync() }
        XCTAssertEqual(idle.newArticles, 0)
        XCTAssertEqual(idle.marksApplied, 0)
        print("TTRSSVolumeTests: requests for nothing new: \(idle.requests)")

        let unreadBefore = Set(try server.unreadArticleIDs())
        let marked = Array(ids[1000..<2000])
        let posts = try marked.map { try XCTUnwrap(try store.postID(ofArticle: Int64($0))) }
        try SQLiteReadStateStore(path: path).setRead(posts, read: true, at: Date())
        let sent = try timed("sync sending 1,000 marks") { try syncer(path).sync() }
        XCTAssertEqual(sent.marksSent, 1000)
        print("TTRSSVolumeTests: requests for 1,000 marks: \(sent.requests)")
        let unread = Set(try server.unreadArticleIDs())
        XCTAssertTrue(marked.allSatisfy { !unread.contains($0) })
        XCTAssertEqual(unread, unreadBefore.subtracting(marked))
    }
}
