import TextCells

/// Word wrapping for `gazette show`, by display width. Temporary: TerminalUI's wrapper replaces it.
enum PlainWrapper {
    /// Wraps `text` at spaces so that each line, prefix included, fits `width` columns. The first line starts
    /// with `first`, the others with `rest` (a hanging indent). A word wider than a line is split between
    /// grapheme clusters. Runs of spaces collapse to one. No text is lost or reordered.
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard !words.isEmpty else { return [] }
        var lines: [String] = []
        var line = first
        var lineWidth = DisplayWidth.of(first)
        var lineHasWord = false
        let restWidth = DisplayWidth.of(rest)

        func breakLine() {
            lines.append(line)
            line = rest
            lineWidth = restWidth
            lineHasWord = false
        }

        for word in words {
            let wordWidth = DisplayWidth.of(word)
            if lineHasWord {
                if lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                breakLine()
            }
            // At the start of a line: split the word while it does not fit (at least one cluster a line).
            var piece = ""
            var pieceWidth = 0
            for cluster in word {
                let clusterWidth = DisplayWidth.of(cluster)
                if lineWidth + pieceWidth + clusterWidth > width && (!piece.isEmpty || lineHasWord) {
                    line += piece
                    breakLine()
                    piece = ""
                    pieceWidth = 0
                }
                piece.append(cluster)
                pieceWidth += clusterWidth
            }
            line += piece
            lineWidth += pieceWidth
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}
