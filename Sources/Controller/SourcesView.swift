import Posts
import Search

/// The sources view (`s`), the tags view (`t`), the posts of one source or tag, fetching, and the help's scrolling.
extension AppState {
    // MARK: - Sources and tags views

    /// Opens the sources or tags view, or (pressed again) goes back to the posts. The view starts on the source
    /// (or tag) of what is shown: the current scope, else the selected post's source.
    mutating func showPicker(_ mode: ListMode) -> [Effect] {
        if listMode == mode {
            listMode = .posts
            return []
        }
        let names: [String]
        var start = 0
        switch mode {
        case .posts:
            listMode = .posts
            return []
        case .sources:
            let sources = listedSources
            guard !sources.isEmpty || !savedSearchStates.isEmpty else {
                status = StatusMessage("No sources")
                return []
            }
            names = sources.map(\.name) + savedSearchStates.map(\.saved.name)
            let wanted: Int?
            if case .source(let index)? = scope { wanted = index } else { wanted = selectedPost?.archiveIndex }
            if case .savedSearch(let name)? = scope, let row = savedSearchIndex(named: name) {
                start = sources.count + row
            } else if let wanted, let row = sources.firstIndex(where: { $0.index == wanted }) {
                start = row
            }
        case .tags:
            let tags = allTags
            guard !tags.isEmpty else {
                status = StatusMessage("No source has tags (tags follow a feed's URL in the urls file)")
                return []
            }
            names = tags
            if case .tag(let tag)? = scope, let row = tags.firstIndex(of: tag) {
                start = row
            } else if let post = selectedPost, let tag = source(withIndex: post.archiveIndex)?.tags.first,
                      let row = tags.firstIndex(of: tag) {
                start = row
            }
        }
        listMode = mode
        focus = .list
        pendingRead = nil
        pickerSelection = min(start, names.count - 1)
        pickerTop = 0
        keepPickerSelectionVisible()
        return []
    }

    /// A command in the sources or tags view; `nil`: the command works there as it does over the posts.
    mutating func performInPicker(_ command: Command) -> [Effect]? {
        let page = max(1, viewport.listRows - 1)
        switch command {
        case .up: selectPicker(pickerSelection - 1)
        case .down: selectPicker(pickerSelection + 1)
        case .pageUp: selectPicker(pickerSelection - page)
        case .pageDown: selectPicker(pickerSelection + page)
        case .home: selectPicker(0)
        case .end: selectPicker(shownRowCount - 1)
        case .nextUnread, .previousUnread: jumpToUnreadInPicker(forward: command == .nextUnread)
        case .open:
            guard let scope = selectedScope else { return [] }
            return enterScope(scope)
        case .back:
            listMode = .posts
        case .sources:
            return showPicker(.sources)
        case .filterTag:
            return showPicker(.tags)
        case .markAllRead:
            guard let scope = selectedScope else { return [] }
            return markAll(in: scope)
        case .fetch:
            if let source = selectedSource { return fetch([source.index]) }
            if let saved = selectedSavedSearch {
                status = StatusMessage("\(saved.name) is a saved search: it follows its sources as they are fetched")
                return []
            }
            guard let tag = selectedTag else { return [] }
            let feeds = sources(withTag: tag).filter { $0.kind == .subscription }.map(\.index)
            guard !feeds.isEmpty else {
                status = StatusMessage("No subscription has the tag \(tag): R reads the files again")
                return []
            }
            return fetch(feeds)
        case .backfill:
            guard let source = selectedSource else {
                status = StatusMessage("B backfills one feed: select it in the sources view (s)")
                return []
            }
            guard source.kind == .subscription || sources.isEmpty else {
                status = StatusMessage("\(source.name) is a file: only subscriptions (fetched feeds) can be backfilled")
                return []
            }
            status = StatusMessage("Backfilling \(source.name)…")
            return [.backfill(source: source.index)]
        case .toggleFocus:
            break
        case .toggleRead, .markAboveRead, .search, .previousMatch, .openLink, .pipeToPager:
            let what = listMode == .sources ? "a source's posts, s returns to the posts"
                                            : "the posts of a tag, t returns to the posts"
            status = StatusMessage("Not in this view: Enter shows \(what)")
        case .quit, .help, .undo, .toggleFilter, .zoom, .narrowerList, .widerList, .toggleArrangement, .reload,
             .saveSearch:
            return nil
        }
        return []
    }

    /// The scope the selected row of the sources or tags view stands for.
    private var selectedScope: PostScope? {
        if let source = selectedSource { return .source(source.index) }
        if let saved = selectedSavedSearch { return .savedSearch(saved.name) }
        if let tag = selectedTag { return .tag(tag) }
        return nil
    }

