import Foundation
import Posts
import ReadState
@testable import Sync
import XCTest

/// The API's JSON as Tiny Tiny RSS writes it, the request encoding and the password sources, without a server.
final class TTRSSDecodingTests: XCTestCase {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> TTRSSEnvelope<T>.Answer {
        try JSONDecoder().decode(TTRSSEnvelope<T>.self, from: Data(json.utf8)).answer
    }

    func testHeadlineTakesNumbersOrStringsAndPHPBooleans() throws {
        let json = """
            {"seq":0,"status":0,"content":[{"id":"12","guid":"g","unread":"t","updated":1796320272,"title":"T",
            "link":"http://x/1","feed_id":3,"tags":[""],"content":"<p>c</p>","author":"A","feed_title":"F",
            "attachments":[{"content_url":"http://x/a.mp3","content_type":"audio/mpeg"}]},
            {"id":13,"unread":false,"title":"U","feed_id":"4","tags":["a"," b "],"author":"","content":""}]}
            """
        guard case .ok(let headlines) = try decode([TTRSSHeadline].self, json) else { return XCTFail("not ok") }
        XCTAssertEqual(headlines.map(\.id), [12, 13])
        XCTAssertEqual(headlines.map(\.unread), [true, false])
        XCTAssertEqual(headlines.map(\.feedID), [3, 4])
        XCTAssertEqual(headlines[0].tags, [])
        XCTAssertEqual(headlines[1].tags, ["a", "b"])
        XCTAssertEqual(headlines[0].attachments.map(\.url), ["http://x/a.mp3"])
        XCTAssertEqual(headlines[0].updated, 1796320272)
        XCTAssertNil(headlines[1].author)
    }

    func testErrorsAreTheirCodes() throws {
        guard case .error(let code) = try decode([TTRSSHeadline].self, #"{"seq":null,"status":1,"content":{"error":"NOT_LOGGED_IN"}}"#)
        else { return XCTFail("not an error") }
        XCTAssertEqual(code, "NOT_LOGGED_IN")
    }

    func testCountersTellFeedsFromCategoriesAndTotals() throws {
        let json = """
            {"status":0,"content":[{"id":"global-unread","counter":3},{"id":"subscribed-feeds","counter":1},
            {"id":0,"counter":0,"auxcounter":0},{"id":-1,"counter":0},{"id":1,"updated":"","counter":3,"has_img":0},
            {"id":1,"kind":"cat","counter":3}]}
            """
        guard case .ok(let counters) = try decode([TTRSSCounter].self, json) else { return XCTFail("not ok") }
        XCTAssertEqual(counters.compactMap(\.feedID), [1])
    }

    func testGarbageIsAnErrorNotACrash() {
        for text in ["", "<html>", "{\"status\":0}", "[1,2]", "{\"status\":0,\"content\":{\"x\":1}}"] {
            XCTAssertThrowsError(try decode([TTRSSHeadline].self, text), text)
        }
    }

    func testRequestEncodingEscapesEverything() throws {
        let body = TTRSSRequest.encode([("op", .string("login")), ("password", .string("a\"b\\c\nd\u{1}é")), ("n", .int(-3)),
                                        ("b", .bool(true))])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        XCTAssertEqual(object["password"] as? String, "a\"b\\c\nd\u{1}é")
        XCTAssertEqual(object["n"] as? Int, -3)
        XCTAssertEqual(object["b"] as? Bool, true)
    }

    func testAPIURLIsUnderTheBase() {
        XCTAssertEqual(TTRSSAccount(url: "https://rss.example.org", login: "a", password: .literal("")).apiURL,
                       "https://rss.example.org/api/")
        XCTAssertEqual(TTRSSAccount(url: "https://rss.example.org/tt-rss/api/", login: "a", password: .literal("")).apiURL,
                       "https://rss.example.org/tt-rss/api/")
    }
}

final class PasswordSourceTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "gazette-password-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testAFileOthersCanReadIsRefusedWithTheChmodToRun() throws {
        let path = directory + "/password"
        try "secret\nsecond line\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o644)
        XCTAssertThrowsError(try PasswordSource.file(path).password()) { error in
            XCTAssertEqual("\(error)", "ttrss-password-file \(path) can be read by others: chmod 600 \(path)")
            XCTAssertFalse("\(error)".contains("secret"))
        }
        chmod(path, 0o600)
        XCTAssertEqual(try PasswordSource.file(path).password(), "secret")
    }

    func testTheCommandRunsWithoutAShell() throws {
        // A shell would expand $HOME and split at ';'.
        XCTAssertEqual(try PasswordSource.command(["echo", "pa ss;", "$HOME"]).password(), "pa ss; $HOME")
        XCTAssertThrowsError(try PasswordSource.command(["false"]).password()) { error in
            XCTAssertTrue("\(error)".contains("failed (exit status 1)"), "\(error)")
        }
        XCTAssertThrowsError(try PasswordSource.command(["no-such-command-gazette"]).password()) { error in
            XCTAssertTrue("\(error)".contains("not found"), "\(error)")
        }
    }
}

