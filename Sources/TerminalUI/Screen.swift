import Controller
import Posts
import TextCells

/// Draws a whole screen from the state: a pure function from values to a `Frame`.
public enum Screen {
    /// With `rows`, list rows and article lines drawn before are copied rather than drawn again (`RowCache`).
    public static func draw(_ state: AppState, layout: ScreenLayout, article: ArticleLayout?,
                            keymap: Keymap = .standard, glyphs: Glyphs = .unicode, rows: RowCache? = nil) -> Frame {
        var frame = Frame(size: layout.size)
        guard layout.arrangement != .tooSmall else {
            let notice = "Terminal too small (need \(ScreenLayout.minimum))"
            frame.put(TextWrapper.truncate(notice, width: layout.size.columns, ellipsis: ""), x: 0, y: 0)
            return frame
        }
        drawTitleBar(state, into: &frame, layout: layout, glyphs: glyphs)
        if state.listMode != .posts {
            // The sources or tags view: its rows in the list pane, the selected one's details beside them.
            SourcesPane.drawList(state, into: &frame, in: layout.list, glyphs: glyphs)
            drawSeparator(into: &frame, layout: layout, glyphs: glyphs)
            SourcesPane.drawDetails(state, into: &frame, in: layout.readingText, keymap: keymap, glyphs: glyphs)
            StatusBar.draw(state, article: nil, into: &frame, in: layout.statusBar, glyphs: glyphs, keymap: keymap)
        } else {
            if layout.arrangement != .zoomed {
                ListPane.draw(state, into: &frame, in: layout.list, glyphs: glyphs, cache: rows)
                drawSeparator(into: &frame, layout: layout, glyphs: glyphs)
            }
            ReadingPane.draw(state, article: article, into: &frame, in: layout.reading, text: layout.readingText,
                             cache: rows)
            StatusBar.draw(state, article: article, into: &frame, in: layout.statusBar, glyphs: glyphs, keymap: keymap)
        }
        if state.showingHelp {
            HelpOverlay.draw(keymap, into: &frame, glyphs: glyphs, within: helpArea(layout.size), top: state.helpTop)
        }
        return frame
    }

    /// Where the help overlay may go: the whole screen.
    static func helpArea(_ size: Size) -> Rect { Rect(x: 0, y: 0, width: size.columns, height: size.rows) }

    /// The title line's text after `Gazette ·`: the archive's title, or what the list shows instead.
    static func title(_ state: AppState, glyphs: Glyphs) -> String {
        let sep = " \(glyphs.separator) "
        switch state.listMode {
        case .sources:
            let count = state.listedSources.count
            let saved = state.savedSearches.count
            let searches = saved == 0 ? "" : sep + "\(saved) saved search\(saved == 1 ? "" : "es")"
            return "Sources (\(count))" + searches + sep + "Enter shows a source's posts"
        case .tags:
            return "Tags (\(state.allTags.count))" + sep + "Enter shows a tag's posts"
        case .posts:
            switch state.scope {
            case .source?: return "Only " + Sanitizer.clean(state.scopeName ?? "") + sep + "Esc shows every source"
            case .tag(let tag)?: return "Only tag " + Sanitizer.clean(tag) + sep + "Esc shows every source"
            case .savedSearch(let name)?:
                return "Only " + glyphs.savedSearch + " " + Sanitizer.clean(name) + sep + "Esc shows every source"
            case nil: return Sanitizer.clean(state.title)
            }
        }
    }

    private static func drawTitleBar(_ state: AppState, into frame: inout Frame, layout: ScreenLayout, glyphs: Glyphs) {
        let bar = layout.titleBar
        let style = Style(.bold, tint: .title)
        frame.fill(bar, style: style)
        let text = " Gazette \(glyphs.separator) " + title(state, glyphs: glyphs)
        frame.put(TextWrapper.truncate(text, width: bar.width, ellipsis: glyphs.ellipsis), x: bar.x, y: bar.y,
                  maxWidth: bar.width, style: style)
    }

