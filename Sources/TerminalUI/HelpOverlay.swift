import Controller
import TextCells

/// A box listing the active key bindings, generated from the keymap, in as many columns as the
/// screen needs (a column never splits a section's heading from its first rows).
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

    static func draw(_ keymap: Keymap, into frame: inout Frame, glyphs: Glyphs, within area: Rect) {
        let sections = sections(for: keymap)
        let all = sections.flatMap { $0 }
        let keysWidth = min(16, all.filter { !$0.heading }.map { DisplayWidth.of($0.keys) }.max() ?? 0)
        let helpWidth = min(44, all.map { DisplayWidth.of($0.help) }.max() ?? 0)
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
        let shown = Array(columns.prefix(fitting))
        let width = min(area.width - 2, fitting * (columnWidth + 1) + 3)
        let height = min(area.height - 2, (shown.map(\.count).max() ?? 0) + 4)
        guard width >= 12, height >= 4 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                       width: width, height: height)
        let border = Style(tint: .border)
        frame.fill(box)
        let inner = String(repeating: glyphs.horizontal, count: width - 2)
        frame.put(glyphs.corners[0] + inner + glyphs.corners[1], x: box.x, y: box.y, style: border)
        frame.put(glyphs.corners[2] + inner + glyphs.corners[3], x: box.x, y: box.maxY - 1, style: border)
        for y in (box.y + 1)..<(box.maxY - 1) {
            frame.put(glyphs.vertical, x: box.x, y: y, style: border)
            frame.put(glyphs.vertical, x: box.maxX - 1, y: y, style: border)
        }
        frame.put(" Keys (any key closes) ", x: box.x + 2, y: box.y, maxWidth: width - 4, style: Style(.bold, tint: .title))
        if shown.count < columns.count {
            frame.put(" enlarge the terminal to see all keys ", x: box.x + 2, y: box.maxY - 1, maxWidth: width - 4,
                      style: Style(.dim, tint: .muted))
        }
        let rows = height - 4
        for (c, column) in shown.enumerated() {
            let x = box.x + 2 + c * (columnWidth + 1)
            let limit = box.maxX - 2 - x
            for (i, line) in column.prefix(rows).enumerated() {
                let y = box.y + 2 + i
                if line.heading {
                    frame.put(line.keys, x: x, y: y, maxWidth: limit, style: Style(.bold, tint: .accent))
                } else {
                    frame.put(TextWrapper.truncate(line.keys, width: keysWidth, ellipsis: glyphs.ellipsis),
                              x: x + 1, y: y, maxWidth: min(keysWidth, limit - 1))
                    let helpX = x + 3 + keysWidth
                    frame.put(TextWrapper.truncate(line.help, width: max(0, min(helpWidth, box.maxX - 2 - helpX)),
                                                   ellipsis: glyphs.ellipsis),
                              x: helpX, y: y, maxWidth: max(0, box.maxX - 2 - helpX))
                }
            }
        }
    }
}
