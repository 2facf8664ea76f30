import Posts
import TextCells

/// Lays out the blocks of HTML bodies (`text`, `heading`, `verbatim`, `rule`, `table`) into styled lines of at most
/// `width` cells.
///
/// Every block sits behind a gutter: one quote bar per `blockquote`, its indentation, and on its first line its list
/// marker, right-aligned before the text so that wrapped lines hang under the text. Gutters give way on narrow
/// columns (at least a third of the width, or 20 cells, stays for text), so any nesting fits. All text, markers
/// included, passes `Sanitizer.clean`; a `\n` in a text block is a line break (`<br>`).
enum BlockLayout {
    /// The lines of `block`, without the blank line before it (`separator`).
    static func lines(for block: Block, width: Int, glyphs: Glyphs) -> [StyledLine] {
        switch block {
        case .paragraph, .bullet:
            return []  // text archives' blocks: ArticleLayout draws them
        case .text(let runs, let margin):
            return textLines(runs, margin: margin, width: width, glyphs: glyphs, extra: [])
        case .heading(_, let runs, let margin):
            return textLines(runs, margin: margin, width: width, glyphs: glyphs, extra: .bold)
        case .verbatim(let lines, let margin):
            let gutter = Gutter(margin, width: width, glyphs: glyphs)
            return lines.enumerated().map { index, line in
                let room = index == 0 ? gutter.firstWidth : gutter.restWidth
                var text = Sanitizer.clean(line)
                if DisplayWidth.of(text) > room { text = TextWrapper.truncate(text, width: room, ellipsis: glyphs.ellipsis) }
                return finished((index == 0 ? gutter.first : gutter.rest) + [Span(text, Style(tint: .code))])
            }
        case .rule(let margin):
            let gutter = Gutter(margin, width: width, glyphs: glyphs)
            let count = max(0, gutter.firstWidth / max(1, DisplayWidth.of(glyphs.horizontal)))
            return [finished(gutter.first + [Span(String(repeating: glyphs.horizontal, count: count), Style(.dim, tint: .muted))])]
        case .table(let table, let margin):
            return tableLines(table, margin: margin, width: width, glyphs: glyphs)
        }
    }

    /// The line between `previous` and `block`: blank (with the quote bars both share), or none for a tight block.
    static func separator(after previous: Block?, before block: Block, width: Int, glyphs: Glyphs) -> StyledLine? {
        guard let previous, let before = margin(of: previous), let after = margin(of: block) else { return StyledLine() }
        if case .heading = previous {} else if case .heading = block {} else if after.tight { return nil }
        let shared = Margin(quoteDepth: min(before.quoteDepth, after.quoteDepth))
        return finished(Gutter(shared, width: width, glyphs: glyphs).rest)
    }

    /// How an inline emphasis is drawn: bold, italic (underline where the terminal has no italic), links underlined in
    /// the accent tint, `[n]` references and captions muted, code and marked text in their tints (plain without colour).
    static func style(for emphasis: Emphasis) -> Style {
        var style = Style.plain
        if emphasis.contains(.bold) { style.attributes.insert(.bold) }
        if emphasis.contains(.italic) { style.attributes.insert(.italic) }
        if emphasis.contains(.link) {
            style.attributes.insert(.underline)
            style.tint = .accent
        }
        if emphasis.contains(.muted) || emphasis.contains(.reference) {
            style.attributes.insert(.dim)
            style.tint = .muted
        }
        if emphasis.contains(.code) { style.tint = .code }
        if emphasis.contains(.mark) { style.tint = .mark }
        return style
    }

    private static func margin(of block: Block) -> Margin? {
        switch block {
        case .paragraph, .bullet: return nil
        case .text(_, let m), .heading(_, _, let m), .verbatim(_, let m), .rule(let m), .table(_, let m): return m
        }
    }

    // MARK: Text

    private static func textLines(_ runs: [Inline], margin: Margin, width: Int, glyphs: Glyphs, extra: Attributes) -> [StyledLine] {
        let gutter = Gutter(margin, width: width, glyphs: glyphs)
        var lines: [StyledLine] = []
        for (index, segment) in segments(runs, extra: extra).enumerated() {
            let wrapped = StyledWrapper.wrap(segment, width: gutter.restWidth, firstWidth: index == 0 ? gutter.firstWidth : nil)
            for (row, spans) in wrapped.enumerated() {
                lines.append(finished((index == 0 && row == 0 ? gutter.first : gutter.rest) + spans))
            }
        }
        return lines
    }

