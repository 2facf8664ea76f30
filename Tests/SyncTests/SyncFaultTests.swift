import Foundation
import Posts
import ReadState
import Sync
import TestServers
import XCTest

/// Answers Tiny Tiny RSS would never give, from a scripted server on 127.0.0.1: garbage or a server error in the
/// middle of a sync leaves the store as it was (the queue kept), redirects are refused, messages are one line
/// without the password or the session id.
final class SyncFaultTests: XCTestCase {
    private var path = ""
    private var server: FaultServer?

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "gazette-syncfault-\(UUID().uuidString).sqlite3"
    }

    override func tearDown() {
        server?.stop()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func json(_ text: String) -> FaultBehaviour {
        .respond(status: 200, headers: ["Content-Type": "text/json"], body: Array(text.utf8))
    }

    private static let login = json(#"{"seq":0,"status":0,"content":{"session_id":"SESSIONSECRET","api_level":15}}"#)
    private static let categories = json(#"{"status":0,"content":[{"id":1,"title":"News","unread":1}]}"#)
    private static let feeds = json(#"{"status":0,"content":[{"id":1,"title":"Feed One","feed_url":"http://e/f","cat_id":1,"unread":1}]}"#)
    private static let counters = json(#"{"status":0,"content":[{"id":"global-unread","counter":1},{"id":1,"counter":1}]}"#)
    private static let page = json(#"{"status":0,"content":[{"id":5,"unread":true,"title":"Five","feed_id":1,"updated":1700000000,"link":"http://e/5","author":"A","content":"<p>five</p>","tags":[""]}]}"#)
    private static let empty = json(#"{"status":0,"content":[]}"#)

    private func syncer(_ server: FaultServer) -> Syncer {
        Syncer(storePath: path, account: TTRSSAccount(url: server.baseURL + "/", login: "admin",
                                                      password: .literal("PASSWORDSECRET")))
    }

    private func assertClean(_ error: any Error, file: StaticString = #filePath, line: UInt = #line) {
        let text = "\(error)"
        XCTAssertFalse(text.contains("PASSWORDSECRET"), text, file: file, line: line)
        XCTAssertFalse(text.contains("SESSIONSECRET"), text, file: file, line: line)
        XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
    }

    func testGarbageOrAServerErrorMidSyncChangesNothing() throws {
        let first: [FaultBehaviour] = [Self.login, Self.categories, Self.feeds, Self.counters, Self.page, Self.empty]
        let garbage: [FaultBehaviour] = [Self.login, Self.categories, Self.feeds, Self.counters,
                                         .respond(status: 200, body: Array("<html><body>Fatal error</body></html>".utf8)),
                                         .respond(status: 200, body: Array("{\"status\":0,\"content\":[{\"id\"".utf8))]
        let failing: [FaultBehaviour] = [Self.login, Self.categories, Self.feeds, Self.counters,
                                         .respond(status: 500), .respond(status: 500)]
        let server = try FaultServer(routes: ["/api/": .sequence(first + garbage + failing)])
        self.server = server
        let report = try syncer(server).sync()
        XCTAssertEqual(report.newArticles, 1)
        let marks = try SQLiteReadStateStore(path: path)
        let post = try XCTUnwrap(try SyncStore(path: path).postID(ofArticle: 5))
        try marks.setRead([post], read: true, at: Date())
        let before = try XCTUnwrap(try SyncStore(path: path).status())
        XCTAssertEqual(before.queuedMarks, 1)

        XCTAssertThrowsError(try syncer(server).sync()) { error in
            guard case SyncError.protocolError = error else { return XCTFail("\(error)") }
            assertClean(error)
        }
        XCTAssertThrowsError(try syncer(server).sync()) { error in
            guard case SyncError.unreachable(let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("HTTP 500"), text)
            assertClean(error)
        }
        let after = try XCTUnwrap(try SyncStore(path: path).status())
        XCTAssertEqual(after.queuedMarks, 1, "the mark stays queued")
        XCTAssertEqual(after.syncedAt, before.syncedAt)
        XCTAssertEqual(after.articles, before.articles)
        XCTAssertNotNil(after.error)
        XCTAssertEqual(try SyncStore(path: path).items.itemCount(), 1)
        XCTAssertEqual(try marks.mark(of: post)?.isRead, true)
    }

    func testARedirectOfTheAPIIsRefused() throws {
        let server = try FaultServer(routes: ["/api/": .redirect(302, to: "http://example.org/api/")])
        self.server = server
        XCTAssertThrowsError(try syncer(server).sync()) { error in
            guard case SyncError.refused(let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("another host"), text)
            assertClean(error)
        }
        XCTAssertEqual(server.requestCount("/api/"), 1, "never followed")
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.headers.first { $0.key.lowercased() == "content-type" }?.value, "application/json")
    }

    func testAnEmptyAnswerIsOneLine() throws {
        let server = try FaultServer(routes: ["/api/": .respond(status: 200)])
        self.server = server
        XCTAssertThrowsError(try syncer(server).sync()) { error in
            XCTAssertTrue("\(error)".contains("empty page"), "\(error)")
            assertClean(error)
        }
    }
}
