import Foundation
import Posts
import Search

extension AppState {
    /// Applies `action` to the state and returns the effects the run loop must perform, in order.
    ///
    /// Pure: no I/O, no clock (time arrives as `tick`), no terminal. Read marks change only when the
    /// store has confirmed them (`readStateSaved`), so the screen never shows a mark that was not kept.
    public mutating func reduce(_ action: Action) -> [Effect] {
        var effects: [Effect] = []
        switch action {
        case .command(let command):
            status = nil
            effects = perform(command)
            count = nil
        case .moveSelection(let delta):
            status = nil
            if listMode != .posts { selectPicker(pickerSelection + delta); break }
            effects = select(selection + delta)
        case .selectRow(let row):
            status = nil
            if listMode != .posts { selectPicker(row); break }
            effects = select(row)
        case .focus(let pane):
            if showingHelp { showingHelp = false; break }
            guard listMode == .posts else { break }  // the sources view keeps the keys in its list
            focus = pane
            if pane == .list { pendingRead = nil }
        case .scrollReading(let lines):
            guard listMode == .posts else { break }
            scroll(to: readingTop + lines)
        case .tick(let date):
            now = date
            effects = firePendingRead()
        case .viewport(let new):
            adopt(new)
        case .readStateSaved(let ids, let read, let date):
            apply(ids: ids, read: read, at: date)
            if ids.count > 1 {
                status = StatusMessage("Marked \(ids.count) posts \(read ? "read" : "unread") (u undoes)")
            }
        case .readStateFailed(let message):
            status = StatusMessage(message, isError: true)
        case .readStateRestored(let read, let unread):
            for (id, date) in read { apply(ids: [id], read: true, at: date) }
            apply(ids: unread, read: false, at: now)
            let count = read.count + unread.count
            status = StatusMessage("Undone: \(count) post\(count == 1 ? "" : "s") restored")
        case .marksReloaded(let marks):
            reloadMarks(marks)
        case .searchResults(let query, let matches):
            guard search?.query == query else { break }
            searchMatches = matches
            effects = rebuildRows()
        case .savedSearches(let list):
            effects = setSavedSearches(list)
        case .savedSearchResults(let query, let matches):
            effects = takeSavedSearchResults(query: query, matches: matches)
        case .positionLoaded(let id, let block):
            if selectedPost?.id == id, readingTop == 0, block > 0 {
                restoreBlock = block
                savedBlock = block
                applyRestoredPosition()
            }
        case .showStatus(let message):
            status = message
        case .dismissStatus:
            status = nil
        case .postsIndexed(let batch):
            effects = receive(batch)
        case .postsReloaded(let reloaded):
            effects = reload(reloaded)
        case .sourcesChanged(let new):
            effects = changeSources(new)
        case .fetchProgress(let progress):
            if progress.finished {
                fetching = nil
                status = StatusMessage(progress.finishedText, isError: progress.finishedInError)
            } else {
                fetching = progress
            }
        case .postsArrived(let arrived):
            effects = arrive(arrived)
        case .scrollHelp(let lines):
            scrollHelp(to: helpTop + lines)
        }
        return countSavedSearchRuns(effects + markIfAtEnd())
    }

    /// Resolves a key and applies it. While a question or the search line is open, keys answer it;
    /// otherwise they go through `keymap`. Unbound keys close the help overlay or do nothing.
    public mutating func reduce(key: Key, keymap: Keymap = .standard) -> [Effect] {
        if let confirmation {
            self.confirmation = nil
            if key == .character("y") || key == .character("Y") { return confirmation.effects }
            status = StatusMessage("Cancelled")
            return []
        }
        if let search, search.editing { return edit(search, with: key) }
        if showingHelp { return helpKey(key, keymap: keymap) }
        guard let command = keymap.command(for: key, in: focus) else {
            // Digits that no binding takes make a count for the next command (`3o`).
            if case .character(let c) = key, let digit = Int(String(c)), (0...9).contains(digit),
               count != nil || digit > 0 {
                count = min(99_999, (count ?? 0) * 10 + digit)
                status = StatusMessage("\(count!)")
            }
            return []
        }
        return reduce(.command(command))
    }