    mutating func selectPicker(_ row: Int) {
        guard shownRowCount > 0 else { return }
        pickerSelection = min(max(0, row), shownRowCount - 1)
        keepPickerSelectionVisible()
    }

    /// The counts of a row of the sources or tags view (a saved search's whose posts are still being found: none).
    func pickerCounts(atRow row: Int) -> PostCounts {
        switch listMode {
        case .posts: return PostCounts()
        case .sources:
            let sources = listedSources
            if row >= sources.count { return counts(ofSavedSearch: row - sources.count) ?? PostCounts() }
            return counts(ofSource: sources[row].index)
        case .tags:
            let tags = allTags
            return row < tags.count ? counts(ofTag: tags[row]) : PostCounts()
        }
    }

    private mutating func jumpToUnreadInPicker(forward: Bool) {
        let all = listMode == .sources
            ? listedSources.map { counts(ofSource: $0.index) } + savedSearchStates.map { $0.counts ?? PostCounts() }
            : allTags.map { counts(ofTag: $0) }
        let n = all.count
        var step = 1
        while step < n {
            let row = forward ? (pickerSelection + step) % n : (pickerSelection - step + n) % n
            if all[row].unread > 0 {
                selectPicker(row)
                return
            }
            step += 1
        }
        status = StatusMessage(listMode == .sources ? "No other source has unread posts" : "No other tag has unread posts")
    }

    mutating func keepPickerSelectionVisible() {
        let rows = max(1, viewport.listRows)
        if pickerSelection < pickerTop { pickerTop = pickerSelection }
        if pickerSelection >= pickerTop + rows { pickerTop = pickerSelection - rows + 1 }
        pickerTop = min(max(0, pickerTop), max(0, shownRowCount - rows))
    }

    /// Marks every post of a source or tag read (asks first, as `A` does).
    private mutating func markAll(in scope: PostScope) -> [Effect] {
        var seen = Set<PostID>()
        var ids: [PostID] = []
        if case .savedSearch(let name) = scope, let saved = savedSearchIndex(named: name) {
            guard let matches = savedSearchStates[saved].matches else {
                status = StatusMessage("Still finding the posts of \(name): A works once they are counted")
                return []
            }
            // A saved search for read posts (`is:read`) has no unread one to mark.
            if savedSearchStates[saved].condition.accepts(unread: true) {
                for index in matches where unreadBits[index] && seen.insert(posts[index].id).inserted {
                    ids.append(posts[index].id)
                }
            }
        } else if let members = members(of: scope) {
            var next = unreadBits.next(from: 0)
            while let index = next {
                if members.contains(Int(postSources[index])), seen.insert(posts[index].id).inserted { ids.append(posts[index].id) }
                next = unreadBits.next(from: index + 1)
            }
        }
        let name = self.name(of: scope)
        guard !ids.isEmpty else {
            status = StatusMessage("Every post of \(name) is already read")
            return []
        }
        let effect = Effect.persistRead(ids: ids, read: true)
        guard confirmBulkMarks else { return [effect] }
        confirmation = Confirmation(question: "Mark \(ids.count) post\(ids.count == 1 ? "" : "s") of \(name) read? (y/n)",
                                    effects: [effect])
        return []
    }

    /// The sources of a source's or tag's scope; `nil` for a saved search's (its posts are its matches).
    private func members(of scope: PostScope) -> SourceSet? {
        switch scope {
        case .source(let index): SourceSet([index])
        case .tag(let tag): SourceSet(sources(withTag: tag).map(\.index))
        case .savedSearch: nil
        }
    }

    private func name(of scope: PostScope) -> String {
        switch scope {
        case .source(let index): source(withIndex: index)?.name ?? sourceNames[index] ?? "source \(index)"
        case .tag(let tag): "the tag \(tag)"
        case .savedSearch(let name): name
        }
    }

    // MARK: - The posts of a source or tag

    /// Shows only the posts of `scope`. The selected post stays selected when it is one of them; else the list
    /// starts at its top.
    mutating func enterScope(_ new: PostScope) -> [Effect] {
        listMode = .posts
        focus = .list
        pendingRead = nil
        scope = new
        scopeSources = members(of: new)
        scopeMatches = nil
        scopeCondition = .any
        if case .savedSearch(let name) = new, let saved = savedSearchIndex(named: name) {
            scopeMatches = PostBits(count: posts.count, setting: savedSearchStates[saved].matches ?? [])
            scopeCondition = savedSearchStates[saved].condition
            if savedSearchStates[saved].matches == nil { status = StatusMessage("Finding the posts of \(name)…") }
        }
        return applyRows(keepingPost: true)
    }

