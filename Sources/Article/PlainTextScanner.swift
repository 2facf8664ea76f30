/// HTML to plain text on UTF-8 bytes, without libxml2: for titles (`Article.plainText(html:)`, called for every
/// item of a feed) and for bodies when libxml2 cannot be loaded.
///
/// Tags and comments are removed (with the content of `script`, `style` and `template`), character references
/// decoded as HTML5 does, runs of ASCII whitespace collapsed to one space. A `<` that starts no tag (`a < b`) is
/// text. With `paragraphs`, block tags (`p`, `br`, `li`, headings, …) give blank lines instead of a space.
struct PlainTextScanner {
    var paragraphs = false

    func scan(_ html: String) -> String {
        var html = html
        return html.withUTF8 { scan($0) }
    }

    func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let n = bytes.count
        var i = 0
        var pendingSpace = false
        var pendingBreak = false

        func append(_ chunk: some Sequence<UInt8>) {
            if !out.isEmpty {
                if pendingBreak { out.append(contentsOf: [0x0A, 0x0A]) } else if pendingSpace { out.append(0x20) }
            }
            pendingSpace = false
            pendingBreak = false
            out.append(contentsOf: chunk)
        }

        while i < n {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D {
                pendingSpace = true
                i += 1
            } else if b == UInt8(ascii: "&") {
                if let (text, end) = CharacterReference.decode(bytes, at: i, inAttribute: false) {
                    // A reference to whitespace (`&#10;`) collapses like whitespace written out.
                    for scalar in text.unicodeScalars {
                        if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\u{C}" || scalar == "\r" {
                            pendingSpace = true
                        } else {
                            append(String(scalar).utf8)
                        }
                    }
                    i = end
                } else {
                    append(CollectionOfOne(b))
                    i += 1
                }
            } else if b == UInt8(ascii: "<"), let (end, name, closing) = Self.tag(bytes, at: i) {
                if !closing && Self.rawTextElements.contains(name) {
                    i = Self.end(ofElement: name, in: bytes, from: end)
                } else {
                    i = end
                }
                if paragraphs && Self.blockElements.contains(name) { pendingBreak = true } else { pendingSpace = pendingSpace || Self.blockElements.contains(name) }
            } else {
                let start = i
                i += 1
                while i < n {
                    let c = bytes[i]
                    if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == UInt8(ascii: "&") || c == UInt8(ascii: "<") { break }
                    i += 1
                }
                append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Elements whose content is not text.
    private static let rawTextElements: Set<String> = ["script", "style", "template", "noscript", "title"]

    /// Elements that separate words (and paragraphs, with `paragraphs`).
    private static let blockElements: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "hr", "table", "tr", "td", "th", "section", "article", "figure", "figcaption", "header", "footer",
    ]

    /// The tag, comment or declaration starting with the `<` at `start`: the offset after it and its lower-cased
    /// name (empty for comments and declarations) and whether it closes, or `nil` when the `<` is text.
    private static func tag(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (end: Int, name: String, closing: Bool)? {
        let n = bytes.count
        var i = start + 1
        guard i < n else { return nil }
        let first = bytes[i]
        if first == UInt8(ascii: "!") || first == UInt8(ascii: "?") {
            let isComment = i + 2 < n && bytes[i + 1] == UInt8(ascii: "-") && bytes[i + 2] == UInt8(ascii: "-")
            i += isComment ? 3 : 1
            while i < n {
                if bytes[i] == UInt8(ascii: ">") && (!isComment || (bytes[i - 1] == UInt8(ascii: "-") && bytes[i - 2] == UInt8(ascii: "-"))) {
                    return (i + 1, "", false)
                }
                i += 1
            }
            return (n, "", false)
        }
        if first == UInt8(ascii: "/") { i += 1 }
        guard i < n, CharacterReference.isAlphanumeric(bytes[i]), bytes[i] > UInt8(ascii: "9") else { return nil }
        let nameStart = i
        while i < n, CharacterReference.isAlphanumeric(bytes[i]) { i += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<min(i, nameStart + 16)]), as: UTF8.self)
            .lowercased()
        var quote: UInt8 = 0
        while i < n {
            let c = bytes[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                return (i + 1, name, first == UInt8(ascii: "/"))
            }
            i += 1
        }
        return (n, name, first == UInt8(ascii: "/"))
    }

    /// The offset after `</name …>` from `start`, or the end of the input.
    private static func end(ofElement name: String, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let closing = Array("</\(name)".utf8)
        let n = bytes.count
        var i = start
        while i + closing.count <= n {
            if bytes[i] == UInt8(ascii: "<") {
                var matches = true
                for k in 0..<closing.count where bytes[i + k] | (k >= 2 ? 0x20 : 0) != closing[k] {
                    matches = false
                    break
                }
                if matches, let (end, _, _) = tag(bytes, at: i) { return end }
            }
            i += 1
        }
        return n
    }
}
