import SeededRandom
import Foundation
import XCTest
@testable import Posts

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

/// An archive from a literal.
func archive(_ text: String, path: String = "test.txt") throws -> Archive {
    try Archive(bytes: Array(text.utf8), path: path)
}

/// A fresh temporary directory, removed by the test case's teardown.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "gazette-posts-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}

func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Runs the scanner the way `Archive.open` does, but with `pieceSize`-byte reads, to cross every chunk boundary.
func scanInPieces(_ bytes: [UInt8], pieceSize: Int) -> [Post] {
    let scanner = ArchiveScanner(archiveIndex: 0) { range in Array(bytes[range.clamped(to: 0..<bytes.count)]) }
    var window: [UInt8] = []
    var offset = 0
    var next = 0
    while true {
        let end = min(bytes.count, next + pieceSize)
        window += bytes[next..<end]
        next = end
        let isFinal = next == bytes.count
        let used = window.withUnsafeBufferPointer { scanner.scan($0, at: offset, isFinal: isFinal) }
        if isFinal { break }
        window.removeFirst(used)
        offset += used
    }
    return scanner.finish()
}

