import Foundation
import TextCells
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Archives that attack the terminal (`HostileArchive`: escape sequences of every kind, C0 and C1 controls,
/// bidi and zero-width characters, invalid UTF-8, NUL bytes, a line of several megabytes) change nothing but
/// the text on screen: in tmux the pane title, the clipboard, the screen and the panes stay as they were, and
/// no byte of a payload reaches the terminal; piped output holds no ESC, C1 or bidi control.
final class HostileTextTests: XCTestCase {
    /// Bytes of the enormous line (`GAZETTE_HUGE_LINE_MB` overrides the 3 MB).
    static let hugeLineBytes = TestScale.count("GAZETTE_HUGE_LINE_MB", default: 3) << 20

    private var archive = ""

    override func setUpWithError() throws {
        DisplayWidth.prepareLocale()
        archive = try Fixtures.temporaryDirectory(for: self) + "/hostile.txt"
        try Data(HostileArchive.bytes(hugeLineBytes: Self.hugeLineBytes)).write(to: URL(fileURLWithPath: archive))
    }

    // MARK: Output to a pipe

    func testListShowAndJSONOutputToAPipeCarryNoControlSequences() throws {
        let gazette = try GazetteHarness(test: self, archive: archive)
        let posts = try gazette.list()
        XCTAssertEqual(posts.count, 7, posts.map(\.title).joined(separator: "\n"))
        var commands = [["list", archive], ["list", "--json", archive], ["list", "--unread", archive]]
        commands += posts.map { ["show", $0.id, archive] }
        var shown = Data()
        for arguments in commands {
            let output = try pipedOutput(gazette, arguments)
            try Self.assertHarmless(output, "gazette \(arguments.dropLast().joined(separator: " "))")
            if arguments[0] == "show" { shown += output }
            if arguments[1] == "--json" {
                let json = try JSONSerialization.jsonObject(with: output) as? [[String: Any]]
                XCTAssertEqual(json?.count, posts.count, "list --json is valid JSON")
            }
        }
        let text = String(decoding: shown, as: UTF8.self)
        for word in HostileArchive.visibleWords + ["The huge line ends."] {
            XCTAssertTrue(text.contains(word), "gazette show lost \"\(word)\"")
        }
        // The text between the controls is kept: "fake" then "real" (the CR became a space), "abc" "xyz".
        XCTAssertTrue(text.contains("fake real") && text.contains("abcxyz"), "controls are removed, not the text")
    }

    /// `gazette ARGS | cat > file`: what a script sees, as raw bytes (stderr too).
    private func pipedOutput(_ gazette: GazetteHarness, _ arguments: [String]) throws -> Data {
        let file = try Fixtures.temporaryDirectory(for: self) + "/out"
        let script = "\"$0\" \"$@\" 2>&1 | cat > \(TmuxSession.shellQuote(file)); exit ${PIPESTATUS[0]}"
        let result = try gazette.runShell(script, [gazette.binary] + arguments)
        XCTAssertEqual(result.status, 0, "gazette \(arguments.joined(separator: " ")): \(result.output)")
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    // MARK: In the terminal

    func testTheReaderDrawsHostileTextWithoutHarm() throws {
        let gazette = try GazetteHarness(test: self, archive: archive)
        let posts = try gazette.list()
        let directory = try Fixtures.temporaryDirectory(for: self)
        let go = directory + "/go", raw = directory + "/raw"
        // The reader waits for `go`, so that the clipboard option and the recording of every byte it writes
        // (pipe-pane) are in place first.
        let session = try TmuxSession(
            command: ["sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.02; done; exec \"$@\"", go, gazette.binary, archive],
            environment: gazette.environment)
        defer { session.close() }
        try session.command(["set-option", "-g", "set-clipboard", "on"])
        try session.command(["pipe-pane", "-o", "-t", session.target, "cat >> \(TmuxSession.shellQuote(raw))"])
        let title = try session.display("#{pane_title}")
        XCTAssertFalse(title.contains(HostileArchive.marker))
        XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil))

        try session.waitFor(text: " Gazette")
        try session.waitFor(text: "Plain post at the end")
        var screens = 0
        func check(_ step: String) throws {
            try session.assertSaneReaderScreen(columns: 120, rows: 40, mustShow: "Plain post at the end", step: step)
            XCTAssertFalse(try session.capture().contains(HostileArchive.marker), "\(step): a payload is on screen")
            screens += 1
        }
        try check("start")
        // Every post: previewed from the list, then opened, paged to its end and back.
        for index in posts.indices {
            if index > 0 { try session.send(keys: "Down") }
            try session.waitFor(text: "\(index + 1)/\(posts.count)")
            try check("preview of post \(index + 1)")
            try session.send(keys: "Enter", "End")
            try session.waitFor(text: "· reading")
            try check("post \(index + 1) at its end")
            try session.send(keys: "PageUp", "Home", "Left")
            try session.waitFor(text: "· list")
            try check("back from post \(index + 1)")
        }
        XCTAssertEqual(try session.display("#{pane_title}"), title, "the pane title was changed by content")
        XCTAssertEqual(try session.command(["list-buffers"]).trimmingCharacters(in: .whitespacesAndNewlines), "",
                       "content wrote the clipboard (OSC 52)")
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
        XCTAssertEqual(try session.display("#{pane_title}"), title)

        // Every byte the reader wrote: curses' own sequences, and none of the archive's.
        try session.command(["pipe-pane", "-t", session.target])
        let written = try Data(contentsOf: URL(fileURLWithPath: raw))
        XCTAssertGreaterThan(written.count, 1000, "pipe-pane recorded the session")
        let text = String(decoding: written, as: UTF8.self)
        XCTAssertFalse(text.contains(HostileArchive.marker), "a payload reached the terminal")
        for (name, introducer) in [("OSC", "\u{1B}]"), ("DCS", "\u{1B}P"), ("APC", "\u{1B}_"), ("PM", "\u{1B}^"),
                                   ("SOS", "\u{1B}X"), ("full reset", "\u{1B}c"), ("BEL", "\u{7}")] {
            XCTAssertFalse(text.contains(introducer), "\(name) reached the terminal")
        }
        XCTAssertNil(text.unicodeScalars.first { Self.isC1OrBidi($0) }, "a C1 or bidi control reached the terminal")
        print("HostileTextTests: \(posts.count) hostile posts (\(HostileArchive.escapeSequences.count) escape sequences, "
              + "\(HostileArchive.controls.count) controls, \(HostileArchive.formatCharacters.count) format families, "
              + "a \(Self.hugeLineBytes >> 20) MB line), \(screens) screens checked, \(written.count) bytes written by the reader")
    }

    /// The checks above can fail: the same tmux, given the payloads raw, changes the title and the clipboard.
    func testTheChecksCatchAProgramThatPassesEscapesThrough() throws {
        let directory = try Fixtures.temporaryDirectory(for: self)
        let payload = directory + "/payload"
        let bytes = HostileArchive.esc("]2;GZPWN-title2") + HostileArchive.esc("\\")
            + HostileArchive.esc("]52;c;" + Data("GZPWN".utf8).base64EncodedString()) + [0x07] + Array("shown\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: payload))
        let go = directory + "/go"
        let session = try TmuxSession(command: ["sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.02; done; cat \"$1\"; sleep 100",
                                                go, payload])
        defer { session.close() }
        try session.command(["set-option", "-g", "set-clipboard", "on"])
        XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil))
        try session.waitFor(text: "shown")
        try session.waitFor(format: "#{pane_title}", toBe: "GZPWN-title2")
        XCTAssertFalse(try session.command(["list-buffers"]).isEmpty, "OSC 52 reaches tmux's buffers when let through")
    }

    // MARK: Checks

    static func isC1OrBidi(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// Output a script may print: valid UTF-8, no ESC, no C0 control but newline and tab, no C1, no bidi
    /// control, no payload marker.
    static func assertHarmless(_ output: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertFalse(output.isEmpty, "\(what): no output", file: file, line: line)
        guard let text = String(validating: [UInt8](output), as: UTF8.self) else {
            return XCTFail("\(what): not valid UTF-8", file: file, line: line)
        }
        XCTAssertFalse(output.contains(0x1B), "\(what): ESC in the output", file: file, line: line)
        let bad = text.unicodeScalars.first { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F || isC1OrBidi($0) }
        XCTAssertNil(bad, "\(what): control U+\(String(bad?.value ?? 0, radix: 16)) in the output", file: file, line: line)
        XCTAssertFalse(text.contains(HostileArchive.marker), "\(what): a payload in the output", file: file, line: line)
    }
}

extension GazetteHarness {
    /// Runs `sh -c SCRIPT ARG0 ARGS...` with this harness's environment (bash when there is one, for PIPESTATUS).
    func runShell(_ script: String, _ arguments: [String]) throws -> Spawn.Result {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        env["COLUMNS"] = "80"
        let shell = Spawn.which("bash") ?? "/bin/sh"
        return try Spawn.run([shell, "-c", script] + arguments, environment: env, timeout: 60)
    }
}
