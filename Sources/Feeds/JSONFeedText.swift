/// Small clean-ups of JSON Feed values: trimmed URLs, titles on one line, byte counts.
enum JSONFeedText {
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// `text` without leading and trailing ASCII whitespace.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isSpace($0) })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
        return String(text[first...last])
    }

    /// A URL value, trimmed; nil when empty.
    static func url(_ text: String) -> String? {
        let url = trimmed(text)
        return url.isEmpty ? nil : url
    }

    /// `text` with each run of ASCII whitespace (line breaks included) as one space, and none at either end.
    static func collapsingWhitespace(_ text: String) -> String {
        var previousWasSpace = true
        var needsWork = false
        for b in text.utf8 {
            let space = isSpace(b)
            if space && (previousWasSpace || b != 0x20) { needsWork = true; break }
            previousWasSpace = space
        }
        guard needsWork || previousWasSpace && !text.isEmpty else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for b in text.utf8 {
            if isSpace(b) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A size in bytes from a JSON number (`1234`, `1.2e6`); nil when negative, not finite or too big.
    static func byteCount(_ text: String) -> Int64? {
        if let n = Int64(text) { return n >= 0 ? n : nil }
        guard let d = Double(text), d.isFinite, d >= 0, d < 9.2e18 else { return nil }
        return Int64(d)
    }
}
