import Posts

/// Turns the elements and text of an HTML document, in document order, into blocks: the reading pane's model.
///
/// Driven by a tree walk (`HTMLDocument`): `open` for each element (returning whether to visit its content), `text`
/// for each text node, `close` after an element's content. Whitespace collapses as a browser collapses it; block
/// elements end the running paragraph; state that nests (emphasis, quotes, indentation, lists) is saved per
/// element and restored on `close`, so any depth of nesting costs a frame on the heap, never the stack.
struct HTMLBlockBuilder {
    private(set) var blocks: [Block] = []
    private(set) var links: LinkList
    /// What relative URLs resolve against: the `base` argument, then a `<base href>` of the body.
    private var base: String?

    init(base: String?, links: LinkList) {
        self.base = base
        self.links = links
    }

    // MARK: State

    /// What nests: saved when an element opens, restored when it closes.
    private struct Context {
        var emphasis: Emphasis = []
        var quoteDepth = 0
        var indent = 0
        /// Inside a list item: blocks follow each other without a blank line.
        var inList = false
        /// Unordered lists around (for `•` then `–`).
        var bulletDepth = 0
        var inPre = false
        /// Inside a table cell (or caption): block elements only separate words.
        var inCell = false
    }

    /// What an element's `close` does besides restoring the context.
    private enum Closing {
        case nothing, paragraph, heading(Int), link(url: String, contentMark: Int), closingQuote, pre, list, cell(header: Bool),
             caption, table, space, term
    }

    private struct Frame {
        var closing: Closing
        var saved: Context
    }

    /// A list being read: what its next item's marker is.
    private struct ListState {
        var ordered: Bool
        var bullet: String
        var number: Int
        var step: Int
        var numbering: ListMarker.Numbering

        mutating func nextMarker(value: Int?) -> String {
            guard ordered else { return bullet }
            if let value { number = value }
            defer { number += step }
            return ListMarker.marker(number, numbering)
        }
    }

    /// A table being read.
    private struct TableState {
        var rows: [[[Inline]]] = []
        /// Rows inside `thead`.
        var rowIsHeader: [Bool] = []
        /// `th` cells per row: a row of them only is a header row too.
        var headerCells: [Int] = []
        var inHead = false

        mutating func startRow() {
            rows.append([])
            rowIsHeader.append(inHead)
            headerCells.append(0)
        }
        var caption: [Inline] = []
    }

    private var context = Context()
    private var frames: [Frame] = []
    private var lists: [ListState] = []
    private var tables: [TableState] = []

    /// The running paragraph (or table cell).
    private var runs: [Inline] = []
    /// Whitespace was seen since the last text: one space goes before the next text on the line.
    private var pendingSpace = false
    /// At the start of a block or after a line break: whitespace there is dropped.
    private var atLineStart = true
    /// Counts appended runs of visible text (to tell whether a link had any).
    private var contentCount = 0
    /// The marker of a list item, for the first block of the item.
    private var pendingMarker: String?
    /// Whether the next block sits without (true) or with (false) a blank line before it, overriding the context.
    private var nextTight: Bool?
    /// The index of the block of the last `dt`.
    private var lastTermBlock = -1
    /// The text of the `pre` being read, verbatim.
    private var preText = ""

    // MARK: Elements

    /// Elements whose content is never shown.
    private static let dropped: Set<String> = [
        "script", "style", "noscript", "template", "title", "meta", "link", "svg", "math", "select",
        "textarea", "input", "source", "track", "param", "area", "map", "datalist", "wbr",
    ]

