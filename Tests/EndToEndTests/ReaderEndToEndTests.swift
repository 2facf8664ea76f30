import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The reader as a person uses it, in a real terminal (a tmux pane at 120x40 unless said).
///
/// Assertions are about what is on screen and what the store holds afterwards, found through
/// `gazette list` / `gazette show` rather than hard-coded from the sample archive, so they hold
/// when the seeds or the layout change.
final class ReaderEndToEndTests: XCTestCase {
    // MARK: Command line in a terminal

    func testHelpWorksInAPane() throws {
        let binary = try Fixtures.gazette()
        let session = try TmuxSession(command: [binary, "--help"])
        defer { session.close() }
        XCTAssertEqual(session.exitStatus(), 0)
        try session.waitFor(text: "USAGE: gazette")
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
    }

    func testRefusesWhenStandardOutputIsAFile() throws {
        let gazette = try GazetteHarness(test: self)
        let output = try Fixtures.temporaryDirectory(for: self) + "/out"
        // stdin is the pane's terminal, stdout a file: curses would write escape codes into it.
        let session = try TmuxSession(
            command: ["sh", "-c", "exec \"$0\" \"$1\" > \"$2\"", gazette.binary, gazette.archive, output],
            environment: gazette.environment)
        defer { session.close() }
        let status = try XCTUnwrap(session.exitStatus())
        XCTAssertNotEqual(status, 0)
        // One line of text (the terminal may wrap it).
        let shown = try session.lines(joinWrapped: true).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(shown.count, 1, "one line of error, got: \(shown)")
        XCTAssertTrue(shown.first?.contains("terminal") ?? false, "\(shown)")
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
        let written = try Data(contentsOf: URL(fileURLWithPath: output))
        XCTAssertFalse(written.contains(0x1B), "escape codes written to the file")
    }

    func testRefusesWhenStandardInputIsNotATerminal() throws {
        let gazette = try GazetteHarness(test: self)
        let session = try TmuxSession(
            command: ["sh", "-c", "exec \"$0\" \"$1\" < /dev/null", gazette.binary, gazette.archive],
            environment: gazette.environment)
        defer { session.close() }
        let status = try XCTUnwrap(session.exitStatus())
        XCTAssertNotEqual(status, 0)
        let screen = try session.capture()
        XCTAssertTrue(screen.contains("terminal"), screen)
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
    }

    func testUnusableTerminalTypesGetAClearMessage() throws {
        let gazette = try GazetteHarness(test: self)
        let cases: [(name: String, command: [String])] = [
            ("TERM unset", ["env", "-u", "TERM", gazette.binary, gazette.archive]),
            ("TERM=dumb", ["env", "TERM=dumb", gazette.binary, gazette.archive]),
            ("unknown TERM", ["env", "TERM=no-such-terminal-gz", gazette.binary, gazette.archive]),
        ]
        for (name, command) in cases {
            let session = try TmuxSession(command: command, environment: gazette.environment)
            defer { session.close() }
            let status = try XCTUnwrap(session.exitStatus(), name)
            XCTAssertNotEqual(status, 0, name)
            try session.waitFor(text: "TERM")
            XCTAssertEqual(try session.display("#{alternate_on}"), "0", name)
        }
    }

    // MARK: Reading

    /// Issue 3's walk-through: first post and its body, Down twice to the third, Enter marks it
    /// read, quit, `gazette list` agrees, and a restart shows it read.
    func testBrowseOpenQuitAndTheNextStartRemembers() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        XCTAssertGreaterThanOrEqual(posts.count, 3, "the seeds need three posts")
        guard posts.count >= 3 else { return }
        XCTAssertTrue(posts.allSatisfy { !$0.read }, "a fresh store has nothing read")
        let first = posts[0], third = posts[2]

