import Glibc
import Posts
import ReadState

/// Loads the sources the reader was given a piece at a time, so that the first screen can be drawn after the first
/// few hundred posts and the rest indexed on another thread (`index(maxBytes:)` in a loop).
///
/// - Paths: a file, a directory (every regular, non-hidden file directly in it, sorted by name), or `-` (standard
///   input). A missing path, a FIFO or device, an empty directory, or a file named on its own that cannot be read
///   or is neither an archive nor a feed fails `init`, before anything is shown.
/// - Files are opened one at a time, when their turn comes, and closed once indexed (bodies are read by opening
///   the file again): a directory of 10,000 files works under `ulimit -n 256`.
/// - A file's kind is told by its content (`SourceKind.sniff`). A file in a directory that has no posts, cannot be
///   read or is not a feed is skipped with a warning (`takeWarnings`).
/// - The same post in two files (the same id) is one post: the first file's copy. (One file keeps every post it
///   has, as the reader's list shows it.)
/// - Posts get `archiveIndex` = the file's position among the resolved files (`bodies` reads by it).
///
/// Not thread-safe: one thread at a time (its `bodies` are).
public final class LibraryLoader {
    /// Where the bodies of the posts are read from, for every file (also the ones still being indexed).
    public let bodies: SourceBodies
    /// The sum of the files' sizes when they were listed.
    public let totalBytes: Int
    /// Posts returned so far.
    public private(set) var postCount = 0
    /// Posts left out because an earlier file had the same post.
    public private(set) var duplicateCount = 0

    private struct File {
        /// The path to open (a temporary file's for standard input).
        var path: String
        /// The path as the user named it.
        var name: String
        var explicit: Bool
        var size: Int
        /// Known for files named on their own (checked by `init`).
        var kind: SourceKind?
    }

    private let paths: [String]
    private var files: [File]
    private var current = 0
    private var indexer: SourceIndexer?
    /// Sources that gave posts (or are being indexed), by file position.
    private var sources: [Int: Source] = [:]
    private var warnings: [String] = []
    private var readBefore = 0
    private var seen = Set<PostID>()
    /// Why a file gave no post (it was not a feed after all, it could not be read), by file position.
    private var failures: [Int: ArchiveError] = [:]

    /// The subscriptions' stored items, read before the files (newest first, a page at a time), and where they
    /// are read from.
    private var stored: StoredLibrary?
    private var storedStore: ItemStore?
    private var storedCursor: (timestamp: Int64, id: PostID)?
    private var slotsOfStoredFeeds: [Int64: Int] = [:]
    private var storedFinished = true
    /// Headlines read so far: each counts `storedHeadlineBytes` towards `bytesRead`.
    private var storedRead = 0
    /// What a stored headline counts for in `bytesRead` and `totalBytes` (for the progress, and the batch sizes).
    static let storedHeadlineBytes = 256

    /// Resolves `paths` and checks every file named on its own (nothing is indexed yet). `stored`: the
    /// subscriptions whose items the store keeps, shown with the files (their posts come first, newest first;
    /// `paths` may then be empty).
    public init(paths: [String], stored: StoredLibrary? = nil) throws {
        guard !paths.isEmpty || !(stored?.feeds.isEmpty ?? true) else { throw ArchiveError.noPaths }
        var files: [File] = []
        for path in paths {
            if path == StandardInput.path {
                let spooled = try StandardInput.spool()
                files.append(File(path: spooled, name: path, explicit: true, size: Self.size(of: spooled)))
                continue
            }
            var st = stat()
            guard stat(path, &st) == 0 else { throw ArchiveError.system(errno, path: path) }
            if st.st_mode & S_IFMT == S_IFDIR {
                let names = try Self.regularFiles(in: path)
                guard !names.isEmpty else { throw ArchiveError.emptyDirectory(path: path) }
                for name in names {
                    let file = Self.join(path, name)
                    files.append(File(path: file, name: file, explicit: false, size: Self.size(of: file)))
                }
            } else if let kind = ArchiveError.kind(ofMode: st.st_mode) {
                throw ArchiveError.notARegularFile(path: path, kind: kind)
            } else {
                files.append(File(path: path, name: path, explicit: true, size: Int(st.st_size)))
            }
        }
        for i in files.indices where files[i].explicit {
            let kind = try Self.sniff(files[i])
            if case .unsupported(let reason) = kind {
                throw ArchiveError.notAnArchiveOrFeed(path: files[i].name, reason: reason)
            }
            files[i].kind = kind
        }
        self.paths = paths
        self.files = files
        var totalBytes = files.reduce(0) { $0 + $1.size }
        if let stored, !stored.feeds.isEmpty {
            let store = try ItemStore(path: stored.storePath, readOnly: true)
            let reader = StoredItemReader(path: stored.storePath)
            self.bodies = SourceBodies(count: files.count + stored.feeds.count)
            for (i, feed) in stored.feeds.enumerated() {
                let slot = files.count + i
                slotsOfStoredFeeds[feed.feedID] = slot
                let source = Source(path: feed.url, title: feed.name, kind: .subscription)
                sources[slot] = source
                bodies.set(slot, reader: .stored(reader), source: source)
            }
            totalBytes += (try store.itemCount()) * Self.storedHeadlineBytes
            self.stored = stored
            self.storedStore = store
            self.storedFinished = false
        } else {
            self.bodies = SourceBodies(count: files.count)
        }
        self.totalBytes = totalBytes
    }

