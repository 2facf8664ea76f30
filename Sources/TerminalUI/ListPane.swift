import Controller
import Posts
import TextCells

/// The headline list: one row per post, only the visible rows are drawn.
enum ListPane {
    /// Narrower lists leave the date out to keep room for the title.
    static let minimumWidthForDates = 40
    /// The source column (several sources) needs this much room, and takes at most a quarter of the list.
    static let minimumWidthForSources = 30
    static let maximumSourceWidth = 22
    /// Room a title keeps before the date makes way for the source.
    static let minimumTitleWidth = 20

    /// With a `cache`, rows drawn before with the same looks are copied (see `RowCache`).
    static func draw(_ state: AppState, into frame: inout Frame, in rect: Rect, glyphs: Glyphs, cache: RowCache? = nil) {
        guard rect.width > 0, rect.height > 0 else { return }
        let showDates = rect.width >= minimumWidthForDates
        let focused = state.focus == .list
        let end = min(state.rowCount, state.listTop + rect.height)
        guard state.listTop < end else {
            let notice: String
            if state.posts.isEmpty {
                notice = "No posts"
            } else if state.search != nil {
                notice = "No post matches"
            } else if state.filter == .unread {
                notice = "No unread posts"
            } else if case .tag? = state.scope {
                notice = "No posts with this tag yet"
            } else if case .savedSearch(let name)? = state.scope {
                let index = state.savedSearches.firstIndex { $0.name == name }
                let pending = index.map { state.counts(ofSavedSearch: $0) == nil } ?? false
                notice = pending ? "Finding its posts…" : "No post matches this saved search"
            } else {
                notice = "No posts from this source yet"
            }
            frame.put("  " + notice, x: rect.x, y: rect.y, maxWidth: rect.width, style: Style(.dim, tint: .muted))
            return
        }
        for row in state.listTop..<end {
            let index = state.postIndex(atRow: row)
            let y = rect.y + row - state.listTop
            let unread = state.isUnread(at: index)
            let selected = row == state.selection
            let post = state.posts[index]
            var key: RowCache.ListKey?
            if let cache {
                let isNew = unread && !state.newPosts.isEmpty && state.isNew(post)
                let flags = (selected ? 1 : 0) | (focused ? 2 : 0) | (unread ? 4 : 0) | (isNew ? 8 : 0)
                    | (state.filter == .unread ? 16 : 0) | (showDates ? 32 : 0) | (state.showsSources ? 64 : 0)
                let k = RowCache.ListKey(post: index, generation: state.generation, width: rect.width,
                                         flags: UInt8(flags))
                if let cells = cache.listRow(k) {
                    frame.blit(cells, x: rect.x, y: y)
                    continue
                }
                key = k
            }
            defer { if let key { cache?.storeListRow(key, frame.row(y, from: rect.x, count: rect.width)) } }
            var rowStyle = Style()
            if selected { rowStyle.attributes.insert(.reverse); rowStyle.tint = .selection }
            if selected && !focused { rowStyle.attributes.insert(.dim) }
            frame.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: rowStyle)

            if !unread && state.filter == .unread { rowStyle.attributes.insert(.dim) }
            var marker = rowStyle
            if unread && !selected { marker.tint = .accent }
            frame.put(unread ? (state.isNew(post) ? "N" : glyphs.unread) : " ", x: rect.x + 1, y: y, maxWidth: 1,
                      style: marker)

            var date = showDates ? post.date.map { $0.description } : nil
            // Posts from several sources: each row names its source, in a column before the date (which goes
            // first when the title would be left too little room).
            let sourceRoom = state.showsSources && rect.width >= minimumWidthForSources
                ? min(maximumSourceWidth, rect.width / 4) : 0
            let datesFit = sourceRoom > 0 && showDates && rect.width - 3 - sourceRoom - 13 >= minimumTitleWidth
            if sourceRoom > 0 && !datesFit { date = nil }
            // With a source column, undated rows keep the date's room, so that the sources line up.
            let dateRoom = date.map { DisplayWidth.of($0) + 2 } ?? (datesFit ? 12 : 0)
            let titleWidth = rect.width - 3 - dateRoom - sourceRoom - 1
            var titleStyle = rowStyle
            if unread { titleStyle.attributes.insert(.bold) }
            if titleWidth > 0 {
                let title = TextWrapper.truncate(Sanitizer.clean(post.title), width: titleWidth, ellipsis: glyphs.ellipsis)
                frame.put(title, x: rect.x + 3, y: y, maxWidth: titleWidth, style: titleStyle)
            }
            if sourceRoom > 1, let name = state.sourceName(of: post) {
                var sourceStyle = rowStyle
                if !selected { sourceStyle.tint = .muted }
                let shown = TextWrapper.truncate(Sanitizer.clean(name), width: sourceRoom - 1, ellipsis: glyphs.ellipsis)
                frame.put(shown, x: rect.maxX - dateRoom - sourceRoom + 1, y: y, maxWidth: sourceRoom - 1,
                          style: sourceStyle)
            }
            if let date {
                var dateStyle = rowStyle
                if !selected { dateStyle.tint = .muted }
                frame.put(date, x: rect.maxX - dateRoom + 1, y: y, maxWidth: dateRoom - 1, style: dateStyle)
            }
        }
    }
}
