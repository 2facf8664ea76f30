import Foundation
import Posts
import ReadState
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Ways to break a state database, and file-system tricks to make one unwritable or full.
enum StoreDamage: String, CaseIterable {
    /// A page of the b-tree overwritten with junk.
    case corruptPage = "a damaged page"
    /// The file cut in half.
    case truncated = "a truncated file"
    /// Plain text where the database should be.
    case notADatabase = "a text file"

    /// Writes a sound store with enough marks to span several pages at `path`, then damages it.
    func apply(to path: String) throws {
        if self == .notADatabase {
            try Data(String(repeating: "notes, not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        do {
            let store = try SQLiteReadStateStore(path: path)
            try store.setRead((1...3000).map { PostID(rawValue: $0) }, read: true, at: Date())
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        switch self {
        case .corruptPage:
            for offset in (2 * 4096)..<(2 * 4096 + 3000) { bytes[offset] = 0xA5 }
        case .truncated:
            bytes = bytes.prefix(bytes.count / 2)
        case .notADatabase:
            break
        }
        try bytes.write(to: URL(fileURLWithPath: path))
    }
}

enum FileSystemTricks {
    /// Makes `path` unwritable even for root: `chattr +i` (root ignores modes), or mode 0500/0400 for
    /// anyone else. Undone at the end of `test`. Throws `XCTSkip` when neither works here.
    static func makeUnwritable(_ path: String, test: XCTestCase) throws {
        if geteuid() == 0 {
            let result = try Spawn.run(["chattr", "+i", path])
            guard result.status == 0 else {
                throw XCTSkip("running as root and chattr +i does not work here: \(result.output)")
            }
            test.addTeardownBlock { _ = try? Spawn.run(["chattr", "-i", path]) }
        } else {
            var info = stat()
            stat(path, &info)
            chmod(path, info.st_mode & S_IFMT == S_IFDIR ? 0o500 : 0o400)
            test.addTeardownBlock { chmod(path, 0o700) }
        }
    }

    /// Mounts a tmpfs of `kilobytes` at a new directory and returns it; unmounted at the end of `test`.
    /// Throws `XCTSkip` when mounting is not permitted (not root, or no CAP_SYS_ADMIN in a container).
    static func smallFileSystem(kilobytes: Int, test: XCTestCase) throws -> String {
        let point = try Fixtures.temporaryDirectory(for: test) + "/small"
        try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: false)
        let result = try Spawn.run(["mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0700", "tmpfs", point])
        guard result.status == 0 else {
            throw XCTSkip("a full disk needs a small file system, and mounting a tmpfs is not permitted here "
                          + "(\(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        test.addTeardownBlock { _ = try? Spawn.run(["umount", "-l", point]) }
        return point
    }

    /// Fills the file system holding `directory` with one file until a write fails with ENOSPC.
    static func fill(_ directory: String) throws {
        let fd = open(directory + "/filler", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw Spawn.Failure(description: "cannot create the filler: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let block = [UInt8](repeating: 0x5A, count: 4096)
        while true {
            let written = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                guard errno == ENOSPC else { throw Spawn.Failure(description: "filler: \(String(cString: strerror(errno)))") }
                break
            }
            if written < block.count { continue }
        }
        // Also the last bytes: single bytes until even those fail.
        var byte: UInt8 = 0
        while write(fd, &byte, 1) == 1 {}
    }
}
