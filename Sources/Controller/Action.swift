import Foundation
import Posts

/// Everything that can change the state: user commands and the results of effects.
public enum Action: Hashable, Sendable {
    /// A command from the keymap.
    case command(Command)
    /// Moves the list selection by `delta` rows (clamped).
    case moveSelection(by: Int)
    /// The renderer measured the screen: rows the list shows and the selected article's layout.
    case viewport(Viewport)
    /// A read-state change was committed to the store.
    case readStateSaved(ids: [PostID], read: Bool, at: Date)
    /// A read-state change could not be saved; the marks stay as they were.
    case readStateFailed(message: String)
    /// Clears the one-line status message.
    case dismissStatus
}

/// What the screen can show at its current size, fed back from the renderer so the
/// reducer can scroll and page without knowing about terminals.
public struct Viewport: Hashable, Sendable {
    /// Rows of headlines visible in the list pane.
    public var listRows: Int
    /// Rows of text visible in the reading pane.
    public var readingRows: Int
    /// The article on screen: which post, how many lines it wraps to, where each block starts.
    public var article: ArticleGeometry?

    public init(listRows: Int, readingRows: Int, article: ArticleGeometry?) {
        self.listRows = listRows
        self.readingRows = readingRows
        self.article = article
    }
}

/// The wrapped shape of one article at one width.
public struct ArticleGeometry: Hashable, Sendable {
    public var postID: PostID
    public var width: Int
    public var lineCount: Int
    /// The first line of each block (header first, then the body blocks in order), ascending.
    public var blockStarts: [Int]

    public init(postID: PostID, width: Int, lineCount: Int, blockStarts: [Int]) {
        self.postID = postID
        self.width = width
        self.lineCount = lineCount
        self.blockStarts = blockStarts
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
