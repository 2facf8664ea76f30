import Glibc

/// One archive file: its header and the index of its posts. Bodies stay in the file and are read (with `pread`,
/// through a descriptor the archive keeps open) and parsed when asked for.
public final class Archive: Sendable {
    public let path: String
    /// The header line (`Author Archives for Grant Montgomery`), or the file name without extension.
    public let title: String
    /// `NAME` from an `Author Archives for NAME` header.
    public let author: String?
    /// The posts in file order.
    public let posts: [Post]

    private enum Storage {
        case memory([UInt8])
        case file(Int32)
    }

    private let storage: Storage

    /// Bytes read per `read(2)` while indexing; the buffer is reused for the whole file.
    static let chunkSize = 4 << 20

    /// Indexes an archive held in memory.
    public init(bytes: [UInt8], path: String = "<memory>", archiveIndex: Int = 0) throws {
        let scanner = ArchiveScanner(archiveIndex: archiveIndex) { range in
            let r = range.clamped(to: 0..<bytes.count)
            return Array(bytes[r])
        }
        bytes.withUnsafeBufferPointer { _ = scanner.scan($0, at: 0, isFinal: true) }
        let posts = scanner.finish()
        guard !posts.isEmpty else { throw ArchiveError.noPosts(path: path) }
        self.path = path
        self.posts = posts
        self.title = scanner.header ?? Self.defaultTitle(path)
        self.author = scanner.archiveAuthor
        self.storage = .memory(bytes)
    }

    private init(path: String, fd: Int32, scanner: ArchiveScanner, posts: [Post]) {
        self.path = path
        self.posts = posts
        self.title = scanner.header ?? Self.defaultTitle(path)
        self.author = scanner.archiveAuthor
        self.storage = .file(fd)
    }

    deinit {
        if case .file(let fd) = storage { close(fd) }
    }

    /// Indexes the archive file at `path`, reading it in chunks (memory stays flat whatever the file's size).
    /// Refuses anything but a regular file without blocking (a FIFO is opened non-blocking, then rejected).
    public static func open(path: String, archiveIndex: Int = 0) throws -> Archive {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError.system(errno, path: path) }
        var ok = false
        defer { if !ok { close(fd) } }

        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ArchiveError.system(errno, path: path) }
        if st.st_mode & S_IFMT == S_IFDIR { throw ArchiveError.isADirectory(path: path) }
        if let kind = ArchiveError.kind(ofMode: st.st_mode) {
            throw ArchiveError.notARegularFile(path: path, kind: kind)
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }

        let scanner = ArchiveScanner(archiveIndex: archiveIndex) { range in readBytes(fd, range) }
        let capacity = min(chunkSize, max(2 * ArchiveScanner.longLineThreshold + 4096, Int(st.st_size) + 1))
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0
        var offset = 0
        while true {
            let got = read(fd, buffer + filled, capacity - filled)
            if got < 0 {
                if errno == EINTR { continue }
                throw ArchiveError.system(errno, path: path)
            }
            let isFinal = got == 0
            filled += got
            let used = scanner.scan(UnsafeBufferPointer(start: buffer, count: filled), at: offset, isFinal: isFinal)
            if isFinal { break }
            if used > 0 {
                memmove(buffer, buffer + used, filled - used)
                filled -= used
                offset += used
            }
        }
        let posts = scanner.finish()
        guard !posts.isEmpty else { throw ArchiveError.noPosts(path: path) }
        ok = true
        return Archive(path: path, fd: fd, scanner: scanner, posts: posts)
    }

    /// The body's blocks (read from the file now; an unreadable or changed file gives what could be read).
    public func body(of post: Post) -> [Block] {
        let bytes = bodyBytes(of: post)
        return BlockParser.parse(bytes)
    }

    /// The body as plain text, one block a line (for search).
    public func bodyText(of post: Post) -> String {
        BlockParser.plainText(body(of: post))
    }

    /// The raw bytes of the post's body range.
    public func bodyBytes(of post: Post) -> [UInt8] {
        let range = post.bodyRange
        guard range.lowerBound >= 0, !range.isEmpty else { return [] }
        switch storage {
        case .memory(let bytes):
            return Array(bytes[range.clamped(to: 0..<bytes.count)])
        case .file(let fd):
            return Self.readBytes(fd, range)
        }
    }

    /// Reads `range` of the file with `pread`; fewer bytes at end of file or on error.
    private static func readBytes(_ fd: Int32, _ range: Range<Int>) -> [UInt8] {
        guard range.lowerBound >= 0, !range.isEmpty else { return [] }
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

    /// The file name without directories and extension.
    static func defaultTitle(_ path: String) -> String {
        var name = Substring(path)
        while name.count > 1 && name.hasSuffix("/") { name = name.dropLast() }
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return String(name)
    }
}
