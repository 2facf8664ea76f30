import Glibc

/// The bytes of one archive, for reading post bodies when they are shown: a file read with `pread` through a
/// descriptor kept open (so that any thread may read it, while another one indexes), or bytes held in memory.
public final class ArchiveFile: Sendable {
    public let path: String

    private enum Storage {
        case memory([UInt8])
        case file(Int32)
    }

    private let storage: Storage

    /// Takes ownership of `descriptor` (closed when the last reference goes).
    init(path: String, descriptor: Int32) {
        self.path = path
        self.storage = .file(descriptor)
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
            return [UInt8](unsafeUninitializedCapacity: range.count) { buf, count in
                count = 0
                while count < range.count {
                    let got = pread(fd, buf.baseAddress! + count, range.count - count, off_t(range.lowerBound + count))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { break }
                    count += got
                }
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

/// Where the bodies of posts are read from: a `Library`, or the files of a `LibraryLoader` still indexing.
public protocol PostBodies: Sendable {
    /// The post's blocks, read and parsed now (none when the post is not from these archives).
    func body(of post: Post) -> [Block]
    /// The post's body as plain text, one block a line (for search).
    func bodyText(of post: Post) -> String
}

/// The bodies of posts from a list of archive files, by `Post.archiveIndex`.
public struct ArchiveBodies: PostBodies {
    public let files: [ArchiveFile]

    public init(files: [ArchiveFile]) { self.files = files }

    public func body(of post: Post) -> [Block] {
        files.indices.contains(post.archiveIndex) ? files[post.archiveIndex].body(of: post) : []
    }

    public func bodyText(of post: Post) -> String {
        files.indices.contains(post.archiveIndex) ? files[post.archiveIndex].bodyText(of: post) : ""
    }
}
