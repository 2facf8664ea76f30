import Controller
import TextCells

/// The sources view (`s`) and the tags view (`t`): a row per source or tag in the list pane (its name, tags,
/// unread and total counts, a `!` for a failing feed), and the selected one's details in the reading pane.
enum SourcesPane {
    /// Tags make way for the name below this width.
    static let minimumWidthForTags = 40

    private struct Row {
        var name: String
        var detail: String
        /// `nil`: a saved search whose posts are still being found.
        var counts: PostCounts?
        var failing: Bool
    }

    private static func rows(_ state: AppState, _ range: Range<Int>, glyphs: Glyphs) -> [Row] {
        switch state.listMode {
        case .posts:
            return []
        case .sources:
            // The sources, then the saved searches (their query as the detail).
            let sources = state.listedSources
            let saved = state.savedSearches
            return range.clamped(to: 0..<(sources.count + saved.count)).map { i in
                guard i < sources.count else {
                    let n = i - sources.count
                    return Row(name: glyphs.savedSearch + " " + saved[n].name, detail: saved[n].query,
                               counts: state.counts(ofSavedSearch: n), failing: false)
                }
                let source = sources[i]
                return Row(name: source.name, detail: source.tags.joined(separator: " "),
                           counts: state.counts(ofSource: source.index), failing: source.failure != nil)
            }
        case .tags:
            let tags = state.allTags
            return range.clamped(to: 0..<tags.count).map { i in
                let members = state.sources(withTag: tags[i])
                return Row(name: tags[i], detail: "\(members.count) source\(members.count == 1 ? "" : "s")",
                           counts: state.counts(ofTag: tags[i]), failing: members.contains { $0.failure != nil })
            }
        }
    }