    // MARK: - Commands

    private mutating func perform(_ command: Command) -> [Effect] {
        if showingHelp {
            // The overlay is modal: quit still quits, anything else just closes it.
            showingHelp = false
            return command == .quit ? quit() : []
        }
        if listMode != .posts, let effects = performInPicker(command) { return effects }
        switch (command, focus) {
        case (.quit, _):
            return quit()
        case (.help, _):
            showingHelp = true
            helpTop = 0
        case (.sources, _):
            return showPicker(.sources)
        case (.filterTag, _):
            return showPicker(.tags)
        case (.fetch, _):
            guard let post = selectedPost else { return noPosts() }
            return fetch([post.archiveIndex])
        case (.backfill, _):
            status = StatusMessage("B backfills a feed in the sources view: press s, select the feed, then B")
        case (.toggleFocus, _):
            focus = focus == .list ? .reading : .list
            if focus == .list { pendingRead = nil }
        case (.toggleRead, _):
            guard let post = selectedPost else { return noPosts() }
            return [.persistRead(ids: [post.id], read: !isRead(post))]
        case (.nextUnread, .reading) where !(search?.query.isEmpty ?? true):
            jumpToMatch(forward: true)
        case (.previousMatch, _):
            jumpToMatch(forward: false)
        case (.nextUnread, _), (.previousUnread, _):
            return jumpToUnread(forward: command == .nextUnread)
        case (.markAllRead, _):
            return markAllInView()
        case (.markAboveRead, _):
            return markAbove()
        case (.undo, _):
            return [.undo]
        case (.toggleFilter, _):
            filter = filter == .all ? .unread : .all
            return rebuildRows()
        case (.search, _):
            search = Search(query: "", editing: true, savedSelection: selectedIndex)
        case (.saveSearch, _):
            return saveSearch()
        case (.zoom, _):
            layout.zoomed.toggle()
            if layout.zoomed { focus = .reading }
            return [saveLayout()]
        case (.narrowerList, _), (.widerList, _):
            let step = command == .widerList ? 5 : -5
            layout = LayoutPreferences(arrangement: layout.arrangement, listPercent: layout.listPercent + step,
                                       zoomed: false)
            return [saveLayout()]
        case (.toggleArrangement, _):
            layout.arrangement = viewport.sideBySide ? .stacked : .sideBySide
            layout.zoomed = false
            return [saveLayout()]

        case (.up, .list): return select(selection - 1)
        case (.down, .list): return select(selection + 1)
        case (.pageUp, .list): return select(selection - listPage)
        case (.pageDown, .list): return select(selection + listPage)
        case (.home, .list): return select(0)
        case (.end, .list): return select(rowCount - 1)
        case (.open, _):
            guard selectedPost != nil else { return noPosts() }
            return openSelected()
        case (.openLink, _):
            guard let post = selectedPost else { return noPosts() }
            return [.openLink(post.id, number: count)]
        case (.reload, _):
            guard indexing == nil else {
                status = StatusMessage("Still reading the sources; R works once that is done")
                return []
            }
            status = StatusMessage("Reloading…")
            return [.reload]
        case (.pipeToPager, _):
            guard let post = selectedPost else { return noPosts() }
            return [.pipeToPager(post.id)]
        case (.back, .list):
            if search != nil { return cancelSearch() }
            if scope != nil { return leaveScope() }
        case (.back, .reading):
            focus = .list
            pendingRead = nil
            if layout.zoomed { layout.zoomed = false; return [saveLayout()] }

        case (.up, .reading): scroll(to: readingTop - 1)
        case (.down, .reading): scroll(to: readingTop + 1)
        case (.pageUp, .reading): scroll(to: readingTop - readingPage)
        case (.pageDown, .reading): scroll(to: readingTop + readingPage)
        case (.home, .reading): scroll(to: 0)
        case (.end, .reading): scroll(to: maxReadingTop)
        }
        return []
    }

