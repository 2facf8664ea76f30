import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The mouse (`set mouse yes`) in a tmux pane. tmux passes the bytes of `send-keys -H` to the program as if
/// the terminal had sent them: here xterm's mouse reports (`ESC [ M` and three bytes: button, column and
/// row, each plus 32, 1-based), the protocol ncurses asks for under tmux's TERM.
final class MouseEndToEndTests: XCTestCase {
    enum Button: UInt8 {
        case left = 0, release = 3, wheelUp = 64, wheelDown = 65
    }

    /// The hex bytes of one mouse report at a 0-based cell.
    static func report(_ button: Button, column: Int, row: Int) -> [String] {
        ["1b", "5b", "4d"] + [32 + button.rawValue, UInt8(33 + column), UInt8(33 + row)].map { String($0, radix: 16) }
    }

    static func click(column: Int, row: Int) -> [String] {
        report(.left, column: column, row: row) + report(.release, column: column, row: row)
    }

    func mouseKeys(_ session: TmuxSession, _ bytes: [String]) throws {
        // -H: each argument is one byte in hex, written to the pane as it is.
        try session.send(keys: ["-H"] + bytes)
    }

    func testClickSelectsDoubleClickOpensAndTheWheelScrollsWithoutMarking() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        XCTAssertGreaterThan(posts.count, 4)
        try gazette.writeConfiguration("set mouse yes\n")
        let reader = try gazette.startReader(size: (columns: 120, rows: 30))
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        XCTAssertEqual(try reader.display("#{mouse_any_flag}"), "1", "mouse reporting on")

        // Headlines start on the second row: post n is on row n + 1.
        try mouseKeys(reader, Self.click(column: 5, row: 3))
        try reader.waitFor(text: " 3/\(posts.count) ")
        try reader.waitFor(text: try gazette.bodyProbe(of: posts[2]))
        XCTAssertEqual(try gazette.list().filter(\.read).count, 0, "a click only selects")

        // The wheel over the reading pane scrolls it; the list keeps the keys; nothing is marked.
        try mouseKeys(reader, Self.report(.wheelDown, column: 80, row: 10))
        try reader.waitUntil("the article scrolled") { try !reader.lines().last!.contains("Top ") }
        XCTAssertTrue(try reader.lines().last!.contains("· list"))
        // The wheel over the list moves the selection by three.
        try mouseKeys(reader, Self.report(.wheelDown, column: 5, row: 10))
        try reader.waitFor(text: " \(min(6, posts.count))/\(posts.count) ")
        XCTAssertEqual(try gazette.list().filter(\.read).count, 0, "the wheel marks nothing")

        // A click in the reading pane gives it the keys (Tab would); a double click on a headline opens it.
        try mouseKeys(reader, Self.click(column: 80, row: 5))
        try reader.waitFor(text: "· reading")
        try mouseKeys(reader, Self.click(column: 5, row: 2) + Self.click(column: 5, row: 2))
        try reader.waitUntil("the double-clicked post marked read") {
            try gazette.list().filter(\.read).map(\.id) == [posts[1].id]
        }
        try reader.waitFor(text: " 2/\(posts.count) ")
        try reader.waitFor(text: "· reading")

        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
        XCTAssertEqual(try reader.display("#{mouse_any_flag}"), "0", "mouse reporting off after quitting")
        XCTAssertEqual(try reader.display("#{alternate_on}"), "0")
    }

    func testMouseIsOffByDefault() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        let reader = try gazette.startReader()
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        XCTAssertEqual(try reader.display("#{mouse_any_flag}"), "0", "the terminal's own selection keeps working")
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
    }

    func testMouseReportingIsOffAfterASignal() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        try gazette.writeConfiguration("set mouse yes\n")
        for signal in [SIGTERM, SIGHUP] {
            let reader = try gazette.startReader()
            defer { reader.close() }
            try reader.waitFor(text: posts[0].title)
            XCTAssertEqual(try reader.display("#{mouse_any_flag}"), "1")
            try reader.kill(signal: signal)
            XCTAssertEqual(reader.exitStatus(), 128 + signal)
            XCTAssertEqual(try reader.display("#{mouse_any_flag}"), "0", "signal \(signal)")
            XCTAssertEqual(try reader.display("#{alternate_on}"), "0", "signal \(signal)")
        }
    }
}
