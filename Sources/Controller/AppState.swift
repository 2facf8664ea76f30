import Foundation
import Posts
import Search

/// Which pane the keys go to.
public enum Focus: String, Hashable, Sendable {
    case list
    case reading
}

/// A one-line message in the status bar.
public struct StatusMessage: Hashable, Sendable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Which posts the list shows.
public enum ListFilter: String, Hashable, Sendable {
    case all
    case unread
}

/// An incremental search: what was typed, and whether the user is still typing.
public struct Search: Hashable, Sendable {
    public var query: String { didSet { parse() } }
    /// Whether the user is still typing (the search line is open).
    public var editing: Bool
    /// `query` parsed, kept with it. The last bare word is a prefix while typing AND after Enter (`kor` finds
    /// `korea`): Enter keeps the results the user saw; a quoted word (`"war"`) is a whole word.
    public internal(set) var parsed: SearchQuery
    /// The selected post (index into `posts`) before the search started, selected again by Esc.
    var savedSelection: Int

    init(query: String, editing: Bool, savedSelection: Int) {
        self.query = query
        self.editing = editing
        self.savedSelection = savedSelection
        self.parsed = SearchQuery.parse(query, typing: true)
    }

    private mutating func parse() {
        parsed = SearchQuery.parse(query, typing: true)
    }

    /// The first part of the query that could not mean what it seems, for the status line.
    public var problem: String? { parsed.problems.first }
}

/// A yes/no question in the status bar (`Mark 37 posts read? [y/N]`).
public struct Confirmation: Hashable, Sendable {
    public var question: String
    /// What `y` does.
    public var effects: [Effect]
}

/// Everything the reader shows, as a value. Only `reduce` changes it.
public struct AppState: Hashable, Sendable {
    /// The archive's (or archives') name, for the title line.
    public var title: String
    /// All posts indexed so far, in archive order (`postsIndexed` appends while the rest is indexed).
    public internal(set) var posts: [Post]
    /// Read marks by post id, with the time each was made. Absent means unread.
    public private(set) var readMarks: [PostID: Date]
    /// How many posts (list entries) are unread; kept up to date as marks change.
    public internal(set) var unreadCount: Int
    /// Posts that appeared since the previous session (by id).
    public var newPosts: Set<PostID>

    /// The posts the list shows, as indices into `posts`; `nil` means all of them, in order.
    public internal(set) var rows: [Int]?
    public internal(set) var filter: ListFilter
    public internal(set) var search: Search?

    /// Index of the selected row (into `rows`, or `posts` when there is no filter).
    public internal(set) var selection: Int
    /// Index of the first visible row of the list.
    public internal(set) var listTop: Int
    public internal(set) var focus: Focus
    /// First visible line of the selected article in the reading pane.
    public internal(set) var readingTop: Int
    public internal(set) var viewport: Viewport
    public internal(set) var showingHelp: Bool
    public internal(set) var status: StatusMessage?
    public internal(set) var confirmation: Confirmation?
    public internal(set) var layout: LayoutPreferences
    /// Set when marks cannot be saved (store read-only or unavailable); shown in the status bar.
    public var readOnlyReason: String?

    public var readPolicy: ReadPolicy
    /// The time of the latest event, from the run loop (`tick`): the reducer never reads a clock.
    public internal(set) var now: Date
    /// Under `delay=N`: the post that will be marked read, and when.
    public internal(set) var pendingRead: PendingRead?
    /// A block to scroll to once the selected article is laid out (a remembered reading position).
    var restoreBlock: Int?
    /// Block at the top of the reading pane when the selected post was last saved or restored.
    var savedBlock: Int
    /// Under `at-end`: the post whose mark was already asked for, so it is asked for once.
    var atEndRequested: PostID?
    /// Posts (indices into `posts`) matching the search, ascending; `nil` when not searching. The worker leaves
    /// `is:unread` and `is:read` to the rows (`baseRows`), which test the unread bits.
    var searchMatches: [Int]?
    /// Ask before marking everything in the view read.
    public var confirmBulkMarks: Bool

