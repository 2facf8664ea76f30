import Foundation
import Posts
@testable import ReadState
import XCTest

/// Moving a damaged store aside (what the reader does before starting a new one): every byte kept, the
/// companions moved with it, nothing overwritten, and only the stores the policy allows.
final class DamagedStoreFileTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.file("state.sqlite3") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    func testMovesTheFileAndItsCompanionsUnderOneDatedName() throws {
        for (suffix, text) in [("", "db"), ("-wal", "wal"), ("-shm", "shm"), ("-journal", "journal")] {
            XCTAssertTrue(FileManager.default.createFile(atPath: path + suffix, contents: Data(text.utf8)))
        }
        var parts = DateComponents()
        (parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second) = (2026, 11, 27, 13, 1, 2)
        let date = try XCTUnwrap(Calendar.current.date(from: parts))
        let aside = try DamagedStoreFile.setAside(path, now: date)
        XCTAssertEqual(aside, path + ".damaged-20261127-130102")
        XCTAssertEqual(files(), ["state.sqlite3.damaged-20261127-130102", "state.sqlite3.damaged-20261127-130102-journal",
                                 "state.sqlite3.damaged-20261127-130102-shm", "state.sqlite3.damaged-20261127-130102-wal"])
        XCTAssertEqual(fileBytes(aside + "-wal"), Data("wal".utf8))
        XCTAssertEqual(fileBytes(aside), Data("db".utf8))
    }

    func testNeverOverwritesAnEarlierCopy() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        var names: [String] = []
        for round in 0..<3 {
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("round \(round)".utf8)))
            names.append(try DamagedStoreFile.setAside(path, now: date))
        }
        XCTAssertEqual(Set(names).count, 3)
        XCTAssertTrue(names[1].hasSuffix("-2") && names[2].hasSuffix("-3"), "\(names)")
        for (round, name) in names.enumerated() { XCTAssertEqual(fileBytes(name), Data("round \(round)".utf8)) }
    }

    func testTheReaderMovesOnlyDamagedStoresAndNotADatabaseOnlyAtTheDefaultLocation() {
        let byDefault = StoreLocation(path: path, isDefault: true)
        let explicit = StoreLocation(path: path, isDefault: false)
        func error(_ kind: StoreError.Kind) -> StoreError { StoreError(kind, path: path, detail: "") }
        XCTAssertTrue(DamagedStoreFile.canSetAside(error(.corrupt), location: byDefault))
        XCTAssertTrue(DamagedStoreFile.canSetAside(error(.corrupt), location: explicit))
        XCTAssertTrue(DamagedStoreFile.canSetAside(error(.notADatabase), location: byDefault))
        XCTAssertFalse(DamagedStoreFile.canSetAside(error(.notADatabase), location: explicit))
        for kind: StoreError.Kind in [.foreignDatabase, .readOnly, .cannotOpen, .locked, .diskFull,
                                      .newerSchema(found: 9, supported: 1), .other] {
            XCTAssertFalse(DamagedStoreFile.canSetAside(error(kind), location: byDefault), "\(kind)")
        }
    }

    /// After moving a damaged store aside, a new store opens in its place, and the old `-wal` (which could
    /// otherwise be replayed into the new file) went with the old file.
    func testANewStoreStartsCleanAfterwards() throws {
        try SQLiteReadStateStore(path: path).setRead(ids(1...3000), read: true, at: time(1))
        var bytes = try XCTUnwrap(fileBytes(path))
        for offset in (2 * 4096)..<(2 * 4096 + 3000) { bytes[offset] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path))
        assertStoreError(.corrupt) { try SQLiteReadStateStore(path: path) }
        let aside = try DamagedStoreFile.setAside(path)
        let store = try SQLiteReadStateStore(path: path)
        XCTAssertEqual(try store.readMarks().count, 0)
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
        XCTAssertEqual(fileBytes(aside), bytes)
    }
}
