import Foundation
import ReadState
import XCTest

/// Two interactive readers on one store (two tmux servers, one `XDG_DATA_HOME`), both marking at once:
/// no mark is lost, neither shows "database is locked", and each shows the other's marks after its next key
/// (`ReaderSession.refresh`, from `PRAGMA data_version`, before every key).
final class TwoReadersTests: XCTestCase {
    func testTwoReadersMarkingAtOnceLoseNothingAndSeeEachOther() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        guard posts.count >= 6 else { return XCTFail("the seeds need six posts") }
        let half = posts.count / 2
        let rounds = TestScale.count("GAZETTE_TWO_READER_TOGGLES", default: 5) | 1  // odd: ends read

        let first = try gazette.startReader()
        defer { first.close() }
        let second = try gazette.startReader()
        defer { second.close() }
        for session in [first, second] { try session.waitFor(text: "\(posts.count) unread") }

        // The first marks the top half walking down, the second the bottom half walking up, key bursts sent
        // to both without waiting, so that their writes overlap. `m` toggles: an odd number of presses on each
        // post leaves it read. Each burst is one post's toggles and the move to the next post.
        try second.send(keys: "End")
        try second.waitFor(text: "\(posts.count)/\(posts.count)")
        for step in 0..<(posts.count - half) {
            if step < half { try first.send(keys: Array(repeating: "m", count: rounds) + ["Down"]) }
            try second.send(keys: Array(repeating: "m", count: rounds) + ["Up"])
            try Self.assertNoLockError(first, second)
        }
        try gazette.waitUntilAllRead(posts.count, sessions: [first, second])

        // Each now shows the other's half after one key (Home: a move that changes no mark).
        for session in [first, second] {
            try session.send(keys: "Home")
            try session.waitFor(text: " 0 unread")
        }
        try Self.assertNoLockError(first, second)
        let store = try SQLiteReadStateStore(path: gazette.dataHome + "/gazette/state.sqlite3", readOnly: true)
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
        XCTAssertEqual(Set(try store.readMarks().keys.map(\.description)), Set(posts.map(\.id)))

        // One unmarks a post the other has on screen: the other shows it unread after its next key, and a
        // mark it then makes is on top of the fresh state, not of its stale view.
        try first.send(keys: "m")
        try first.waitFor(text: " 1 unread")
        try second.send(keys: "Home")
        try second.waitFor(text: " 1 unread")
        try second.send(keys: "m")
        try second.waitFor(text: " 0 unread")
        try first.send(keys: "Down")
        try first.waitFor(text: " 0 unread")
        XCTAssertTrue(try gazette.list().allSatisfy(\.read))

        for session in [first, second] {
            try session.send(keys: "Q")
            XCTAssertEqual(session.exitStatus(), 0)
        }
    }

    static func assertNoLockError(_ sessions: TmuxSession..., file: StaticString = #filePath, line: UInt = #line) throws {
        for session in sessions {
            let screen = try session.capture()
            XCTAssertFalse(screen.lowercased().contains("locked"), screen, file: file, line: line)
            XCTAssertFalse(screen.contains("Not saved"), screen, file: file, line: line)
        }
    }
}

extension GazetteHarness {
    /// Waits until `gazette list` shows `count` posts read, checking the sessions for lock errors meanwhile.
    func waitUntilAllRead(_ count: Int, sessions: [TmuxSession]) throws {
        let deadline = Date().addingTimeInterval(TmuxSession.defaultTimeout)
        while try list().filter(\.read).count != count {
            for session in sessions {
                let screen = try session.capture()
                XCTAssertFalse(screen.lowercased().contains("locked"), screen)
            }
            if Date() > deadline {
                let screens = try sessions.map { try $0.capture() }.joined(separator: "\n----\n")
                throw TmuxSession.Timeout(description: "not all \(count) posts read; the screens:\n\(screens)")
            }
            usleep(20_000)
        }
    }
}
