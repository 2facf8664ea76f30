import Foundation
import Posts

/// Everything that can change the state: user commands and the results of effects.
public enum Action: Hashable, Sendable {
    /// A command from the keymap.
    case command(Command)
    /// Moves the list selection by `delta` rows (clamped).
    case moveSelection(by: Int)
    /// Selects list row `row` (a mouse click).
    case selectRow(Int)
    /// Moves the keys to a pane (a mouse click in it). Marks nothing, as Tab does not.
    case focus(Focus)
    /// Scrolls the reading pane by `lines` whichever pane has the keys (the mouse wheel over it).
    case scrollReading(by: Int)
    /// The time now, from the run loop: drives `delay=N` read marks.
    case tick(Date)
    /// The renderer measured the screen: rows the list shows and the selected article's layout.
    case viewport(Viewport)
    /// A read-state change was committed to the store.
    case readStateSaved(ids: [PostID], read: Bool, at: Date)
    /// A read-state change could not be saved; the marks stay as they were.
    case readStateFailed(message: String)
    /// An undo was committed: these posts are read again (with their old times), those unread.
    case readStateRestored(read: [PostID: Date], unread: [PostID])
    /// Another instance changed the store: these are all read marks now.
    case marksReloaded([PostID: Date])
    /// The posts (indices into `posts`) that match `query`.
    case searchResults(query: String, matches: [Int])
    /// The saved searches of the configuration (sent at start): listed after the sources in the sources view, each
    /// run (`Effect.runSavedSearch`).
    case savedSearches([SavedQuery])
    /// The posts (ascending indices into `posts`) that match saved query `query`, but for its read state
    /// (the answer to `Effect.runSavedSearch`).
    case savedSearchResults(query: String, matches: [Int])
    /// The saved reading position of a post (the block at the top of the pane).
    case positionLoaded(PostID, block: Int)
    /// Shows a one-line message.
    case showStatus(StatusMessage)
    /// Clears the one-line status message.
    case dismissStatus
    /// The background indexer completed more posts (appended to `posts`).
    case postsIndexed(IndexedPosts)
    /// The sources were read again (`R`): these are all the posts now.
    case postsReloaded(ReloadedPosts)
    /// The sources (archives, feed files, subscriptions) with their names, tags and last fetch results.
    case sourcesChanged([SourceSummary])
    /// A fetch or a backfill advanced (or, `finished`, ended).
    case fetchProgress(FetchProgress)
    /// A fetch brought new posts (merged into the list by date) or new contents of listed ones.
    case postsArrived(ArrivedPosts)
    /// Scrolls the help overlay by `lines` (the mouse wheel over it).
    case scrollHelp(by: Int)
}

/// What the screen can show at its current size, fed back from the renderer so the
/// reducer can scroll and page without knowing about terminals.
public struct Viewport: Hashable, Sendable {
    /// Rows of headlines visible in the list pane (0 when zoomed).
    public var listRows: Int
    /// Rows of text visible in the reading pane.
    public var readingRows: Int
    /// The article on screen: which post, how many lines it wraps to, where each block starts.
    public var article: ArticleGeometry?
    /// Whether the panes are side by side at this size (rather than stacked).
    public var sideBySide: Bool
    /// While the help is shown: the lines of keys it shows at once, and how many there are (more: it scrolls).
    public var helpRows: Int
    public var helpLines: Int

    public init(listRows: Int, readingRows: Int, article: ArticleGeometry?, sideBySide: Bool = true,
                helpRows: Int = 0, helpLines: Int = 0) {
        self.listRows = listRows
        self.readingRows = readingRows
        self.article = article
        self.sideBySide = sideBySide
        self.helpRows = helpRows
        self.helpLines = helpLines
    }
}

/// The wrapped shape of one article at one width.
public struct ArticleGeometry: Hashable, Sendable {
    public var postID: PostID
    public var width: Int
    public var lineCount: Int
    /// The first line of each block (header first, then the body blocks in order), ascending.
    public var blockStarts: [Int]
    /// Lines that contain a match of the active search, ascending.
    public var matchLines: [Int]

    public init(postID: PostID, width: Int, lineCount: Int, blockStarts: [Int], matchLines: [Int] = []) {
        self.postID = postID
        self.width = width
        self.lineCount = lineCount
        self.blockStarts = blockStarts
        self.matchLines = matchLines
    }

    /// The index of the block that contains `line`.
    public func block(containing line: Int) -> Int {
        var lo = 0, hi = blockStarts.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if blockStarts[mid] <= line { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found
    }
}
