import Foundation
import XCTest

/// Issue 7: the configuration file in a real terminal, and `gazette config check|dump`.
final class ConfigurationEndToEndTests: XCTestCase {
    /// The status bar's "N/M" position, as a person reads it.
    static func position(_ row: Int, of total: Int) -> String { " \(row)/\(total) " }

    func testAKeyReboundInTheConfigFileWorksAndTheHelpShowsIt() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        try gazette.writeConfiguration("""
            # x moves down in the list; j no longer does; Z quits from anywhere
            bind-key x down list
            unbind-key j list
            bind-key Z quit
            """)
        let reader = try gazette.startReader()
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "x")
        try reader.waitFor(text: try gazette.bodyProbe(of: posts[1]))
        try reader.send(keys: "j", "x", "?")
        // The help opens after every earlier key was handled: two x's moved, the j did nothing.
        try reader.waitFor(text: "Keys (any key closes)")
        let screen = try reader.capture()
        XCTAssertTrue(screen.contains(Self.position(3, of: posts.count)), screen)
        XCTAssertTrue(screen.contains("Down x"), "the help lists the rebound key:\n\(screen)")
        try reader.send(keys: "Escape")
        try reader.waitForAbsence(of: "Keys (any key closes)")
        try reader.send(keys: "Z")
        XCTAssertEqual(reader.exitStatus(), 0)
        XCTAssertEqual(try reader.display("#{alternate_on}"), "0")
    }

    func testAProblemInTheFileIsNotedAndTheRestApplies() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        try gazette.writeConfiguration("set mouse yes\nbind-key x explode\nbind-key x quit\n")
        let reader = try gazette.startReader()
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        try reader.waitFor(text: "config:2: unknown action 'explode'")
        try reader.send(keys: "x")
        XCTAssertEqual(reader.exitStatus(), 0, "line 3 still applied")
        // The warning is also on stderr, which is on screen again once the reader has gone.
        try reader.waitFor(text: "gazette: warning: \(gazette.configFile):2: unknown action 'explode'")
    }

    func testStrictConfigRefusesToStart() throws {
        let gazette = try GazetteHarness(test: self)
        try gazette.writeConfiguration("set split 99\n")
        let session = try TmuxSession(command: [gazette.binary, "--strict-config", gazette.archive],
                                      environment: gazette.environment)
        defer { session.close() }
        XCTAssertEqual(session.exitStatus(), 65)
        let screen = try session.capture(joinWrapped: true)
        XCTAssertTrue(screen.contains("\(gazette.configFile):1: split must be a whole number from 15 to 80, not '99'"), screen)
        XCTAssertTrue(screen.contains("gazette: the configuration file \(gazette.configFile) has 1 problem"), screen)
        XCTAssertEqual(try session.display("#{alternate_on}"), "0")
    }

    func testCommandLineFlagsBeatTheFile() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        try gazette.writeConfiguration("set mark-read manual\n")

        var reader = try gazette.startReader()
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "Enter")
        try reader.waitFor(text: "· reading")
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
        reader.close()
        XCTAssertEqual(try gazette.list().filter(\.read).count, 0, "manual: opening marks nothing")

        reader = try TmuxSession(command: [gazette.binary, "--mark-read", "on-open", gazette.archive],
                                 environment: gazette.environment)
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "Enter")
        try reader.waitUntil("the post marked read") { try gazette.list().filter(\.read).map(\.id) == [posts[0].id] }
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
    }

    func testArchivesComeFromTheFileWhenNoneAreGiven() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        try gazette.writeConfiguration("set archives \"\(gazette.archive)\"\nset layout stacked\n")
        let reader = try TmuxSession(command: [gazette.binary], environment: gazette.environment)
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        // Stacked: the list's separator is a horizontal line across the screen.
        try reader.waitUntil("a stacked layout") { try reader.lines().contains { $0.hasPrefix("────────────") } }
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
    }

    func testExplicitConfigMustExist() throws {
        let gazette = try GazetteHarness(test: self)
        let result = try gazette.run(["--config", "/nonexistent/gazette.conf", gazette.archive])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.output,
                       "gazette: cannot read the configuration file /nonexistent/gazette.conf: No such file or directory "
                       + "(check the path given to --config)\n")
    }

    // MARK: config check and dump

    func testCheckReportsEveryProblemWithItsLine() throws {
        let gazette = try GazetteHarness(test: self)
        let directory = try Fixtures.temporaryDirectory(for: self)
        let file = directory + "/config"
        try "set mouse yes\nset measure 5\n# fine\nbind-key PGDWN down\ninclude missing\n".write(toFile: file, atomically: true,
                                                                                             encoding: .utf8)
        let result = try gazette.run(["config", "check", file])
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.output.components(separatedBy: "\n").filter { !$0.isEmpty }, [
            "\(file):2: measure must be a whole number from 20 to 400, not '5'",
            "\(file):4: unknown key name 'PGDWN' (one character, ^X, M-x, F1 to F63, or UP DOWN LEFT RIGHT PGUP PGDOWN HOME END ENTER ESC TAB BACKTAB BACKSPACE DELETE INSERT SPACE)",
            "\(file):5: cannot read \(directory)/missing: No such file or directory",
            "gazette: 3 problems in \(file) (the reader skips those lines; fix them or see gazette(1))",
        ])
    }

    func testUnreadableFilesSayWhy() throws {
        let gazette = try GazetteHarness(test: self)
        let directory = try Fixtures.temporaryDirectory(for: self)
        let result = try gazette.run(["config", "check", directory])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.output, "gazette: cannot read the configuration file \(directory): not a regular file "
                       + "(check the path given to --config)\n")
    }

    func testCheckWithoutAFile() throws {
        let gazette = try GazetteHarness(test: self)
        let result = try gazette.run(["config", "check"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, "No configuration file at \(gazette.configFile): the defaults apply.\n")
        XCTAssertEqual(try gazette.run(["config", "check", "/nonexistent/config"]).status, 66)
    }

    func testDumpThenCheckRoundTrips() throws {
        let gazette = try GazetteHarness(test: self)
        try gazette.writeConfiguration("set mouse yes\nbind-key ^D page-down reading\nunbind-key q list\ncolor accent color33 default bold\n")
        let dump = try gazette.run(["config", "dump"])
        XCTAssertEqual(dump.status, 0)
        XCTAssertTrue(dump.output.contains("set mouse yes\n"))
        XCTAssertTrue(dump.output.contains("bind-key ^D page-down reading"))
        XCTAssertTrue(dump.output.contains("bind-key ENTER open list"), "the default bindings too")
        XCTAssertFalse(dump.output.contains("bind-key q quit list"))
        let file = try Fixtures.temporaryDirectory(for: self) + "/dumped"
        try dump.output.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try gazette.run(["config", "check", file])
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertEqual(check.output, "\(file): no problems\n")
        let again = try gazette.run(["config", "dump", "--config", file])
        XCTAssertEqual(again.output, dump.output)
    }

    // MARK: Version

    func testVersionAndVerboseVersion() throws {
        let gazette = try GazetteHarness(test: self)
        let plain = try gazette.run(["--version"])
        XCTAssertEqual(plain.status, 0)
        let version = plain.output.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(version.isEmpty)
        let verbose = try gazette.run(["--version", "--verbose"])
        XCTAssertEqual(verbose.status, 0)
        let lines = verbose.output.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, version)
        XCTAssertTrue(lines.contains { $0.hasPrefix("ncurses: ncurses 6.") }, verbose.output)
        XCTAssertTrue(lines.contains { $0.hasPrefix("SQLite: 3.") }, verbose.output)
    }
}
