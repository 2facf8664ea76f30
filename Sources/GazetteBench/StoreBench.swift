import Foundation
import Glibc
import Posts
import ReadState

/// Marking a post read, durably: `setRead` on the SQLite store (WAL, synchronous=FULL: the commit is fsynced
/// before it returns), one post per call as the reader does, in a fresh store under `bench-results/`.
enum StoreBench {
    static func measure(marks: Int, directory: String) throws -> Figure {
        let path = "\(directory)/bench-store-\(getpid()).sqlite3"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let store = try SQLiteReadStateStore(path: path)
        var samples: [Double] = []
        for i in 0..<marks {
            let id = PostID(rawValue: UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            let start = monotonic()
            try store.setRead([id], read: true, at: Date())
            samples.append((monotonic() - start) * 1000)
        }
        return Figure(samples)!
    }

    static func run(marks: Int) -> String {
        do {
            return try measure(marks: marks, directory: FileManager.default.currentDirectoryPath).description
        } catch {
            return "error: \(error)"
        }
    }
}
