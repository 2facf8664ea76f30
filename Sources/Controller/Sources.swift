import Posts

/// One source of posts as the sources view lists it: an archive file, a feed file or a subscription.
public struct SourceSummary: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A plain-text archive file.
        case archive
        /// A feed file on disk (RSS, Atom or JSON Feed).
        case feedFile
        /// A feed fetched over HTTP (a line of the urls file).
        case subscription
    }

    /// `Post.archiveIndex` of its posts.
    public var index: Int
    public var name: String
    public var kind: Kind
    public var tags: [String]
    /// Why the last fetch failed, shown with a mark; `nil` when it succeeded (or the source is not fetched).
    public var failure: String?
    /// Its path or URL.
    public var location: String

    public init(index: Int, name: String, kind: Kind, tags: [String] = [], failure: String? = nil,
                location: String = "") {
        self.index = index
        self.name = name
        self.kind = kind
        self.tags = tags
        self.failure = failure
        self.location = location
    }
}

/// Unread and total posts (list entries) of a source or a tag.
public struct PostCounts: Hashable, Sendable {
    public var unread: Int
    public var total: Int

    public init(unread: Int = 0, total: Int = 0) {
        self.unread = unread
        self.total = total
    }
}

/// What the list pane shows.
public enum ListMode: Hashable, Sendable {
    /// The posts (all of them, or those of `AppState.scope`).
    case posts
    /// One row per source (`s`).
    case sources
    /// One row per tag of the sources (`t`).
    case tags
}

/// The posts list narrowed to one source or to the sources with a tag.
public enum PostScope: Hashable, Sendable {
    /// The posts of the source with this `archiveIndex`.
    case source(Int)
    case tag(String)
    /// The posts of the saved search with this name (`AppState.savedSearches`).
    case savedSearch(String)
}

/// Per-source unread and total counts, kept as posts arrive and marks change, so that the sources view never
/// counts 100,000 posts to draw itself. Sources are small integers (`Post.archiveIndex`): an array each, with a
/// dictionary for any index out of the array's range.
struct SourceCounts: Hashable, Sendable {
    static let directLimit = 1 << 16
    private var unread: [Int] = []
    private var total: [Int] = []
    private var other: [Int: PostCounts] = [:]

    subscript(source: Int) -> PostCounts {
        if source >= 0 && source < total.count { return PostCounts(unread: unread[source], total: total[source]) }
        return other[source] ?? PostCounts()
    }

    /// Counts one more post (`total`: +1 or -1 for a post that goes), unread or not.
    mutating func add(_ source: Int, unread isUnread: Bool, total delta: Int = 1) {
        let u = isUnread ? delta : 0
        guard source >= 0 && source < Self.directLimit else {
            other[source, default: PostCounts()].total += delta
            other[source, default: PostCounts()].unread += u
            return
        }
        if source >= total.count {
            total += repeatElement(0, count: source + 1 - total.count)
            unread += repeatElement(0, count: source + 1 - unread.count)
        }
        total[source] += delta
        unread[source] += u
    }

    /// A post of `source` became unread (+1) or read (-1).
    mutating func changeUnread(_ source: Int, by delta: Int) {
        if source >= 0 && source < unread.count {
            unread[source] += delta
        } else {
            other[source, default: PostCounts()].unread += delta
        }
    }

    /// Forgets the unread counts (the totals stay), before they are counted again.
    mutating func resetUnread() {
        for i in unread.indices { unread[i] = 0 }
        for key in other.keys { other[key]?.unread = 0 }
    }
}

/// The sources of a scope, by `archiveIndex`: one test per post when the rows are built.
struct SourceSet: Hashable, Sendable {
    private var members: [Bool] = []
    private var other: Set<Int> = []

    init(_ sources: some Sequence<Int>) {
        for source in sources {
            if source >= 0 && source < SourceCounts.directLimit {
                if source >= members.count { members += repeatElement(false, count: source + 1 - members.count) }
                members[source] = true
            } else {
                other.insert(source)
            }
        }
    }

    func contains(_ source: Int) -> Bool {
        if source >= 0 && source < members.count { return members[source] }
        return !other.isEmpty && other.contains(source)
    }
}

extension AppState {
    /// The sources the sources view lists: those the session gave (`sources`), else one per named source (the
    /// archives given on the command line), in order.
    public var listedSources: [SourceSummary] {
        if !sources.isEmpty { return sources }
        if sourceNames.isEmpty {
            return posts.isEmpty ? [] : [SourceSummary(index: posts[0].archiveIndex, name: title, kind: .archive)]
        }
        return sourceNames.keys.sorted().map { SourceSummary(index: $0, name: sourceNames[$0] ?? "", kind: .archive) }
    }

    /// Every tag of the listed sources, sorted (ignoring case).
    public var allTags: [String] {
        var seen = Set<String>()
        var tags: [String] = []
        for source in listedSources {
            for tag in source.tags where seen.insert(tag).inserted { tags.append(tag) }
        }
        return tags.sorted { a, b in
            let (x, y) = (a.lowercased(), b.lowercased())
            return x != y ? x < y : a < b
        }
    }

    /// Unread and total posts of a source (by `archiveIndex`), kept up to date: costs nothing to ask.
    public func counts(ofSource index: Int) -> PostCounts { sourceCounts[index] }

    /// The listed sources that have `tag`.
    public func sources(withTag tag: String) -> [SourceSummary] {
        listedSources.filter { $0.tags.contains(tag) }
    }

    /// Unread and total posts of the sources with `tag`.
    public func counts(ofTag tag: String) -> PostCounts {
        var sum = PostCounts()
        for source in sources(withTag: tag) {
            let c = sourceCounts[source.index]
            sum.unread += c.unread
            sum.total += c.total
        }
        return sum
    }

    /// The listed source with this `archiveIndex`.
    public func source(withIndex index: Int) -> SourceSummary? {
        listedSources.first { $0.index == index }
    }

    /// The name of the current scope, for the title line (`nil` without a scope).
    public var scopeName: String? {
        switch scope {
        case .source(let index)?: source(withIndex: index)?.name ?? sourceNames[index] ?? "source \(index)"
        case .tag(let tag)?: tag
        case .savedSearch(let name)?: name
        case nil: nil
        }
    }

    /// In the sources view, the selected source; in the tags view, `nil`.
    public var selectedSource: SourceSummary? {
        guard listMode == .sources else { return nil }
        let sources = listedSources
        return pickerSelection < sources.count ? sources[pickerSelection] : nil
    }

    /// In the tags view, the selected tag.
    public var selectedTag: String? {
        guard listMode == .tags else { return nil }
        let tags = allTags
        return pickerSelection < tags.count ? tags[pickerSelection] : nil
    }

    /// Rows the list pane shows now: posts, sources or tags.
    public var shownRowCount: Int {
        switch listMode {
        case .posts: rowCount
        case .sources: listedSources.count + savedSearchStates.count
        case .tags: allTags.count
        }
    }

    /// The selected row and the first visible row of the list pane, whatever it shows.
    public var shownSelection: Int { listMode == .posts ? selection : pickerSelection }
    public var shownListTop: Int { listMode == .posts ? listTop : pickerTop }
}
