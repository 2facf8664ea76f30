import Catalog
import Controller
import Foundation
import Posts
import ReadState
import Search
import Synchronization

/// What the search index holds for the posts a reader (or `gazette search`) has open: the posts grouped by source,
/// each group with the key and version the index records, so that only new or changed posts are indexed again
/// (a text archive whose file changed is indexed again as a whole; a subscription's items one by one, by the time
/// their content last changed).
struct SearchCatalog: Sendable {
    struct Group: Sendable {
        /// The index's key for the source: `file:PATH` or `feed:URL`.
        var key: String
        /// An archive or feed file: its identity (device, inode, size, modification time). Subscriptions: constant.
        var version: String
        /// Indices into `posts`.
        var posts: [Int]
        /// The same posts as index entries (a subscription's items carry their change time).
        var entries: [SearchIndex.Entry]
    }

    let posts: [Post]
    let groups: [Group]
    /// `Post.archiveIndex` → what the filters `feed:` and `tag:` look at.
    let sources: [Int: SourceSummary]

    /// Groups `posts` by source. Standard input and sources that cannot be identified are left out (always scanned).
    /// `bodies`: where the sources `sources` does not list are found (the reader's summaries can lag behind).
    init(posts: [Post], sources: [SourceSummary], itemVersions: [PostID: Int64], bodies: PostBodies? = nil) {
        self.posts = posts
        var bySlot: [Int: SourceSummary] = [:]
        for source in sources { bySlot[source.index] = source }
        var indices: [Int: [Int]] = [:]
        for (index, post) in posts.enumerated() { indices[post.archiveIndex, default: []].append(index) }
        for (slot, members) in indices where bySlot[slot] == nil {
            guard let post = members.first.map({ posts[$0] }), let source = Self.source(of: post, in: bodies) else { continue }
            bySlot[slot] = SourceSummaries.make(sources: [slot: source], subscriptions: [], states: [:]).first
        }
        self.sources = bySlot
        var groups: [Group] = []
        for (slot, members) in indices.sorted(by: { $0.key < $1.key }) {
            guard let source = bySlot[slot] else { continue }
            switch source.kind {
            case .subscription:
                let entries = members.map { SearchIndex.Entry(id: posts[$0].id, version: itemVersions[posts[$0].id] ?? 0) }
                groups.append(Group(key: "feed:" + source.location, version: "items", posts: members, entries: entries))
            case .archive, .feedFile:
                // Standard input (spooled to a file that is gone next time) is scanned, never indexed.
                guard source.location != Source.standardInputName,
                      let identity = FileIdentity.of(path: source.location) else { continue }
                let path = source.location.hasPrefix("/")
                    ? source.location : FileManager.default.currentDirectoryPath + "/" + source.location
                let version = "\(identity.device)-\(identity.inode)-\(identity.size)-\(identity.modifiedSeconds)."
                    + "\(identity.modifiedNanoseconds)"
                groups.append(Group(key: "file:" + path, version: version, posts: members,
                                    entries: members.map { SearchIndex.Entry(id: posts[$0].id) }))
            }
        }
        self.groups = groups
    }

    private static func source(of post: Post, in bodies: PostBodies?) -> Source? {
        switch bodies {
        case let current as CurrentBodies: source(of: post, in: current.current)
        case let sources as SourceBodies: sources.source(of: post)
        case let library as Library: library.source(of: post)
        default: nil
        }
    }

    /// The index's file: beside the state database.
    static func indexPath(statePath: String?) throws -> String {
        let location = try StoreLocation.resolve(explicitPath: statePath, environment: ProcessInfo.processInfo.environment)
        try? location.createDirectoryIfNeeded()
        return location.directory + "/" + SearchIndex.fileName
    }

    // MARK: Indexing