    /// The runs split at line breaks, sanitized and styled.
    private static func segments(_ runs: [Inline], extra: Attributes) -> [[Span]] {
        var segments: [[Span]] = [[]]
        for run in runs {
            var style = style(for: run.emphasis)
            style.attributes.formUnion(extra)
            guard run.text.utf8.contains(0x0A) else {
                let text = Sanitizer.clean(run.text)
                if !text.isEmpty { segments[segments.count - 1].append(Span(text, style)) }
                continue
            }
            for (index, piece) in run.text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                if index > 0 { segments.append([]) }
                let text = Sanitizer.clean(String(Substring(piece)))
                if !text.isEmpty { segments[segments.count - 1].append(Span(text, style)) }
            }
        }
        return segments
    }

    // MARK: Tables

    private static func tableLines(_ table: Table, margin: Margin, width: Int, glyphs: Glyphs) -> [StyledLine] {
        let gutter = Gutter(margin, width: width, glyphs: glyphs)
        let rows: [[[Span]]] = table.rows.enumerated().map { r, row in
            row.map { cell in
                segments(cell, extra: r < table.headerRows ? .bold : []).flatMap { $0 }
            }
        }
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.reduce(0) { $0 + DisplayWidth.of($1.text) }) }
        }
        let gap = 2
        var lines: [StyledLine] = []
        func add(_ spans: [Span]) { lines.append(finished((lines.isEmpty ? gutter.first : gutter.rest) + spans)) }

        if columns > 0, widths.reduce(0, +) + gap * (columns - 1) <= min(gutter.firstWidth, gutter.restWidth) {
            for (r, row) in rows.enumerated() {
                var spans: [Span] = []
                for c in 0..<columns {
                    let cell = c < row.count ? row[c] : []
                    spans += cell
                    if c < columns - 1 {
                        let used = cell.reduce(0) { $0 + DisplayWidth.of($1.text) }
                        spans.append(Span(String(repeating: " ", count: widths[c] - used + gap)))
                    }
                }
                add(spans)
                if r == table.headerRows - 1 {
                    let rule = widths.map { String(repeating: glyphs.horizontal, count: $0) }.joined(separator: "  ")
                    add([Span(rule, Style(.dim, tint: .muted))])
                }
            }
            return lines
        }
        // Too wide: one `Header: value` line per cell, a blank line between rows.
        let hasHeaders = table.headerRows > 0 && table.headerRows < rows.count
        let headers: [String] = hasHeaders ? rows[table.headerRows - 1].map { $0.map(\.text).joined() } : []
        let blank = finished(Gutter(Margin(quoteDepth: margin.quoteDepth), width: width, glyphs: glyphs).rest)
        for (r, row) in rows.enumerated() where !hasHeaders || r >= table.headerRows {
            if !lines.isEmpty && row.contains(where: { !$0.isEmpty }) { lines.append(blank) }
            for (c, cell) in row.enumerated() where !cell.isEmpty {
                var spans = cell
                if c < headers.count, !headers[c].isEmpty {
                    spans = [Span(headers[c] + ":", Style(.bold)), Span(" ")] + cell
                }
                // Continuation lines hang two cells in, when there is room for it.
                let hang = gutter.restWidth > 4 ? 2 : 0
                let wrapped = StyledWrapper.wrap(spans, width: gutter.restWidth - hang,
                                                 firstWidth: lines.isEmpty ? gutter.firstWidth : gutter.restWidth)
                for (row, pieces) in wrapped.enumerated() {
                    add((row == 0 || hang == 0 ? [] : [Span(String(repeating: " ", count: hang))]) + pieces)
                }
            }
        }
        return lines
    }

    // MARK: Gutters

    /// The start of each line of a block: quote bars, indentation, and the marker on the first line.
    struct Gutter {
        var first: [Span] = []
        var rest: [Span] = []
        var firstWidth: Int
        var restWidth: Int

        init(_ margin: Margin, width: Int, glyphs: Glyphs) {
            let width = max(1, width)
            let minimumText = min(width, max(1, min(20, width / 3)))
            let room = width - minimumText
            let bar = glyphs.quoteBar
            let barWidth = margin.quoteDepth > 0 ? DisplayWidth.of(bar) + 1 : 2
            let depth = min(max(0, margin.quoteDepth), room / barWidth)
            var bars: [Span] = []
            if depth > 0 {
                bars = [Span(Array(repeating: bar, count: depth).joined(separator: " ") + " ", Style(.dim, tint: .muted))]
            }
            let indent = min(max(0, margin.indent), room - depth * barWidth)
            rest = bars + (indent > 0 ? [Span(String(repeating: " ", count: indent))] : [])
            restWidth = width - depth * barWidth - indent
            first = rest
            firstWidth = restWidth
            guard let raw = margin.marker else { return }
            var marker = Sanitizer.clean(raw == "•" ? glyphs.bullet : raw == "–" ? glyphs.subBullet : raw)
            var markerWidth = DisplayWidth.of(marker)
            guard markerWidth > 0 else { return }
            let markerStyle = Style(tint: .accent)
            if markerWidth + 1 <= indent {
                first = bars + [Span(String(repeating: " ", count: indent - markerWidth - 1)), Span(marker, markerStyle), Span(" ")]
                return
            }
            // Wider than the indentation: the marker pushes the first line's text right (cut if it must be).
            let available = width - depth * barWidth - 2
            guard available >= 1 else { return }
            if markerWidth > available {
                marker = TextWrapper.truncate(marker, width: available, ellipsis: glyphs.ellipsis)
                markerWidth = DisplayWidth.of(marker)
            }
            first = bars + [Span(marker, markerStyle), Span(" ")]
            firstWidth = width - depth * barWidth - markerWidth - 1
        }
    }

    /// A line without trailing spaces.
    private static func finished(_ spans: [Span]) -> StyledLine {
        var spans = spans
        while let last = spans.last {
            var text = Substring(last.text)
            while text.last == " " { text = text.dropLast() }
            if text.isEmpty { spans.removeLast() } else { spans[spans.count - 1].text = String(text); break }
        }
        return StyledLine(spans)
    }
}