    var listPage: Int { max(1, viewport.listRows - 1) }
    private var readingPage: Int { max(1, viewport.readingRows - 1) }
    var selectedIndex: Int { rowCount == 0 ? 0 : postIndex(atRow: selection) }

    /// The last useful top line: the article's end sits on the pane's last row.
    var maxReadingTop: Int {
        guard let article = viewport.article, article.postID == selectedPost?.id else { return 0 }
        return max(0, article.lineCount - viewport.readingRows)
    }

    private mutating func scroll(to line: Int) {
        readingTop = min(max(0, line), maxReadingTop)
    }

    mutating func quit() -> [Effect] {
        var effects = leavePost()
        if let post = selectedPost { effects.append(.saveSetting(key: "last-selection", value: post.id.description)) }
        return effects + [.quit]
    }

    private func saveLayout() -> Effect {
        .saveSetting(key: "layout", value: layout.serialized)
    }

    // MARK: - Selection and positions

    /// Selects list row `row` (clamped). A different post starts at its remembered position (or the
    /// top); the one left behind has its position saved.
    mutating func select(_ row: Int) -> [Effect] {
        restoreSelection = nil  // the user chose: the last session's selection no longer applies
        guard rowCount > 0 else { return [] }
        let clamped = min(max(0, row), rowCount - 1)
        var effects: [Effect] = []
        if clamped != selection {
            let before = selectedPost?.id
            effects += leavePost()
            selection = clamped
            if selectedPost?.id != before { effects += enterPost() }
        }
        keepSelectionVisible()
        return effects
    }

    /// Saves where the reader is in the selected post, when it moved since it was loaded or saved.
    mutating func leavePost() -> [Effect] {
        guard let post = selectedPost, let article = viewport.article, article.postID == post.id else { return [] }
        let block = readingTop == 0 ? 0 : article.block(containing: readingTop)
        guard block != savedBlock else { return [] }
        savedBlock = block
        return [.savePosition(post.id, block: block)]
    }

    mutating func enterPost() -> [Effect] {
        readingTop = 0
        restoreBlock = nil
        savedBlock = 0
        pendingRead = nil
        guard let post = selectedPost else { return [] }
        return [.loadPosition(post.id)]
    }

    private mutating func applyRestoredPosition() {
        guard let block = restoreBlock, let article = viewport.article, article.postID == selectedPost?.id else { return }
        restoreBlock = nil
        readingTop = block < article.blockStarts.count ? article.blockStarts[block] : 0
        readingTop = min(readingTop, maxReadingTop)
    }

    mutating func keepSelectionVisible() {
        let rows = max(1, viewport.listRows)
        if selection < listTop { listTop = selection }
        if selection >= listTop + rows { listTop = selection - rows + 1 }
        listTop = min(max(0, listTop), max(0, rowCount - rows))
    }

    // MARK: - Reading policy

    /// Opens the selected post in the reading pane and marks it read as the policy says.
    mutating func openSelected() -> [Effect] {
        focus = .reading
        guard let post = selectedPost, !isRead(post) else { return [] }
        switch readPolicy {
        case .onOpen:
            return [.persistRead(ids: [post.id], read: true)]
        case .delay(let seconds):
            if seconds <= 0 { return [.persistRead(ids: [post.id], read: true)] }
            pendingRead = PendingRead(postID: post.id, due: now.addingTimeInterval(seconds))
            return []
        case .manual, .atEnd:
            return []
        }
    }

    /// Under `delay=N`: marks the post once its time has come, only if it is still the one open.
    private mutating func firePendingRead() -> [Effect] {
        guard let pending = pendingRead, now >= pending.due else { return [] }
        pendingRead = nil
        guard focus == .reading, let post = selectedPost, post.id == pending.postID, !isRead(post) else { return [] }
        return [.persistRead(ids: [post.id], read: true)]
    }

