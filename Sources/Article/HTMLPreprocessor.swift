import TextCells

/// Rewrites an HTML body so that libxml2 2.9's HTML parser, which knows only HTML4's entities, reads it as HTML5
/// would.
///
/// - Every character reference HTML5 knows (named, with or without `;`, and numeric) becomes a numeric reference
///   libxml2 decodes (`&hellip;` → `&#x2026;`); numeric values are mapped as HTML5 maps them (`&#0;` → U+FFFD,
///   `&#x93;` → U+201C), and characters XML forbids (C0 controls) are dropped.
/// - A `&` that starts no reference becomes `&amp;`, so it stays a literal `&`.
/// - `<![CDATA[…]]>` sections become their text, escaped (libxml2's HTML parser would drop them as comments).
/// - NUL bytes become U+FFFD (libxml2 would stop at them).
///
/// - Terminal escape sequences are removed whole (`Sanitizer.clean` between tabs and line breaks): libxml2 drops
///   the ESC alone and would leave `[2J` in the text.
///
/// Comments, `<!…>` and `<?…>` are copied untouched. Linear in the input.
enum HTMLPreprocessor {
    static func prepare(_ html: String) -> [UInt8] {
        var html = hasEscapes(html) ? withoutEscapeSequences(html) : html
        return html.withUTF8 { prepare($0) }
    }

    /// Whether `text` holds an ESC or a C1 control (U+0080–U+009F, the 8-bit CSI among them).
    private static func hasEscapes(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == 0x1B || (previous == 0xC2 && b >= 0x80 && b <= 0x9F) { return true }
            previous = b
        }
        return false
    }

    /// `text` with every piece between tabs and line breaks sanitized (which keeps those separators for `pre`).
    private static func withoutEscapeSequences(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var piece = ""
        for scalar in text.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                result += Sanitizer.clean(piece)
                result.unicodeScalars.append(scalar)
                piece = ""
            } else {
                piece.unicodeScalars.append(scalar)
            }
        }
        return result + Sanitizer.clean(piece)
    }

    private enum State { case text, tag, comment, declaration, cdata, rawText }

    /// Elements whose content is not markup: copied as it is up to their end tag.
    private static let rawTextElements: Set<String> = ["script", "style", "xmp", "textarea", "title", "iframe", "noembed"]

    static func prepare(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        let n = bytes.count
        var i = 0
        var state = State.text
        var quote: UInt8 = 0
        var afterEquals = false
        var nesting = NestingLimiter()
        /// The raw-text element whose start tag is being read, then whose content is being copied.
        var rawText: [UInt8] = []
        while i < n {
            let b = bytes[i]
            if b == 0 {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += 1
                continue
            }
            switch state {
            case .comment:
                if b == UInt8(ascii: ">"), i >= 2, bytes[i - 1] == UInt8(ascii: "-"), bytes[i - 2] == UInt8(ascii: "-") {
                    state = .text
                }
                out.append(b)
                i += 1
            case .declaration:
                if b == UInt8(ascii: ">") { state = .text }
                out.append(b)
                i += 1
            case .rawText:
                if b == UInt8(ascii: "<"), i + 1 + rawText.count < n, bytes[i + 1] == UInt8(ascii: "/"),
                   (0..<rawText.count).allSatisfy({ bytes[i + 2 + $0] | 0x20 == rawText[$0] }) {
                    state = .text
                    rawText = []
                    continue
                }
                out.append(b)
                i += 1
            case .cdata:
                if b == UInt8(ascii: "]"), starts(bytes, at: i, with: "]]>") {
                    state = .text
                    i += 3
                } else {
                    switch b {
                    case UInt8(ascii: "&"): out.append(contentsOf: Array("&amp;".utf8))
                    case UInt8(ascii: "<"): out.append(contentsOf: Array("&lt;".utf8))
                    case UInt8(ascii: ">"): out.append(contentsOf: Array("&gt;".utf8))
                    default: out.append(b)
                    }
                    i += 1
                }
            case .text, .tag:
                if b == UInt8(ascii: "&") {
                    let inAttribute = state == .tag
                    if let (text, end) = CharacterReference.decode(bytes, at: i, inAttribute: inAttribute) {
                        appendNumericReferences(text, to: &out)
                        i = end
                    } else {
                        out.append(contentsOf: Array("&amp;".utf8))
                        i += 1
                    }
                    continue
                }
                if state == .text {
                    if b == UInt8(ascii: "<"), i + 1 < n {
                        let next = bytes[i + 1]
                        if starts(bytes, at: i, with: "<!--") {
                            state = .comment
                            out.append(contentsOf: Array("<!--".utf8))
                            i += 4
                            continue
                        }
                        if starts(bytes, at: i, with: "<![CDATA[") {
                            state = .cdata
                            i += 9
                            continue
                        }
                        if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                            state = .declaration
                        } else if let tag = Self.peekTag(bytes, at: i) {
                            if !nesting.admit(tag.name, closing: tag.closing, selfClosing: tag.selfClosing) {
                                i = tag.end
                                continue
                            }
                            state = .tag
                            quote = 0
                            afterEquals = false
                            if !tag.closing && Self.rawTextElements.contains(tag.name) { rawText = Array(tag.name.utf8) }
                        }
                    }
                } else if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == UInt8(ascii: ">") {
                    state = rawText.isEmpty ? .text : .rawText
                } else if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && afterEquals {
                    quote = b
                    afterEquals = false
                } else if b == UInt8(ascii: "=") {
                    afterEquals = true
                } else if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") && b != UInt8(ascii: "\n") && b != UInt8(ascii: "\r") {
                    afterEquals = false
                }
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// The start or end tag at the `<` at `start`: its lower-case name, whether it is an end tag or ends with `/>`,
    /// and the offset after its `>` (the end of the input when it has none); `nil` when the `<` starts no tag.
    private static func peekTag(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int)
        -> (name: String, closing: Bool, selfClosing: Bool, end: Int)? {
        let n = bytes.count
        var i = start + 1
        let closing = i < n && bytes[i] == UInt8(ascii: "/")
        if closing { i += 1 }
        guard i < n, (bytes[i] | 0x20) >= UInt8(ascii: "a"), (bytes[i] | 0x20) <= UInt8(ascii: "z") else { return nil }
        let nameStart = i
        while i < n, CharacterReference.isAlphanumeric(bytes[i]) { i += 1 }
        var name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<i]), as: UTF8.self)
        if bytes[nameStart..<i].contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) { name = name.lowercased() }
        var quote: UInt8 = 0
        var afterEquals = false
        while i < n {
            let c = bytes[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: ">") {
                return (name, closing, bytes[i - 1] == UInt8(ascii: "/"), i + 1)
            } else if (c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")) && afterEquals {
                quote = c
                afterEquals = false
            } else if c == UInt8(ascii: "=") {
                afterEquals = true
                i += 1
                continue
            } else if c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D {
                afterEquals = false
            }
            i += 1
        }
        return (name, closing, false, n)
    }

    /// `&#xN;` for each scalar of `text`, leaving out those XML forbids (libxml2 would report and drop them).
    private static func appendNumericReferences(_ text: String, to out: inout [UInt8]) {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF { continue }
            out.append(contentsOf: Array("&#x".utf8))
            out.append(contentsOf: Array(String(v, radix: 16, uppercase: true).utf8))
            out.append(UInt8(ascii: ";"))
        }
    }

    private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where bytes[i + k] != p[k] { return false }
        return true
    }
}
