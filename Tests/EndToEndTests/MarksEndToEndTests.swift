import Foundation
import XCTest

/// Two machines (two data homes) reading the same archive keep their marks in step with `gazette marks export`
/// and `gazette marks import`, by file and through a pipe, as the README's recipe does.
final class MarksEndToEndTests: XCTestCase {
    private func readSet(_ gazette: GazetteHarness) throws -> Set<String> {
        Set(try gazette.list().filter(\.read).map(\.id))
    }

    private func succeed(_ gazette: GazetteHarness, _ arguments: [String], file: StaticString = #filePath,
                         line: UInt = #line) throws -> String {
        let result = try gazette.run(arguments)
        XCTAssertEqual(result.status, 0, "gazette \(arguments.joined(separator: " ")): \(result.output)",
                       file: file, line: line)
        return result.output
    }

    func testTwoMachinesExchangingMarksBothWaysListTheSameReadPosts() throws {
        let laptop = try GazetteHarness(test: self)
        let desktop = try GazetteHarness(test: self)
        let posts = try laptop.list()
        XCTAssertGreaterThanOrEqual(posts.count, 6)
        let ids = posts.map(\.id)

        // The laptop reads 0, 1 and 2; the desktop reads 3 and 4, and later 0, which it then marks unread again
        // (after the laptop read it: the desktop's change is the later one).
        _ = try succeed(laptop, ["mark", ids[0], ids[1], ids[2], laptop.archive])
        _ = try succeed(desktop, ["mark", ids[3], ids[4], ids[0], desktop.archive])
        _ = try succeed(desktop, ["mark", "--unread", ids[0], desktop.archive])
        // And the laptop marks 4 unread after the desktop read it.
        _ = try succeed(laptop, ["mark", ids[4], laptop.archive])
        _ = try succeed(laptop, ["mark", "--unread", ids[4], laptop.archive])

        let laptopFile = laptop.dataHome + "/laptop.jsonl"
        let desktopFile = desktop.dataHome + "/desktop.jsonl"
        XCTAssertEqual(try succeed(laptop, ["marks", "export", laptopFile]), "Exported 4 marks to \(laptopFile)\n")
        XCTAssertEqual(try succeed(desktop, ["marks", "export", desktopFile]), "Exported 3 marks to \(desktopFile)\n")

        // A dry run says what would happen and changes nothing.
        let before = try readSet(desktop)
        let dry = try succeed(desktop, ["marks", "import", "--dry-run", laptopFile])
        XCTAssertTrue(dry.hasPrefix("Would merge 4 marks: 1 newer here kept, 3 to apply, 0 unchanged"), dry)
        XCTAssertEqual(try readSet(desktop), before)

        let intoDesktop = try succeed(desktop, ["marks", "import", laptopFile])
        // 0: the desktop's unread is later; 1, 2: new there; 3: only the desktop's; 4: the laptop's unread is later.
        XCTAssertEqual(intoDesktop, "Merged 4 marks: 1 newer here kept, 3 applied, 0 unchanged\n")
        _ = try succeed(laptop, ["marks", "import", desktopFile])

        let expected: Set<String> = [ids[1], ids[2], ids[3]]
        XCTAssertEqual(try readSet(laptop), expected)
        XCTAssertEqual(try readSet(desktop), expected)

        // Once more, now through a pipe as in the README: nothing changes on either side.
        let again = try pipe(from: laptop, to: desktop)
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(again.output.contains(" 0 applied"), again.output)
        XCTAssertEqual(try pipe(from: desktop, to: laptop).output, "Merged 5 marks: 0 newer here kept, 0 applied, 5 unchanged\n")
        XCTAssertEqual(try readSet(laptop), expected)
        XCTAssertEqual(try readSet(desktop), expected)
    }

