import TextCells

/// Word wrapping by display width.
///
/// Breaks only at ordinary spaces (U+0020), so a no-break space keeps its words together.
/// A word wider than the line is split between grapheme clusters. Runs of spaces collapse to
/// one; no other character is dropped or reordered. Input must already be sanitized.
public enum TextWrapper {
    /// Wraps `text` into lines of at most `width` cells. The first line may have a different width
    /// (`firstWidth`), for hanging indents. Always returns at least one line (possibly empty).
    public static func wrap(_ text: String, width: Int, firstWidth: Int? = nil) -> [String] {
        let width = max(1, width)
        var limit = max(1, firstWidth ?? width)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0

        func flush() {
            lines.append(line)
            line = ""
            lineWidth = 0
            limit = width
        }

        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = DisplayWidth.of(word)
            if lineWidth > 0 {
                if lineWidth + 1 + wordWidth <= limit {
                    line += " "
                    line += word
                    lineWidth += 1 + wordWidth
                    continue
                }
                flush()
            }
            if wordWidth <= limit {
                line += word
                lineWidth = wordWidth
                continue
            }
            // Wider than a whole line: split between clusters.
            for cluster in word {
                let w = DisplayWidth.of(cluster)
                if lineWidth + w > limit, lineWidth > 0 { flush() }
                line.append(cluster)
                lineWidth += w
            }
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Cuts `text` to at most `width` cells, ending with `ellipsis` when something was cut.
    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if text.utf8.count <= width, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        let total = DisplayWidth.of(text)
        if total <= width { return text }
        let room = width - DisplayWidth.of(ellipsis)
        guard room >= 0 else { return String(repeating: ".", count: width) }
        var result = ""
        var used = 0
        for cluster in text {
            let w = DisplayWidth.of(cluster)
            if used + w > room { break }
            result.append(cluster)
            used += w
        }
        while result.last == " " { result.removeLast() }
        return result + ellipsis
    }
}
