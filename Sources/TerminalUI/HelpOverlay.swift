import Controller
import TextCells

/// A box listing the active key bindings, generated from the keymap, in as many columns as the
/// screen needs (a column never splits a section's heading from its first rows); when they do not fit side by
/// side, in one column that scrolls (`AppState.helpTop`).
enum HelpOverlay {
    typealias Line = (keys: String, help: String, heading: Bool)

    static func sections(for keymap: Keymap) -> [[Line]] {
        let titles: [KeyContext: String] = [.list: "In the list", .reading: "In the reading pane", .global: "Anywhere"]
        return [KeyContext.list, .reading, .global].compactMap { context in
            let rows = keymap.helpRows.filter { $0.context == context }
            guard !rows.isEmpty else { return nil }
            return [(titles[context] ?? context.rawValue, "", true)] + rows.map { ($0.keys, $0.help, false) }
        }
    }

    /// Where the help goes at a size: its box, its columns of lines, and whether it scrolls (when the columns do
    /// not fit side by side, the keys make one column that scrolls).
    struct Geometry {
        var box: Rect
        var columns: [[Line]]
        var keysWidth: Int
        var helpWidth: Int
        var columnWidth: Int
        /// Lines shown at once.
        var rows: Int
        var scrolls: Bool
        /// Lines in all (one column when it scrolls).
        var lineCount: Int { scrolls ? columns[0].count : rows }
    }

    static func geometry(_ keymap: Keymap, within area: Rect) -> Geometry? {
        let sections = sections(for: keymap)
        let all = sections.flatMap { $0 }
        let keysWidth = min(16, all.filter { !$0.heading }.map { DisplayWidth.of($0.keys) }.max() ?? 0)
        let helpWidth = min(54, all.map { DisplayWidth.of($0.help) }.max() ?? 0)
        let columnWidth = keysWidth + helpWidth + 4
        let maxRows = max(1, area.height - 4)

        // Fill columns top to bottom, one blank line between sections in the same column.
        var columns: [[Line]] = [[]]
        for section in sections {
            let needed = section.count + (columns[columns.count - 1].isEmpty ? 0 : 1)
            if columns[columns.count - 1].count + needed > maxRows, !columns[columns.count - 1].isEmpty {
                columns.append([])
            }
            if !columns[columns.count - 1].isEmpty { columns[columns.count - 1].append(("", "", false)) }
            for line in section {
                if columns[columns.count - 1].count >= maxRows { columns.append([]) }
                columns[columns.count - 1].append(line)
            }
        }
        let fitting = max(1, min(columns.count, (area.width - 4) / max(1, columnWidth + 1)))
        let scrolls = fitting < columns.count
        if scrolls {
            // One column of every section, scrolled.
            var single: [Line] = []
            for section in sections {
                if !single.isEmpty { single.append(("", "", false)) }
                single += section
            }
            columns = [single]
        }
        let shown = scrolls ? 1 : fitting
        let width = min(area.width - 2, shown * (columnWidth + 1) + 3)
        let height = min(area.height - 2, min(maxRows, columns.map(\.count).max() ?? 0) + 4)
        guard width >= 12, height >= 4 else { return nil }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                       width: width, height: height)
        return Geometry(box: box, columns: columns, keysWidth: keysWidth, helpWidth: helpWidth,
                        columnWidth: columnWidth, rows: height - 4, scrolls: scrolls)
    }

    /// Draws the help, its lines from `top` on when it scrolls.
    static func draw(_ keymap: Keymap, into frame: inout Frame, glyphs: Glyphs, within area: Rect, top: Int = 0) {
        guard let g = geometry(keymap, within: area) else { return }
        let box = g.box
        let width = box.width
        let border = Style(tint: .border)
        frame.fill(box)
        let inner = String(repeating: glyphs.horizontal, count: width - 2)
        frame.put(glyphs.corners[0] + inner + glyphs.corners[1], x: box.x, y: box.y, style: border)
        frame.put(glyphs.corners[2] + inner + glyphs.corners[3], x: box.x, y: box.maxY - 1, style: border)
        for y in (box.y + 1)..<(box.maxY - 1) {
            frame.put(glyphs.vertical, x: box.x, y: y, style: border)
            frame.put(glyphs.vertical, x: box.maxX - 1, y: y, style: border)
        }
        let rows = g.rows
        let first = g.scrolls ? min(max(0, top), max(0, g.lineCount - rows)) : 0
        frame.put(" Keys (any key closes) ", x: box.x + 2, y: box.y, maxWidth: width - 4, style: Style(.bold, tint: .title))
        if g.scrolls {
            // The keys that scroll it (those of the reading pane) rather than close it.
            let last = min(g.lineCount, first + rows)
            let footer = " lines \(first + 1)-\(last) of \(g.lineCount): j k PgDn PgUp scroll "
            frame.put(TextWrapper.truncate(footer, width: width - 4, ellipsis: glyphs.ellipsis + " "), x: box.x + 2,
                      y: box.maxY - 1, maxWidth: width - 4, style: Style(.dim, tint: .muted))
        }
        let keysWidth = g.keysWidth
        for (c, column) in g.columns.enumerated() {
            let x = box.x + 2 + c * (g.columnWidth + 1)
            let limit = box.maxX - 2 - x
            for (i, line) in column.dropFirst(first).prefix(rows).enumerated() {
                let y = box.y + 2 + i
                if line.heading {
                    frame.put(line.keys, x: x, y: y, maxWidth: limit, style: Style(.bold, tint: .accent))
                } else {
                    frame.put(TextWrapper.truncate(line.keys, width: keysWidth, ellipsis: glyphs.ellipsis),
                              x: x + 1, y: y, maxWidth: min(keysWidth, limit - 1))
                    let helpX = x + 3 + keysWidth
                    frame.put(TextWrapper.truncate(line.help, width: max(0, min(g.helpWidth, box.maxX - 2 - helpX)),
                                                   ellipsis: glyphs.ellipsis),
                              x: helpX, y: y, maxWidth: max(0, box.maxX - 2 - helpX))
                }
            }
        }
    }
}
