import Controller
import Posts
import TextCells

/// A run of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One display line of the reading pane.
public struct StyledLine: Hashable, Sendable {
    public var spans: [Span]

    public init(_ spans: [Span] = []) { self.spans = spans }

    public var text: String { spans.map(\.text).joined() }
}

/// An article wrapped to one width: the lines of the reading pane and where each block starts.
///
/// Built only for the post on screen (never for the whole archive), and cached by the renderer
/// until the post or the width changes.
public struct ArticleLayout: Hashable, Sendable {
    public let postID: PostID
    public let width: Int
    public let lines: [StyledLine]
    /// First line of the header (0) and of each body block, ascending.
    public let blockStarts: [Int]

    public var geometry: ArticleGeometry {
        ArticleGeometry(postID: postID, width: width, lineCount: lines.count, blockStarts: blockStarts)
    }

    /// Lays out `post` with its `blocks` in `width` cells.
    public init(post: Post, blocks: [Block], width: Int, glyphs: Glyphs = .unicode) {
        let width = max(1, width)
        var lines: [StyledLine] = []
        var starts: [Int] = [0]

        let titleStyle = Style(.bold, tint: .title)
        for line in TextWrapper.wrap(Sanitizer.clean(post.title), width: width) {
            lines.append(StyledLine([Span(line, titleStyle)]))
        }
        var meta: [String] = []
        if let date = post.dateText ?? post.date?.description { meta.append(date) }
        if let author = post.author { meta.append(author) }
        if let source = post.source { meta.append(source) }
        if !meta.isEmpty {
            let text = Sanitizer.clean(meta.joined(separator: " \(glyphs.separator) "))
            for line in TextWrapper.wrap(text, width: width) {
                lines.append(StyledLine([Span(line, Style(.dim, tint: .muted))]))
            }
        }

        var previousWasBullet = false
        for block in blocks {
            switch block {
            case .paragraph(let text):
                lines.append(StyledLine())
                starts.append(lines.count)
                for line in TextWrapper.wrap(Sanitizer.clean(text), width: width) {
                    lines.append(StyledLine([Span(line)]))
                }
                previousWasBullet = false
            case .bullet(let level, let text):
                // Consecutive items form one list: no blank line between them.
                if !previousWasBullet { lines.append(StyledLine()) }
                starts.append(lines.count)
                let marker = level <= 1 ? glyphs.bullet : glyphs.subBullet
                let indent = level <= 1 ? 2 : 4
                let prefix = String(repeating: " ", count: indent) + marker + " "
                let hang = DisplayWidth.of(prefix)
                let available = max(1, width - hang)
                let wrapped = TextWrapper.wrap(Sanitizer.clean(text), width: available)
                for (i, line) in wrapped.enumerated() {
                    if i == 0 {
                        lines.append(StyledLine([Span(prefix, Style(tint: .accent)), Span(line)]))
                    } else {
                        lines.append(StyledLine([Span(String(repeating: " ", count: hang)), Span(line)]))
                    }
                }
                previousWasBullet = true
            }
        }
        if let source = post.source {
            lines.append(StyledLine())
            starts.append(lines.count)
            for line in TextWrapper.wrap(Sanitizer.clean("[\(source)]"), width: width) {
                lines.append(StyledLine([Span(line, Style(.dim, tint: .muted))]))
            }
        }
        self.postID = post.id
        self.width = width
        self.lines = lines
        self.blockStarts = starts
    }
}
