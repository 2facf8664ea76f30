import Posts

/// Posts the background indexer completed since its previous batch (the reader draws its first screen from the
/// first few hundred posts; the rest arrive in batches, as `Action.postsIndexed`).
public struct IndexedPosts: Hashable, Sendable {
    public var posts: [Post]
    /// Those of `posts` that no earlier session saw.
    public var newPosts: [PostID]
    /// The fraction of the archives indexed so far (0...1).
    public var progress: Double
    /// True with the last batch: everything is indexed.
    public var done: Bool
    /// The title line's text when it changed (several files, one of them without posts after all).
    public var title: String?

    public init(posts: [Post], newPosts: [PostID] = [], progress: Double, done: Bool, title: String? = nil) {
        self.posts = posts
        self.newPosts = newPosts
        self.progress = progress
        self.done = done
        self.title = title
    }
}

extension AppState {
    /// Appends a batch from the indexer. The list keeps its selection and scroll position; the unread filter
    /// takes the new unread posts (a search covers the posts that were there when it was typed). The last
    /// session's selection is restored when its post arrives, unless the user has moved since.
    mutating func receive(_ batch: IndexedPosts) -> [Effect] {
        let start = posts.count
        appendPosts(batch.posts)
        newPosts.formUnion(batch.newPosts)
        indexing = batch.done ? nil : min(1, max(0, batch.progress))
        if let title = batch.title { self.title = title }
        if filter == .unread, search == nil, var shown = rows {
            var next = unreadBits.next(from: start)
            while let index = next {
                shown.append(index)
                next = unreadBits.next(from: index + 1)
            }
            rows = shown
        }
        var effects: [Effect] = []
        if let wanted = restoreSelection, let index = firstIndex[wanted], index >= start {
            restoreSelection = nil
            if rows == nil { effects = select(index) }
        }
        if batch.done { restoreSelection = nil }
        return effects
    }
}
