/// The markers of list items: `•` and `–` for `ul` (outer, then nested), numbers, letters or roman numerals for `ol`.
enum ListMarker {
    /// The numbering of an ordered list (`type` attribute).
    enum Numbering: Hashable, Sendable {
        case decimal, lowerAlpha, upperAlpha, lowerRoman, upperRoman

        init(type: String?) {
            switch type?.trimmingSpaces {
            case "a": self = .lowerAlpha
            case "A": self = .upperAlpha
            case "i": self = .lowerRoman
            case "I": self = .upperRoman
            default: self = .decimal
            }
        }
    }

    /// The bullet of an unordered list nested `depth` lists deep (1: outermost).
    static func bullet(depth: Int) -> String { depth <= 1 ? "•" : "–" }

    /// `3.`, `c.`, `iii.`: the marker of item `number`. Letters and roman numerals fall back to decimal outside the
    /// numbers they can write (below 1; roman above 3999).
    static func marker(_ number: Int, _ numbering: Numbering) -> String {
        switch numbering {
        case .decimal: return "\(number)."
        case .lowerAlpha, .upperAlpha:
            guard number >= 1 else { return "\(number)." }
            let text = letters(number)
            return (numbering == .upperAlpha ? text.uppercased() : text) + "."
        case .lowerRoman, .upperRoman:
            guard (1...3999).contains(number) else { return "\(number)." }
            let text = roman(number)
            return (numbering == .upperRoman ? text.uppercased() : text) + "."
        }
    }

    /// a, b, …, z, aa, ab, … (bijective base 26).
    static func letters(_ number: Int) -> String {
        var n = number
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            n -= 1
            scalars.append(Unicode.Scalar(UInt8(ascii: "a") + UInt8(n % 26)))
            n /= 26
        }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }

    /// Lower-case roman numerals, 1...3999.
    static func roman(_ number: Int) -> String {
        let values: [(Int, String)] = [
            (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
            (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
        ]
        var n = number
        var result = ""
        for (value, text) in values {
            while n >= value {
                result += text
                n -= value
            }
        }
        return result
    }
}

extension String {
    /// Without surrounding ASCII whitespace.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{C}" || $0 == "\r\n" }
        var trimmed = self.drop(while: isSpace)
        while let last = trimmed.last, isSpace(last) { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