    /// Under `at-end`: marks the open post once its last line is on screen.
    private mutating func markIfAtEnd() -> [Effect] {
        guard readPolicy == .atEnd, focus == .reading, let post = selectedPost, !isRead(post),
              atEndRequested != post.id, let article = viewport.article, article.postID == post.id,
              readingTop >= maxReadingTop else { return [] }
        atEndRequested = post.id
        return [.persistRead(ids: [post.id], read: true)]
    }

    // MARK: - Unread navigation and bulk marks

    private mutating func jumpToUnread(forward: Bool) -> [Effect] {
        guard rowCount > 0 else { return noPosts() }
        guard let row = unreadRow(from: selection, forward: forward) else {
            status = StatusMessage("No other unread posts")
            return []
        }
        let wrapped = forward ? row < selection : row > selection
        var effects = select(row)
        if wrapped { status = StatusMessage(forward ? "Wrapped to the top" : "Wrapped to the bottom") }
        // In the reading pane the next unread post is opened, as Enter would.
        if focus == .reading { effects += openSelected() }
        return effects
    }

    /// The nearest row after (or before) `row` whose post is unread, wrapping around; not `row` itself. Without a
    /// filter or search, a word of the unread bits at a time.
    private func unreadRow(from row: Int, forward: Bool) -> Int? {
        let n = rowCount
        guard rows != nil else {
            if forward {
                if let found = unreadBits.next(from: row + 1) { return found }
                return unreadBits.next(from: 0).flatMap { $0 < row ? $0 : nil }
            }
            if let found = unreadBits.previous(from: row - 1) { return found }
            return unreadBits.previous(from: n - 1).flatMap { $0 > row ? $0 : nil }
        }
        var step = 1
        while step < n {
            let candidate = forward ? (row + step) % n : (row - step + n) % n
            if unreadBits[postIndex(atRow: candidate)] { return candidate }
            step += 1
        }
        return nil
    }

    /// Unread post ids among list rows `range`, each once.
    private func unreadIDs(inRows range: Range<Int>) -> [PostID] {
        var seen = Set<PostID>()
        var ids: [PostID] = []
        for row in range {
            let index = postIndex(atRow: row)
            if unreadBits[index], seen.insert(posts[index].id).inserted { ids.append(posts[index].id) }
        }
        return ids
    }

    private mutating func markAllInView() -> [Effect] {
        let ids = unreadIDs(inRows: 0..<rowCount)
        guard !ids.isEmpty else {
            status = StatusMessage("Every post in view is already read")
            return []
        }
        let effect = Effect.persistRead(ids: ids, read: true)
        guard confirmBulkMarks else { return [effect] }
        let scope = (filter == .all && search == nil && self.scope == nil) ? "" : " in this view"
        confirmation = Confirmation(question: "Mark \(ids.count) post\(ids.count == 1 ? "" : "s")\(scope) read? (y/n)",
                                    effects: [effect])
        return []
    }

    private mutating func markAbove() -> [Effect] {
        let ids = unreadIDs(inRows: 0..<min(selection, rowCount))
        guard !ids.isEmpty else {
            status = StatusMessage("Nothing unread above this post")
            return []
        }
        return [.persistRead(ids: ids, read: true)]
    }

    mutating func noPosts() -> [Effect] {
        status = StatusMessage(rowCount == 0 && !posts.isEmpty ? "No posts in this view" : "No posts")
        return []
    }

    // MARK: - Filter and search

    /// Recomputes the list rows from the filter and the search, keeping the selected post when it
    /// is still listed (or the nearest one after it).
    mutating func rebuildRows() -> [Effect] {
        let current = selectedIndex
        let before = selectedPost?.id
        rows = baseRows()
        selection = row(nearest: current)
        var effects: [Effect] = []
        if selectedPost?.id != before { effects = enterPost() }
        keepSelectionVisible()
        return effects
    }

