import Foundation
@testable import ReadState
import XCTest

final class StoreLocationTests: XCTestCase {
    private func defaultPath(_ environment: [String: String]) throws -> String {
        try StoreLocation.resolve(explicitPath: nil, environment: environment).path
    }

    func testUsesAnAbsoluteXDGDataHome() throws {
        XCTAssertEqual(try defaultPath(["XDG_DATA_HOME": "/data", "HOME": "/home/u"]), "/data/gazette/state.sqlite3")
        XCTAssertEqual(try defaultPath(["XDG_DATA_HOME": "/data//", "HOME": "/home/u"]), "/data/gazette/state.sqlite3")
    }

    func testFallsBackToLocalShareWhenXDGDataHomeIsUnsetEmptyOrRelative() throws {
        let expected = "/home/u/.local/share/gazette/state.sqlite3"
        XCTAssertEqual(try defaultPath(["HOME": "/home/u"]), expected)
        XCTAssertEqual(try defaultPath(["XDG_DATA_HOME": "", "HOME": "/home/u"]), expected)
        XCTAssertEqual(try defaultPath(["XDG_DATA_HOME": "data", "HOME": "/home/u"]), expected)
        XCTAssertEqual(try defaultPath(["XDG_DATA_HOME": "./data", "HOME": "/home/u/"]), expected)
    }

    func testWithoutAnAbsoluteHomeUsesThePasswordDatabase() throws {
        for environment in [[:], ["HOME": "relative"]] {
            let path = try defaultPath(environment)
            XCTAssertTrue(path.hasPrefix("/"), path)
            XCTAssertTrue(path.hasSuffix("/.local/share/gazette/state.sqlite3"), path)
        }
    }

    func testAnExplicitPathWins() throws {
        let location = try StoreLocation.resolve(explicitPath: "my.db", environment: ["XDG_DATA_HOME": "/data"])
        XCTAssertEqual(location, StoreLocation(path: "my.db", isDefault: false))
        XCTAssertEqual(location.directory, ".")
        XCTAssertEqual(StoreLocation(path: "/state.db", isDefault: false).directory, "/")
    }

    func testCreatesTheDefaultDirectoryWithItsParentsPrivate() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let location = try StoreLocation.resolve(explicitPath: nil, environment: ["HOME": temp.path])
        try location.createDirectoryIfNeeded()
        try location.createDirectoryIfNeeded()  // idempotent
        for sub in [".local", ".local/share", ".local/share/gazette"] {
            XCTAssertEqual(permissions(temp.file(sub)), 0o700, sub)
        }
    }

    func testAFileInTheWayOfTheDirectoryIsAClearError() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        XCTAssertTrue(FileManager.default.createFile(atPath: temp.file("gazette"), contents: Data()))
        let location = try StoreLocation.resolve(explicitPath: nil, environment: ["XDG_DATA_HOME": temp.path])
        do {
            try location.createDirectoryIfNeeded()
            XCTFail("expected an error")
        } catch let error as StoreError {
            XCTAssertEqual(error.description, "cannot create the directory \(temp.file("gazette")) for the state "
                           + "database (a file is in the way); check the permissions of its parent, set XDG_DATA_HOME, "
                           + "or pass --state PATH")
        }
    }

    func testAnExistingDirectoryKeepsItsMode() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        XCTAssertEqual(mkdir(temp.file("gazette"), 0o755), 0)
        XCTAssertEqual(chmod(temp.file("gazette"), 0o755), 0)
        try StoreLocation.resolve(explicitPath: nil, environment: ["XDG_DATA_HOME": temp.path]).createDirectoryIfNeeded()
        XCTAssertEqual(permissions(temp.file("gazette")), 0o755)
    }
}