        do {
            let session = try gazette.startReader()
            defer { session.close() }
            try session.waitFor(text: Self.titlePrefix(first))
            try session.waitFor(text: try gazette.bodyProbe(of: first))
            XCTAssertEqual(try session.display("#{alternate_on}"), "1")
            XCTAssertEqual(try session.display("#{cursor_flag}"), "0", "the cursor is hidden while reading")

            try session.send(keys: "Down")
            try session.send(keys: "Down")
            try session.waitFor(text: try gazette.bodyProbe(of: third))

            try session.send(keys: "Enter")
            // The mark is committed before the screen shows it; `gazette list` sees it already.
            try session.waitUntil("the third post marked read in the store") {
                try gazette.list().filter(\.read).map(\.id) == [third.id]
            }
            // Enter moved focus to the reading pane: the first q returns to the list, the second quits.
            try session.send(keys: "q")
            try session.send(keys: "q")
            XCTAssertEqual(session.exitStatus(), 0)
            XCTAssertEqual(try session.display("#{alternate_on}"), "0")
            XCTAssertEqual(try session.display("#{cursor_flag}"), "1")
        }

        XCTAssertEqual(try gazette.list().filter(\.read).map(\.id), [third.id])

        do {
            let session = try gazette.startReader()
            defer { session.close() }
            try session.waitFor(text: Self.titlePrefix(third))
            // The list rows of the first (unread) and third (read) posts differ in their marker.
            let lines = try session.lines()
            let firstMarker = try XCTUnwrap(Self.marker(of: first, in: lines))
            let thirdMarker = try XCTUnwrap(Self.marker(of: third, in: lines))
            let secondMarker = try XCTUnwrap(Self.marker(of: posts[1], in: lines))
            XCTAssertEqual(firstMarker, secondMarker, "two unread posts share a marker")
            XCTAssertNotEqual(firstMarker, thirdMarker, "the read post's marker differs:\n\(lines.joined(separator: "\n"))")
            try session.send(keys: "Q")
            XCTAssertEqual(session.exitStatus(), 0)
        }
    }

    func testResizeKeepsTheSelection() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        guard posts.count >= 3 else { return XCTFail("the seeds need three posts") }
        let session = try gazette.startReader()
        defer { session.close() }
        try session.waitFor(text: Self.titlePrefix(posts[0]))
        try session.send(keys: "Down")
        try session.send(keys: "Down")
        let probe = try gazette.bodyProbe(of: posts[2])
        try session.waitFor(text: probe)

        for (columns, rows) in [(80, 24), (100, 30), (120, 40)] {
            try session.resize(columns: columns, rows: rows)
            try session.waitFor(format: "#{pane_width}x#{pane_height}", toBe: "\(columns)x\(rows)")
            try session.waitFor(text: probe)
            try session.waitForAbsence(of: try gazette.bodyProbe(of: posts[0]))
        }
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
    }

    func testTinyTerminalDoesNotCrash() throws {
        let gazette = try GazetteHarness(test: self)
        let session = try gazette.startReader(size: (columns: 30, rows: 8))
        defer { session.close() }
        _ = try session.programPID()
        try session.waitFor(format: "#{alternate_on}", toBe: "1")
        for (columns, rows) in [(1, 1), (2, 3), (10, 2), (200, 60), (40, 12)] {
            try session.resize(columns: columns, rows: rows)
            try session.waitFor(format: "#{pane_width}x#{pane_height}", toBe: "\(columns)x\(rows)")
            try session.send(keys: "Down")
        }
        XCTAssertNil(session.exitStatus(timeout: 0.3), "still running")
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
    }

    // MARK: Helpers

    /// Enough of the title to find it on screen, shorter than the list pane truncates it.
    static func titlePrefix(_ post: GazetteHarness.Post) -> String {
        GazetteHarness.leadingWords(post.title, maxLength: 20)
    }

    /// What comes before the post's title on its first row: the list row's marker.
    static func marker(of post: GazetteHarness.Post, in lines: [String]) -> String? {
        let prefix = titlePrefix(post)
        for line in lines {
            if let range = line.range(of: prefix) {
                return String(line[..<range.lowerBound])
            }
        }
        return nil
    }
}
