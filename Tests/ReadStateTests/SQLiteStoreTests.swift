import Foundation
import Posts
@testable import ReadState
import XCTest

/// What only the file-backed store must do: persist, share the file between connections, migrate.
final class SQLiteStoreTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.file("state.sqlite3") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testEverythingSurvivesClosingAndReopening() throws {
        do {
            let store = try SQLiteReadStateStore(path: path)
            try store.setRead(ids(1...3), read: true, at: time(100))
            try store.setRead(ids(2...2), read: false, at: time(200))
            try store.setPosition(ReadingPosition(block: 7, line: 1), of: PostID(rawValue: 1), at: time(300))
            try store.setSetting("layout", "stacked")
        }
        let reopened = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try reopened.readMarks(), [PostID(rawValue: 1): time(100), PostID(rawValue: 3): time(100)])
        XCTAssertEqual(try reopened.mark(of: PostID(rawValue: 2)), ReadMark(isRead: false, changedAt: time(200)))
        XCTAssertEqual(try reopened.position(of: PostID(rawValue: 1)), ReadingPosition(block: 7, line: 1))
        XCTAssertEqual(try reopened.setting("layout"), "stacked")
        // The undo history survives too.
        XCTAssertEqual(try reopened.undoLast()?.postIDs, ids(2...2))
        XCTAssertEqual(try reopened.integrityCheck(), ["ok"])
    }

    func testTwoConnectionsWritingInTurnKeepEveryMark() throws {
        let first = try SQLiteReadStateStore(path: path)
        let second = try SQLiteReadStateStore(path: path)
        for i in 0..<200 {
            try first.setRead([PostID(rawValue: UInt64(2 * i))], read: true, at: time(Double(i)))
            try second.setRead([PostID(rawValue: UInt64(2 * i + 1))], read: true, at: time(Double(i)))
        }
        XCTAssertEqual(try first.readMarks().count, 400)
        XCTAssertEqual(try second.readMarks().count, 400)
        // Each sees the other's latest mark without reopening.
        XCTAssertEqual(try first.mark(of: PostID(rawValue: 399))?.isRead, true)
        XCTAssertEqual(try second.mark(of: PostID(rawValue: 398))?.isRead, true)
    }

    func testTwoThreadsWritingAtOnceLoseNoMark() throws {
        let path = self.path
        _ = try SQLiteReadStateStore(path: path)  // create and migrate once, like a first run
        let perThread = 150
        let errors = LockedErrors()
        let group = DispatchGroup()
        for thread in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let store = try SQLiteReadStateStore(path: path)
                    for i in 0..<perThread {
                        let id = PostID(rawValue: UInt64(thread * 10_000 + i))
                        try store.setRead([id], read: true, at: Date())
                        if i % 10 == 0 { _ = try store.readMarks() }
                    }
                } catch {
                    errors.append(error)
                }
            }
        }
        group.wait()
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        let store = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try store.readMarks().count, 2 * perThread)
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
    }

    func testAnotherConnectionsCommitIsAnExternalChange() throws {
        let first = try SQLiteReadStateStore(path: path)
        let second = try SQLiteReadStateStore(path: path)
        XCTAssertFalse(try first.hasExternalChanges())
        try second.setRead(ids(1...1), read: true, at: time(1))
        XCTAssertTrue(try first.hasExternalChanges())
        XCTAssertFalse(try first.hasExternalChanges())
    }

    func testItemsWrittenByAFetchAreNotAChangeOfTheMarks() throws {
        // The reader reloads every mark on an external change: a fetch writing items must not make it do so at
        // each key, but a mark made elsewhere (or an undo there) must.
        let reader = try SQLiteReadStateStore(path: path)
        let fetch = try ItemStore(path: path)
        let feed = try fetch.addFeed(url: "https://example.org/feed")
        _ = try fetch.upsert([StoredItem(id: PostID(rawValue: 7), title: "Seven", published: 1)], feedID: feed, now: time(1))
        XCTAssertFalse(try reader.hasExternalChanges(), "items only")
        let other = try SQLiteReadStateStore(path: path)
        try other.setRead(ids(7...7), read: true, at: time(2))
        XCTAssertTrue(try reader.hasExternalChanges(), "a mark")
        XCTAssertFalse(try reader.hasExternalChanges())
        _ = try other.undoLast()
        XCTAssertTrue(try reader.hasExternalChanges(), "an undo")
    }

    func testUsesWALWithFullSyncAndABusyTimeout() throws {
        let store = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try store.database.scalarText("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try store.database.scalarInt("PRAGMA synchronous"), 2)  // FULL
        XCTAssertEqual(try store.database.scalarInt("PRAGMA busy_timeout"), 5000)
    }

    func testAZeroLengthFileIsMigratedToTheLatestSchema() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try store.database.scalarInt("PRAGMA user_version"), Int64(Schema.latestVersion))
        XCTAssertEqual(try store.database.scalarInt("PRAGMA application_id"), Int64(Schema.applicationID))
        try store.setRead(ids(1...1), read: true, at: time(1))
        XCTAssertEqual(try store.readMarks().count, 1)
    }

    func testMigrationsRunInOrderOncePerVersion() throws {
        let database = try Database(path: path)
        let steps = [
            Schema.Migration(version: 1, sql: "CREATE TABLE a (x INTEGER)"),
            Schema.Migration(version: 2, sql: "INSERT INTO a VALUES (2)"),
        ]
        try Schema.migrate(database, migrations: steps)
        try Schema.migrate(database, migrations: steps)  // already there: nothing runs again
        try Schema.migrate(database, migrations: steps + [Schema.Migration(version: 3, sql: "INSERT INTO a VALUES (3)")])
        XCTAssertEqual(try database.scalarText("SELECT group_concat(x, '') FROM a"), "23")
        XCTAssertEqual(try database.scalarInt("PRAGMA user_version"), 3)
    }

    func testAFailingMigrationLeavesTheFileAtTheLastGoodVersion() throws {
        let database = try Database(path: path)
        let steps = [
            Schema.Migration(version: 1, sql: "CREATE TABLE a (x INTEGER)"),
            Schema.Migration(version: 2, sql: "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1)"),
        ]
        XCTAssertThrowsError(try Schema.migrate(database, migrations: steps))
        XCTAssertEqual(try database.scalarInt("PRAGMA user_version"), 1)
        XCTAssertEqual(try database.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name = 'b'"), 0)
    }

    func testANewFileIsPrivateAndTheDefaultDirectoryIsCreatedPrivate() throws {
        let location = try StoreLocation.resolve(explicitPath: nil,
                                                 environment: ["XDG_DATA_HOME": directory.file("data")])
        let store = try SQLiteReadStateStore(location: location)
        try store.setRead(ids(1...1), read: true, at: time(1))
        XCTAssertEqual(permissions(directory.file("data")), 0o700)
        XCTAssertEqual(permissions(directory.file("data/gazette")), 0o700)
        XCTAssertEqual(permissions(location.path), 0o600)
        XCTAssertEqual(permissions(location.path + "-wal"), 0o600)
    }

    func testAnExplicitPathDoesNotCreateDirectories() throws {
        let location = StoreLocation(path: directory.file("typo/state.sqlite3"), isDefault: false)
        let error = assertStoreError(.cannotOpen) { try SQLiteReadStateStore(location: location) }
        XCTAssertEqual(error?.path, location.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("typo")))
    }
}

/// Errors collected from several threads.
private final class LockedErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []

    func append(_ error: any Error) { lock.withLock { errors.append(error) } }
    var all: [any Error] { lock.withLock { errors } }
}
