import Foundation
import Posts

extension AppState {
    /// Applies `action` to the state and returns the effects the run loop must perform.
    ///
    /// Pure: no I/O, no clock, no terminal. Read marks change only when the store has
    /// confirmed them (`readStateSaved`), so the screen never shows a mark that was not kept.
    public mutating func reduce(_ action: Action) -> [Effect] {
        switch action {
        case .command(let command):
            status = nil
            return perform(command)
        case .moveSelection(let delta):
            status = nil
            select(selection + delta)
            return []
        case .viewport(let new):
            adopt(new)
            return []
        case .readStateSaved(let ids, let read, let date):
            apply(ids: ids, read: read, at: date)
            return []
        case .readStateFailed(let message):
            status = StatusMessage(message, isError: true)
            return []
        case .dismissStatus:
            status = nil
            return []
        }
    }

    /// Resolves a key through `keymap` and applies it. Unbound keys close the help overlay or do nothing.
    public mutating func reduce(key: Key, keymap: Keymap = .standard) -> [Effect] {
        guard let command = keymap.command(for: key, in: focus) else {
            if showingHelp { showingHelp = false }
            return []
        }
        return reduce(.command(command))
    }

    private mutating func perform(_ command: Command) -> [Effect] {
        if showingHelp {
            // The overlay is modal: quit still quits, anything else just closes it.
            showingHelp = false
            return command == .quit ? [.quit] : []
        }
        switch (command, focus) {
        case (.quit, _):
            return [.quit]
        case (.help, _):
            showingHelp = true
        case (.toggleFocus, _):
            focus = focus == .list ? .reading : .list
        case (.toggleRead, _):
            guard let post = selectedPost else { return noPosts() }
            return [.persistRead(ids: [post.id], read: !isRead(post))]
        case (.nextUnread, _), (.previousUnread, _):
            return jumpToUnread(forward: command == .nextUnread)

        case (.up, .list): select(selection - 1)
        case (.down, .list): select(selection + 1)
        case (.pageUp, .list): select(selection - listPage)
        case (.pageDown, .list): select(selection + listPage)
        case (.home, .list): select(0)
        case (.end, .list): select(posts.count - 1)
        case (.open, _):
            guard let post = selectedPost else { return noPosts() }
            focus = .reading
            return isRead(post) ? [] : [.persistRead(ids: [post.id], read: true)]
        case (.back, _):
            focus = .list

        case (.up, .reading): scroll(to: readingTop - 1)
        case (.down, .reading): scroll(to: readingTop + 1)
        case (.pageUp, .reading): scroll(to: readingTop - readingPage)
        case (.pageDown, .reading): scroll(to: readingTop + readingPage)
        case (.home, .reading): scroll(to: 0)
        case (.end, .reading): scroll(to: maxReadingTop)
        }
        return []
    }

    private var listPage: Int { max(1, viewport.listRows - 1) }
    private var readingPage: Int { max(1, viewport.readingRows - 1) }

    /// The last useful top line: the article's end sits on the pane's last row.
    var maxReadingTop: Int {
        guard let article = viewport.article, article.postID == selectedPost?.id else { return 0 }
        return max(0, article.lineCount - viewport.readingRows)
    }

    private mutating func scroll(to line: Int) {
        readingTop = min(max(0, line), maxReadingTop)
    }

    /// Selects the post at `index` (clamped), starting its article at the top and keeping it in view.
    private mutating func select(_ index: Int) {
        guard !posts.isEmpty else { return }
        let clamped = min(max(0, index), posts.count - 1)
        if clamped != selection {
            selection = clamped
            readingTop = 0
        }
        keepSelectionVisible()
    }

    private mutating func keepSelectionVisible() {
        let rows = max(1, viewport.listRows)
        if selection < listTop { listTop = selection }
        if selection >= listTop + rows { listTop = selection - rows + 1 }
        listTop = min(max(0, listTop), max(0, posts.count - rows))
    }

    private mutating func jumpToUnread(forward: Bool) -> [Effect] {
        guard !posts.isEmpty else { return noPosts() }
        let n = posts.count
        for step in 1..<max(n, 2) where step < n {
            let i = forward ? (selection + step) % n : (selection - step + n) % n
            if readMarks[posts[i].id] == nil {
                let wrapped = forward ? i < selection : i > selection
                select(i)
                if wrapped { status = StatusMessage(forward ? "Wrapped to the top" : "Wrapped to the bottom") }
                // In the reading pane the next unread post is opened, and opening marks it read.
                if focus == .reading { return [.persistRead(ids: [posts[i].id], read: true)] }
                return []
            }
        }
        status = StatusMessage("No other unread posts")
        return []
    }

    private mutating func noPosts() -> [Effect] {
        status = StatusMessage("No posts")
        return []
    }

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
        readingTop = min(max(0, readingTop), maxReadingTop)
        keepSelectionVisible()
    }
}
