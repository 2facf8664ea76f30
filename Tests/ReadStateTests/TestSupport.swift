import Foundation
import Posts
@testable import ReadState
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under the system temp directory, removed (recursively) by `remove()`.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((base + "gazette-store-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() {
        // Undo anything a test made immutable or inaccessible, then delete.
        _ = runTool("/usr/bin/chattr", ["-R", "-i", path])
        _ = runTool("/bin/chmod", ["-R", "u+rwx", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs a system tool quietly; true when it exited 0.
@discardableResult
func runTool(_ tool: String, _ arguments: [String]) -> Bool {
    guard FileManager.default.isExecutableFile(atPath: tool) else { return false }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

var runningAsRoot: Bool { geteuid() == 0 }

func fileBytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

func permissions(_ path: String) -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else { return -1 }
    return Int(info.st_mode & 0o7777)
}

func ids(_ values: ClosedRange<UInt64>) -> [PostID] { values.map { PostID(rawValue: $0) } }

func time(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

/// Asserts that `body` throws a `StoreError` of `kind`, and returns it.
@discardableResult
func assertStoreError<T>(_ kind: StoreError.Kind, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> T) -> StoreError? {
    do {
        _ = try body()
        XCTFail("expected a StoreError of kind \(kind), got success", file: file, line: line)
    } catch let error as StoreError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a StoreError of kind \(kind), got \(error)", file: file, line: line)
    }
    return nil
}
