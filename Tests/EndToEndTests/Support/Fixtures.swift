import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Where the end-to-end tests find what they run.
enum Fixtures {
    /// The `gazette` binary `swift test` built beside the test bundle (the test target depends
    /// on the executable target). `GAZETTE_BINARY` overrides it.
    static func gazette(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["GAZETTE_BINARY"], !explicit.isEmpty {
            return explicit
        }
        var candidates: [String] = []
        // On Linux the test bundle is an executable: <scratch>/<triple>/debug/GazettePackageTests.xctest.
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/gazette")
        }
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("gazette").path)
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("gazette").path)
        for candidate in candidates where access(candidate, X_OK) == 0 {
            return candidate
        }
        XCTFail("the gazette binary is not beside the tests; looked at: \(candidates.joined(separator: ", "))",
                file: file, line: line)
        throw Spawn.Failure(description: "gazette binary not found")
    }

    /// A helper executable of the package (`MarkLoop`), built beside the tests because the test target
    /// depends on it.
    static func helper(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let candidate = (exe as NSString).deletingLastPathComponent + "/" + name
        guard access(candidate, X_OK) == 0 else {
            XCTFail("the helper \(name) is not beside the tests (\(candidate))", file: file, line: line)
            throw Spawn.Failure(description: "helper \(name) not found")
        }
        return candidate
    }

    /// The package's root directory (this file is Tests/EndToEndTests/Support/Fixtures.swift).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The sample archives that ship with the repository.
    static var seeds: String { packageRoot + "/seeds" }
    /// The sample archive itself.
    static var seedFile: String { seeds + "/000_48ed595c29c1754a.txt" }

    /// A fresh temporary directory, removed at the end of the test.
    static func temporaryDirectory(for test: XCTestCase) throws -> String {
        var template = Array((NSTemporaryDirectory() + "gazette-e2e.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Spawn.Failure(description: "mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
