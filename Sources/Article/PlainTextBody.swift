import Posts

/// Plain-text bodies (Atom `type="text"`, JSON Feed `content_text`) as blocks: paragraphs at blank lines, single
/// line breaks kept, and each `http://` or `https://` URL followed by its reference and listed with the links.
enum PlainTextBody {
    static func blocks(_ text: String, links: inout LinkList) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [Substring] = []

        func flush() {
            guard !paragraph.isEmpty else { return }
            var runs: [Inline] = []
            for (index, line) in paragraph.enumerated() {
                if index > 0 { append("\n", [], to: &runs) }
                linkify(line, links: &links, into: &runs)
            }
            blocks.append(.text(runs, .none))
            paragraph.removeAll()
        }

        for line in text.replacingCarriageReturns().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\u{C}" }) {
                flush()
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return blocks
    }

    /// `line` as runs, each URL in it a link followed by its `[n]`.
    private static func linkify(_ line: Substring, links: inout LinkList, into runs: inout [Inline]) {
        var rest = line
        while let start = urlStart(in: rest) {
            append(String(rest[..<start]), [], to: &runs)
            var end = rest[start...].firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "<" || $0 == ">" || $0 == "\"" })
                ?? rest.endIndex
            // Punctuation that ends a sentence is not part of the URL; nor is a closing bracket without its opening.
            while end > start {
                let last = rest[rest.index(before: end)]
                let url = rest[start..<end]
                if ".,;:!?'".contains(last)
                    || (last == ")" && url.filter({ $0 == "(" }).count < url.filter({ $0 == ")" }).count) {
                    end = rest.index(before: end)
                } else {
                    break
                }
            }
            let url = String(rest[start..<end])
            append(url, .link, to: &runs)
            append("[\(links.number(for: url))]", .reference, to: &runs)
            rest = rest[end...]
        }
        append(String(rest), [], to: &runs)
    }

    /// Where the first `http://` or `https://` of `text` starts.
    private static func urlStart(in text: Substring) -> Substring.Index? {
        var search = text[...]
        while let h = search.firstIndex(where: { $0 == "h" || $0 == "H" }) {
            let tail = search[h...]
            let head = tail.prefix(8).lowercased()
            for scheme in ["http://", "https://"] where head.hasPrefix(scheme) && tail.dropFirst(scheme.count).first != nil {
                return h
            }
            search = search[search.index(after: h)...]
        }
        return nil
    }

    private static func append(_ text: String, _ emphasis: Emphasis, to runs: inout [Inline]) {
        guard !text.isEmpty else { return }
        if let last = runs.indices.last, runs[last].emphasis == emphasis { runs[last].text += text } else {
            runs.append(Inline(text, emphasis))
        }
    }
}
