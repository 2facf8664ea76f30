import Controller

/// The article of the selected post, from the state's scroll position; only visible lines are drawn.
enum ReadingPane {
    /// With a `cache`, lines drawn before are copied (see `RowCache`).
    static func draw(_ state: AppState, article: ArticleLayout?, into frame: inout Frame, in pane: Rect, text: Rect,
                     cache: RowCache? = nil) {
        guard pane.width > 0, pane.height > 0 else { return }
        guard let article else {
            frame.put("No post selected", x: text.x, y: text.y, maxWidth: text.width, style: Style(.dim, tint: .muted))
            return
        }
        let top = min(state.readingTop, max(0, article.lines.count - 1))
        let end = min(article.lines.count, top + text.height)
        guard top < end else { return }
        for index in top..<end {
            var x = text.x
            let y = text.y + index - top
            let key = RowCache.LineKey(line: index, width: text.width)
            if let cells = cache?.articleLine(key, of: article) {
                frame.blit(cells, x: text.x, y: y)
                continue
            }
            defer { cache?.storeArticleLine(key, of: article, frame.row(y, from: text.x, count: text.width)) }
            for span in article.lines[index].spans {
                let used = frame.put(span.text, x: x, y: y, maxWidth: text.maxX - x, style: span.style)
                x += used
                if x >= text.maxX { break }
            }
        }
    }
}