    /// Brings the index up to date with these posts, a batch at a time (each batch one transaction), and says
    /// after each group whose posts are all indexed. Returns false when `stillWanted` said stop, or the index
    /// failed (`failure` is then set).
    @discardableResult
    func update(_ index: SearchIndex, bodies: PostBodies, coverage: SearchCoverage? = nil,
                batchBytes: Int = SearchCatalog.batchBytes,
                progress: (_ postsDone: Int, _ postsTotal: Int) -> Void = { _, _ in },
                stillWanted: () -> Bool = { true }) throws -> Bool {
        if index.needsRebuild { try index.rebuild() }
        var plans: [(group: Group, pending: [Int])] = []
        var total = 0
        for group in groups {
            let pending = try index.pending(source: group.key, version: group.version, entries: group.entries)
            if pending.isEmpty {
                coverage?.add(group)
                continue
            }
            plans.append((group, pending))
            total += pending.count
        }
        var done = 0
        for (group, pending) in plans {
            var batch: [SearchIndex.Document] = []
            var textBytes = 0
            for (n, member) in pending.enumerated() {
                let post = posts[group.posts[member]]
                let body = bodies.bodyText(of: post)
                batch.append(SearchIndex.Document(id: post.id, version: group.entries[member].version, title: post.title,
                                                  author: post.author ?? "", body: body))
                textBytes += body.utf8.count + post.title.utf8.count
                let last = n == pending.count - 1
                if textBytes >= batchBytes || last {
                    guard stillWanted() else { return false }
                    try index.add(batch, source: group.key, version: group.version, complete: last)
                    done += batch.count
                    progress(done, total)
                    batch.removeAll(keepingCapacity: true)
                    textBytes = 0
                }
            }
            coverage?.add(group)
        }
        // After a large build, merging FTS5's segments makes the file about a tenth smaller and queries faster.
        if done >= Self.optimizeAfter { try index.optimize() }
        // The index is written with synchronous=OFF: synced once here, so that a crash later cannot damage it.
        if done > 0 { index.syncToDisk() }
        return true
    }

    /// Posts indexed in one pass after which the index is optimized.
    static let optimizeAfter = 10_000

    /// Text indexed per transaction: large enough that FTS5 merges few segments, small enough that a reader
    /// querying meanwhile is never held up for long (`gazette search`, in the foreground).
    static let batchBytes = 8 << 20
    /// The reader's, in the background: smaller transactions hold less memory (FTS5 keeps a transaction's terms
    /// in memory until it commits) for a build about a tenth slower. Measured at 10,000 posts: a first search's
    /// session peaked at 54 MB with 8 MB batches and SQLite's 16 MB cache, 30 MB with 2 MB and 4 MB.
    static let backgroundBatchBytes = 2 << 20
    static let backgroundCacheKilobytes = 4096

    // MARK: Searching

    /// The indices (into `posts`, ascending) of the posts that match `query`'s text and its filters, except
    /// `is:read`/`is:unread` unless `isRead` is given (the reader's controller applies those with its own marks).
    /// Posts whose source the index covers are looked up in it; the others are read and scanned. `nil` when
    /// `stillWanted` said stop.
    func matches(_ query: SearchQuery, index: SearchIndex?, coverage: SearchCoverage?, bodies: PostBodies,
                 isRead: ((PostID) -> Bool)? = nil, stillWanted: () -> Bool = { true }) -> [Int]? {
        let covered = coverage?.coveredPosts(of: self) ?? CoveredPosts()
        var found: Set<PostID>?
        var excluded: Set<PostID> = []
        var indexUsable = index != nil && !covered.isEmpty
        if indexUsable, let index {
            guard stillWanted() else { return nil }
            do {
                if let expression = query.ftsExpression() { found = Set(try index.postIDs(matching: expression)) }
                if let exclusion = query.ftsExclusion() { excluded = Set(try index.postIDs(matching: exclusion)) }
            } catch SearchIndexError.interrupted {
                return nil
            } catch {
                indexUsable = false
            }
        }
        let filters = SearchFilters(query, sources: sources, isRead: isRead)
        let scanning = !query.required.isEmpty || !query.excluded.isEmpty
        let matcher = scanning ? TextMatcher(query) : nil
        var result: [Int] = []
        for (n, post) in posts.enumerated() {
            if n & 1023 == 1023, !stillWanted() { return nil }
            guard filters.accept(post, bodies: bodies) else { continue }
            if indexUsable, covered.contains(post.archiveIndex, id: post.id) {
                if let found, !found.contains(post.id) { continue }
                if excluded.contains(post.id) { continue }
            } else if let matcher {
                guard matcher.matches(title: post.title, author: post.author ?? "", body: bodies.bodyText(of: post))
                else { continue }
            }
            result.append(n)
        }
        return result
    }
}

