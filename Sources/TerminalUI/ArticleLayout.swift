import Controller
import Foundation
import Posts
import Search
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
    ///   - highlight: a search query whose phrases are highlighted: those for any text in the title and the body,
    ///     those for the title (`title:`) in the title. Found by the search's tokenizer (`SearchHighlighter`), so
    ///     case and diacritics do not matter and what is highlighted is what the search finds.
    ///   - typing: the query is still being typed: its last word is a prefix, as the search takes it.
    public init(post: Post, blocks: [Block], width: Int, glyphs: Glyphs = .unicode, byline: [String]? = nil,
                readNote: String? = nil, highlight: String? = nil, typing: Bool = false) {
        let width = max(1, width)
        var lines: [StyledLine] = []
        var starts: [Int] = [0]

        let titleStyle = Style(.bold, tint: .title)
        for line in TextWrapper.wrap(Sanitizer.clean(post.title), width: width) {
            lines.append(StyledLine([Span(line, titleStyle)]))
        }
        let titleLines = lines.count
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
            // A pasted 10,000-character query would make every line cost thousands of comparisons: its first
            // phrases are highlighted (a post that has them all is rare enough already).
            let phrases = SearchQuery.parse(highlight, typing: typing).required.prefix(Self.highlightedPhraseLimit)
            let anywhere = phrases.filter { $0.field == .any }
            let inTitle = phrases.filter { $0.field == .any || $0.field == .title }
            if !inTitle.isEmpty {
                for index in 0..<titleLines {
                    if let marked = Self.highlighting(inTitle, in: lines[index]) { lines[index] = marked }
                }
            }
            if !anywhere.isEmpty {
                for index in lines.indices where index >= (starts.count > 1 ? starts[1] : lines.count) {
                    if let marked = Self.highlighting(anywhere, in: lines[index]) {
                        lines[index] = marked
                        matches.append(index)
                    }
                }
            }
        }
        self.postID = post.id
        self.width = width
        self.lines = lines
        self.blockStarts = starts
        self.matchLines = matches
    }

    /// At most this many phrases of a query are highlighted.
    static let highlightedPhraseLimit = 64

    /// The line with each match of `phrases` in its own highlighted span, or `nil` when there is none.
    static func highlighting(_ phrases: [SearchQuery.Phrase], in line: StyledLine) -> StyledLine? {
        let text = line.text
        let found = SearchHighlighter.ranges(of: phrases, in: text)
        guard !found.isEmpty else { return nil }
        // Whole characters only: a match that starts or ends inside one (a combining mark) takes all of it.
        var boundaries: [Int] = []
        var offset = 0
        for character in text {
            boundaries.append(offset)
            offset += character.utf8.count
        }
        boundaries.append(offset)
        func snap(_ byte: Int, up: Bool) -> Int {
            var lo = 0, hi = boundaries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if boundaries[mid] < byte { lo = mid + 1 } else { hi = mid }
            }
            if lo < boundaries.count, boundaries[lo] == byte { return byte }
            return up ? boundaries[min(lo, boundaries.count - 1)] : boundaries[max(0, lo - 1)]
        }
        let marks = found.map { snap($0.lowerBound, up: false)..<snap($0.upperBound, up: true) }

        var spans: [Span] = []
        var start = 0
        var m = 0
        for span in line.spans {
            let bytes = Array(span.text.utf8)
            let end = start + bytes.count
            var at = start
            var marked = span.style
            marked.attributes.insert(.reverse)
            marked.tint = .highlight
            func piece(_ from: Int, _ to: Int, _ style: Style) {
                guard to > from else { return }
                spans.append(Span(String(decoding: bytes[(from - start)..<(to - start)], as: UTF8.self), style))
            }
            while m < marks.count, marks[m].lowerBound < end {
                let lower = max(marks[m].lowerBound, at)
                let upper = min(marks[m].upperBound, end)
                piece(at, lower, span.style)
                piece(lower, upper, marked)
                at = max(at, upper)
                if marks[m].upperBound <= end { m += 1 } else { break }
            }
            piece(at, end, span.style)
            start = end
        }
        return StyledLine(spans)
    }
}
