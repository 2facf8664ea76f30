/// Loads the archives the reader was given a piece at a time, so that the first screen can be drawn after the first
/// few hundred posts and the rest indexed on another thread (`index(maxBytes:)` in a loop).
///
/// Paths mean what they mean to `Library.load`, and opening fails the same way (a missing path, a FIFO, an empty
/// directory, an unreadable file named on its own): every file is opened, and checked, by `init`. Files are then
/// indexed in order. A file without posts, or one that fails while it is read, is skipped with a warning
/// (`takeWarnings`). Posts get `archiveIndex` = the file's position in `bodies.files`.
///
/// Not thread-safe: one thread at a time (its `bodies` are).
public final class LibraryLoader {
    /// Where the bodies of the posts are read from, for every file (also the ones still being indexed).
    public let bodies: ArchiveBodies
    /// The sum of the files' sizes when they were opened.
    public let totalBytes: Int
    /// Posts returned so far.
    public private(set) var postCount = 0

    private let paths: [String]
    private let fileCount: Int
    private let indexers: [ArchiveIndexer]
    private var current = 0
    private var warnings: [String]
    private var readBefore = 0

    /// Resolves `paths` and opens every file (nothing is read yet).
    public init(paths: [String]) throws {
        let files = try Library.resolve(paths: paths)
        var indexers: [ArchiveIndexer] = []
        var warnings: [String] = []
        for file in files {
            do {
                indexers.append(try ArchiveIndexer(path: file.path, archiveIndex: indexers.count))
            } catch let error as ArchiveError {
                switch error {
                case .tooManyOpenFiles: throw error
                case _ where !file.explicit: warnings.append("\(error); skipped")
                default: throw error
                }
            }
        }
        guard !indexers.isEmpty else { throw ArchiveError.noPosts(path: paths.joined(separator: ", ")) }
        self.paths = paths
        self.fileCount = files.count
        self.indexers = indexers
        self.warnings = warnings
        self.bodies = ArchiveBodies(files: indexers.map(\.file))
        self.totalBytes = indexers.reduce(0) { $0 + $1.size }
    }

    /// True once every file was indexed.
    public var isFinished: Bool { current == indexers.count }

    /// Bytes read so far, of `totalBytes` (a file that grew can make it larger).
    public var bytesRead: Int { readBefore + (isFinished ? 0 : indexers[current].bytesRead) }

    /// Indexes about `maxBytes` more (at least one chunk, possibly in several files) and returns the posts completed.
    public func index(maxBytes: Int) -> [Post] {
        var posts: [Post] = []
        let stop = bytesRead + min(max(1, maxBytes), Int.max - bytesRead)
        while !isFinished && bytesRead < stop {
            let indexer = indexers[current]
            do {
                let batch = try indexer.index(maxBytes: stop - bytesRead)
                posts += batch
            } catch {
                warnings.append("\(error); skipped the rest of it")
                finishCurrent()
                continue
            }
            if indexer.isFinished {
                if indexer.postCount == 0 {
                    warnings.append("\(ArchiveError.noPosts(path: indexer.file.path)); skipped")
                }
                finishCurrent()
            }
        }
        postCount += posts.count
        return posts
    }

    private func finishCurrent() {
        let indexer = indexers[current]
        readBefore += indexer.bytesRead
        current += 1
    }

    /// The warnings since the previous call (files skipped).
    public func takeWarnings() -> [String] {
        defer { warnings = [] }
        return warnings
    }

    /// The error to report when indexing finished without a single post (as `Library.load` would).
    public var noPostsError: ArchiveError {
        fileCount == 1 && indexers.count == 1 ? .noPosts(path: indexers[0].file.path)
                                                : .noPosts(path: paths.joined(separator: ", "))
    }

    /// The title line's text: the archive's own title when there is one archive with posts (as far as known), or
    /// how many there are.
    public var title: String {
        let withPosts = indexers.filter { $0.postCount > 0 || !$0.isFinished }
        if withPosts.count == 1 { return withPosts[0].title }
        return "\(withPosts.count) archives"
    }
}
