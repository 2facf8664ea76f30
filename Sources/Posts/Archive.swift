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
    /// Where the bodies are read from.
    public let file: ArchiveFile

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
        self.file = ArchiveFile(path: path, bytes: bytes)
    }

    private init(indexer: ArchiveIndexer, posts: [Post]) {
        self.path = indexer.file.path
        self.posts = posts
        self.title = indexer.title
        self.author = indexer.author
        self.file = indexer.file
    }

    /// Indexes the archive file at `path`, reading it in chunks (memory stays flat whatever the file's size); a big
    /// file in two halves at once.
    /// Refuses anything but a regular file without blocking (a FIFO is opened non-blocking, then rejected).
    public static func open(path: String, archiveIndex: Int = 0) throws -> Archive {
        let indexer = try ArchiveIndexer(path: path, archiveIndex: archiveIndex)
        let posts = try indexer.indexAll()
        guard !posts.isEmpty else { throw ArchiveError.noPosts(path: path) }
        return Archive(indexer: indexer, posts: posts)
    }

    /// The body's blocks (read from the file now; an unreadable or changed file gives what could be read).
    public func body(of post: Post) -> [Block] { file.body(of: post) }

    /// The body as plain text, one block a line (for search).
    public func bodyText(of post: Post) -> String { file.bodyText(of: post) }

    /// The raw bytes of the post's body range.
    public func bodyBytes(of post: Post) -> [UInt8] { file.bodyBytes(of: post) }

    /// The file name without directories and extension.
    public static func defaultTitle(_ path: String) -> String {
        var name = Substring(path)
        while name.count > 1 && name.hasSuffix("/") { name = name.dropLast() }
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return String(name)
    }
}
