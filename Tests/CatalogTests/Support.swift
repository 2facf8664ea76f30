import Foundation
import Posts
import XCTest

/// The package root, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let samplePath = packageRoot + "/seeds/000_48ed595c29c1754a.txt"

func sampleBytes() throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: samplePath)))
}

/// The sample archive's titles, in file order, as the archive parser reads them.
func sampleTitles() throws -> [String] {
    try Archive.open(path: samplePath).posts.map(\.title)
}

/// A fresh temporary directory, removed by the test case's teardown.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "gazette-catalog-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}

func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
}
