/// URL references (RFC 3986): parsing into parts, resolving a relative reference (a redirect's `Location`, a `Link`
/// header's target) against a base, and the host a URL names. Pure; no Foundation.
public enum URLResolution {
    /// `reference` resolved against the absolute URL `base` (RFC 3986 section 5.2), or nil when `base` has no
    /// scheme. Spaces, controls and non-ASCII bytes are percent-encoded, as browsers and libcurl do for `Location`;
    /// the scheme is lowercased.
    public static func resolve(_ reference: String, against base: String) -> String? {
        let r = URLParts(encoding(reference))
        if let scheme = r.scheme {
            var t = r
            t.scheme = scheme
            t.path = removeDotSegments(r.path)
            return t.string
        }
        let b = URLParts(encoding(base))
        guard b.scheme != nil else { return nil }
        var t = URLParts()
        t.scheme = b.scheme
        t.fragment = r.fragment
        if r.authority != nil {
            t.authority = r.authority
            t.path = removeDotSegments(r.path)
            t.query = r.query
        } else {
            t.authority = b.authority
            if r.path.isEmpty {
                t.path = b.path
                t.query = r.query ?? b.query
            } else {
                if r.path.hasPrefix("/") {
                    t.path = removeDotSegments(r.path)
                } else if b.authority != nil && b.path.isEmpty {
                    t.path = removeDotSegments("/" + r.path)
                } else if let slash = b.path.lastIndex(of: "/") {
                    t.path = removeDotSegments(String(b.path[...slash]) + r.path)
                } else {
                    t.path = removeDotSegments(r.path)
                }
                t.query = r.query
            }
        }
        return t.string
    }

    /// The URL's scheme, lowercased (`http`), or nil.
    public static func scheme(of url: String) -> String? {
        URLParts(url).scheme
    }

    /// The host a URL names, lowercased, without user, port or IPv6 brackets (`example.org`), or nil.
    public static func host(of url: String) -> String? {
        guard var authority = URLParts(url).authority?[...] else { return nil }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = authority[authority.index(after: authority.startIndex)..<close]
            return host.isEmpty ? nil : host.lowercased()
        }
        if let colon = authority.firstIndex(of: ":") { authority = authority[..<colon] }
        return authority.isEmpty ? nil : authority.lowercased()
    }

    /// The port a URL names explicitly (`8080` in `http://example.org:8080/`), or nil.
    public static func port(of url: String) -> Int? {
        guard var authority = URLParts(url).authority?[...] else { return nil }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if let close = authority.lastIndex(of: "]") { authority = authority[authority.index(after: close)...] }
        guard let colon = authority.lastIndex(of: ":") else { return nil }
        return Int(authority[authority.index(after: colon)...])
    }

    /// The URL without its fragment (`#…`): what a server sees, so what a redirect loop is told by.
    public static func withoutFragment(_ url: String) -> String {
        guard let hash = url.firstIndex(of: "#") else { return url }
        return String(url[..<hash])
    }

    /// RFC 3986 section 5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output = ""
        func dropLastSegment() {
            if let slash = output.lastIndex(of: "/") { output.removeSubrange(slash...) } else { output = "" }
        }
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = "/" + input.dropFirst(3)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = "/" + input.dropFirst(4)
                dropLastSegment()
            } else if input == "/.." {
                input = "/"
                dropLastSegment()
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let start = input.hasPrefix("/") ? input.index(after: input.startIndex) : input.startIndex
                let end = input[start...].firstIndex(of: "/") ?? input.endIndex
                output += input[..<end]
                input = input[end...]
            }
        }
        return output
    }

    /// Trims surrounding whitespace and percent-encodes what may not appear in a URL as sent.
    static func encoding(_ text: String) -> String {
        var trimmed = Substring(text)
        while let first = trimmed.unicodeScalars.first, first == " " || first == "\t" || first == "\r" || first == "\n" {
            trimmed = trimmed.dropFirst()
        }
        while let last = trimmed.unicodeScalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" {
            trimmed = trimmed.dropLast()
        }
        let utf8 = trimmed.utf8
        guard utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "<")
            || $0 == UInt8(ascii: ">") }) else { return String(trimmed) }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            if byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: ">") {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A URL reference split as RFC 3986 appendix B does: `scheme:` `//authority` path `?query` `#fragment`.
struct URLParts: Equatable {
    var scheme: String?
    var authority: String?
    var path = ""
    var query: String?
    var fragment: String?

    init() {}

    init(_ text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if let colon = rest.firstIndex(of: ":"), URLParts.isScheme(rest[..<colon]) {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    /// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), with no `/` before it.
    static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy {
            isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "+")
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    var string: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }
}