    /// The next page of stored headlines as posts (`limit` of them at most); finishes the stored phase at the end.
    private func indexStored(limit: Int) -> [Post] {
        guard let store = storedStore else {
            storedFinished = true
            return []
        }
        let page: [StoredHeadline]
        do {
            page = try store.headlines(before: storedCursor, limit: max(1, limit))
        } catch {
            warnings.append("the store: \(error); its subscriptions' items are not shown")
            page = []
        }
        storedRead += page.count
        if let last = page.last { storedCursor = (last.timestamp, last.id) }
        if page.count < max(1, limit) {
            storedFinished = true
            storedStore = nil
        }
        var posts: [Post] = []
        posts.reserveCapacity(page.count)
        for headline in page {
            guard let slot = slotsOfStoredFeeds[headline.feedID] else { continue }
            if merging, !seen.insert(headline.id).inserted {
                duplicateCount += 1
                continue
            }
            posts.append(StoredPosts.post(headline, archiveIndex: slot))
        }
        return posts
    }

    /// The subscriptions' slots: feed id → `Post.archiveIndex`.
    public var storedSlots: [Int64: Int] { slotsOfStoredFeeds }

    /// Whether posts of several sources are merged (each post once): several files, or files and subscriptions.
    private var merging: Bool { files.count + (stored?.feeds.count ?? 0) > 1 }

    /// True once every file (and the stored items) was indexed.
    public var isFinished: Bool { storedFinished && current == files.count }

    /// Bytes read so far, of `totalBytes` (a file that grew can make it larger).
    public var bytesRead: Int { readBefore + (indexer?.bytesRead ?? 0) + storedRead * Self.storedHeadlineBytes }

    /// How many sources gave posts so far.
    public var sourceCount: Int { sources.count }

    /// How many files (and subscriptions) the paths stand for (several: posts are merged, each post once, newest
    /// first).
    public var fileCount: Int { files.count + (stored?.feeds.count ?? 0) }

    /// Indexes about `maxBytes` more (at least one chunk, possibly in several files) and returns the posts completed.
    public func index(maxBytes: Int) -> [Post] {
        var posts: [Post] = []
        let stop = bytesRead + min(max(1, maxBytes), Int.max - bytesRead)
        while !storedFinished && bytesRead < stop {
            let budget = (stop - bytesRead) / Self.storedHeadlineBytes
            posts += indexStored(limit: min(max(1, budget), 20_000))
        }
        while !isFinished && bytesRead < stop {
            guard let indexer = indexer ?? open(current) else { continue }
            do {
                let batch = try indexer.index(maxBytes: stop - bytesRead)
                if !merging {
                    // One file: nothing to merge, and 100,000 ids are not worth a set.
                    posts += batch
                } else {
                    for post in batch {
                        if seen.insert(post.id).inserted { posts.append(post) } else { duplicateCount += 1 }
                    }
                }
            } catch {
                if indexer.postCount == 0 {
                    if let error = error as? ArchiveError { failures[current] = error }
                    warnings.append("\(error); skipped")
                    sources[current] = nil
                } else {
                    warnings.append("\(error); skipped the rest of it")
                }
                finishCurrent()
                continue
            }
            warnings += indexer.takeWarnings()
            if indexer.isFinished {
                if indexer.postCount == 0 && failures[current] == nil {
                    let name = files[current].name
                    warnings.append(files[current].kind == .textArchive
                                    ? "\(ArchiveError.noPosts(path: name)); skipped" : "\(name): no items in this feed; skipped")
                    sources[current] = nil
                }
                finishCurrent()
            }
        }
        postCount += posts.count
        return posts
    }