/// The store's side: the queue fed by the marks, the server's marks applied without being queued, the conflict
/// rule (a mark made here since the last sync wins), all without a server.
final class SyncStoreTests: XCTestCase {
    private var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "gazette-syncstore-\(UUID().uuidString).sqlite3"
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private func article(_ id: Int64, unread: Bool) -> SyncBatch.Article {
        let item = StoredItem(id: PostID(rawValue: UInt64(1000 + id)), title: "Article \(id)", guid: "ttrss:\(id)",
                              published: 1_700_000_000 + id, content: "<p>\(id)</p>")
        return SyncBatch.Article(articleID: id, remoteFeedID: 7, feedTitle: "Feed", unread: unread, item: item)
    }

    private func firstSync(_ store: SyncStore) throws {
        try store.follow(url: "http://127.0.0.1:1/", login: "admin")
        var batch = SyncBatch(at: Date())
        batch.categories = [3: "News"]
        batch.feeds = [SyncBatch.Feed(remoteID: 7, title: "Feed", feedURL: "http://example.org/feed", categoryID: 3)]
        batch.articles = [article(1, unread: true), article(2, unread: false)]
        batch.lastArticleID = 2
        _ = try store.apply(batch)
    }

    func testServerMarksAreAppliedAndNotQueuedLocalMarksAreQueued() throws {
        let store = try SyncStore(path: path)
        try firstSync(store)
        let marks = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try marks.mark(of: PostID(rawValue: 1002))?.isRead, true)
        XCTAssertNil(try marks.mark(of: PostID(rawValue: 1001)))
        XCTAssertEqual(try store.queue().count, 0)
        XCTAssertEqual(try store.syncedFeeds().map(\.category), ["News"])
        XCTAssertEqual(try store.syncedFeeds().map(\.title), ["Feed"])

        try marks.setRead([PostID(rawValue: 1001)], read: true, at: Date())
        try marks.undoLast()
        XCTAssertEqual(try store.queue().map(\.read), [true, false], "the undo is a change and is queued")
        XCTAssertEqual(try store.queue().map(\.articleID), [1, 1])
        XCTAssertEqual(try store.status()?.queuedMarks, 2)
    }

    func testAMarkMadeHereSinceTheLastSyncWinsOverTheServers() throws {
        let store = try SyncStore(path: path)
        try firstSync(store)
        let marks = try SQLiteReadStateStore(path: path)
        try marks.setRead([PostID(rawValue: 1001)], read: true, at: Date())
        // Since the last sync the server changed 2 (read → unread) and 1 (unread → read); 1 also has a mark queued
        // here: that one is a conflict, and the mark made here stands.
        var batch = SyncBatch(at: Date())
        batch.serverUnread = [1: false, 2: true]
        let applied = try store.apply(batch)
        XCTAssertEqual(applied.conflicts, 1)
        XCTAssertEqual(applied.marksApplied, 1)
        XCTAssertEqual(try marks.mark(of: PostID(rawValue: 1002))?.isRead, false, "a change made elsewhere is applied")
        XCTAssertEqual(try store.queue().count, 1, "not sent yet: stays queued")

        var sent = SyncBatch(at: Date())
        sent.sent = [1: false]
        sent.dequeueThrough = try store.queue().last?.seq ?? 0
        _ = try store.apply(sent)
        XCTAssertEqual(try store.queue().count, 0)
    }

    func testAnotherServerStartsOver() throws {
        let store = try SyncStore(path: path)
        try firstSync(store)
        try store.follow(url: "https://other.example.org/", login: "admin")
        XCTAssertEqual(try store.status()?.articles, 0)
        XCTAssertEqual(try store.status()?.lastArticleID, 0)
        XCTAssertEqual(try store.items.itemCount(), 2, "the items stay")
    }
}
