import Glibc

/// The bytes of one archive, for reading post bodies when they are shown: a file read with `pread` through a
/// descriptor kept open (so that any thread may read it, while another one indexes), a file opened for each read
/// (a library of thousands of files must not hold a descriptor each), or bytes held in memory.
public final class ArchiveFile: Sendable {
    public let path: String

    private enum Storage {
        case memory([UInt8])
        case file(Int32)
        /// Opened when read; `identity` is the file as it was indexed.
        case path(FileIdentity)
    }

    private let storage: Storage

    /// Takes ownership of `descriptor` (closed when the last reference goes).
    init(path: String, descriptor: Int32) {
        self.path = path
        self.storage = .file(descriptor)
    }

    /// A file opened for each read. `identity`: the file as it was when it was indexed (see `checkedBytes`).
    public init(path: String, identity: FileIdentity) {
        self.path = path
        self.storage = .path(identity)
    }

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.storage = .memory(bytes)
    }

    deinit {
        if case .file(let fd) = storage { close(fd) }
    }

    /// The bytes in `range`: fewer at the end of the file, or when the file cannot be read (or changed).
    public func bytes(in range: Range<Int>) -> [UInt8] {
        guard range.lowerBound >= 0, !range.isEmpty else { return [] }
        switch storage {
        case .memory(let bytes):
            return Array(bytes[range.clamped(to: 0..<bytes.count)])
        case .file(let fd):
            return Self.read(fd, range)
        case .path:
            return checkedBytes(in: range)?.bytes ?? []
        }
    }

    /// The bytes in `range` now, and whether the file changed on disk since it was indexed (then the bytes may be
    /// another post's, or nothing); `nil` when the file is gone or cannot be read. A file held in memory or through
    /// a descriptor never changes.
    public func checkedBytes(in range: Range<Int>) -> (bytes: [UInt8], changed: Bool)? {
        guard case .path(let identity) = storage else { return (bytes(in: range), false) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let changed = FileIdentity.of(descriptor: fd) != identity
        guard range.lowerBound >= 0, !range.isEmpty else { return ([], changed) }
        return (Self.read(fd, range), changed)
    }

    /// The bytes of `range` in the open file `fd` (`pread`, retried on EINTR): fewer at its end or on an error.
    public static func read(_ fd: Int32, _ range: Range<Int>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: range.count) { buf, count in
            count = 0
            while count < range.count {
                let got = pread(fd, buf.baseAddress! + count, range.count - count, off_t(range.lowerBound + count))
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { break }
                count += got
            }
        }
    }

    /// The raw bytes of the post's body range.
    public func bodyBytes(of post: Post) -> [UInt8] { bytes(in: post.bodyRange) }

    /// The body's blocks (read from the file now; an unreadable or changed file gives what could be read).
    public func body(of post: Post) -> [Block] { BlockParser.parse(bodyBytes(of: post)) }

    /// The body as plain text, one block a line (for search).
    public func bodyText(of post: Post) -> String { BlockParser.plainText(body(of: post)) }
}