    /// `gazette marks export | gazette marks import -` between the two data homes (the `ssh other` of the recipe).
    private func pipe(from source: GazetteHarness, to target: GazetteHarness) throws -> Spawn.Result {
        let script = "XDG_DATA_HOME='\(source.dataHome)' '\(source.binary)' marks export | "
            + "XDG_DATA_HOME='\(target.dataHome)' '\(target.binary)' marks import -"
        return try Spawn.run(["/bin/sh", "-c", script], environment: target.environment.merging(
            ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { _, new in new })
    }

    /// `u` in the reader takes a whole import back, and only it: the mark made before stays.
    func testUndoInTheReaderTakesBackAWholeImport() throws {
        let gazette = try GazetteHarness(test: self)
        let ids = try gazette.list().map(\.id)
        _ = try succeed(gazette, ["mark", ids[0], gazette.archive])
        let file = gazette.dataHome + "/marks.jsonl"
        try ids[1...4].map { #"{"id":"\#($0)","read":true,"at":"2026-01-02T03:04:05Z"}"# }.joined(separator: "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        _ = try succeed(gazette, ["marks", "import", file])
        XCTAssertEqual(try readSet(gazette), Set(ids[0...4]))

        let session = try gazette.startReader()
        defer { session.close() }
        try session.waitFor(text: "\(ids.count - 5) unread")
        try session.send(keys: "u")
        try session.waitFor(text: "Undone: 4 posts restored")
        try session.waitFor(text: "\(ids.count - 1) unread")
        try session.send(keys: "q")
        XCTAssertEqual(session.exitStatus(), 0)
        XCTAssertEqual(try readSet(gazette), [ids[0]])
    }

    func testBadLinesAreNamedAndSkippedAndTheRestIsImported() throws {
        let gazette = try GazetteHarness(test: self)
        let ids = try gazette.list().map(\.id)
        let file = gazette.dataHome + "/marks.jsonl"
        let lines = [
            #"{"gazette-marks":1}"#,
            #"{"id":"\#(ids[0])","read":true,"at":"2026-01-02T03:04:05.678Z"}"#,
            "$(touch \(gazette.dataHome)/pwned) not a mark",
            #"{"id":"\#(ids[1])","read":true,"at":"2999-01-01T00:00:00Z"}"#,
            #"{"id":"0123456789abcdef","read":true,"at":"2026-01-02T03:04:05Z","title":"a post not here yet"}"#,
            #"{"id":"\#(ids[2])","read":"yes","at":"2026-01-02T03:04:05Z"}"#,
        ]
        var bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A, 0xC3, 0x28, 0x0A]
        bytes += Array(#"{"id":"\#(ids[3])","read":true,"at":"2026-01-02T03:04:05Z"}"#.utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: file))

        let result = try gazette.run(["marks", "import", file])
        XCTAssertEqual(result.status, 0, result.output)
        let output = result.output.components(separatedBy: "\n")
        XCTAssertTrue(output.contains("gazette: warning: \(file):3: not JSON; line skipped"), result.output)
        XCTAssertTrue(output.contains(#"gazette: warning: \#(file):6: "read" is not true or false; line skipped"#),
                      result.output)
        XCTAssertTrue(output.contains("gazette: warning: \(file):7: not UTF-8; line skipped"), result.output)
        XCTAssertTrue(output.contains { $0.hasPrefix("gazette: warning: \(file):4: the time 2999-01-01T00:00:00.000Z is in the future; taken as ") },
                      result.output)
        XCTAssertTrue(output.contains("Merged 4 marks: 0 newer here kept, 4 applied, 0 unchanged; 3 lines skipped; "
                                      + "1 from the future taken as now"), result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: gazette.dataHome + "/pwned"))
        XCTAssertEqual(try readSet(gazette), [ids[0], ids[1], ids[3]])
        // The mark for the post that is not here is kept, and goes out with the next export.
        XCTAssertTrue(try succeed(gazette, ["marks", "export"]).contains(#""id":"0123456789abcdef""#))
    }

    func testAnEmptyInputAndAMissingFileAreErrorsThatChangeNothing() throws {
        let gazette = try GazetteHarness(test: self)
        let empty = gazette.dataHome + "/empty.jsonl"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        let result = try gazette.run(["marks", "import", empty])
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.output, "gazette: \(empty) is empty: no marks, not even the header line "
                       + "(check that 'gazette marks export' worked on the other machine)\n")
        let missing = try gazette.run(["marks", "import", gazette.dataHome + "/missing.jsonl"])
        XCTAssertEqual(missing.status, 66, missing.output)
        let garbage = gazette.dataHome + "/garbage.txt"
        try "hello\nworld\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        XCTAssertEqual(try gazette.run(["marks", "import", garbage]).status, 65)
        // No store was made by any of them, and an export of no store is just the header.
        XCTAssertFalse(FileManager.default.fileExists(atPath: gazette.dataHome + "/gazette/state.sqlite3"))
        XCTAssertEqual(try succeed(gazette, ["marks", "export"]), "{\"gazette-marks\":1}\n")
    }
}