/// Which posts the index covers now: the groups indexed completely, by source slot (and, for subscriptions, by
/// post, since items arrive one by one). Shared by the indexing thread and the search thread.
final class SearchCoverage: Sendable {
    private struct Covered {
        var files: Set<String> = []
        var items: Set<PostID> = []
    }

    private let covered = Mutex(Covered())
    private let ready = Mutex(false)

    /// The indexing thread opened the index (and replaced it if it was damaged): searches may open it too.
    var isReady: Bool { ready.withLock { $0 } }
    func markReady() { ready.withLock { $0 = true } }

    func add(_ group: SearchCatalog.Group) {
        covered.withLock { box in
            if group.key.hasPrefix("feed:") {
                box.items.formUnion(group.entries.map(\.id))
            } else {
                box.files.insert(group.key + "\u{0}" + group.version)
            }
        }
    }

    /// What is covered among the catalog's posts.
    func coveredPosts(of catalog: SearchCatalog) -> CoveredPosts {
        covered.withLock { box in
            var slots: Set<Int> = []
            for group in catalog.groups where !group.key.hasPrefix("feed:") {
                if box.files.contains(group.key + "\u{0}" + group.version), let first = group.posts.first {
                    slots.insert(catalog.posts[first].archiveIndex)
                }
            }
            return CoveredPosts(slots: slots, items: box.items)
        }
    }
}

/// Posts the index covers: every post of some sources, and some items.
struct CoveredPosts {
    var slots: Set<Int> = []
    var items: Set<PostID> = []

    var isEmpty: Bool { slots.isEmpty && items.isEmpty }

    func contains(_ slot: Int, id: PostID) -> Bool { slots.contains(slot) || items.contains(id) }
}

/// The query's filters other than text, as the list knows posts: the `[Source]` line, the source's name and tags,
/// read or unread, the date. Folded with the tokenizer's folding (as the query's values are), each source's name
/// and tags once, each distinct `[Source]` line once: never a fold per post.
final class SearchFilters {
    private let required: [SearchQuery.Filter]
    private let excluded: [SearchQuery.Filter]
    private let isRead: ((PostID) -> Bool)?
    private var feeds: [Int: String] = [:]
    private var tags: [Int: Set<String>] = [:]
    private var sourceLines: [String: String] = [:]

    init(_ query: SearchQuery, sources: [Int: SourceSummary], isRead: ((PostID) -> Bool)?) {
        self.required = query.filters
        self.excluded = query.excludedFilters
        self.isRead = isRead
        guard !required.isEmpty || !excluded.isEmpty else { return }
        for (slot, source) in sources {
            feeds[slot] = SearchTokenizer.fold(source.name)
            tags[slot] = Set(source.tags.map(SearchTokenizer.fold))
        }
    }

    var isEmpty: Bool { required.isEmpty && excluded.isEmpty }

    func accept(_ post: Post, bodies: PostBodies) -> Bool {
        if isEmpty { return true }
        return required.allSatisfy { holds($0, post) != false } && !excluded.contains { holds($0, post) == true }
    }

    /// `nil`: the filter is not this function's to decide (`is:` without marks): it holds.
    private func holds(_ filter: SearchQuery.Filter, _ post: Post) -> Bool? {
        switch filter {
        case .source(let text):
            let line = post.source ?? ""
            if let folded = sourceLines[line] { return folded.contains(text) }
            let folded = SearchTokenizer.fold(line)
            sourceLines[line] = folded
            return folded.contains(text)
        case .feed(let text):
            return (feeds[post.archiveIndex] ?? "").contains(text)
        case .tag(let tag):
            return tags[post.archiveIndex]?.contains(tag) ?? false
        case .unread:
            return isRead.map { !$0(post.id) }
        case .read:
            return isRead.map { $0(post.id) }
        case .after(let day):
            guard let date = Self.day(of: post) else { return false }
            return date >= day
        case .before(let day):
            guard let date = Self.day(of: post) else { return false }
            return date < day
        }
    }

    static func day(of post: Post) -> PostDate? {
        post.date ?? post.timestamp.map(PostFacts.utcDay)
    }
}