    /// The rows the search, the unread filter and the scope leave (`nil`: every post).
    func baseRows() -> [Int]? {
        if let matches = searchMatches {
            // The worker leaves `is:unread` and `is:read` to the unread bits.
            let condition = search.map { ReadCondition($0.parsed) } ?? .any
            guard filter == .unread || hasScope || condition != .any else { return matches }
            return matches.filter {
                $0 < posts.count && (filter == .all || unreadBits[$0]) && condition.accepts(unread: unreadBits[$0])
                    && inScope(at: $0)
            }
        }
        if filter == .unread {
            let unread = unreadBits.indices(reservingCapacity: unreadCount)
            return hasScope ? unread.filter { inScope(at: $0) } : unread
        }
        if let matches = scopeMatchList { return matches.filter { $0 < posts.count && inScope(at: $0) } }
        guard let scopeSources else { return nil }
        var shown: [Int] = []
        postSources.withUnsafeBufferPointer { sources in
            for (index, source) in sources.enumerated() where scopeSources.contains(Int(source)) { shown.append(index) }
        }
        return shown
    }

    /// The row showing post `index`, or the first row after it, or the last row.
    func row(nearest index: Int) -> Int {
        guard let rows else { return min(index, max(0, posts.count - 1)) }
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid] < index { lo = mid + 1 } else { hi = mid }
        }
        return min(lo, max(0, rows.count - 1))
    }

    private mutating func edit(_ current: Search, with key: Key) -> [Effect] {
        var search = current
        switch key {
        case .escape:
            return cancelSearch()
        case .enter:
            if search.query.isEmpty { return cancelSearch() }
            return finishEditing()
        case .backspace, .delete:
            guard !search.query.isEmpty else { return cancelSearch() }
            search.query.removeLast()
        case .control("u"):
            search.query = ""
        case .up: return select(selection - 1)
        case .down: return select(selection + 1)
        case .character(let scalar):
            search.query.unicodeScalars.append(scalar)
        default:
            return []
        }
        self.search = search
        if search.query.isEmpty {
            searchMatches = nil
            return rebuildRows()
        }
        return [.search(query: search.query, candidates: nil)]
    }

    /// Ends the typing of the search (Enter). The query means the same (its last word stays a prefix), so the
    /// results stay; the guard is for a parser that would read a finished query otherwise.
    mutating func finishEditing() -> [Effect] {
        guard var current = search, current.editing else { return [] }
        let typed = current.parsed
        current.editing = false
        search = current
        guard current.parsed != typed, !current.query.isEmpty else { return [] }
        return [.search(query: current.query, candidates: nil, typing: false)]
    }

    private mutating func cancelSearch() -> [Effect] {
        guard let saved = search else { return [] }
        search = nil
        searchMatches = nil
        let before = selectedPost?.id
        rows = baseRows()
        selection = row(nearest: saved.savedSelection)
        keepSelectionVisible()
        return selectedPost?.id != before ? enterPost() : []
    }

    private mutating func jumpToMatch(forward: Bool) {
        guard let article = viewport.article, article.postID == selectedPost?.id, !article.matchLines.isEmpty else {
            status = StatusMessage("No matches in this post")
            return
        }
        let target = forward ? article.matchLines.first { $0 > readingTop }
                             : article.matchLines.last { $0 < readingTop }
        guard let target else {
            status = StatusMessage(forward ? "No more matches below" : "No more matches above")
            return
        }
        scroll(to: target)
    }

    // MARK: - Measurements

    /// Takes the renderer's measurements. When the same article was re-wrapped at another width
    /// (a resize), the block that was at the top of the pane stays at the top.
    private mutating func adopt(_ new: Viewport) {
        let old = viewport
        viewport = new
        if let before = old.article, let after = new.article,
           before.postID == after.postID, before.width != after.width {
            let block = before.block(containing: readingTop)
            readingTop = block < after.blockStarts.count ? after.blockStarts[block] : 0
        }
        applyRestoredPosition()
        readingTop = min(max(0, readingTop), maxReadingTop)
        keepSelectionVisible()
        if listMode != .posts { keepPickerSelectionVisible() }
        if showingHelp { helpTop = min(helpTop, max(0, new.helpLines - new.helpRows)) }
    }
}
