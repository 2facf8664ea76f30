import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The harness tested on plain shell commands, so a failure in the reader's tests is the
/// reader's and not the harness's.
final class TmuxSessionTests: XCTestCase {
    func testCapturesOutputAndKeepsThePaneAfterExit() throws {
        let session = try TmuxSession(command: ["sh", "-c", "printf 'hello'; exit 7"])
        defer { session.close() }
        XCTAssertEqual(session.exitStatus(), 7)
        try session.waitFor(text: "hello")
        XCTAssertEqual(try session.lines().first, "hello")
    }

    func testPaneHasTheRequestedSizeAndResizes() throws {
        let session = try TmuxSession(command: ["sh", "-c", "printf hello; sleep 100"])
        defer { session.close() }
        try session.waitFor(text: "hello")
        XCTAssertEqual(try session.display("#{pane_width}x#{pane_height}"), "120x40")
        try session.resize(columns: 60, rows: 20)
        try session.waitFor(format: "#{pane_width}x#{pane_height}", toBe: "60x20")
    }

    func testPaneIsUTF8AndGetsTheEnvironment() throws {
        let session = try TmuxSession(command: ["sh", "-c", "printf '%s|%s|日本' \"$LC_ALL\" \"$GZ_PROBE\"; sleep 100"],
                                      environment: ["GZ_PROBE": "probe value"], size: (columns: 80, rows: 24))
        defer { session.close() }
        try session.waitFor(text: "C.UTF-8|probe value|日本")
        // Two wide characters after 28 narrow ones: tmux counts them as two cells each.
        try session.waitFor(format: "#{cursor_x}", toBe: "\("C.UTF-8|probe value|".count + 4)")
        XCTAssertEqual(try session.display("#{pane_width}x#{pane_height}"), "80x24")
    }

    func testKeysReachTheProgram() throws {
        // `read` in a terminal: the line arrives when Enter does.
        let session = try TmuxSession(command: ["sh", "-c", "read line; printf 'got:%s' \"$line\"; sleep 100"])
        defer { session.close() }
        _ = try session.programPID()
        try session.type("abc")
        try session.send(keys: "Enter")
        try session.waitFor(text: "got:abc")
    }

    func testSignalReachesTheProgramAndTheStatusSaysSo() throws {
        let session = try TmuxSession(command: ["sh", "-c", "printf ready; exec sleep 100"])
        defer { session.close() }
        try session.waitFor(text: "ready")
        try session.kill(signal: SIGTERM)
        XCTAssertEqual(session.exitStatus(), 128 + SIGTERM)
    }

    func testExitStatusIsNilWhileRunning() throws {
        let session = try TmuxSession(command: ["sh", "-c", "printf ready; sleep 100"])
        defer { session.close() }
        try session.waitFor(text: "ready")
        XCTAssertNil(session.exitStatus(timeout: 0.2))
    }

    func testWaitForTimesOutWithTheScreenInTheError() throws {
        let session = try TmuxSession(command: ["sh", "-c", "printf 'something else'; sleep 100"])
        defer { session.close() }
        try session.waitFor(text: "something else")
        XCTAssertThrowsError(try session.waitFor(text: "never shown", timeout: 0.3)) { error in
            XCTAssertTrue("\(error)".contains("something else"), "\(error)")
        }
    }

    func testCloseRemovesTheServerAndItsDirectory() throws {
        let session = try TmuxSession(command: ["sh", "-c", "sleep 100"])
        let directory = session.directory
        XCTAssertTrue(FileManager.default.fileExists(atPath: session.socket))
        session.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory))
        session.close()  // idempotent
    }
}
