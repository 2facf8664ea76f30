import Foundation
import XCTest
import TerminalUI

/// Compares a frame's text with `Snapshots/<name>.txt` beside this file.
///
/// A missing snapshot is written and the test fails, so a new snapshot is always looked at
/// once before it is trusted; `GAZETTE_RECORD_SNAPSHOTS=1` rewrites them all.
func assertSnapshot(_ frame: Frame, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let directory = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = directory.appendingPathComponent("\(name).txt")
    let actual = frame.text + "\n"
    let record = ProcessInfo.processInfo.environment["GAZETTE_RECORD_SNAPSHOTS"] == "1"
    if !record, let expected = try? String(contentsOf: url, encoding: .utf8) {
        if expected != actual {
            XCTFail("Snapshot \(name) differs.\n--- expected\n\(expected)--- actual\n\(actual)", file: file, line: line)
        }
        return
    }
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try? actual.write(to: url, atomically: true, encoding: .utf8)
    if !record { XCTFail("Recorded new snapshot \(name); check it and run again", file: file, line: line) }
}

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