    /// Elements that end the running paragraph (or, inside a table cell, separate words).
    private static let paragraphElements: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "address", "details", "summary",
        "center", "body", "html", "form", "fieldset", "legend", "hgroup", "search", "dl", "output", "noframes",
    ]

    /// Visits `element`: returns whether its content is to be visited (then `close` follows it).
    mutating func open(_ element: some HTMLElementView) -> Bool {
        let name = element.name
        if Self.dropped.contains(name) { return false }
        let saved = context
        var closing = Closing.nothing
        if context.inCell, Self.separatesInCell(name) {
            pendingSpace = true
            frames.append(Frame(closing: .space, saved: saved))
            return true
        }
        switch name {
        case "br":
            lineBreak()
            return false
        case "img":
            placeholder("image", element.attribute("alt"))
            return false
        case "iframe", "video", "embed", "audio", "object":
            let src = element.attribute(name == "object" ? "data" : "src") ?? element.childAttribute("src", ofFirst: "source")
            let what = element.attribute("title").flatMap { $0.trimmingSpaces.isEmpty ? nil : $0 }
                ?? src.map { resolve($0) }
            placeholder(name == "audio" ? "audio" : "video", what)
            return false
        case "hr":
            flushParagraph()
            blocks.append(.rule(margin()))
            return false
        case "base":
            if let href = element.attribute("href") { base = resolve(href) }
            return false
        case "a":
            if let href = element.attribute("href")?.trimmingSpaces, !href.isEmpty, !href.hasPrefix("#") {
                context.emphasis.insert(.link)
                closing = .link(url: resolve(href), contentMark: contentCount)
            }
        case "b", "strong":
            context.emphasis.insert(.bold)
        case "i", "em", "cite", "var", "dfn":
            context.emphasis.insert(.italic)
        case "code", "kbd", "samp", "tt":
            context.emphasis.insert(.code)
        case "mark":
            context.emphasis.insert(.mark)
        case "q":
            appendInline("“", context.emphasis)
            closing = .closingQuote
        case "h1", "h2", "h3", "h4", "h5", "h6":
            flushParagraph()
            closing = .heading(Int(name.utf8.last! - UInt8(ascii: "0")))
        case "ul", "menu", "dir", "ol":
            flushParagraph()
            emitPendingMarker()
            if !context.inList { nextTight = false }
            let list = makeList(element, ordered: name == "ol")
            lists.append(list.state)
            if name != "ol" { context.bulletDepth += 1 }
            context.indent += (context.inList ? 0 : 2) + list.markerWidth + 1
            context.inList = true
            closing = .list
        case "li":
            flushParagraph()
            if lists.isEmpty {
                if !context.inList { context.indent += 4 }
                pendingMarker = ListMarker.bullet(depth: 1)
            } else {
                pendingMarker = lists[lists.count - 1].nextMarker(value: element.attribute("value").flatMap { Int($0.trimmingSpaces) })
            }
            context.inList = true
            closing = .paragraph
        case "blockquote":
            flushParagraph()
            context.quoteDepth += 1
            nextTight = false
            closing = .paragraph
        case "pre", "listing", "xmp", "plaintext":
            flushParagraph()
            if !context.inPre {
                context.inPre = true
                context.indent += 2
                preText = ""
                closing = .pre
            }
        case "dd":
            flushParagraph()
            context.indent += 4
            nextTight = true
            closing = .paragraph
        case "figure":
            flushParagraph()
            context.indent += 2
            nextTight = false
            closing = .paragraph
        case "figcaption":
            flushParagraph()
            context.emphasis.insert(.muted)
            nextTight = true
            closing = .paragraph
        case "table":
            flushParagraph()
            tables.append(TableState())
            closing = .table
        case "thead" where !tables.isEmpty:
            tables[tables.count - 1].inHead = true
        case "tbody", "tfoot":
            if !tables.isEmpty { tables[tables.count - 1].inHead = false }
        case "tr" where !tables.isEmpty:
            tables[tables.count - 1].startRow()
        case "td", "th":
            if tables.isEmpty {
                flushParagraph()
                closing = .paragraph
            } else {
                flushParagraph()
                if tables[tables.count - 1].rows.isEmpty { tables[tables.count - 1].startRow() }
                context.inCell = true
                closing = .cell(header: name == "th")
            }
        case "caption" where !tables.isEmpty:
            flushParagraph()
            context.inCell = true
            closing = .caption
        case "dt":
            flushParagraph()
            // Terms of one definition follow each other without a blank line.
            if lastTermBlock == blocks.count - 1 && lastTermBlock >= 0 { nextTight = true }
            context.emphasis.insert(.bold)
            closing = .term
        default:
            if Self.paragraphElements.contains(name) {
                flushParagraph()
                closing = .paragraph
            }
        }
        frames.append(Frame(closing: closing, saved: saved))
        return true
    }

    /// Whether `name`, inside a table cell, separates words (a block element, a nested table's parts).
    private static func separatesInCell(_ name: String) -> Bool {
        paragraphElements.contains(name) || cellSeparators.contains(name)
    }

    private static let cellSeparators: Set<String> = [
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "menu", "dir", "li", "blockquote", "pre", "listing", "xmp",
        "dt", "dd", "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "hr",
    ]

    /// Ends the element opened last.
    mutating func close() {
        guard let frame = frames.popLast() else { return }
        switch frame.closing {
        case .nothing:
            break
        case .space:
            pendingSpace = true
        case .paragraph:
            flushParagraph()
        case .term:
            flushParagraph()
            lastTermBlock = blocks.count - 1
        case .heading(let level):
            flushParagraph(heading: level)
        case .link(let url, let mark):
            if contentCount > mark {
                let number = links.number(for: url)
                appendInline("[\(number)]", .reference, attached: true)
            }
        case .closingQuote:
            appendInline("”", frame.saved.emphasis, attached: true)
        case .pre:
            flushPre()
        case .list:
            flushParagraph()
            lists.removeLast()
        case .cell(let header):
            let cell = trimmed(runs, joiningLines: true)
            resetParagraph()
            var table = tables[tables.count - 1]
            table.rows[table.rows.count - 1].append(cell)
            if header { table.headerCells[table.rows.count - 1] += 1 }
            tables[tables.count - 1] = table
        case .caption:
            tables[tables.count - 1].caption = trimmed(runs, joiningLines: true)
            resetParagraph()
        case .table:
            flushParagraph()
            flushTable()
        }
        context = frame.saved
        if case .heading = frame.closing { nextTight = false }
    }

    /// Ends the document: whatever is still running becomes blocks.
    mutating func finish() {
        while !frames.isEmpty { close() }
        flushParagraph()
    }

    // MARK: Text

    /// A text node's UTF-8 bytes.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if context.inPre && !context.inCell {
            preText += String(decoding: bytes, as: UTF8.self)
            return
        }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(bytes.count)
        for b in bytes {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D {
                if !atLineStart || !chunk.isEmpty { pendingSpace = true }
                continue
            }
            if pendingSpace {
                if chunk.isEmpty { appendSeparatingSpace() } else { chunk.append(0x20) }
                pendingSpace = false
            }
            chunk.append(b)
        }
        guard !chunk.isEmpty else { return }
        appendRun(String(decoding: chunk, as: UTF8.self), context.emphasis)
    }

    /// `text` on a String (for tests and the text fallback).
    mutating func text(_ string: String) {
        var string = string
        string.withUTF8 { text($0) }
    }

    /// Appends `text` as one run: after the pending space unless `attached` (then the space stays pending).
    private mutating func appendInline(_ text: String, _ emphasis: Emphasis, attached: Bool = false) {
        if context.inPre && !context.inCell {
            preText += text
            return
        }
        if pendingSpace && !attached {
            appendSeparatingSpace()
            pendingSpace = false
        }
        appendRun(text, emphasis)
    }

    /// One space between words, styled as what it separates have in common (no underline running into plain text).
    private mutating func appendSeparatingSpace() {
        guard !atLineStart, let last = runs.last else { return }
        appendRun(" ", last.emphasis.intersection(context.emphasis), visible: false)
    }

    private mutating func appendRun(_ text: String, _ emphasis: Emphasis, visible: Bool = true) {
        if let last = runs.indices.last, runs[last].emphasis == emphasis {
            runs[last].text += text
        } else {
            runs.append(Inline(text, emphasis))
        }
        if visible {
            atLineStart = false
            contentCount += 1
        }
    }

    private mutating func lineBreak() {
        if context.inCell {
            pendingSpace = true
            return
        }
        if context.inPre {
            preText += "\n"
            return
        }
        pendingSpace = false
        appendRun("\n", [], visible: false)
        atLineStart = true
    }

    /// `[image: alt]`, `[video: title]`: a muted placeholder in the text.
    private mutating func placeholder(_ kind: String, _ detail: String?) {
        let detail = (detail ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .joined(separator: " ")
        appendInline(detail.isEmpty ? "[\(kind)]" : "[\(kind): \(detail)]", context.emphasis.union(.muted))
    }

    // MARK: Blocks

    /// Where the next block sits; takes the pending list marker and spacing.
    private mutating func margin() -> Margin {
        let marker = pendingMarker
        pendingMarker = nil
        let tight = nextTight ?? context.inList
        nextTight = nil
        return Margin(quoteDepth: context.quoteDepth, indent: context.indent, marker: marker, tight: tight)
    }

    /// Ends the running paragraph: a text block (or heading) when it has text.
    private mutating func flushParagraph(heading: Int? = nil) {
        if context.inCell {
            pendingSpace = true
            return
        }
        let inlines = trimmed(runs, joiningLines: false)
        resetParagraph()
        guard !inlines.isEmpty else { return }
        if let heading {
            blocks.append(.heading(level: heading, inlines, margin()))
            nextTight = false
        } else {
            blocks.append(.text(inlines, margin()))
        }
    }

    private mutating func resetParagraph() {
        runs.removeAll(keepingCapacity: true)
        pendingSpace = false
        atLineStart = true
    }

    /// A list item whose first content is a nested list gets its marker on a line of its own.
    private mutating func emitPendingMarker() {
        guard pendingMarker != nil else { return }
        blocks.append(.text([], margin()))
    }

    private mutating func flushPre() {
        var text = preText
        preText = ""
        text = text.replacingCarriageReturns()
        if text.hasPrefix("\n") { text.removeFirst() }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { expandingTabs($0) }
        while let last = lines.last, last.allSatisfy({ $0 == " " }) { lines.removeLast() }
        guard !lines.isEmpty else { return }
        blocks.append(.verbatim(lines, margin()))
    }

    private mutating func flushTable() {
        guard let table = tables.popLast() else { return }
        if !table.caption.isEmpty {
            blocks.append(.text(table.caption.map { Inline($0.text, $0.emphasis.union(.muted)) }, margin()))
            nextTight = true
        }
        var rows: [[[Inline]]] = []
        var headerRows = 0
        var headersDone = false
        for (index, row) in table.rows.enumerated() where !row.isEmpty {
            if !headersDone && (table.rowIsHeader[index] || table.headerCells[index] == row.count) {
                headerRows += 1
            } else {
                headersDone = true
            }
            rows.append(row)
        }
        guard !rows.isEmpty, rows.contains(where: { $0.contains(where: { !$0.isEmpty }) }) else { return }
        blocks.append(.table(Table(rows: rows, headerRows: headerRows), margin()))
    }

    /// The runs without line breaks or spaces at either end (and, for a table cell, with line breaks as spaces).
    private func trimmed(_ runs: [Inline], joiningLines: Bool) -> [Inline] {
        var result = runs
        if joiningLines {
            for i in result.indices where result[i].text.contains("\n") {
                result[i].text = result[i].text.split(separator: "\n").joined(separator: " ")
            }
        }
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\n" }
        while let first = result.first {
            let kept = first.text.drop(while: isBlank)
            if kept.isEmpty { result.removeFirst() } else { result[0].text = String(kept); break }
        }
        while let last = result.last {
            var kept = last.text[...]
            while let c = kept.last, isBlank(c) { kept = kept.dropLast() }
            if kept.isEmpty { result.removeLast() } else { result[result.count - 1].text = String(kept); break }
        }
        return result
    }

    // MARK: Lists and links

    private func makeList(_ element: some HTMLElementView, ordered: Bool) -> (state: ListState, markerWidth: Int) {
        guard ordered else {
            let bullet = ListMarker.bullet(depth: context.bulletDepth + 1)
            return (ListState(ordered: false, bullet: bullet, number: 1, step: 1, numbering: .decimal), 1)
        }
        let count = max(1, element.childElementCount(named: "li"))
        let reversed = element.attribute("reversed") != nil
        let numbering = ListMarker.Numbering(type: element.attribute("type"))
        let start = element.attribute("start").flatMap { Int($0.trimmingSpaces) }.map { min(max($0, -1_000_000_000), 1_000_000_000) }
            ?? (reversed ? count : 1)
        let step = reversed ? -1 : 1
        var width = 0
        let last = start + step * (count - 1)
        if count <= 1000 {
            for k in 0..<count { width = max(width, ListMarker.marker(start + step * k, numbering).count) }
        } else {
            width = max(ListMarker.marker(start, numbering).count, ListMarker.marker(last, numbering).count)
        }
        return (ListState(ordered: true, bullet: "", number: start, step: step, numbering: numbering), width)
    }

    private func resolve(_ url: String) -> String {
        URLResolver.resolve(url, against: base)
    }

    private func expandingTabs(_ line: Substring) -> String {
        guard line.contains("\t") else { return String(line) }
        var result = ""
        var column = 0
        for c in line {
            if c == "\t" {
                let spaces = 8 - column % 8
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                result.append(c)
                column += 1
            }
        }
        return result
    }
}

extension String {
    /// With CR LF and lone CR as LF.
    func replacingCarriageReturns() -> String {
        guard contains("\r") || contains("\r\n") else { return self }
        var result = ""
        for c in self {
            if c == "\r\n" || c == "\r" { result.append("\n") } else { result.append(c) }
        }
        return result
    }
}