    /// While posts are still being indexed in the background: the fraction of the archives done (0...1).
    public var indexing: Double?
    /// The names of the sources, by `Post.archiveIndex` (the list shows them when there are several).
    public var sourceNames: [Int: String]
    /// Changes each time the posts are replaced (`R`) or reordered, or the sources' names change: what was drawn or
    /// laid out before may show something else now.
    public internal(set) var generation: Int
    /// A number typed before a command (`3o` opens link [3]).
    public internal(set) var count: Int?
    /// A post to select when it arrives from the indexer (the last session's selection), unless the user moved first.
    public var restoreSelection: PostID?

    /// The index of the first post with each id, and the further ones of ids that several posts share (the same
    /// post in two files is one post, read once for both).
    var firstIndex: [PostID: Int]
    var duplicates: [PostID: [Int]]
    /// Bit `i` set when `posts[i]` is unread: kept with the marks, so that `n`, `p` and the unread filter never
    /// look up every post's mark.
    var unreadBits: PostBits

    /// Every archive, feed file and subscription, in the order the sources view lists them (the session sets them
    /// at start and after a fetch, `sourcesChanged`). Empty: the sources view lists `sourceNames`.
    public var sources: [SourceSummary]
    /// Unread and total posts by source, kept as posts and marks change.
    var sourceCounts: SourceCounts
    /// `posts[i].archiveIndex`, packed: a source's rows are found by scanning 400 KB, not the posts' 14 MB.
    var postSources: [Int32]
    /// What the list pane shows: posts, sources (`s`) or tags (`t`).
    public internal(set) var listMode: ListMode
    /// The posts list shows only this source's (or tag's) posts.
    public internal(set) var scope: PostScope?
    /// The sources of `scope`.
    var scopeSources: SourceSet?
    /// The posts of a saved search's `scope` (its matches), and the read state its query asks for.
    var scopeMatches: PostBits?
    var scopeCondition: ReadCondition
    /// Saved searches (`set search`, `S`) with their matches: sources of their own in the sources view.
    var savedSearchStates: [SavedSearchState]
    /// Runs of each saved query asked for and not answered yet: only the answer to the last one is taken.
    var savedSearchRuns: [String: Int]
    /// The selected row and the first visible row of the sources or tags view.
    public internal(set) var pickerSelection: Int
    public internal(set) var pickerTop: Int
    /// A fetch (or backfill) in progress, for the status bar.
    public internal(set) var fetching: FetchProgress?
    /// Fetched posts that arrived while the first indexing ran: merged when it is done.
    var pendingArrivals: [ArrivedPosts]
    /// First visible line of the help overlay, when it has more lines than fit.
    public internal(set) var helpTop: Int

    public init(title: String, posts: [Post], readMarks: [PostID: Date] = [:], selection: Int = 0,
                readPolicy: ReadPolicy = .onOpen, layout: LayoutPreferences = .standard,
                newPosts: Set<PostID> = [], now: Date = Date(timeIntervalSince1970: 0)) {
        self.title = title
        self.posts = []
        self.readMarks = readMarks
        self.firstIndex = [:]
        self.duplicates = [:]
        self.unreadBits = PostBits()
        self.unreadCount = 0
        self.indexing = nil
        self.sourceNames = [:]
        self.generation = 0
        self.count = nil
        self.restoreSelection = nil
        self.newPosts = newPosts
        self.rows = nil
        self.filter = .all
        self.search = nil
        self.selection = posts.isEmpty ? 0 : min(max(0, selection), posts.count - 1)
        self.listTop = 0
        self.focus = .list
        self.readingTop = 0
        self.viewport = Viewport(listRows: 1, readingRows: 1, article: nil)
        self.showingHelp = false
        self.status = nil
        self.confirmation = nil
        self.layout = layout
        self.readOnlyReason = nil
        self.readPolicy = readPolicy
        self.now = now
        self.pendingRead = nil
        self.restoreBlock = nil
        self.savedBlock = 0
        self.atEndRequested = nil
        self.searchMatches = nil
        self.confirmBulkMarks = true
        self.sources = []
        self.sourceCounts = SourceCounts()
        self.postSources = []
        self.listMode = .posts
        self.scope = nil
        self.scopeSources = nil
        self.scopeMatches = nil
        self.scopeCondition = .any
        self.savedSearchStates = []
        self.savedSearchRuns = [:]
        self.pickerSelection = 0
        self.pickerTop = 0
        self.fetching = nil
        self.pendingArrivals = []
        self.helpTop = 0
        appendPosts(posts)
    }

