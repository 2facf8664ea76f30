import Foundation
import Posts
@testable import ReadState
import XCTest

/// The semantics every `ReadStateStore` shares: each test runs on the SQLite store and on its in-memory twin.
final class StoreContractTests: XCTestCase {
    private var directory: TemporaryDirectory!
    /// The implementation under test, named in every failure.
    private var current = ""

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// Runs `body` once per implementation, naming it in failures.
    private func forEachStore(_ body: (ReadStateStore) throws -> Void) throws {
        let stores: [ReadStateStore] = [InMemoryReadStateStore(),
                                        try SQLiteReadStateStore(path: directory.file("contract.sqlite3"))]
        for store in stores {
            current = String(describing: type(of: store))
            defer { current = "" }
            try body(store)
        }
    }

    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int,
                                expected: Bool) {
        super.recordFailure(withDescription: "[\(current)] " + description, inFile: filePath, atLine: lineNumber,
                            expected: expected)
    }

    func testANeverMarkedPostHasNoMark() throws {
        try forEachStore { store in
            XCTAssertNil(try store.mark(of: PostID(rawValue: 7)))
            XCTAssertEqual(try store.readMarks(), [:])
        }
    }

    func testSetReadStoresTheTimeAndReadMarksListsOnlyReadPosts() throws {
        try forEachStore { store in
            XCTAssertEqual(try store.setRead(ids(1...3), read: true, at: time(100)), 3)
            XCTAssertEqual(try store.setRead([PostID(rawValue: 2)], read: false, at: time(200)), 1)
            XCTAssertEqual(try store.readMarks(), [PostID(rawValue: 1): time(100), PostID(rawValue: 3): time(100)])
            XCTAssertEqual(try store.mark(of: PostID(rawValue: 1)), ReadMark(isRead: true, changedAt: time(100)))
        }
    }

    func testMarkingUnreadKeepsAnUnreadMarkWithItsTime() throws {
        try forEachStore { store in
            try store.setRead(ids(5...5), read: true, at: time(10))
            try store.setRead(ids(5...5), read: false, at: time(20))
            XCTAssertEqual(try store.mark(of: PostID(rawValue: 5)), ReadMark(isRead: false, changedAt: time(20)))
            XCTAssertNil(try store.readMarks()[PostID(rawValue: 5)])
        }
    }

    func testMarkingAlreadyReadPostsKeepsTheirFirstTimeAndChangesNothing() throws {
        try forEachStore { store in
            try store.setRead(ids(1...2), read: true, at: time(10))
            XCTAssertEqual(try store.setRead(ids(1...3), read: true, at: time(20)), 1)
            XCTAssertEqual(try store.readMarks()[PostID(rawValue: 1)], time(10))
            XCTAssertEqual(try store.readMarks()[PostID(rawValue: 3)], time(20))
            // Unread for a post never marked: nothing to change, nothing to undo.
            XCTAssertEqual(try store.setRead(ids(9...9), read: false, at: time(30)), 0)
            XCTAssertNil(try store.mark(of: PostID(rawValue: 9)))
        }
    }

    func testDuplicateIDsInOneCallCountOnce() throws {
        try forEachStore { store in
            let id = PostID(rawValue: 4)
            XCTAssertEqual(try store.setRead([id, id, id], read: true, at: time(1)), 1)
            XCTAssertEqual(try store.undoLast()?.postIDs, [id])
            XCTAssertNil(try store.mark(of: id))
        }
    }

    func testUndoRestoresAWholeBulkChangeThenGoesFurtherBack() throws {
        try forEachStore { store in
            try store.setRead(ids(1...3), read: true, at: time(100))       // group 1
            try store.setRead(ids(3...3), read: false, at: time(150))      // group 2
            try store.setRead(ids(1...6), read: true, at: time(200))       // group 3: bulk, changes 3...6

            let bulk = try XCTUnwrap(try store.undoLast())
            XCTAssertEqual(bulk.madeAt, time(200))
            XCTAssertEqual(bulk.postIDs, ids(3...6))
            XCTAssertEqual(bulk.marks, [PostID(rawValue: 3): ReadMark(isRead: false, changedAt: time(150))])
            XCTAssertEqual(Set(try store.readMarks().keys), Set(ids(1...2)))
            XCTAssertNil(try store.mark(of: PostID(rawValue: 6)))

            let unread = try XCTUnwrap(try store.undoLast())
            XCTAssertEqual(unread.marks, [PostID(rawValue: 3): ReadMark(isRead: true, changedAt: time(100))])
            XCTAssertEqual(try store.readMarks(), Dictionary(uniqueKeysWithValues: ids(1...3).map { ($0, time(100)) }))

            XCTAssertEqual(try store.undoLast()?.postIDs, ids(1...3))
            XCTAssertEqual(try store.readMarks(), [:])
            XCTAssertNil(try store.undoLast())
        }
    }

    func testTheUndoJournalKeepsTheNewestGroups() throws {
        try forEachStore { store in
            let count = UndoJournal.depth + 5
            for i in 0..<count {
                try store.setRead([PostID(rawValue: UInt64(i))], read: true, at: time(Double(i)))
            }
            for i in (5..<count).reversed() {
                XCTAssertEqual(try store.undoLast()?.postIDs, [PostID(rawValue: UInt64(i))])
            }
            XCTAssertNil(try store.undoLast())
            XCTAssertEqual(Set(try store.readMarks().keys), Set(ids(0...4)))
        }
    }

    func testEverySixtyFourBitIDRoundTrips() throws {
        try forEachStore { store in
            let extremes = [0, 1, UInt64(Int64.max), UInt64(1) << 63, UInt64.max].map { PostID(rawValue: $0) }
            try store.setRead(extremes, read: true, at: time(5))
            XCTAssertEqual(Set(try store.readMarks().keys), Set(extremes))
            for id in extremes { XCTAssertEqual(try store.mark(of: id)?.isRead, true) }
        }
    }

    func testTimesAreKeptToTheMillisecond() throws {
        try forEachStore { store in
            let id = PostID(rawValue: 1)
            try store.setRead([id], read: true, at: time(1_700_000_000.123_456))
            XCTAssertEqual(try store.mark(of: id)?.changedAt, time(1_700_000_000.123))
        }
    }

    func testPositionsAreSavedAndForgotten() throws {
        try forEachStore { store in
            let id = PostID(rawValue: 3)
            XCTAssertNil(try store.position(of: id))
            try store.setPosition(ReadingPosition(block: 4, line: 2), of: id, at: time(1))
            try store.setPosition(ReadingPosition(block: 5), of: id, at: time(2))
            XCTAssertEqual(try store.position(of: id), ReadingPosition(block: 5, line: 0))
            try store.setPosition(nil, of: id, at: time(3))
            XCTAssertNil(try store.position(of: id))
        }
    }

    func testSettingsAreSavedReplacedAndRemoved() throws {
        try forEachStore { store in
            XCTAssertNil(try store.setting("layout"))
            try store.setSetting("layout", "stacked")
            try store.setSetting("layout", "side-by-side ✓")
            try store.setSetting("last-selection", "00000000000000ff")
            XCTAssertEqual(try store.setting("layout"), "side-by-side ✓")
            try store.setSetting("layout", nil)
            XCTAssertNil(try store.setting("layout"))
            XCTAssertEqual(try store.setting("last-selection"), "00000000000000ff")
        }
    }

    func testOwnChangesAreNotExternal() throws {
        try forEachStore { store in
            try store.setRead(ids(1...1), read: true, at: time(1))
            XCTAssertFalse(try store.hasExternalChanges())
        }
    }
}
