import Article
import Feeds
import Glibc
import Posts

/// A feed file: its `FeedReader` reads items a piece at a time; each item is kept in a `FeedItemStore` and becomes a
/// post whose `bodyRange` is its record there.
final class FeedSourceIndexer: SourceIndexer {
    private let feedReader: FeedReader
    private let descriptor: Int32
    private let store = FeedItemStore()
    private let path: String
    /// How messages name the file.
    private let name: String
    private let archiveIndex: Int
    private let identity: FileIdentity?
    /// The file's own URL (`file://…`), the last resort for resolving relative links.
    private let documentURL: String?
    private var reported = 0
    private var closed = false
    private(set) var postCount = 0

    /// Opens `path` (`name`: as the user named it) and starts reading it as a feed of `kind`.
    init(path: String, name: String, kind: SourceKind, archiveIndex: Int) throws {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError.system(errno, path: name) }
        let identity = FileIdentity.of(descriptor: fd)
        let documentURL = name == StandardInput.path ? nil : Self.fileURL(name)
        do {
            feedReader = try FeedReaders.make(kind, input: FeedInput(descriptor: fd, documentURL: documentURL))
        } catch let error as FeedError {
            close(fd)
            throw ArchiveError.notAnArchiveOrFeed(path: name, reason: error.message)
        }
        self.descriptor = fd
        self.path = path
        self.name = name
        self.archiveIndex = archiveIndex
        self.identity = name == StandardInput.path ? nil : identity
        self.documentURL = documentURL
    }

    deinit { closeFile() }

    var title: String {
        if let title = feedReader.info.title.map(Self.oneLine), !title.isEmpty { return title }
        return name == StandardInput.path ? "standard input" : Archive.defaultTitle(name)
    }

    var bytesRead: Int { feedReader.bytesRead }
    var isFinished: Bool { feedReader.isFinished }

    var reader: SourceReader { .feed(store, path: path, identity: identity) }

    func index(maxBytes: Int) throws -> [Post] {
        let items: [FeedItem]
        do {
            items = try feedReader.read(maxBytes: maxBytes)
        } catch let error as FeedError {
            closeFile()
            throw ArchiveError.notAnArchiveOrFeed(path: name, reason: error.message)
        }
        var posts: [Post] = []
        posts.reserveCapacity(items.count)
        let info = feedReader.info
        for var item in items {
            // Relative links in a saved feed mean the site's pages, not files beside it: when the feed gave no base
            // of its own, its self or site link stands in for the file's path.
            if item.contentBase == nil || item.contentBase == documentURL,
               let site = [info.selfLink, info.siteLink].compactMap({ $0 }).first(where: Self.isWebURL) {
                item.contentBase = site
            }
            guard let range = store.append(FeedItemRecord.encode(item)) else {
                closeFile()
                throw ArchiveError.readFailed(path: name, reason: "no room to keep its items (is the disk full?)")
            }
            posts.append(post(for: item, in: info, record: range))
        }
        postCount += posts.count
        if feedReader.isFinished { closeFile() }
        return posts
    }

    func takeWarnings() -> [String] {
        let diagnostics = feedReader.diagnostics
        guard feedReader.isFinished, reported < diagnostics.count else { return [] }
        defer { reported = diagnostics.count }
        let shown = "showing \(postCount) item\(postCount == 1 ? "" : "s")"
        return diagnostics[reported...].map { "\(name):\($0.line): \($0.message) (\(shown))" }
    }

    private func post(for item: FeedItem, in info: FeedInfo, record: Range<Int>) -> Post {
        let when = item.published ?? item.updated
        let title = FetchedFeed.listTitle(of: item)
        let local = when.map { LocalTime($0.secondsSince1970) }
        return Post(id: Feeds.postID(for: item, in: info), title: title, author: item.authors.first,
                    date: local?.date, dateText: local?.text, source: nil, bodyRange: record,
                    archiveIndex: archiveIndex, kind: .feedItem, timestamp: when?.secondsSince1970)
    }

    private func closeFile() {
        guard !closed else { return }
        closed = true
        close(descriptor)
    }

    private static func isWebURL(_ url: String) -> Bool {
        url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://")
    }

    /// Whitespace (line breaks included) collapsed to single spaces, trimmed. Titles from the readers are usually
    /// like that already: then the text itself, after one look at its scalars.
    static func oneLine(_ text: String) -> String {
        var previousSpace = true
        var clean = true
        for scalar in text.unicodeScalars {
            let space = scalar == " "
            if (space && previousSpace) || (!space && scalar.value < 0x80 ? scalar.value < 0x20 : !space && scalar.properties.isWhitespace) {
                clean = false
                break
            }
            previousSpace = space
        }
        if clean && !previousSpace { return text }
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// `file://` and the absolute, percent-encoded path.
    static func fileURL(_ path: String) -> String {
        var absolute = path
        if !path.hasPrefix("/") {
            if let pointer = getcwd(nil, 0) {
                let cwd = String(cString: pointer)
                free(pointer)
                absolute = cwd.hasSuffix("/") ? cwd + path : cwd + "/" + path
            }
        }
        var url = "file://"
        for byte in absolute.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                url.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                url += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return url
    }
}

/// A moment in the local time zone, as the list and the article header show it.
struct LocalTime {
    let date: PostDate
    /// `2020-04-14 09:30`.
    let text: String

    init(_ seconds: Int64) {
        var t = time_t(truncatingIfNeeded: seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        date = PostDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        text = "\(date) \(two(parts.tm_hour)):\(two(parts.tm_min))"
    }
}
