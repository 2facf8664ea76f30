import Foundation
import Posts
@testable import ReadState
import XCTest

/// The set of posts earlier sessions saw, which tells the reader which posts are new.
final class SeenPostsTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testNoSessionRecordedYetIsNilNotEmpty() throws {
        XCTAssertNil(try InMemoryReadStateStore().seenPosts())
        XCTAssertNil(try SQLiteReadStateStore(path: directory.file("a.sqlite3")).seenPosts())
    }

    func testSeenPostsSurviveReopeningTheFile() throws {
        let path = directory.file("seen.sqlite3")
        let ids = Set((0..<5_000).map { PostID(rawValue: UInt64.max - UInt64($0) * 7_919) })
        try SQLiteReadStateStore(path: path).setSeenPosts(ids)
        XCTAssertEqual(try SQLiteReadStateStore(path: path).seenPosts(), ids)
        try SQLiteReadStateStore(path: path).setSeenPosts([PostID(rawValue: 1)])
        XCTAssertEqual(try SQLiteReadStateStore(path: path).seenPosts(), [PostID(rawValue: 1)], "replaced, not merged")
    }

    func testAVersionOneStoreIsMigratedAndKeepsItsMarks() throws {
        let path = directory.file("old.sqlite3")
        let database = try Database(path: path, readOnly: false)
        try Schema.migrate(database, migrations: Array(Schema.migrations.prefix(1)))
        try database.execute("INSERT INTO read_mark (post_id, read, changed_at) VALUES (42, 1, 1000)")
        let store = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try store.readMarks(), [PostID(rawValue: 42): Date(timeIntervalSince1970: 1)])
        XCTAssertNil(try store.seenPosts())
        try store.setSeenPosts([PostID(rawValue: 42)])
        XCTAssertEqual(try store.seenPosts(), [PostID(rawValue: 42)])
    }

    func testCodecIgnoresATruncatedTail() {
        let bytes = SeenPostsCodec.encode([PostID(rawValue: 3), PostID(rawValue: 1 << 40)])
        XCTAssertEqual(SeenPostsCodec.decode(bytes), [PostID(rawValue: 3), PostID(rawValue: 1 << 40)])
        XCTAssertEqual(SeenPostsCodec.decode(Array(bytes.dropLast(3))), [PostID(rawValue: 3)])
    }
}
