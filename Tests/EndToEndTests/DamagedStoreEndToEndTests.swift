import Foundation
import ReadState
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Broken, unwritable and full stores, as the user meets them: through the reader in tmux and the command line.
///
/// The policy (README, "Where state lives"; `DamagedStoreFile`): the reader moves a damaged store aside
/// (`state.sqlite3.damaged-YYYYmmdd-HHMMSS`), starts a new one and says so in the status bar; `list`, `show` and
/// `mark` name the file, say what to do, exit 74 and change nothing. When the store cannot be written, the
/// reader still opens the archive, read-only, and the status bar says so.
final class DamagedStoreEndToEndTests: XCTestCase {
    private func storePath(_ gazette: GazetteHarness) throws -> String {
        let directory = gazette.dataHome + "/gazette"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return directory + "/state.sqlite3"
    }

    private func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    // MARK: Damaged

    func testTheCommandLineNamesADamagedStoreAndChangesNothing() throws {
        for damage in StoreDamage.allCases {
            let gazette = try GazetteHarness(test: self)
            let path = try storePath(gazette)
            try damage.apply(to: path)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let id = try XCTUnwrap(Self.firstID(gazette))
            for arguments in [["list", gazette.archive], ["mark", id], ["show", id, gazette.archive]] {
                let result = try gazette.run(arguments)
                let what = "\(damage.rawValue), gazette \(arguments[0])"
                if arguments[0] == "show" {
                    XCTAssertEqual(result.status, 0, "show does not need the store (\(what))")
                    continue
                }
                XCTAssertEqual(result.status, 74, "\(what): \(result.output)")
                let lines = result.output.split(separator: "\n")
                XCTAssertEqual(lines.count, 1, "\(what): one line: \(result.output)")
                XCTAssertTrue(result.output.contains(path), "\(what) names the file: \(result.output)")
                XCTAssertTrue(result.output.contains("move it aside"), "\(what) says what to do: \(result.output)")
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "\(damage.rawValue): kept byte for byte")
            XCTAssertEqual(files(in: gazette.dataHome + "/gazette"), ["state.sqlite3"], "\(damage.rawValue): nothing renamed")
        }
    }

