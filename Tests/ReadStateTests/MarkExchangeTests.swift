import Foundation
import Posts
@testable import ReadState
import XCTest

private func id(_ value: UInt64) -> PostID { PostID(rawValue: value) }

private func mark(_ value: UInt64, read: Bool = true, at seconds: Double, feed: String? = nil, guid: String? = nil)
    -> ExchangedMark {
    ExchangedMark(id: id(value), isRead: read, changedAt: time(seconds), feed: feed, guid: guid)
}

/// Every mark of a store, as `gazette marks export` writes them (id, read, time: what the merge compares).
private func marks(_ store: SQLiteReadStateStore) throws -> [ExchangedMark] {
    var all: [ExchangedMark] = []
    try store.exportMarks { all.append(ExchangedMark(id: $0.id, isRead: $0.isRead, changedAt: $0.changedAt)) }
    return all
}

private func undoGroups(_ store: SQLiteReadStateStore) throws -> Int64? {
    try store.database.scalarInt("SELECT count(*) FROM undo_group")
}

/// The merge rules of `mergeMarks`: the later change of each post wins, both ways; equal marks stay; two stores
/// exchanging marks converge whatever the order; a second import changes nothing; one import is one undo.
final class MarkExchangeTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func store(_ name: String = "state.sqlite3") throws -> SQLiteReadStateStore {
        try SQLiteReadStateStore(path: directory.file(name))
    }

    func testTheLaterChangeWinsInBothDirections() throws {
        let here = try store()
        try here.setRead([id(1)], read: true, at: time(100))
        try here.setRead([id(2)], read: true, at: time(300))
        try here.setRead([id(3)], read: true, at: time(100))
        try here.setRead([id(3)], read: false, at: time(200))

        let result = try here.mergeMarks([
            mark(1, read: false, at: 150),  // marked unread elsewhere after it was read here: unread
            mark(2, read: false, at: 250),  // marked read here after it was marked unread elsewhere: stays read
            mark(3, read: true, at: 250),   // read elsewhere after it was marked unread here: read
            mark(4, read: true, at: 50),    // never marked here: read
            mark(5, read: false, at: 60),   // never marked here, marked unread elsewhere: kept as such
        ], now: time(1000))

        XCTAssertEqual(result.applied, 4)
        XCTAssertEqual(result.keptNewerHere, 1)
        XCTAssertEqual(result.unchanged, 0)
        XCTAssertEqual(try here.mark(of: id(1)), ReadMark(isRead: false, changedAt: time(150)))
        XCTAssertEqual(try here.mark(of: id(2)), ReadMark(isRead: true, changedAt: time(300)))
        XCTAssertEqual(try here.mark(of: id(3)), ReadMark(isRead: true, changedAt: time(250)))
        XCTAssertEqual(try here.mark(of: id(4)), ReadMark(isRead: true, changedAt: time(50)))
        XCTAssertEqual(try here.mark(of: id(5)), ReadMark(isRead: false, changedAt: time(60)))
        XCTAssertEqual(Set(try here.readMarks().keys), [id(2), id(3), id(4)])
    }

    func testEqualMarksStayAndAtTheSameMillisecondReadWins() throws {
        let here = try store()
        try here.setRead([id(1), id(2)], read: true, at: time(100))
        try here.setRead([id(3)], read: true, at: time(90))
        try here.setRead([id(3)], read: false, at: time(100))

        let result = try here.mergeMarks([
            mark(1, read: true, at: 100),   // the same: unchanged
            mark(2, read: false, at: 100),  // read here, unread there, same time: read stays
            mark(3, read: true, at: 100),   // unread here, read there, same time: read wins
        ], now: time(1000))

        XCTAssertEqual(result.unchanged, 1)
        XCTAssertEqual(result.keptNewerHere, 1)
        XCTAssertEqual(result.applied, 1)
        XCTAssertEqual(Set(try here.readMarks().keys), [id(1), id(2), id(3)])
    }

    /// Two machines with overlapping marks (some the same post marked differently, some at the same moment):
    /// after an import in each direction, in either order, both have the same marks, and the same in both orders.
    func testTwoStoresExchangingInEitherOrderConverge() throws {
        var random = SystemRandomNumberGenerator()
        var results: [[ExchangedMark]] = []
        for order in 0..<2 {
            let a = try store("a\(order).sqlite3")
            let b = try store("b\(order).sqlite3")
            // The same marks in both runs: derived from the post number, not from the generator.
            for post in UInt64(1)...200 {
                if post % 3 != 0 { try a.setRead([id(post)], read: true, at: time(Double(post * 7 % 50))) }
                if post % 5 == 0 { try a.setRead([id(post)], read: false, at: time(Double(60 + post % 13))) }
                if post % 2 == 0 { try b.setRead([id(post)], read: true, at: time(Double(post * 11 % 50))) }
                if post % 7 == 0 { try b.setRead([id(post)], read: false, at: time(Double(60 + post % 11))) }
            }
            if order == 0 {
                try b.mergeMarks(marks(a), now: time(1000))
                try a.mergeMarks(marks(b), now: time(1000))
            } else {
                try a.mergeMarks(marks(b), now: time(1000))
                try b.mergeMarks(marks(a), now: time(1000))
            }
            let left = try marks(a)
            XCTAssertEqual(left, try marks(b), "order \(order)")
            XCTAssertGreaterThan(left.count, 150)
            results.append(left)
            // And a third exchange, in a shuffled input order, changes nothing on either side.
            XCTAssertEqual(try a.mergeMarks(marks(b).shuffled(using: &random), now: time(1000)).applied, 0)
            XCTAssertEqual(try b.mergeMarks(marks(a).shuffled(using: &random), now: time(1000)).applied, 0)
        }
        XCTAssertEqual(results[0], results[1])
    }

    func testImportingTwiceChangesNothingTheSecondTime() throws {
        let here = try store()
        try here.setRead([id(1)], read: true, at: time(500))
        let incoming = [mark(1, read: false, at: 100), mark(2, at: 200), mark(3, read: false, at: 300)]

        let first = try here.mergeMarks(incoming, now: time(1000))
        XCTAssertEqual([first.applied, first.keptNewerHere, first.unchanged], [2, 1, 0])
        let after = try marks(here)
        let groups = try undoGroups(here)

        let second = try here.mergeMarks(incoming, now: time(2000))
        XCTAssertEqual([second.applied, second.keptNewerHere, second.unchanged], [0, 1, 2])
        XCTAssertEqual(try marks(here), after)
        XCTAssertEqual(try undoGroups(here), groups, "an import that changes nothing records no undo step")
    }

    func testUndoTakesBackAWholeImport() throws {
        let here = try store()
        try here.setRead([id(1), id(2)], read: true, at: time(100))
        try here.setRead([id(2)], read: false, at: time(200))
        let before = try marks(here)

        // 500 posts: new ones, and later marks for the two posts known here.
        var incoming = (UInt64(10)..<UInt64(508)).map { mark($0, read: $0 % 2 == 0, at: Double($0)) }
        incoming += [mark(1, read: false, at: 300), mark(2, read: true, at: 300)]
        XCTAssertEqual(try here.mergeMarks(incoming, now: time(1000)).applied, 500)
        XCTAssertEqual(try marks(here).count, 500)

        let undone = try XCTUnwrap(try here.undoLast())
        XCTAssertEqual(undone.postIDs.count, 500)
        XCTAssertEqual(undone.madeAt, time(1000))
        XCTAssertEqual(try marks(here), before, "every mark as it was, and none of the new posts marked")
        XCTAssertEqual(try here.mark(of: id(10)), nil)

        // The step before the import is next.
        XCTAssertEqual(try here.undoLast()?.postIDs, [id(2)])
        XCTAssertEqual(try here.mark(of: id(2)), ReadMark(isRead: true, changedAt: time(100)))
    }

    func testADryRunCountsTheSameAndChangesNothing() throws {
        let here = try store()
        try here.setRead([id(1)], read: true, at: time(500))
        let before = try marks(here)
        let groups = try undoGroups(here)
        let incoming = [mark(1, read: false, at: 100), mark(2, at: 200), mark(2, at: 250), mark(3, at: 9000)]

        let dry = try here.mergeMarks(incoming, now: time(1000), dryRun: true)
        XCTAssertEqual(try marks(here), before)
        XCTAssertEqual(try undoGroups(here), groups)

        let real = try here.mergeMarks(incoming, now: time(1000))
        XCTAssertEqual(dry, real)
        XCTAssertEqual([real.applied, real.keptNewerHere, real.duplicates, real.fromTheFuture], [2, 1, 1, 1])
    }

    func testOfSeveralMarksOfOnePostTheLatestIsTakenWhateverTheirOrder() throws {
        for incoming in [[mark(1, at: 100), mark(1, read: false, at: 300), mark(1, at: 200)],
                         [mark(1, read: false, at: 300), mark(1, at: 200), mark(1, at: 100)]] {
            let here = try store()
            try here.setRead([id(1)], read: true, at: time(50))
            let result = try here.mergeMarks(incoming, now: time(1000))
            XCTAssertEqual([result.applied, result.duplicates], [1, 2])
            XCTAssertEqual(try here.mark(of: id(1)), ReadMark(isRead: false, changedAt: time(300)))
            // One journal entry for the post: undo brings back the mark from before the import.
            XCTAssertEqual(try here.undoLast()?.postIDs, [id(1)])
            XCTAssertEqual(try here.mark(of: id(1)), ReadMark(isRead: true, changedAt: time(50)))
            try here.database.execute("DELETE FROM read_mark; DELETE FROM undo_entry; DELETE FROM undo_group")
        }
    }

    /// A mark from a machine whose clock runs ahead (or a hand-edited file) would otherwise beat every later change.
    func testAMarkFromTheFutureIsTakenAsMadeAtTheImport() throws {
        let here = try store()
        let result = try here.mergeMarks([mark(1, at: 1_000_000)], now: time(1000))
        XCTAssertEqual(result.fromTheFuture, 1)
        XCTAssertEqual(try here.mark(of: id(1)), ReadMark(isRead: true, changedAt: time(1000)))
        // So marking it unread here afterwards is the later change, and a new export from there does not undo it.
        try here.setRead([id(1)], read: false, at: time(2000))
        XCTAssertEqual(try here.mergeMarks([mark(1, at: 1500)], now: time(3000)).keptNewerHere, 1)
        XCTAssertEqual(try here.mark(of: id(1))?.isRead, false)
    }

    func testAMarkForAPostNotFetchedYetAppliesWhenItArrives() throws {
        let here = try store()
        try here.mergeMarks([mark(42, at: 100), mark(43, read: false, at: 100)], now: time(1000))

        let items = try ItemStore(path: directory.file("state.sqlite3"))
        let feed = try items.addFeed(url: "https://example.org/feed")
        let arriving = [UInt64(42), 43, 44].map { StoredItem(id: id($0), title: "Post \($0)", guid: "urn:\($0)") }
        _ = try items.upsert(arriving, feedID: feed, now: time(2000))
        XCTAssertEqual(try items.feeds().map(\.unreadCount), [2])
        XCTAssertEqual(Set(try here.readMarks().keys), [id(42)])
    }

    /// The same item under two ids (its feed's identity changed on one machine): its feed and guid find it.
    func testAMarkWhoseIdIsUnknownFindsTheItemByFeedAndGuid() throws {
        let here = try store()
        let items = try ItemStore(path: directory.file("state.sqlite3"))
        let feed = try items.addFeed(url: "https://example.org/feed")
        _ = try items.upsert([StoredItem(id: id(7), title: "Seven", guid: "urn:7"),
                              StoredItem(id: id(8), title: "Eight", guid: "urn:8")], feedID: feed, now: time(10))
        try here.setRead([id(8)], read: true, at: time(500))

        let result = try here.mergeMarks([
            mark(107, at: 100, feed: "https://example.org/feed", guid: "urn:7"),
            mark(108, read: false, at: 100, feed: "https://example.org/feed", guid: "urn:8"),  // older than here's
            mark(109, at: 100, feed: "https://example.org/other", guid: "urn:7"),               // another feed
        ], now: time(1000))

        XCTAssertEqual(result.foundByGuid, 2)
        XCTAssertEqual(try here.mark(of: id(7)), ReadMark(isRead: true, changedAt: time(100)))
        XCTAssertEqual(try here.mark(of: id(8)), ReadMark(isRead: true, changedAt: time(500)))
        XCTAssertEqual(try items.feeds().map(\.unreadCount), [0])
        // The marks under their own ids are kept too, for the posts that may still arrive under them.
        XCTAssertEqual(try here.mark(of: id(107))?.isRead, true)
        XCTAssertEqual(try here.mark(of: id(109))?.isRead, true)
    }

    func testTheExportHasEveryMarkInIdOrderWithWhatFindsAFeedItemAgain() throws {
        let here = try store()
        let items = try ItemStore(path: directory.file("state.sqlite3"))
        let feed = try items.addFeed(url: "https://example.org/feed")
        _ = try items.upsert([StoredItem(id: id(0xffff_0000_0000_0001), title: "Top \"bit\"", guid: "urn:top",
                                         link: "https://example.org/top")], feedID: feed, now: time(10))
        try here.setRead([id(0xffff_0000_0000_0001), id(0x7fff_ffff_ffff_ffff), id(1)], read: true, at: time(100))
        try here.setRead([id(1)], read: false, at: time(200.25))

        var lines: [String] = []
        try here.exportMarks { lines.append(MarkExchangeFormat.line(for: $0)) }
        XCTAssertEqual(lines, [
            #"{"id":"0000000000000001","read":false,"at":"1970-01-01T00:03:20.250Z"}"#,
            #"{"id":"7fffffffffffffff","read":true,"at":"1970-01-01T00:01:40.000Z"}"#,
            #"{"id":"ffff000000000001","read":true,"at":"1970-01-01T00:01:40.000Z","feed":"https://example.org/feed","#
                + #""guid":"urn:top","link":"https://example.org/top","title":"Top \"bit\""}"#,
        ])
    }

    /// 100,000 marks: one transaction, one undo group, every one of them there.
    func testAHundredThousandMarksAreOneImportAndOneUndo() throws {
        let here = try store()
        try here.setRead([id(1)], read: true, at: time(5))
        let incoming = (UInt64(1)...100_000).map { mark($0 &* 0x9E37_79B9_7F4A_7C15, read: $0 % 3 != 0, at: Double($0 % 1000)) }
        let result = try here.mergeMarks(incoming, now: time(10_000))
        XCTAssertEqual(result.total, 100_000)
        XCTAssertEqual(try here.database.scalarInt("SELECT count(*) FROM read_mark"), 100_001)
        XCTAssertEqual(try undoGroups(here), 2)
        XCTAssertEqual(try here.undoLast()?.postIDs.count, result.applied)
        XCTAssertEqual(try marks(here).map(\.id), [id(1)])
    }

    func testAReadOnlyStoreRefusesAnImportButAnswersADryRun() throws {
        try XCTSkipIf(runningAsRoot, "root writes read-only files")
        do {
            let here = try store()
            try here.setRead([id(1)], read: true, at: time(100))
        }
        chmod(directory.file("state.sqlite3"), 0o400)
        chmod(directory.path, 0o500)
        let here = try store()
        XCTAssertEqual(try here.mergeMarks([mark(2, at: 50)], now: time(1000), dryRun: true).applied, 1)
        assertStoreError(.readOnly) { try here.mergeMarks([mark(2, at: 50)], now: time(1000)) }
        XCTAssertEqual(try marks(here).map(\.id), [id(1)])
    }
}
