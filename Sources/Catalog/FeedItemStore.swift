import Glibc
import Posts
import Synchronization

/// Where a feed's items are kept once read, for showing them later: an unnamed temporary file (written by the
/// indexing thread, read by any thread with `pread`), so that a feed of 100,000 items keeps its bodies out of the
/// reader's memory. Falls back to memory when no temporary file can be made (no writable `$TMPDIR` or `/tmp`).
///
/// A record is read only after `append` returned its range (the post that names it is handed over afterwards), so
/// readers never see a record being written.
final class FeedItemStore: Sendable {
    /// The temporary file, or -1 when the records are kept in `memory`.
    private let fd: Int32
    private let memory = Mutex<[UInt8]>([])
    private let end = Mutex(0)

    init() {
        fd = TemporaryFile.make() ?? -1
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Stores `bytes`, returning where they are; `nil` when the disk is full or the file cannot be written.
    func append(_ bytes: [UInt8]) -> Range<Int>? {
        let start = end.withLock { $0 }
        if fd >= 0 {
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { buf in
                    pwrite(fd, buf.baseAddress! + written, bytes.count - written, off_t(start + written))
                }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return nil }
                written += n
            }
        } else {
            memory.withLock { $0 += bytes }
        }
        end.withLock { $0 = start + bytes.count }
        return start..<(start + bytes.count)
    }

    /// The bytes stored at `range` (fewer when the range is not all stored).
    func bytes(in range: Range<Int>) -> [UInt8] {
        let stored = end.withLock { $0 }
        let range = range.clamped(to: 0..<stored)
        guard !range.isEmpty else { return [] }
        if fd >= 0 { return ArchiveFile.read(fd, range) }
        return memory.withLock { Array($0[range]) }
    }
}
