import Foundation
import Posts
@testable import ReadState
import XCTest

/// Broken, foreign and unwritable store files: a clear error naming the file, and the file left as it was.
final class DamagedStoreTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.file("state.sqlite3") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// A closed store with enough marks to span several pages.
    private func makeStore(marks: UInt64 = 3000) throws {
        let store = try SQLiteReadStateStore(path: path)
        try store.setRead(ids(1...marks), read: true, at: time(1))
    }

    private func files() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()) ?? []
    }

    func testAFileThatIsNotADatabaseIsNamedAndKeptByteForByte() throws {
        let text = Data(String(repeating: "Author Archives for Grant Montgomery\n", count: 200).utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: text))
        let error = assertStoreError(.notADatabase) { try SQLiteReadStateStore(path: path) }
        XCTAssertEqual(error?.description,
                       "\(path) is not a Gazette state database (file is not a database); move it aside or pass --state PATH")
        XCTAssertEqual(fileBytes(path), text)
        XCTAssertEqual(files(), ["state.sqlite3"])
    }

    func testAShortFileOfGarbageIsNotADatabase() throws {
        let junk = Data([0x00, 0x01, 0x02, 0x1B, 0x5B])
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: junk))
        assertStoreError(.notADatabase) { try SQLiteReadStateStore(path: path) }
        XCTAssertEqual(fileBytes(path), junk)
    }

    func testADamagedPageIsReportedAtOpenAndTheFileIsKept() throws {
        try makeStore()
        var bytes = try XCTUnwrap(fileBytes(path))
        XCTAssertGreaterThan(bytes.count, 4 * 4096)
        for offset in (2 * 4096)..<(2 * 4096 + 3000) { bytes[offset] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = assertStoreError(.corrupt) { try SQLiteReadStateStore(path: path) }
        XCTAssertTrue(error?.description.contains(path) ?? false)
        XCTAssertTrue(error?.description.contains("move it aside") ?? false)
        XCTAssertEqual(fileBytes(path), bytes)
    }

    func testATruncatedFileIsReportedAtOpenAndKept() throws {
        try makeStore()
        let whole = try XCTUnwrap(fileBytes(path))
        let truncated = whole.prefix(whole.count / 2)
        try truncated.write(to: URL(fileURLWithPath: path))
        assertStoreError(.corrupt) { try SQLiteReadStateStore(path: path) }
        XCTAssertEqual(fileBytes(path), truncated)
    }

    func testAFileCutInsideItsHeaderIsDamaged() throws {
        try makeStore()
        let header = try XCTUnwrap(fileBytes(path)).prefix(60)
        try header.write(to: URL(fileURLWithPath: path))
        assertStoreError(.corrupt) { try SQLiteReadStateStore(path: path) }
        XCTAssertEqual(fileBytes(path), header)
    }

    func testAnotherProgramsDatabaseIsLeftAlone() throws {
        do {
            let database = try Database(path: path)
            try database.execute("CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('x')")
        }
        let before = fileBytes(path)
        let error = assertStoreError(.foreignDatabase) { try SQLiteReadStateStore(path: path) }
        XCTAssertTrue(error?.description.contains("move it aside or pass --state PATH") ?? false)
        XCTAssertEqual(fileBytes(path), before)
    }

    func testAStoreFromANewerGazetteIsRefused() throws {
        try makeStore(marks: 1)
        do {
            let database = try Database(path: path)
            try database.execute("PRAGMA user_version = 99")
        }
        assertStoreError(.newerSchema(found: 99, supported: Schema.latestVersion)) {
            try SQLiteReadStateStore(path: path)
        }
    }

    func testADirectoryIsNotAStore() throws {
        let error = assertStoreError(.cannotOpen) { try SQLiteReadStateStore(path: directory.path) }
        XCTAssertEqual(error?.description, "cannot open the state database \(directory.path) (it is a directory); "
                       + "check that the directory exists and is accessible, or pass --state PATH")
    }

    func testAStoreOpenedReadOnlyReadsButRefusesWrites() throws {
        try makeStore(marks: 3)
        let store = try SQLiteReadStateStore(path: path, readOnly: true)
        XCTAssertTrue(store.isReadOnly)
        XCTAssertEqual(try store.readMarks().count, 3)
        let error = assertStoreError(.readOnly) { try store.setRead(ids(9...9), read: true, at: time(2)) }
        XCTAssertEqual(error?.path, path)
        XCTAssertTrue(error?.description.contains("check the permissions") ?? false)
    }

    func testAnUnwritableFileReadsButRefusesWrites() throws {
        try makeStore(marks: 3)
        try makeUnwritable(path)
        let store = try SQLiteReadStateStore(path: path)
        XCTAssertTrue(store.isReadOnly)
        XCTAssertEqual(try store.readMarks().count, 3)
        let error = assertStoreError(.readOnly) { try store.setRead(ids(9...9), read: true, at: time(2)) }
        XCTAssertEqual(error?.description,
                       "cannot write the state database \(path) (attempt to write a readonly database); "
                       + "check the permissions of the file and its directory, or pass --state PATH")
        XCTAssertEqual(try store.readMarks().count, 3)
    }

    func testAStoreInAnUnwritableDirectoryReadsButRefusesWrites() throws {
        let locked = directory.file("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        let path = locked + "/state.sqlite3"
        try SQLiteReadStateStore(path: path).setRead(ids(1...3), read: true, at: time(1))
        try makeUnwritable(locked)  // no -shm can be created beside the WAL database
        if !runningAsRoot { XCTAssertEqual(chmod(path, 0o400), 0) }
        for readOnly in [false, true] {
            let store = try SQLiteReadStateStore(path: path, readOnly: readOnly)
            XCTAssertTrue(store.isReadOnly)
            XCTAssertEqual(try store.readMarks().count, 3)
            assertStoreError(.readOnly) { try store.setRead(ids(9...9), read: true, at: time(2)) }
        }
    }

    func testAnUnwritableDirectoryIsAClearErrorForANewStore() throws {
        let locked = directory.file("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        try makeUnwritable(locked)
        let error = assertStoreError(.cannotOpen) { try SQLiteReadStateStore(path: locked + "/state.sqlite3") }
        XCTAssertTrue(error?.description.hasPrefix("cannot open the state database \(locked)/state.sqlite3 (") ?? false)
    }

    /// chmod for an ordinary user; root ignores modes, so as root the file is made immutable (chattr +i).
    private func makeUnwritable(_ path: String) throws {
        if runningAsRoot {
            guard runTool("/usr/bin/chattr", ["+i", path]) else {
                throw XCTSkip("running as root and chattr +i is not available here")
            }
        } else {
            XCTAssertEqual(chmod(path, 0o500), 0)
        }
    }
}