    /// How many rows the list shows.
    public var rowCount: Int { rows?.count ?? posts.count }

    /// The index into `posts` of list row `row`.
    public func postIndex(atRow row: Int) -> Int { rows?[row] ?? row }

    /// The post on list row `row`.
    public func post(atRow row: Int) -> Post { posts[postIndex(atRow: row)] }

    /// The selected post, if the list shows any post at all.
    public var selectedPost: Post? { rowCount == 0 ? nil : post(atRow: selection) }

    public func isRead(_ post: Post) -> Bool { readMarks[post.id] != nil }

    public func readAt(_ post: Post) -> Date? { readMarks[post.id] }

    public func isNew(_ post: Post) -> Bool { newPosts.contains(post.id) }

    /// Whether the list names each post's source: when posts come from several (and the list is not one source's).
    public var showsSources: Bool {
        if case .source? = scope { return false }
        return sourceNames.count > 1
    }

    /// The name of the source `post` came from.
    public func sourceName(of post: Post) -> String? { sourceNames[post.archiveIndex] }

    /// The index into `posts` of the first post with this id.
    public func index(of id: PostID) -> Int? { firstIndex[id] }

    /// Whether `posts[index]` is unread (one bit test).
    public func isUnread(at index: Int) -> Bool { unreadBits[index] }

    /// Appends posts to the index: their marks, their ids, the unread count.
    mutating func appendPosts(_ new: [Post]) {
        let start = posts.count
        posts += new
        firstIndex.reserveCapacity(posts.count)
        for (offset, post) in new.enumerated() {
            if firstIndex[post.id] == nil {
                firstIndex[post.id] = start + offset
            } else {
                duplicates[post.id, default: []].append(start + offset)
            }
            let unread = readMarks[post.id] == nil
            unreadBits.append(unread)
            sourceCounts.add(post.archiveIndex, unread: unread)
            postSources.append(Int32(clamping: post.archiveIndex))
            if unread { unreadCount += 1 }
        }
    }

    /// Whether the posts list, narrowed to `scope`, shows `posts[index]`.
    func inScope(at index: Int) -> Bool {
        if let scopeSources { return scopeSources.contains(Int(postSources[index])) }
        if let scopeMatches {
            return index < scopeMatches.count && scopeMatches[index] && scopeCondition.accepts(unread: unreadBits[index])
        }
        return true
    }

    /// Whether the list is narrowed to a source, a tag or a saved search.
    var hasScope: Bool { scopeSources != nil || scopeMatches != nil }


    /// Records marks that the store has committed.
    mutating func apply(ids: [PostID], read: Bool, at date: Date) {
        for id in Set(ids) {
            let wasRead = readMarks[id] != nil
            if read {
                readMarks[id] = date
            } else if wasRead {
                readMarks[id] = nil
            }
            guard read != wasRead, let first = firstIndex[id] else { continue }
            let others = duplicates[id] ?? []
            unreadCount += read ? -(1 + others.count) : 1 + others.count
            unreadBits[first] = !read
            sourceCounts.changeUnread(posts[first].archiveIndex, by: read ? -1 : 1)
            savedSearchesChanged(at: first, unread: !read)
            for index in others {
                unreadBits[index] = !read
                sourceCounts.changeUnread(posts[index].archiveIndex, by: read ? -1 : 1)
                savedSearchesChanged(at: index, unread: !read)
            }
        }
    }

    /// Replaces the read marks wholesale (another instance changed the store).
    mutating func reloadMarks(_ marks: [PostID: Date]) {
        readMarks = marks
        unreadCount = 0
        sourceCounts.resetUnread()
        for (index, post) in posts.enumerated() {
            let unread = marks[post.id] == nil
            unreadBits[index] = unread
            if unread {
                unreadCount += 1
                sourceCounts.changeUnread(post.archiveIndex, by: 1)
            }
        }
        recountSavedSearches()
    }
}

/// A read mark waiting for its delay to pass.
public struct PendingRead: Hashable, Sendable {
    public var postID: PostID
    public var due: Date
}
