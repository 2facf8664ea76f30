import URLReferences

/// URL references (RFC 3986): parsing into parts, resolving a relative reference (a redirect's `Location`, a `Link`
/// header's target) against a base, and the host a URL names. Pure; no Foundation.
public enum URLResolution {
    /// `reference` resolved against the absolute URL `base` (RFC 3986 section 5.2), or nil when `base` has no
    /// scheme. Spaces, controls and non-ASCII bytes are percent-encoded, as browsers and libcurl do for `Location`;
    /// the scheme is lowercased.
    public static func resolve(_ reference: String, against base: String) -> String? {
        guard var t = URLReference(encoding(reference)).resolved(against: URLReference(encoding(base))) else { return nil }
        t.scheme = t.scheme?.lowercased()
        return t.string
    }

    /// The URL's scheme, lowercased (`http`), or nil.
    public static func scheme(of url: String) -> String? {
        URLReference(url).scheme?.lowercased()
    }

    /// The host a URL names, lowercased, without user, port or IPv6 brackets (`example.org`), or nil.
    public static func host(of url: String) -> String? {
        guard var authority = URLReference(url).authority?[...] else { return nil }
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
        guard var authority = URLReference(url).authority?[...] else { return nil }
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
