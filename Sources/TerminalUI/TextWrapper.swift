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
        if let lines = wrapSimple(text, width: width, firstWidth: firstWidth) { return lines }
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
        // `line`, not `lineWidth`: a last line of zero-width clusters (a lone Hangul jamo) is still text (fuzzing).
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// `wrap` on UTF-8 bytes, for text whose every scalar is a cluster by itself (`DisplayWidth.isSingleCluster`,
    /// as almost all text is): then every U+0020 byte is a space cluster and every scalar a place to split a long
    /// word. `nil` for any other text.
    private static func wrapSimple(_ text: String, width: Int, firstWidth: Int?) -> [String]? {
        let width = max(1, width)
        var limit = max(1, firstWidth ?? width)
        var text = text
        return text.withUTF8 { buf -> [String]? in
            let n = buf.count
            var lines: [String] = []
            var line: [UInt8] = []
            line.reserveCapacity(4 * width)
            var lineWidth = 0

            func flush() {
                lines.append(String(decoding: line, as: UTF8.self))
                line.removeAll(keepingCapacity: true)
                lineWidth = 0
                limit = width
            }

            var i = 0
            while i < n {
                if buf[i] == 0x20 { i += 1; continue }
                let start = i
                var wordWidth = 0
                while i < n && buf[i] != 0x20 {
                    let b = buf[i]
                    if b > 0x20 && b < 0x7F { wordWidth += 1; i += 1; continue }
                    let (v, length) = DisplayWidth.decode(buf, at: i)
                    guard DisplayWidth.isSingleCluster(v) else { return nil }
                    wordWidth += DisplayWidth.scalarWidth(v)
                    i += length
                }
                let word = UnsafeBufferPointer(rebasing: buf[start..<i])
                if lineWidth > 0 {
                    if lineWidth + 1 + wordWidth <= limit {
                        line.append(0x20)
                        line.append(contentsOf: word)
                        lineWidth += 1 + wordWidth
                        continue
                    }
                    flush()
                }
                if wordWidth <= limit {
                    line.append(contentsOf: word)
                    lineWidth = wordWidth
                    continue
                }
                // Wider than a whole line: split between scalars (each is a cluster here).
                var k = 0
                while k < word.count {
                    let (v, length) = DisplayWidth.decode(word, at: k)
                    let w = DisplayWidth.scalarWidth(v)
                    if lineWidth + w > limit, lineWidth > 0 { flush() }
                    line.append(contentsOf: UnsafeBufferPointer(rebasing: word[k..<(k + length)]))
                    lineWidth += w
                    k += length
                }
            }
            if !line.isEmpty || lines.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
            return lines
        }
    }

    /// Cuts `text` to at most `width` cells, ending with `ellipsis` when something was cut.
    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if text.utf8.count <= width, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        let total = DisplayWidth.of(text)
        if total <= width { return text }
        let room = width - DisplayWidth.of(ellipsis)
        guard room >= 0 else { return String(repeating: ".", count: width) }
        var bytes = 0
        var used = 0
        DisplayWidth.forEachCluster(text) { cluster, w in
            if used + w > room { return false }
            bytes += cluster.count
            used += w
            return true
        }
        var result = String(text.utf8.prefix(bytes))!
        while result.last == " " { result.removeLast() }
        return result + ellipsis
    }
}
