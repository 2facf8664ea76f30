import Controller
import TextCells

/// The bottom line: position, unread count, filter or search, focus, messages, scroll position and
/// a key hint. While a question or the search line is open, it shows that instead.
enum StatusBar {
    static func draw(_ state: AppState, article: ArticleLayout?, into frame: inout Frame, in rect: Rect, glyphs: Glyphs,
                     keymap: Keymap = .standard) {
        guard rect.width > 0 else { return }
        let bar = Style(.reverse, tint: .statusBar)
        frame.fill(rect, style: bar)

        if let confirmation = state.confirmation {
            frame.put(" " + confirmation.question, x: rect.x, y: rect.y, maxWidth: rect.width, style: Style([.reverse, .bold], tint: .statusBar))
            return
        }
        if let search = state.search, search.editing {
            let prompt = " /" + Sanitizer.clean(search.query)
            let used = frame.put(prompt, x: rect.x, y: rect.y, maxWidth: rect.width, style: bar)
            let count = "  \(state.rowCount) match\(state.rowCount == 1 ? "" : "es")  Enter keeps  Esc cancels "
            if rect.width - used > DisplayWidth.of(count) {
                frame.put(count, x: rect.maxX - DisplayWidth.of(count), y: rect.y, style: bar)
            }
            // What could not mean what it seems (`after:yesterday`), between the query and the count.
            let room = rect.width - used - DisplayWidth.of(count) - 4
            if let problem = search.problem, room > 8 {
                let text = TextWrapper.truncate(Sanitizer.clean(problem), width: room, ellipsis: glyphs.ellipsis)
                frame.put(text, x: rect.x + used + 2, y: rect.y, maxWidth: room, style: Style([.reverse, .bold], tint: .error))
            }
            return
        }

        let sep = " \(glyphs.separator) "
        var left = " "
        let picking = state.listMode != .posts
        let rowCount = state.shownRowCount
        left += rowCount == 0 ? "0/0" : "\(state.shownSelection + 1)/\(rowCount)"
        if picking { left += state.listMode == .sources ? " sources" : " tags" }
        left += sep + "\(state.unreadCount) unread"
        // The rest of the archive is still being indexed: the counts grow until it is done.
        if let done = state.indexing { left += sep + "indexing \(Int(done * 100))%" }
        if let fetching = state.fetching { left += sep + Sanitizer.clean(fetching.runningText) }
        if !state.newPosts.isEmpty { left += sep + "\(state.newPosts.count) new" }
        if picking {
        } else if let search = state.search {
            left += sep + "/\(Sanitizer.clean(search.query)): \(state.rowCount) of \(state.posts.count)"
            if let problem = search.problem { left += sep + Sanitizer.clean(problem) }
        } else if state.filter == .unread {
            left += sep + "unread only: \(state.rowCount) shown"
        }
        if !picking { left += sep + (state.focus == .list ? "list" : "reading") }
        if state.readOnlyReason != nil { left += sep + "read-only" }

        var right = ""
        if let article, article.lines.count > state.viewport.readingRows {
            right += scrollPosition(top: state.readingTop, rows: state.viewport.readingRows, total: article.lines.count)
            right += "  "
        }
        right += hint(keymap)

        let used = frame.put(left, x: rect.x, y: rect.y, maxWidth: rect.width, style: bar)
        var x = rect.x + used
        let rightWidth = DisplayWidth.of(right)
        let rightX = rect.maxX - rightWidth

        let message = state.status ?? state.readOnlyReason.map { StatusMessage("read-only: \($0)", isError: true) }
        if let message {
            let room = (rightX > x + 4 ? rightX : rect.maxX) - x - 2
            if room > 3 {
                x += 2
                let style = message.isError ? Style([.reverse, .bold], tint: .error) : bar
                x += frame.put(TextWrapper.truncate(Sanitizer.clean(message.text), width: room, ellipsis: glyphs.ellipsis),
                               x: x, y: rect.y, maxWidth: room, style: style)
            }
        }
        if rightX > x + 1 {
            frame.put(right, x: rightX, y: rect.y, maxWidth: rightWidth, style: bar)
        }
    }

    /// `? help  q quit `, with the keys the keymap has for them in the list (none: left out).
    static func hint(_ keymap: Keymap) -> String {
        func key(_ command: Command) -> String? {
            keymap.bindings.first { $0.command == command && $0.context != .reading }?.key.displayName
        }
        return [key(.help).map { "\($0) help" }, key(.quit).map { "\($0) quit" }].compactMap { $0 }
            .joined(separator: "  ") + " "
    }

    /// `Top`, `Bot` or a percentage, as less shows it.
    static func scrollPosition(top: Int, rows: Int, total: Int) -> String {
        if top <= 0 { return "Top" }
        if top + rows >= total { return "Bot" }
        return "\((top + rows) * 100 / max(1, total))%"
    }
}
