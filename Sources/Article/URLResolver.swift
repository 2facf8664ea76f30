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
        let r = Components(reference)
        if r.scheme != nil { return reference }
        guard let base, case let b = Components(cleaned(base)), let scheme = b.scheme else { return reference }
        var t = Components()
        t.scheme = scheme
        if r.authority != nil {
            t.authority = r.authority
            t.path = removeDotSegments(r.path)
            t.query = r.query
        } else {
            if r.path.isEmpty {
                t.path = b.path
                t.query = r.query ?? b.query
            } else {
                if r.path.hasPrefix("/") {
                    t.path = removeDotSegments(r.path)
                } else {
                    t.path = removeDotSegments(merge(base: b, path: r.path))
                }
                t.query = r.query
            }
            t.authority = b.authority
        }
        t.fragment = r.fragment
        return t.recomposed
    }

    /// The five components of a URI reference (RFC 3986 appendix B).
    struct Components {
        var scheme: Substring?
        var authority: Substring?
        var path: String = ""
        var query: Substring?
        var fragment: Substring?

        init() {}

        init(_ text: String) {
            var rest = text[...]
            if let hash = rest.firstIndex(of: "#") {
                fragment = rest[rest.index(after: hash)...]
                rest = rest[..<hash]
            }
            if let question = rest.firstIndex(of: "?") {
                query = rest[rest.index(after: question)...]
                rest = rest[..<question]
            }
            if let colon = rest.firstIndex(of: ":"), Self.isScheme(rest[..<colon]) {
                scheme = rest[..<colon]
                rest = rest[rest.index(after: colon)...]
            }
            if rest.hasPrefix("//") {
                let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
                let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
                authority = rest[afterSlashes..<end]
                rest = rest[end...]
            }
            path = String(rest)
        }

        /// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), and no `/` before the colon.
        private static func isScheme(_ text: Substring) -> Bool {
            guard let first = text.utf8.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z") else {
                return false
            }
            return text.utf8.allSatisfy { b in
                CharacterReference.isAlphanumeric(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
            }
        }

        /// Section 5.3.
        var recomposed: String {
            var result = ""
            if let scheme { result += scheme + ":" }
            if let authority { result += "//" + authority }
            result += path
            if let query { result += "?" + query }
            if let fragment { result += "#" + fragment }
            return result
        }
    }

    /// Section 5.2.3.
    private static func merge(base: Components, path: String) -> String {
        if base.authority != nil && base.path.isEmpty { return "/" + path }
        guard let slash = base.path.lastIndex(of: "/") else { return path }
        return base.path[...slash] + path
    }

    /// Section 5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        var input = path[...]
        var output: [Substring] = []  // segments, each with its leading "/" when it had one
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let searchStart = input.hasPrefix("/") ? input.index(after: input.startIndex) : input.startIndex
                let end = input[searchStart...].firstIndex(of: "/") ?? input.endIndex
                output.append(input[..<end])
                input = input[end...]
            }
        }
        return output.joined()
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
