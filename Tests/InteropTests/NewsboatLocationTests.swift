import Foundation
import XCTest
@testable import Interop

/// Where newsboat's files are found: the folder given, else newsboat's own choice (XDG when its config folder is
/// there, else ~/.newsboat).
final class NewsboatLocationTests: XCTestCase {
    private func make(_ folders: [String], in home: String) throws {
        for folder in folders {
            try FileManager.default.createDirectory(atPath: home + "/" + folder, withIntermediateDirectories: true)
        }
    }

    func testTheFolderGivenHoldsBoth() throws {
        let home = try NewsboatCacheTests.folder(self)
        try make(["nb"], in: home)
        let location = try NewsboatLocation.find(directory: home + "/nb", environment: ["HOME": home])
        XCTAssertEqual(location, NewsboatLocation(urls: home + "/nb/urls", cache: home + "/nb/cache.db"))
        XCTAssertEqual(location.description, home + "/nb")
    }

    func testNewsboatsXDGConfigFolderGivenFindsTheCacheInItsDataFolder() throws {
        let home = try NewsboatCacheTests.folder(self)
        try make([".config/newsboat", ".local/share/newsboat"], in: home)
        let location = try NewsboatLocation.find(directory: home + "/.config/newsboat", environment: ["HOME": home])
        XCTAssertEqual(location.cache, home + "/.local/share/newsboat/cache.db")
        XCTAssertEqual(location.description, "\(home)/.config/newsboat/urls, \(home)/.local/share/newsboat/cache.db")
    }

    func testXDGWhenItsConfigFolderIsThereElseTheDotFolder() throws {
        let home = try NewsboatCacheTests.folder(self)
        try make([".newsboat"], in: home)
        XCTAssertEqual(try NewsboatLocation.find(directory: nil, environment: ["HOME": home]),
                       NewsboatLocation(urls: home + "/.newsboat/urls", cache: home + "/.newsboat/cache.db"))
        try make(["xdg-config/newsboat"], in: home)
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/xdg-config", "XDG_DATA_HOME": home + "/xdg-data"]
        XCTAssertEqual(try NewsboatLocation.find(directory: nil, environment: environment),
                       NewsboatLocation(urls: home + "/xdg-config/newsboat/urls", cache: home + "/xdg-data/newsboat/cache.db"))
        // A relative XDG variable is ignored, as the specification says: ~/.config is not there, so ~/.newsboat.
        XCTAssertEqual(try NewsboatLocation.find(directory: nil, environment: ["HOME": home, "XDG_CONFIG_HOME": "xdg-config"]).urls,
                       home + "/.newsboat/urls")
        try make([".config/newsboat"], in: home)
        XCTAssertEqual(try NewsboatLocation.find(directory: nil, environment: ["HOME": home]),
                       NewsboatLocation(urls: home + "/.config/newsboat/urls", cache: home + "/.local/share/newsboat/cache.db"))
    }

    func testNothingThereSaysWhereItLooked() throws {
        let home = try NewsboatCacheTests.folder(self)
        XCTAssertThrowsError(try NewsboatLocation.find(directory: nil, environment: ["HOME": home])) { error in
            let error = error as? NewsboatError
            XCTAssertEqual(error?.kind, .missing)
            XCTAssertEqual(error?.problem, "no newsboat folder: neither \(home)/.config/newsboat nor \(home)/.newsboat is there")
        }
        XCTAssertThrowsError(try NewsboatLocation.find(directory: home + "/nope", environment: ["HOME": home])) { error in
            XCTAssertEqual((error as? NewsboatError)?.problem, "there is no folder \(home)/nope")
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: home + "/file", contents: Data()))
        XCTAssertThrowsError(try NewsboatLocation.find(directory: home + "/file", environment: ["HOME": home])) { error in
            XCTAssertEqual((error as? NewsboatError)?.problem, "\(home)/file is not a folder")
        }
    }
}