    /// Opens file `index` for indexing; `nil` (with a warning, and the file passed over) when it cannot be.
    private func open(_ index: Int) -> SourceIndexer? {
        let file = files[index]
        do {
            let kind = try file.kind ?? Self.sniff(file)
            files[index].kind = kind
            let made: SourceIndexer
            switch kind {
            case .textArchive:
                made = try ArchiveSourceIndexer(path: file.path, name: file.name, archiveIndex: index)
            case .xmlFeed, .jsonFeed:
                made = try FeedSourceIndexer(path: file.path, name: file.name, kind: kind, archiveIndex: index)
            case .unsupported(let reason):
                throw ArchiveError.notAnArchiveOrFeed(path: file.name, reason: reason)
            case .subscription:
                throw ArchiveError.notAnArchiveOrFeed(path: file.name, reason: "is not a file")
            }
            indexer = made
            let source = Source(path: file.name, title: made.title, kind: kind)
            sources[index] = source
            bodies.set(index, reader: made.reader, source: source)
            return made
        } catch let error as ArchiveError {
            failures[index] = error
            if case .tooManyOpenFiles = error {
                warnings.append("\(error)")
            } else {
                warnings.append("\(error); skipped")
            }
            current += 1
            return nil
        } catch {
            warnings.append("\(file.name): \(error); skipped")
            current += 1
            return nil
        }
    }

    private func finishCurrent() {
        if let indexer {
            readBefore += indexer.bytesRead
            if sources[current] != nil {
                sources[current]?.title = indexer.title
                bodies.set(current, reader: indexer.reader, source: sources[current]!)
            }
        }
        indexer = nil
        current += 1
    }

    /// The warnings since the previous call (files skipped, broken feeds).
    public func takeWarnings() -> [String] {
        defer { warnings = [] }
        return warnings
    }

    /// The error to report when indexing finished without a single post.
    public var noPostsError: ArchiveError {
        guard files.count == 1 else {
            guard !paths.isEmpty else { return .noPosts(path: "the subscriptions (run gazette fetch first)") }
            return .noPosts(path: paths.joined(separator: ", "))
        }
        if let failure = failures[0] { return failure }
        switch files[0].kind {
        case .xmlFeed?, .jsonFeed?: return .notAnArchiveOrFeed(path: files[0].name, reason: "no items in this feed")
        default: return .noPosts(path: files[0].name)
        }
    }

    /// The title line's text: the source's own title when one source has posts (as far as known), or how many
    /// sources there are.
    public var title: String {
        var live = sources
        if let indexer, !isFinished { live[current]?.title = indexer.title }
        let all = live.sorted { $0.key < $1.key }.map(\.value)
        if all.count == 1 { return all[0].title }
        let kinds = Set(all.map { $0.kind == .textArchive })
        let subscriptions = all.allSatisfy { $0.kind == .subscription }
        let noun = subscriptions ? "subscriptions" : kinds == [true] ? "archives" : kinds == [false] ? "feeds" : "sources"
        return "\(all.count) \(noun)"
    }

    /// The names of the sources opened so far, by file position (`Post.archiveIndex`).
    public var sourceNames: [Int: String] {
        var names = sources.mapValues(\.title)
        if let indexer, !isFinished, names[current] != nil { names[current] = indexer.title }
        return names
    }

    /// The sources that gave posts so far (or are being read), by slot (`Post.archiveIndex`).
    public var sourcesBySlot: [Int: Source] {
        var live = sources
        if let indexer, !isFinished { live[current]?.title = indexer.title }
        return live
    }

    /// The sources that gave posts so far, in the order given.
    public var openedSources: [Source] {
        var live = sources
        if let indexer, !isFinished { live[current]?.title = indexer.title }
        return live.sorted { $0.key < $1.key }.map(\.value)
    }

    private static func sniff(_ file: File) throws -> SourceKind {
        let fd = Glibc.open(file.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError.system(errno, path: file.name) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, let kind = ArchiveError.kind(ofMode: st.st_mode) {
            throw ArchiveError.notARegularFile(path: file.name, kind: kind)
        }
        var prefix = [UInt8](repeating: 0, count: SourceKind.sniffLength)
        var got = 0
        while got < prefix.count {
            let n = prefix.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ArchiveError.system(errno, path: file.name) }
            if n == 0 { break }
            got += n
        }
        return SourceKind.sniff(Array(prefix[0..<got]))
    }

    private static func size(of path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Names of the regular (or symlinked-to-regular), non-hidden files in `dir`, sorted by their bytes.
    private static func regularFiles(in dir: String) throws -> [String] {
        guard let d = opendir(dir) else { throw ArchiveError.system(errno, path: dir) }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            var st = stat()
            guard stat(join(dir, name), &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            names.append(name)
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
