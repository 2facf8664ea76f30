import Controller
import Posts

/// Rows of cells the renderer drew before, reused when the same row is drawn again unchanged: a Down key redraws
/// the two list rows whose selection changed, not the whole list, and a page of the reading pane copies lines
/// already laid out into cells. Frames stay a pure function of the state: a row is reused only under a key that
/// holds everything it shows.
public final class RowCache {
    /// What a list row shows: the post, the row's width, and its looks (selected, focused, unread, new, dimmed).
    struct ListKey: Hashable {
        var post: Int
        /// `AppState.generation`: the posts were replaced or reordered, or the sources' names changed.
        var generation: Int
        var width: Int
        var flags: UInt8
    }

    /// A line of the reading pane: the article (as laid out), the line, the text width.
    struct LineKey: Hashable {
        var line: Int
        var width: Int
    }

    /// Rows kept at most (a row is a few kilobytes at most): a full cache is emptied, not managed.
    static let capacity = 512

    private var list: [ListKey: [Cell]] = [:]
    private var lines: [LineKey: [Cell]] = [:]
    /// The article whose lines `lines` holds.
    private var article: ArticleLayout?

    public init() {}

    func listRow(_ key: ListKey) -> [Cell]? { list[key] }

    func storeListRow(_ key: ListKey, _ cells: [Cell]) {
        if list.count >= Self.capacity { list.removeAll(keepingCapacity: true) }
        list[key] = cells
    }

    func articleLine(_ key: LineKey, of layout: ArticleLayout) -> [Cell]? {
        guard let article, article.postID == layout.postID, article == layout else { return nil }
        return lines[key]
    }

    func storeArticleLine(_ key: LineKey, of layout: ArticleLayout, _ cells: [Cell]) {
        if article?.postID != layout.postID || article != layout {
            article = layout
            lines.removeAll(keepingCapacity: true)
        }
        if lines.count >= Self.capacity { lines.removeAll(keepingCapacity: true) }
        lines[key] = cells
    }
}