    static func drawList(_ state: AppState, into frame: inout Frame, in rect: Rect, glyphs: Glyphs) {
        guard rect.width > 0, rect.height > 0 else { return }
        let top = state.pickerTop
        let shown = rows(state, top..<(top + rect.height), glyphs: glyphs)
        guard !shown.isEmpty else {
            frame.put(state.listMode == .sources ? "  No sources" : "  No tags", x: rect.x, y: rect.y,
                      maxWidth: rect.width, style: Style(.dim, tint: .muted))
            return
        }
        let focused = state.focus == .list
        // The counts line up in a column as wide as the widest one on screen; the tags get at most a third.
        let countsWidth = shown.map { DisplayWidth.of(countsText($0.counts, glyphs: glyphs)) }.max() ?? 0
        let detailRoom = rect.width >= minimumWidthForTags
            ? min(rect.width / 3, shown.map { DisplayWidth.of(Sanitizer.clean($0.detail)) }.max() ?? 0) : 0
        for (offset, row) in shown.enumerated() {
            let y = rect.y + offset
            let selected = top + offset == state.pickerSelection
            var rowStyle = Style()
            if selected { rowStyle.attributes.insert(.reverse); rowStyle.tint = .selection }
            if selected && !focused { rowStyle.attributes.insert(.dim) }
            frame.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: rowStyle)

            let unread = (row.counts?.unread ?? 0) > 0
            var mark = rowStyle
            if row.failing {
                mark.attributes.insert(.bold)
                if !selected { mark.tint = .error }
            } else if unread && !selected {
                mark.tint = .accent
            }
            frame.put(row.failing ? "!" : (unread ? glyphs.unread : " "), x: rect.x + 1, y: y, maxWidth: 1, style: mark)

            var muted = rowStyle
            if !selected { muted.tint = .muted }
            let counts = countsText(row.counts, glyphs: glyphs)
            let countsX = rect.maxX - 1 - countsWidth
            if countsX > rect.x + 3 {
                frame.put(counts, x: rect.maxX - 1 - DisplayWidth.of(counts), y: y, style: muted)
            }
            var nameEnd = countsX - 1
            if detailRoom > 0, !row.detail.isEmpty, countsX - detailRoom - 2 >= rect.x + 3 + 12 {
                let detail = TextWrapper.truncate(Sanitizer.clean(row.detail), width: detailRoom, ellipsis: glyphs.ellipsis)
                frame.put(detail, x: countsX - 1 - detailRoom, y: y, maxWidth: detailRoom, style: muted)
                nameEnd = countsX - detailRoom - 2
            }
            var nameStyle = rowStyle
            if unread { nameStyle.attributes.insert(.bold) }
            let nameWidth = nameEnd - (rect.x + 3)
            if nameWidth > 0 {
                frame.put(TextWrapper.truncate(Sanitizer.clean(row.name), width: nameWidth, ellipsis: glyphs.ellipsis),
                          x: rect.x + 3, y: y, maxWidth: nameWidth, style: nameStyle)
            }
        }
    }

    /// `12/340`: unread of all.
    static func countsText(_ counts: PostCounts) -> String { "\(counts.unread)/\(counts.total)" }

    /// `12/340`, or an ellipsis while a saved search's posts are being found.
    static func countsText(_ counts: PostCounts?, glyphs: Glyphs) -> String {
        counts.map { countsText($0) } ?? glyphs.ellipsis
    }

    /// The selected source's (or tag's) details, in the reading pane's text column.
    static func drawDetails(_ state: AppState, into frame: inout Frame, in text: Rect, keymap: Keymap, glyphs: Glyphs) {
        guard text.width > 0, text.height > 0 else { return }
        var lines: [(text: String, style: Style)] = []
        let plain = Style()
        let label = Style(.bold)
        let textWidth = text.width
        func add(_ value: String, _ style: Style = plain) {
            let wrapped = TextWrapper.wrap(Sanitizer.clean(value), width: max(1, textWidth))
            for line in wrapped.isEmpty ? [""] : wrapped { lines.append((line, style)) }
        }
        func field(_ name: String, _ value: String, _ style: Style = plain) {
            let labelText = name + ": "
            let room = max(1, textWidth - DisplayWidth.of(labelText))
            let wrapped = TextWrapper.wrap(Sanitizer.clean(value), width: room)
            for (i, line) in (wrapped.isEmpty ? [""] : wrapped).enumerated() {
                lines.append(((i == 0 ? labelText : String(repeating: " ", count: DisplayWidth.of(labelText))) + line,
                              style))
            }
        }
        var hints: [(Command, String)] = []
        if let source = state.selectedSource {
            let counts = state.counts(ofSource: source.index)
            add(source.name, Style(.bold, tint: .title))
            lines.append(("", plain))
            field(source.kind == .subscription ? "URL" : "File", source.location.isEmpty ? "-" : source.location)
            field("Kind", kindName(source.kind))
            if !source.tags.isEmpty { field("Tags", source.tags.joined(separator: ", ")) }
            field("Posts", "\(counts.total), \(counts.unread) unread")
            if let failure = source.failure {
                field("Last fetch failed", failure, Style(.bold, tint: .error))
            }
            hints = [(.open, "shows its posts")]
            if source.kind == .subscription { hints += [(.fetch, "fetches it"), (.backfill, "backfills it")] }
            hints += [(.markAllRead, "marks it read"), (.sources, "goes back")]
        } else if let saved = state.selectedSavedSearch, let n = state.savedSearches.firstIndex(of: saved) {
            add(glyphs.savedSearch + " " + saved.name, Style(.bold, tint: .title))
            lines.append(("", plain))
            field("Search", saved.query)
            field("Kind", "saved search")
            if let counts = state.counts(ofSavedSearch: n) {
                field("Posts", "\(counts.total), \(counts.unread) unread")
            } else {
                field("Posts", "being found" + glyphs.ellipsis)
            }
            if let problem = state.problem(ofSavedSearch: n) {
                field("Not understood", problem, Style(.bold, tint: .error))
            }
            hints = [(.open, "shows its posts"), (.markAllRead, "marks them read"), (.sources, "goes back")]
        } else if let tag = state.selectedTag {
            let counts = state.counts(ofTag: tag)
            add("Tag: " + tag, Style(.bold, tint: .title))
            lines.append(("", plain))
            field("Posts", "\(counts.total), \(counts.unread) unread")
            lines.append(("", plain))
            let members = state.sources(withTag: tag)
            lines.append(("Sources:", label))
            for source in members {
                let mark = source.failure != nil ? "! " : "  "
                add(mark + source.name + "  " + countsText(state.counts(ofSource: source.index)),
                    source.failure != nil ? Style(tint: .error) : plain)
            }
            hints = [(.open, "shows their posts")]
            if members.contains(where: { $0.kind == .subscription }) { hints.append((.fetch, "fetches them")) }
            hints += [(.markAllRead, "marks them read"), (.filterTag, "goes back")]
        } else {
            return
        }
        let hint = hints.compactMap { command, what in key(for: command, keymap).map { "\($0) \(what)" } }
        if !hint.isEmpty {
            lines.append(("", plain))
            add(hint.joined(separator: " \(glyphs.separator) "), Style(.dim, tint: .muted))
        }
        for (i, line) in lines.prefix(text.height).enumerated() {
            frame.put(line.text, x: text.x, y: text.y + i, maxWidth: text.width, style: line.style)
        }
    }

    private static func kindName(_ kind: SourceSummary.Kind) -> String {
        switch kind {
        case .archive: "text archive"
        case .feedFile: "feed file"
        case .subscription: "subscription"
        }
    }

    /// The key the keymap has for `command` in the list (the first one), by its display name.
    static func key(for command: Command, _ keymap: Keymap) -> String? {
        (keymap.bindings.first { $0.command == command && $0.context == .list }
            ?? keymap.bindings.first { $0.command == command && $0.context == .global })?.key.displayName
    }
}
