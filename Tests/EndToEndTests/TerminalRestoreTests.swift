import Foundation
import ReadState
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Every way out of the reader gives the terminal back: main screen (`#{alternate_on}` 0),
/// cursor visible, and the tty modes of the shell.
///
/// A crash inside the program is covered too: `GAZETTE_TEST_CRASH_KEY` (a test-only trigger read by the
/// executable, see `TestCrashTrigger`) makes a key stop the reader with a Swift trap.
final class TerminalRestoreTests: XCTestCase {
    func testTerminationSignalsRestoreTheTerminal() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        let title = try ReaderEndToEndTests.titlePrefix(XCTUnwrap(posts.first))
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            let session = try gazette.startReader()
            defer { session.close() }
            try session.waitFor(text: title)
            XCTAssertEqual(try session.display("#{alternate_on}"), "1")
            // A mark made just before the signal stays, and the store is sound.
            try session.send(keys: "Enter")
            try session.waitUntil("the first post marked read") { try gazette.list().first?.read == true }
            try session.kill(signal: signal)
            XCTAssertEqual(session.exitStatus(), 128 + signal, "signal \(signal)")
            XCTAssertEqual(try session.display("#{alternate_on}"), "0", "signal \(signal)")
            XCTAssertEqual(try session.display("#{cursor_flag}"), "1", "signal \(signal)")
            let store = try SQLiteReadStateStore(path: gazette.dataHome + "/gazette/state.sqlite3", readOnly: true)
            XCTAssertEqual(try store.integrityCheck(), ["ok"], "signal \(signal)")
            XCTAssertEqual(try gazette.list().first?.read, true, "signal \(signal)")
        }
    }

    /// A Swift runtime trap (what a bug looks like) in the middle of reading: the crash handler gives the
    /// terminal back before the runtime's backtracer prints, the exit status says SIGILL, and the mark made
    /// just before is in the store, which passes its integrity check.
    func testACrashInsideTheReaderRestoresTheTerminalAndKeepsTheStore() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        guard posts.count >= 2 else { return XCTFail("the seeds need two posts") }
        // interactive=no: on a terminal the backtracer would otherwise wait at a prompt.
        let session = try gazette.startReader(extraEnvironment: ["GAZETTE_TEST_CRASH_KEY": "F12",
                                                                 "SWIFT_BACKTRACE": "enable=yes,interactive=no"])
        defer { session.close() }
        try session.waitFor(text: ReaderEndToEndTests.titlePrefix(posts[0]))
        try session.send(keys: "Down")
        try session.send(keys: "Enter")
        try session.waitUntil("the second post marked read") { try gazette.list().filter(\.read).map(\.id) == [posts[1].id] }
        XCTAssertEqual(try session.display("#{alternate_on}"), "1")

        try session.send(keys: "F12")
        let status = try XCTUnwrap(session.exitStatus(timeout: 60), "the reader did not end after the crash key")
        XCTAssertTrue([128 + SIGILL, 128 + SIGTRAP].contains(status), "exit status \(status)")
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
        XCTAssertEqual(try session.display("#{cursor_flag}"), "1")
        // The runtime's backtrace lands on the restored main screen, naming where it crashed. (The fatalError
        // message itself is printed before the trap, so on the alternate screen, and is lost with it.)
        let screen = try session.capture(joinWrapped: true, history: true)
        XCTAssertTrue(screen.contains("Program crashed"), screen)
        XCTAssertTrue(screen.contains("TestCrashTrigger"), screen)

        XCTAssertEqual(try gazette.list().filter(\.read).map(\.id), [posts[1].id])
        let store = try SQLiteReadStateStore(path: gazette.dataHome + "/gazette/state.sqlite3", readOnly: true)
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
    }

    func testControlCQuitsAndRestores() throws {
        let gazette = try GazetteHarness(test: self)
        let title = try ReaderEndToEndTests.titlePrefix(XCTUnwrap(gazette.list().first))
        let session = try gazette.startReader()
        defer { session.close() }
        try session.waitFor(text: title)
        try session.send(keys: "C-c")
        XCTAssertEqual(session.exitStatus(), 128 + SIGINT)
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
        XCTAssertEqual(try session.display("#{cursor_flag}"), "1")
    }

    /// The tty modes after a kill are the shell's: echo and canonical input on.
    func testTTYModesAreRestoredAfterAKill() throws {
        let gazette = try GazetteHarness(test: self)
        let title = try ReaderEndToEndTests.titlePrefix(XCTUnwrap(gazette.list().first))
        let modes = try Fixtures.temporaryDirectory(for: self) + "/stty"
        // The reader, then `stty -a` on the same terminal once it is gone.
        let script = "\"$0\" \"$1\"; status=$?; stty -a > \"$2\"; exit $status"
        let session = try TmuxSession(command: ["sh", "-c", script, gazette.binary, gazette.archive, modes],
                                      environment: gazette.environment)
        defer { session.close() }
        try session.waitFor(text: title)
        // The pid file holds the `sh -c` wrapper here; signal the reader, its child.
        let wrapper = try XCTUnwrap(session.programPID())
        let reader = try XCTUnwrap(Self.child(of: wrapper))
        kill(reader, SIGTERM)
        XCTAssertEqual(session.exitStatus(), 128 + SIGTERM)
        let stty = try String(contentsOfFile: modes, encoding: .utf8)
        let words = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        XCTAssertTrue(words.contains("echo"), stty)
        XCTAssertTrue(words.contains("icanon"), stty)
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
    }

    /// Ctrl-Z leaves the screen to the shell; `fg` brings the reader back, redrawn.
    func testSuspendAndResumeRedraws() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        guard posts.count >= 2 else { return XCTFail("the seeds need two posts") }
        // A shell with job control runs the reader.
        let shell = Spawn.which("bash").map { [$0, "--norc", "--noprofile", "-i"] } ?? ["sh", "-i"]
        var environment = gazette.environment
        environment["PS1"] = "gz-prompt$ "
        let session = try TmuxSession(command: shell, environment: environment)
        defer { session.close() }
        try session.waitFor(text: "gz-prompt$")
        try session.type("\(TmuxSession.shellQuote(gazette.binary)) \(TmuxSession.shellQuote(gazette.archive))")
        try session.send(keys: "Enter")
        try session.waitFor(text: ReaderEndToEndTests.titlePrefix(posts[0]))
        try session.send(keys: "Down")
        let probe = try gazette.bodyProbe(of: posts[1])
        try session.waitFor(text: probe)

        try session.send(keys: "C-z")
        try session.waitFor(format: "#{alternate_on}", toBe: "0")
        XCTAssertEqual(try session.display("#{cursor_flag}"), "1")
        try session.waitForAbsence(of: probe)

        // Resized while stopped: the reader must notice when it comes back.
        try session.resize(columns: 100, rows: 30)
        try session.type("fg")
        try session.send(keys: "Enter")
        try session.waitFor(format: "#{alternate_on}", toBe: "1")
        try session.waitFor(text: probe)
        // Laid out for 100x30: the status bar, with the position (issue 3: `3/10`), is the last row.
        try session.waitUntil("the status bar on the last row of 30") {
            try session.lines().count == 30 && session.lines()[29].contains("2/\(posts.count)")
        }
        XCTAssertEqual(try session.display("#{cursor_flag}"), "0")

        try session.send(keys: "Q")
        try session.waitFor(format: "#{alternate_on}", toBe: "0")
        try session.waitFor(text: "gz-prompt$")
        try session.type("exit")
        try session.send(keys: "Enter")
        XCTAssertEqual(session.exitStatus(), 0)
    }

    /// The first child of `pid` (Linux /proc), once it exists.
    static func child(of pid: pid_t, timeout: TimeInterval = 10) -> pid_t? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let path = "/proc/\(pid)/task/\(pid)/children"
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let first = text.split(separator: " ").first, let child = pid_t(first) {
                return child
            }
            usleep(20_000)
        }
        return nil
    }
}
