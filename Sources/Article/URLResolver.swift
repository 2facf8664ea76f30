import URLReferences

/// Reference resolution as RFC 3986 section 5.2 defines it (strict: a reference with a scheme is absolute).
enum URLResolver {
    /// `reference` made absolute against `base`. ASCII whitespace around either is trimmed, and tabs and line
    /// breaks inside are removed (as browsers do with attribute values). An absolute reference, or a base that has no
    /// scheme, gives the reference as it is.
    static func resolve(_ reference: String, against base: String?) -> String {
        // The common case, every link of a feed: already an absolute web URL, nothing to clean.
        if hasWebScheme(reference), reference.utf8.last.map({ $0 > 0x20 }) == true,
           !reference.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return reference
        }
        let reference = cleaned(reference)
        let r = URLReference(reference)
        if r.scheme != nil { return reference }
        guard let base, let resolved = r.resolved(against: URLReference(cleaned(base))) else { return reference }
        return resolved.string
    }

    /// Without surrounding ASCII whitespace, and without tabs and line breaks inside.
    /// Whether `text` starts with `http://` or `https://` (lowercase, as nearly every feed writes them).
    private static func hasWebScheme(_ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        for expected in "http".utf8 where utf8.next() != expected { return false }
        var next = utf8.next()
        if next == UInt8(ascii: "s") { next = utf8.next() }
        return next == UInt8(ascii: ":") && utf8.next() == UInt8(ascii: "/") && utf8.next() == UInt8(ascii: "/")
    }

    private static func cleaned(_ text: String) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, last > 0x20,
           !text.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return text
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{C}" || $0 == "\r\n" }
        var trimmed = text.drop(while: isSpace)
        while let last = trimmed.last, isSpace(last) { trimmed = trimmed.dropLast() }
        if trimmed.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return String(trimmed.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" && $0 != "\r\n" })
        }
        return String(trimmed)
    }
}
