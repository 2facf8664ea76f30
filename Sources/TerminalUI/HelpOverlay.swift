import Controller
import TextCells

/// A box listing the active key bindings, generated from the keymap.
enum HelpOverlay {
    static func lines(for keymap: Keymap) -> [(keys: String, help: String, heading: Bool)] {
        var out: [(keys: String, help: String, heading: Bool)] = []
        let titles: [KeyContext: String] = [.list: "In the list", .reading: "In the reading pane", .global: "Anywhere"]
        for context in [KeyContext.list, .reading, .global] {
            let rows = keymap.helpRows.filter { $0.context == context }
            guard !rows.isEmpty else { continue }
            if !out.isEmpty { out.append(("", "", false)) }
            out.append((titles[context] ?? context.rawValue, "", true))
            for row in rows { out.append((row.keys, row.help, false)) }
        }
        return out
    }

    static func draw(_ keymap: Keymap, into frame: inout Frame, glyphs: Glyphs, within area: Rect) {
        let content = lines(for: keymap)
        let keysWidth = min(24, content.filter { !$0.heading }.map { DisplayWidth.of($0.keys) }.max() ?? 0)
        let helpWidth = content.map { DisplayWidth.of($0.help) }.max() ?? 0
        let width = min(area.width - 2, keysWidth + helpWidth + 7)
        let height = min(area.height - 2, content.count + 4)
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
        let rows = height - 4
        for (i, line) in content.prefix(rows).enumerated() {
            let y = box.y + 2 + i
            if line.heading {
                frame.put(line.keys, x: box.x + 2, y: y, maxWidth: width - 4, style: Style(.bold, tint: .accent))
            } else {
                frame.put(TextWrapper.truncate(line.keys, width: keysWidth, ellipsis: glyphs.ellipsis),
                          x: box.x + 3, y: y, maxWidth: keysWidth)
                frame.put(line.help, x: box.x + 5 + keysWidth, y: y, maxWidth: width - keysWidth - 7)
            }
        }
    }
}
