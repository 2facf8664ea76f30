import Glibc

/// Indexes one archive file a piece at a time: each `index(maxBytes:)` reads the next bytes (in chunks of
/// `chunkSize`, with `pread(2)` into one reused buffer) and returns the posts they completed. `Archive.open` runs
/// it to the end (in two halves on two threads for a big file, see `indexAll`); the reader runs the first pieces
/// before its first frame and the rest on another thread.
///
/// Not thread-safe: one thread at a time (the `file` it reads bodies from is).
public final class ArchiveIndexer {
    /// Bytes per read: small enough that the scanner finds them in the CPU's cache, and that memory stays flat
    /// whatever the file's size.
    static let chunkSize = 256 << 10
    /// Files from this size up are indexed in two halves at once by `indexAll`.
    static let splitThreshold = 1 << 20

    public let file: ArchiveFile
    public let archiveIndex: Int
    /// The file's size when it was opened.
    public let size: Int
    /// The file as it was when it was opened.
    public let identity: FileIdentity
    /// Bytes read so far.
    public var bytesRead: Int { position - start }
    /// True once the whole file (or range) was read and its last post closed.
    public private(set) var isFinished = false
    /// How many posts were returned so far.
    public private(set) var postCount = 0

    private let descriptor: Int32
    private let scanner: ArchiveScanner
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Where this indexer started, the next byte to read, and where it stops (the end of the file, or where the
    /// other half of a split file starts).
    private let start: Int
    private var position: Int
    private let end: Int
    private var filled = 0
    private var offset: Int

    /// Opens the archive file at `path`. Refuses anything but a regular file without blocking (a FIFO is opened
    /// non-blocking, then rejected).
    public convenience init(path: String, archiveIndex: Int = 0) throws {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError.system(errno, path: path) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let error = ArchiveError.system(errno, path: path)
            close(fd)
            throw error
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw ArchiveError.isADirectory(path: path)
        }
        if let kind = ArchiveError.kind(ofMode: st.st_mode) {
            close(fd)
            throw ArchiveError.notARegularFile(path: path, kind: kind)
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        self.init(file: ArchiveFile(path: path, descriptor: fd), descriptor: fd, archiveIndex: archiveIndex,
                  identity: FileIdentity(st), range: 0..<Int.max, continuation: false)
    }

    private init(file: ArchiveFile, descriptor: Int32, archiveIndex: Int, identity: FileIdentity, range: Range<Int>,
                 continuation: Bool) {
        self.file = file
        self.descriptor = descriptor
        self.archiveIndex = archiveIndex
        self.identity = identity
        self.size = Int(identity.size)
        self.start = range.lowerBound
        self.position = range.lowerBound
        self.offset = range.lowerBound
        self.end = range.upperBound
        self.scanner = ArchiveScanner(archiveIndex: archiveIndex, continuation: continuation) { file.bytes(in: $0) }
        self.capacity = min(Self.chunkSize, max(2 * ArchiveScanner.longLineThreshold + 4096,
                                                min(size, range.count) + 1))
        self.buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The header line (`Author Archives for Grant Montgomery`), or the file name without extension; final once a
    /// post was returned (or the file finished).
    public var title: String { scanner.header ?? Archive.defaultTitle(file.path) }

    /// `NAME` from an `Author Archives for NAME` header.
    public var author: String? { scanner.archiveAuthor }

    /// Reads on until about `maxBytes` more were read (at least one chunk) or the file ends, and returns the posts
    /// completed meanwhile, in file order (a post is complete once the next one starts, or at the end).
    /// Nothing after `isFinished`. Throws on a read error; the posts returned before stay valid.
    public func index(maxBytes: Int) throws -> [Post] {
        guard !isFinished else { return [] }
        let stop = position + min(max(1, maxBytes), Int.max - position)
        while position < stop {
            let want = min(capacity - filled, end - position)
            var got = 0
            if want > 0 {
                got = pread(descriptor, buffer + filled, want, off_t(position))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ArchiveError.system(errno, path: file.path)
                }
            }
            position += got
            let isFinal = got == 0
            filled += got
            let used = scanner.scan(UnsafeBufferPointer(start: buffer, count: filled), at: offset, isFinal: isFinal)
            if isFinal {
                isFinished = true
                let posts = scanner.finish()
                postCount += posts.count
                return posts
            }
            if used > 0 {
                memmove(buffer, buffer + used, filled - used)
                filled -= used
                offset += used
            }
        }
        let posts = scanner.takePosts()
        postCount += posts.count
        return posts
    }

    /// Indexes the whole file and returns all its posts. A big file (from `splitThreshold`) is cut at the title
    /// line of a post near its middle and the two halves are indexed at once, on two threads: each half is a
    /// sequence of whole posts, so the result is the same as in one pass (`LibraryLoaderTests` checks it).
    public func indexAll() throws -> [Post] {
        guard position == 0, size >= Self.splitThreshold, let split = splitPoint() else {
            var posts: [Post] = []
            while !isFinished { posts += try index(maxBytes: .max) }
            return posts
        }
        let back = ArchiveIndexer(file: file, descriptor: descriptor, archiveIndex: archiveIndex, identity: identity,
                                  range: split..<Int.max, continuation: true)
        let front = ArchiveIndexer(file: file, descriptor: descriptor, archiveIndex: archiveIndex, identity: identity,
                                   range: 0..<split, continuation: false)
        let job = BackHalf(back)
        var posts = try front.index(maxBytes: .max)
        var rest = try job.wait()
        // The back half could not know the archive's author (from the header): posts without one get it now.
        if let author = front.author {
            for i in rest.indices where rest[i].author == nil { rest[i].author = author }
        }
        posts += rest
        // This indexer now stands for the whole file.
        scanner.adopt(header: front.scanner.header, author: front.author)
        position = size
        postCount = posts.count
        isFinished = true
        return posts
    }

    /// The start of the title line of a post near the middle of the file: a non-blank line followed (after blank
    /// lines only) by a `Posted on` line. `nil` when none is found in a window there (long lines, odd files).
    private func splitPoint() -> Int? {
        // 64 kB hold a dozen posts of the usual size; a file of long posts gets a second, bigger look.
        for window in [64 << 10, 1 << 20] {
            if let split = splitPoint(window: window) { return split }
        }
        return nil
    }

    private func splitPoint(window: Int) -> Int? {
        let from = size / 2
        let bytes = file.bytes(in: from..<min(size, from + window))
        return bytes.withUnsafeBufferPointer { buf -> Int? in
            guard let p = buf.baseAddress else { return nil }
            let n = buf.count
            // The first line start: after the first LF, or after a CR not followed by LF.
            var i = 0
            while i < n && p[i] != 0x0A && p[i] != 0x0D { i += 1 }
            guard i + 1 < n else { return nil }
            i += p[i] == 0x0D && p[i + 1] == 0x0A ? 2 : 1
            var lastText: Int?  // start of the last non-blank line that is not a Posted-on line
            while i < n {
                var e = i
                while e < n && p[e] != 0x0A && p[e] != 0x0D { e += 1 }
                guard e < n, e + 1 < n else { return nil }  // a line must end inside the window
                let next = p[e] == 0x0D && p[e + 1] == 0x0A ? e + 2 : e + 1
                if e - i > ArchiveScanner.longLineThreshold { return nil }
                if !ByteText.trim(p, i, e).isEmpty {
                    if e - i <= PostedOnLine.maxLength, PostedOnLine.parse(p + i, e - i) != nil {
                        if let title = lastText, title > 0 { return from + title }
                        lastText = nil
                    } else {
                        lastText = i
                    }
                }
                i = next
            }
            return nil
        }
    }
}

/// The back half of a split file, indexed on its own thread (a pthread: this module uses no Foundation).
private final class BackHalf: @unchecked Sendable {
    private let indexer: ArchiveIndexer
    private var result: Result<[Post], Error>?
    private var thread = pthread_t()
    private var started = false

    init(_ indexer: ArchiveIndexer) {
        self.indexer = indexer
        let context = Unmanaged.passUnretained(self).toOpaque()
        started = pthread_create(&thread, nil, { context in
            Unmanaged<BackHalf>.fromOpaque(context!).takeUnretainedValue().run()
            return nil
        }, context) == 0
        if !started { run() }  // no thread to be had: do it here
    }

    private func run() {
        do {
            result = .success(try indexer.index(maxBytes: .max))
        } catch {
            result = .failure(error)
        }
    }

    /// Waits for the thread (the join orders its write of `result` before this read).
    func wait() throws -> [Post] {
        if started { pthread_join(thread, nil) }
        return try result!.get()
    }
}
