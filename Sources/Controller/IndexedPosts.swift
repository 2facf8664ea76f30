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
    /// Names of sources that opened since the previous batch, by `Post.archiveIndex`.
    public var sourceNames: [Int: String]
    /// With the last batch of several sources: the list order of all posts (indices into `posts` as they arrived),
    /// newest first.
    public var order: [Int]?

    public init(posts: [Post], newPosts: [PostID] = [], progress: Double, done: Bool, title: String? = nil,
                sourceNames: [Int: String] = [:], order: [Int]? = nil) {
        self.posts = posts
        self.newPosts = newPosts
        self.progress = progress
        self.done = done
        self.title = title
        self.sourceNames = sourceNames
        self.order = order
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
        if batch.sourceNames.contains(where: { sourceNames[$0.key] != $0.value }) {
            sourceNames.merge(batch.sourceNames) { $1 }
            generation += 1
        }
        if search == nil, var shown = rows {
            // The unread filter or a source's view: the new posts it shows join the rows.
            if filter == .unread {
                var next = unreadBits.next(from: start)
                while let index = next {
                    if inScope(at: index) { shown.append(index) }
                    next = unreadBits.next(from: index + 1)
                }
            } else {
                for index in start..<posts.count where inScope(at: index) { shown.append(index) }
            }
            rows = shown
        }
        var effects: [Effect] = []
        if let wanted = restoreSelection, let index = firstIndex[wanted], index >= start {
            restoreSelection = nil
            if rows == nil { effects = select(index) }
        }
        if batch.done { restoreSelection = nil }
        if let order = batch.order, order.count == posts.count {
            // Merged newest first. Someone who has not moved yet starts at the top, on the newest post.
            let untouched = selection == 0 && listTop == 0 && focus == .list && restoreSelection == nil
            effects += replacePosts(order.map { posts[$0] })
            if untouched && selection != 0 { effects += select(0) }
        }
        if batch.done {
            effects += takePendingArrivals()
            // Saved searches run while posts were still arriving: once more over all of them.
            if batch.order == nil { effects += rerunSavedSearches() }
        }
        return effects
    }

    /// Takes a new list of every post (sources read again, or merged in their final order), keeping the selected
    /// post selected (or the row it was on), the marks, the filter and the search (run again on the new posts).
    mutating func replacePosts(_ new: [Post]) -> [Effect] {
        let selected = selectedPost?.id
        let oldSelection = selection
        let old = posts
        posts = []
        firstIndex = [:]
        duplicates = [:]
        unreadBits = PostBits()
        unreadCount = 0
        sourceCounts = SourceCounts()
        postSources = []
        appendPosts(new)
        generation += 1
        searchMatches = nil
        // The saved searches follow their posts by id until they answer again.
        moveSavedSearches(from: old)
        var effects: [Effect] = rerunSavedSearches()
        if let search, !search.query.isEmpty {
            effects.append(.search(query: search.query, candidates: nil))
            rows = []
        } else {
            rows = baseRows()
        }
        if let selected, let index = firstIndex[selected] {
            selection = rows.map { $0.firstIndex(of: index) ?? min(oldSelection, max(0, $0.count - 1)) } ?? index
        } else {
            selection = min(oldSelection, max(0, rowCount - 1))
        }
        if selectedPost?.id != selected { readingTop = 0 }
        let rowsShown = max(1, viewport.listRows)
        if selection < listTop || selection >= listTop + rowsShown { listTop = max(0, selection - rowsShown / 2) }
        listTop = min(max(0, listTop), max(0, rowCount - rowsShown))
        return effects
    }

    /// Takes the posts of the sources read again (`R`).
    mutating func reload(_ reloaded: ReloadedPosts) -> [Effect] {
        let before = Set(posts.map(\.id))
        title = reloaded.title
        sourceNames = reloaded.sourceNames
        let effects = replacePosts(reloaded.posts)
        let added = posts.reduce(0) { $0 + (before.contains($1.id) ? 0 : 1) }
        let gone = before.count - (posts.count - added)
        var parts = ["Reloaded: \(posts.count) post\(posts.count == 1 ? "" : "s")"]
        if added > 0 { parts.append("\(added) new") }
        if gone > 0 { parts.append("\(gone) gone") }
        status = StatusMessage(parts.joined(separator: ", ") + (reloaded.warnings.first.map { "; \($0)" } ?? ""),
                               isError: !reloaded.warnings.isEmpty)
        return effects
    }
}

/// Every post of the sources, read again from disk (`R`).
public struct ReloadedPosts: Hashable, Sendable {
    /// In list order.
    public var posts: [Post]
    /// The sources' names by `Post.archiveIndex`.
    public var sourceNames: [Int: String]
    /// The title line's text.
    public var title: String
    /// Files skipped or read in part.
    public var warnings: [String]

    public init(posts: [Post], sourceNames: [Int: String], title: String, warnings: [String] = []) {
        self.posts = posts
        self.sourceNames = sourceNames
        self.title = title
        self.warnings = warnings
    }
}
