import Article

/// Small text rules shared by the feed readers: whitespace, names in e-mail fields, HTML-looking titles.
enum FeedText {
    /// `s` with runs of whitespace made one space and the ends trimmed.
    static func collapse(_ s: String) -> String {
        if isCollapsed(s) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}":
                pendingSpace = !out.isEmpty
            default:
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// Whether `s` has no whitespace but single spaces between words (most titles): nothing to collapse.
    private static func isCollapsed(_ s: String) -> Bool {
        var previousSpace = true
        for c in s.utf8 {
            if isSpace(c) {
                if c != 0x20 || previousSpace { return false }
                previousSpace = true
            } else {
                previousSpace = false
            }
        }
        return !previousSpace || s.isEmpty
    }

    /// `s` trimmed of whitespace at both ends.
    static func trim(_ s: String) -> String {
        let u = s.utf8
        guard let first = u.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = u.lastIndex(where: { !isSpace($0) })!
        if first == u.startIndex, u.index(after: last) == u.endIndex { return s }
        return String(s[first...last])
    }

    /// The name in an RSS `author`/`managingEditor` (an e-mail address by the specification):
    /// `jo@x.org (Jo Smith)` and `Jo Smith <jo@x.org>` give `Jo Smith`; a bare address gives the address.
    static func personName(fromEmailField field: String) -> String {
        let s = collapse(field)
        if let open = s.firstIndex(of: "("), let close = s.lastIndex(of: ")"), open < close {
            let name = trim(String(s[s.index(after: open)..<close]))
            if !name.isEmpty { return name }
        }
        if let open = s.firstIndex(of: "<"), s.hasSuffix(">"), open > s.startIndex {
            var name = trim(String(s[..<open]))
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            if !name.isEmpty { return name }
        }
        return s
    }

    /// Whether the text of an RSS title looks like HTML (markup or entity references left after XML decoding, as
    /// in `&lt;b&gt;` or a double-escaped `&amp;#8217;`): such a title is read as HTML.
    static func looksLikeHTML(_ s: String) -> Bool {
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            let c = u[i]
            if c == 0x3C, i + 1 < u.count {
                let d = u[i + 1]
                // `<b>`, `</b>`, `<br/>`, `<!-- -->`: a letter, slash or ! right after `<`, and a `>` later.
                if (d >= 0x41 && d <= 0x5A) || (d >= 0x61 && d <= 0x7A) || d == 0x2F || d == 0x21,
                   u[(i + 1)...].contains(0x3E) {
                    return true
                }
            } else if c == 0x26 {
                // `&name;` or `&#123;` / `&#x1F;`
                var j = i + 1
                if j < u.count, u[j] == 0x23 { j += 1; if j < u.count, u[j] | 0x20 == 0x78 { j += 1 } }
                let start = j
                while j < u.count, j - start < 32,
                      (u[j] >= 0x30 && u[j] <= 0x39) || (u[j] >= 0x41 && u[j] <= 0x5A) || (u[j] >= 0x61 && u[j] <= 0x7A) {
                    j += 1
                }
                if j > start, j < u.count, u[j] == 0x3B { return true }
            }
            i += 1
        }
        return false
    }

    /// Plain text of an HTML title: tags removed, entities decoded, whitespace collapsed.
    static func plainText(html: String) -> String {
        collapse(Article.plainText(html: html))
    }

    /// Decodes `&name;` references (HTML5 names) and `&#38;` left in an attribute value by libxml2 (which keeps an
    /// entity it does not know, and writes `&` as `&#38;` when it does not substitute entities).
    static func decodeAttribute(_ s: String) -> String {
        guard s.utf8.contains(0x26) else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.firstIndex(of: ";"), after.distance(from: after.startIndex, to: semi) <= 32 {
                let name = after[..<semi]
                if name.hasPrefix("#") {
                    let digits = name.dropFirst()
                    let value = digits.first == "x" || digits.first == "X"
                        ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                    if let value, let scalar = Unicode.Scalar(value) {
                        out.unicodeScalars.append(scalar)
                        rest = after[after.index(after: semi)...]
                        continue
                    }
                } else if !name.isEmpty, let text = Article.htmlEntity(named: String(name)) {
                    out += text
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        out += rest
        return out
    }

    /// Whether `s` starts with a URL scheme that makes a guid usable as a link (`http:`, `https:`).
    static func isWebURL(_ s: String) -> Bool {
        let lower = s.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }
}
