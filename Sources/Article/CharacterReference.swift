/// HTML5 character references (`&copy;`, `&copy`, `&#169;`, `&#xA9;`) read from UTF-8 bytes.
enum CharacterReference {
    /// The reference whose `&` is at `start`: its text and the offset just after it, or `nil` when the `&` starts
    /// none (then it is a literal `&`). In an attribute value a legacy name without `;` followed by `=` or a letter
    /// or digit is no reference (`?a=1&copy=2` stays as written), as HTML5 says.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, inAttribute: Bool) -> (text: String, end: Int)? {
        let n = bytes.count
        var i = start + 1
        guard i < n else { return nil }
        if bytes[i] == UInt8(ascii: "#") {
            i += 1
            var hex = false
            if i < n, bytes[i] | 0x20 == UInt8(ascii: "x") { hex = true; i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < n, let digit = digitValue(bytes[i], hex: hex) {
                value = min(value &* (hex ? 16 : 10) &+ digit, 0x110000)
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < n, bytes[i] == UInt8(ascii: ";") { i += 1 }
            return (String(Character(scalar(forCode: value))), i)
        }
        var end = i
        while end < n, end - i < HTMLEntities.longestName, isAlphanumeric(bytes[end]) { end += 1 }
        guard end > i else { return nil }
        if end < n, bytes[end] == UInt8(ascii: ";") {
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[i...end]), as: UTF8.self)
            if let text = HTMLEntities.byName[name] { return (text, end + 1) }
        }
        // A legacy name without `;`: the longest one that prefixes the letters.
        var length = min(end - i, HTMLEntities.longestLegacyName)
        while length >= 2 {
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]), as: UTF8.self)
            if let text = HTMLEntities.byName[name] {
                let after = i + length
                if inAttribute, after < n, bytes[after] == UInt8(ascii: "=") || isAlphanumeric(bytes[after]) {
                    return nil
                }
                return (text, after)
            }
            length -= 1
        }
        return nil
    }

    /// The character a numeric reference stands for, as HTML5 maps it: NUL, surrogates and values past U+10FFFF
    /// become U+FFFD, and 0x80–0x9F the Windows-1252 characters that documents mean by them.
    static func scalar(forCode code: UInt32) -> Unicode.Scalar {
        if code >= 0x80 && code <= 0x9F, let mapped = windows1252[Int(code - 0x80)] { return mapped }
        guard code != 0, let scalar = Unicode.Scalar(code) else { return "\u{FFFD}" }
        return scalar
    }

    /// Windows-1252's characters for 0x80–0x9F (`nil`: the five the code page leaves undefined).
    private static let windows1252: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    @inline(__always)
    private static func digitValue(_ b: UInt8, hex: Bool) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    @inline(__always)
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
}