    private static func drawSeparator(into frame: inout Frame, layout: ScreenLayout, glyphs: Glyphs) {
        let r = layout.separator
        let style = Style(tint: .border)
        if layout.arrangement == .sideBySide {
            for y in r.y..<r.maxY { frame.put(glyphs.vertical, x: r.x, y: y, maxWidth: 1, style: style) }
        } else {
            let line = String(repeating: glyphs.horizontal, count: max(0, r.width / max(1, DisplayWidth.of(glyphs.horizontal))))
            frame.put(line, x: r.x, y: r.y, maxWidth: r.width, style: style)
        }
    }
}

/// Lays out the selected article, draws frames, and feeds the measurements back into the state.
///
/// Both the run loop and the snapshot tests go through here, so what is tested is what is shown.
public final class Renderer {
    public let glyphs: Glyphs
    public var keymap: Keymap
    /// The widest the reading column gets, in cells (`set measure N`).
    public var measure: Int
    private let body: (Post) -> PostBody
    private var cached: ArticleLayout?
    /// Rows drawn before (the glyphs are fixed for the renderer's life, so they need not be part of the keys).
    private let rows = RowCache()
    private var cachedKey: ArticleKey?

    /// Everything an article's layout depends on.
    private struct ArticleKey: Hashable {
        var postID: PostID
        var width: Int
        var readNote: String?
        var highlight: String?
        /// The search is still being typed: its last word is a prefix.
        var typing: Bool
        /// The posts were replaced (`R`): the same post may have another body.
        var generation: Int
    }

    public init(keymap: Keymap = .standard, glyphs: Glyphs = .unicode, measure: Int = ScreenLayout.defaultMeasure,
                body: @escaping (Post) -> PostBody) {
        self.keymap = keymap
        self.glyphs = glyphs
        self.measure = measure
        self.body = body
    }

    /// The frame for `state` at `size`. Updates the state's viewport when the measurements changed.
    public func frame(for state: inout AppState, size: Size) -> Frame {
        let layout = self.layout(for: state, size: size)
        var article: ArticleLayout?
        if layout.arrangement != .tooSmall, let post = state.selectedPost {
            let key = ArticleKey(postID: post.id, width: layout.readingText.width,
                                 readNote: state.readAt(post).map { "read " + RelativeTime.phrase(since: $0, now: state.now) },
                                 highlight: state.search?.query, typing: true,
                                 generation: state.generation)
            article = self.article(for: post, key: key, state: &state)
        }
        var help: HelpOverlay.Geometry?
        if state.showingHelp { help = HelpOverlay.geometry(keymap, within: Screen.helpArea(size)) }
        let viewport = Viewport(listRows: max(1, layout.list.height), readingRows: max(1, layout.reading.height),
                                article: article?.geometry, sideBySide: layout.arrangement == .sideBySide,
                                helpRows: help?.rows ?? 0, helpLines: help?.lineCount ?? 0)
        if viewport != state.viewport { _ = state.reduce(.viewport(viewport)) }
        return Screen.draw(state, layout: layout, article: article, keymap: keymap, glyphs: glyphs, rows: rows)
    }

    /// Where everything goes for `state` at `size` (what the mouse is pointing at, too).
    public func layout(for state: AppState, size: Size) -> ScreenLayout {
        var preferences = state.layout
        // The sources and tags views live in the list pane: never zoomed away.
        if state.listMode != .posts { preferences.zoomed = false }
        return ScreenLayout(size: size, preferences: preferences, measure: measure)
    }

    /// Only the post on screen is ever read and wrapped; the last one is kept for the next frame. A body that could
    /// not be read as it was (its file changed on disk) says so in the status bar, once for each time it is read.
    private func article(for post: Post, key: ArticleKey, state: inout AppState) -> ArticleLayout {
        if let cached, cachedKey == key { return cached }
        let body = body(post)
        if let notice = body.notice, cachedKey?.postID != key.postID {
            _ = state.reduce(.showStatus(StatusMessage(notice, isError: true)))
        }
        let layout = ArticleLayout(post: post, blocks: body.blocks, width: key.width, glyphs: glyphs,
                                   byline: body.byline, readNote: key.readNote, highlight: key.highlight,
                                   typing: key.typing)
        cached = layout
        cachedKey = key
        return layout
    }
}
