import Controller
import Foundation
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
        ArticleGeometry(postID: postID, width: width, lineCount: lines.count, blockStarts: blockStarts,
                        matchLines: matchLines)
    }

    /// Lines holding a match of `highlight`, ascending.
    public let matchLines: [Int]

    /// Lays out `post` with its `blocks` in `width` cells.
    ///
    /// - Parameters:
    ///   - byline: what follows the date in the header (a feed item's authors and feed); by default the post's
    ///     author and attribution line.
    ///   - readNote: shown after the metadata (`read 2 days ago`).
    ///   - highlight: text to highlight in the body, matched ignoring case and diacritics.
    public init(post: Post, blocks: [Block], width: Int, glyphs: Glyphs = .unicode, byline: [String]? = nil,
                readNote: String? = nil, highlight: String? = nil) {
        let width = max(1, width)
        var lines: [StyledLine] = []
        var starts: [Int] = [0]

        let titleStyle = Style(.bold, tint: .title)
        for line in TextWrapper.wrap(Sanitizer.clean(post.title), width: width) {
            lines.append(StyledLine([Span(line, titleStyle)]))
        }
        var meta: [String] = []
        if let date = post.dateText ?? post.date?.description { meta.append(date) }
        if let byline {
            meta += byline
        } else {
            if let author = post.author { meta.append(author) }
            if let source = post.source { meta.append(source) }
        }
        if let readNote { meta.append(readNote) }
        if !meta.isEmpty {
            let text = Sanitizer.clean(meta.joined(separator: " \(glyphs.separator) "))
            for line in TextWrapper.wrap(text, width: width) {
                lines.append(StyledLine([Span(line, Style(.dim, tint: .muted))]))
            }
        }

        var previousWasBullet = false
        var previousBlock: Block?
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
            default:
                // Blocks from HTML bodies (BlockLayout): a blank line before each unless it is tight.
                if let separator = BlockLayout.separator(after: previousBlock, before: block, width: width, glyphs: glyphs) {
                    lines.append(separator)
                }
                starts.append(lines.count)
                lines += BlockLayout.lines(for: block, width: width, glyphs: glyphs)
                previousWasBullet = false
            }
            previousBlock = block
        }
        if let source = post.source {
            lines.append(StyledLine())
            starts.append(lines.count)
            for line in TextWrapper.wrap(Sanitizer.clean("[\(source)]"), width: width) {
                lines.append(StyledLine([Span(line, Style(.dim, tint: .muted))]))
            }
        }
        var matches: [Int] = []
        if let highlight, !highlight.isEmpty {
            for index in lines.indices where index >= (starts.count > 1 ? starts[1] : lines.count) {
                if let marked = Self.highlighting(highlight, in: lines[index]) {
                    lines[index] = marked
                    matches.append(index)
                }
            }
        }
        self.postID = post.id
        self.width = width
        self.lines = lines
        self.blockStarts = starts
        self.matchLines = matches
    }

    /// The line with every occurrence of `needle` in its own highlighted span, or `nil` when there is none.
    static func highlighting(_ needle: String, in line: StyledLine) -> StyledLine? {
        var spans: [Span] = []
        var found = false
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        for span in line.spans {
            var rest = span.text[...]
            while let range = rest.range(of: needle, options: options) {
                found = true
                if range.lowerBound > rest.startIndex {
                    spans.append(Span(String(rest[rest.startIndex..<range.lowerBound]), span.style))
                }
                var marked = span.style
                marked.attributes.insert(.reverse)
                marked.tint = .highlight
                spans.append(Span(String(rest[range]), marked))
                rest = rest[range.upperBound...]
                if range.isEmpty { break }
            }
            if !rest.isEmpty { spans.append(Span(String(rest), span.style)) }
        }
        return found ? StyledLine(spans) : nil
    }
}