    func testTheReaderMovesADamagedStoreAsideAndStartsANewOne() throws {
        for damage in StoreDamage.allCases {
            let gazette = try GazetteHarness(test: self)
            let path = try storePath(gazette)
            try damage.apply(to: path)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let posts = try gazette.list(ignoringStore: true)

            let session = try gazette.startReader(size: (columns: 200, rows: 30))
            defer { session.close() }
            try session.waitFor(text: "Damaged state file moved aside to state.sqlite3.damaged-")
            XCTAssertFalse(try session.capture().contains("read-only"), damage.rawValue)

            let directory = gazette.dataHome + "/gazette"
            let aside = try XCTUnwrap(files(in: directory).first { $0.hasPrefix("state.sqlite3.damaged-") }, damage.rawValue)
            XCTAssertNotNil(aside.range(of: #"^state\.sqlite3\.damaged-\d{8}-\d{6}$"#, options: .regularExpression), aside)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + aside)), before,
                           "\(damage.rawValue): the damaged file is kept byte for byte")

            // The new store works: a mark made now is saved.
            try session.send(keys: "Enter")
            try session.waitUntil("the first post read in the new store") {
                try gazette.list().filter(\.read).map(\.id) == [posts[0].id]
            }
            try session.send(keys: "Q")
            XCTAssertEqual(session.exitStatus(), 0)
            // The full story stays on the main screen after quitting: the file, what happened, where it went.
            let screen = try session.capture(joinWrapped: true)
            XCTAssertTrue(screen.contains(path) && screen.contains(aside), screen)
            let store = try SQLiteReadStateStore(path: path, readOnly: true)
            XCTAssertEqual(try store.integrityCheck(), ["ok"])
        }
    }

    /// A file that is not a database, named with --state: maybe a file the user mistyped, so the reader
    /// leaves it alone and runs without saving.
    func testAnExplicitStateFileThatIsNotADatabaseIsLeftAlone() throws {
        let gazette = try GazetteHarness(test: self)
        let notes = gazette.dataHome + "/notes.txt"
        try StoreDamage.notADatabase.apply(to: notes)
        let before = try Data(contentsOf: URL(fileURLWithPath: notes))
        let session = try TmuxSession(command: [gazette.binary, "--state", notes, gazette.archive],
                                      environment: gazette.environment, size: (columns: 200, rows: 30))
        defer { session.close() }
        try session.waitFor(text: "read-only: \(notes) is not a Gazette state database")
        try session.send(keys: "Enter")
        try session.waitFor(text: "Not saved")
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: notes)), before)
        XCTAssertEqual(files(in: gazette.dataHome), ["notes.txt"])
    }

    func testAZeroLengthStoreIsAnEmptyStore() throws {
        let gazette = try GazetteHarness(test: self)
        let path = try storePath(gazette)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        let posts = try gazette.list()
        XCTAssertTrue(posts.allSatisfy { !$0.read })
        let session = try gazette.startReader()
        defer { session.close() }
        try session.waitFor(text: "\(posts.count) unread")
        try session.send(keys: "Enter")
        try session.waitUntil("the first post read") { try gazette.list().filter(\.read).map(\.id) == [posts[0].id] }
        XCTAssertFalse(try session.capture().contains("damaged"))
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
    }

    // MARK: Cannot be written

    func testAnUnwritableStoreOpensTheArchiveReadOnly() throws {
        let gazette = try GazetteHarness(test: self)
        let path = try storePath(gazette)
        let id = try XCTUnwrap(Self.firstID(gazette))
        XCTAssertEqual(try gazette.run(["mark", id]).status, 0)
        try FileSystemTricks.makeUnwritable(path, test: self)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let mark = try gazette.run(["mark", "--unread", id])
        XCTAssertEqual(mark.status, 74, mark.output)
        XCTAssertTrue(mark.output.contains(path) && mark.output.contains("check the permissions"), mark.output)
        XCTAssertEqual(mark.output.split(separator: "\n").count, 1, mark.output)

        let session = try TmuxSession(command: [gazette.binary, gazette.archive], environment: gazette.environment,
                                      size: (columns: 200, rows: 30))
        defer { session.close() }
        // The marks saved before are shown; the status bar says why nothing new will be.
        try session.waitFor(text: "read-only: \(path) cannot be written; marks are not saved")
        try session.waitFor(text: " 9 unread · list · read-only")
        try session.send(keys: "Down", "Enter")
        try session.waitFor(text: "Not saved: \(path) cannot be written")
        try session.waitFor(text: " 9 unread")
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try gazette.list().filter(\.read).map(\.id), [id])
    }

    func testAStoreDirectoryWithoutPermissionIsReadOnlyWithAClearMessage() throws {
        let gazette = try GazetteHarness(test: self)
        let path = try storePath(gazette)
        let directory = (path as NSString).deletingLastPathComponent
        try FileSystemTricks.makeUnwritable(directory, test: self)
        let id = try XCTUnwrap(Self.firstID(gazette))

        let mark = try gazette.run(["mark", id])
        XCTAssertEqual(mark.status, 74, mark.output)
        XCTAssertEqual(mark.output.split(separator: "\n").count, 1, mark.output)
        XCTAssertTrue(mark.output.contains("cannot open the state database \(path)"), mark.output)
        XCTAssertTrue(mark.output.contains("or pass --state PATH"), mark.output)
        XCTAssertTrue(try gazette.run(["list", gazette.archive]).status == 0, "list needs no store that does not exist")

        let session = try TmuxSession(command: [gazette.binary, gazette.archive], environment: gazette.environment,
                                      size: (columns: 200, rows: 30))
        defer { session.close() }
        try session.waitFor(text: "read-only: cannot open the state database \(path)")
        try session.waitFor(text: "· read-only")
        try session.send(keys: "Enter")
        try session.waitFor(text: "Not saved: cannot open the state database")
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
        let screen = try session.capture(joinWrapped: true)
        XCTAssertTrue(screen.contains("gazette: warning: cannot open the state database \(path)"), screen)
        XCTAssertEqual(files(in: directory), [])
    }

    /// A full disk: a small tmpfs holds the store; once it is full, a mark fails with a message that says
    /// so, nothing is shown as saved that was not, and after space is freed marking works again.
    func testAFullDiskIsReportedAndNothingIsLost() throws {
        let gazette = try GazetteHarness(test: self)
        let small = try FileSystemTricks.smallFileSystem(kilobytes: 512, test: self)
        let path = small + "/state.sqlite3"
        let posts = try gazette.list()
        XCTAssertEqual(try gazette.run(["mark", "--state", path, posts[0].id]).status, 0)

        let session = try TmuxSession(command: [gazette.binary, "--state", path, gazette.archive],
                                      environment: gazette.environment, size: (columns: 200, rows: 30))
        defer { session.close() }
        try session.waitFor(text: " \(posts.count - 1) unread")
        try FileSystemTricks.fill(small)

        try session.send(keys: "Down", "Enter")
        try session.waitFor(text: "Not saved: cannot write the state database \(path) (database or disk is full)")
        try session.waitFor(text: " \(posts.count - 1) unread")
        let mark = try gazette.run(["mark", "--state", path, posts[2].id])
        XCTAssertEqual(mark.status, 74, mark.output)
        XCTAssertTrue(mark.output.contains(path) && mark.output.contains("free some disk space"), mark.output)

        try FileManager.default.removeItem(atPath: small + "/filler")
        try session.send(keys: "Left", "Enter")
        try session.waitFor(text: " \(posts.count - 2) unread")
        try session.send(keys: "Q")
        XCTAssertEqual(session.exitStatus(), 0)
        let store = try SQLiteReadStateStore(path: path, readOnly: true)
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
        XCTAssertEqual(Set(try store.readMarks().keys.map(\.description)), [posts[0].id, posts[1].id])
    }

    // MARK: Helpers

    /// The first post's id, from `gazette list` with a store-less run (works whatever the store's state).
    static func firstID(_ gazette: GazetteHarness) throws -> String? {
        try gazette.list(ignoringStore: true).first?.id
    }
}

extension GazetteHarness {
    /// `gazette list` against a fresh, empty state file, for the ids and titles when the real one is broken.
    func list(ignoringStore: Bool) throws -> [Post] {
        guard ignoringStore else { return try list() }
        let result = try run(["list", "--state", dataHome + "/no-such-state.sqlite3", archive])
        guard result.status == 0 else { throw Spawn.Failure(description: "gazette list failed: \(result.output)") }
        return result.output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            return fields.count == 3 ? Post(id: String(fields[0]), read: fields[1] == "read", title: String(fields[2])) : nil
        }
    }
}