    /// Back to every source's posts (Esc), on the same post.
    mutating func leaveScope() -> [Effect] {
        scope = nil
        scopeSources = nil
        scopeMatches = nil
        scopeCondition = .any
        return applyRows(keepingPost: true)
    }

    /// Rebuilds the rows for a new scope: the selected post's row when it is listed, else the top.
    private mutating func applyRows(keepingPost: Bool) -> [Effect] {
        let before = selectedPost
        let current = selectedIndex
        let newRows = baseRows()
        var newSelection = 0
        if before != nil, inScope(at: current) {
            if let newRows {
                var lo = 0, hi = newRows.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if newRows[mid] < current { lo = mid + 1 } else { hi = mid }
                }
                if lo < newRows.count, newRows[lo] == current { newSelection = lo }
            } else {
                newSelection = current
            }
        }
        let rowCount = newRows?.count ?? posts.count
        newSelection = min(newSelection, max(0, rowCount - 1))
        let after = rowCount == 0 ? nil : posts[newRows?[newSelection] ?? newSelection]
        var effects: [Effect] = []
        if after?.id != before?.id { effects += leavePost() }
        rows = newRows
        selection = newSelection
        if after?.id != before?.id { effects += enterPost() }
        if selectedPost?.id == before?.id {
            // The same post: keep its screen row when it can.
            let rowsShown = max(1, viewport.listRows)
            if selection < listTop || selection >= listTop + rowsShown { listTop = max(0, selection - rowsShown / 2) }
        } else {
            listTop = 0
        }
        keepSelectionVisible()
        return effects
    }

    // MARK: - Sources changed

    /// New source summaries (after a fetch: failures, new subscriptions). A tag's view follows its new members.
    mutating func changeSources(_ new: [SourceSummary]) -> [Effect] {
        // `feed:` and `tag:` look at the sources' names and tags: saved searches with them are run again.
        func names(_ list: [SourceSummary]) -> [[String]] { list.map { [$0.name] + $0.tags } }
        let renamed = names(sources) != names(new)
        sources = new
        var effects: [Effect] = []
        if renamed {
            effects = savedSearchStates.contains { state in
                let query = SearchQuery.parse(state.saved.query, typing: false)
                return (query.filters + query.excludedFilters).contains {
                    switch $0 {
                    case .feed, .tag: true
                    default: false
                    }
                }
            } ? rerunSavedSearches() : []
        }
        if listMode != .posts {
            if shownRowCount == 0 {
                listMode = .posts
            } else {
                selectPicker(pickerSelection)
            }
        }
        guard let scope, let members = members(of: scope) else { return effects }
        guard members != scopeSources else { return effects }
        scopeSources = members
        return effects + applyRows(keepingPost: true)
    }

    // MARK: - Fetching

    /// Asks for a fetch of `indices`; a file is not fetched (`R` reads files again). A source the session did not
    /// describe is left to the effect's performer.
    mutating func fetch(_ indices: [Int]) -> [Effect] {
        if indices.count == 1, let source = source(withIndex: indices[0]), source.kind != .subscription,
           !sources.isEmpty {
            status = StatusMessage("\(source.name) is a file, not a subscription: R reads the files again")
            return []
        }
        if indices.count == 1, let source = source(withIndex: indices[0]) {
            status = StatusMessage("Fetching \(source.name)…")
        } else {
            status = StatusMessage("Fetching \(indices.count) feed\(indices.count == 1 ? "" : "s")…")
        }
        return [.fetch(sources: indices)]
    }

    // MARK: - Help

    /// A key while the help is shown: scrolling keys scroll it (when it has more lines than fit), quit quits,
    /// anything else closes it. The keys scroll as they do in the reading pane.
    mutating func helpKey(_ key: Key, keymap: Keymap) -> [Effect] {
        let command = keymap.command(for: key, in: .reading) ?? keymap.command(for: key, in: .list)
        let page = max(1, viewport.helpRows - 1)
        let scrolls = viewport.helpLines > viewport.helpRows
        switch command {
        case .up? where scrolls: scrollHelp(to: helpTop - 1)
        case .down? where scrolls: scrollHelp(to: helpTop + 1)
        case .pageUp? where scrolls: scrollHelp(to: helpTop - page)
        case .pageDown? where scrolls: scrollHelp(to: helpTop + page)
        case .home? where scrolls: scrollHelp(to: 0)
        case .end? where scrolls: scrollHelp(to: .max)
        case .quit?:
            showingHelp = false
            return quit()
        default:
            showingHelp = false
        }
        return []
    }

    mutating func scrollHelp(to line: Int) {
        guard showingHelp else { return }
        helpTop = min(max(0, line), max(0, viewport.helpLines - viewport.helpRows))
    }
}
