/// The header values the engine reads (Retry-After, Cache-Control, Link), parsed. Pure.
public enum HeaderParsing {
    /// `Retry-After` (RFC 9110 section 10.2.3) as seconds from `now` (a Unix time): delay-seconds as they are, an
    /// HTTP-date as the seconds until it (0 when it is past). Nil when it is neither.
    public static func retryAfter(_ value: String, now: Int) -> Int? {
        let text = trimmed(value)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // A huge number is a very long time, not an error: cap it at 10 years.
            return text.count > 9 ? 315_360_000 : min(Int(text)!, 315_360_000)
        }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date - now)
    }

    /// `max-age` of `Cache-Control` values (each header's value; directives are case-insensitive, the value may be
    /// quoted), or nil.
    public static func maxAge(_ values: [String]) -> Int? {
        for value in values {
            for directive in value.split(separator: ",") {
                let parts = directive.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, trimmed(parts[0]).lowercased() == "max-age" else { continue }
                var number = trimmed(parts[1])
                if number.hasPrefix("\""), number.hasSuffix("\""), number.count >= 2 {
                    number = String(number.dropFirst().dropLast())
                }
                guard !number.isEmpty, number.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else { continue }
                return number.count > 9 ? 315_360_000 : min(Int(number)!, 315_360_000)
            }
        }
        return nil
    }

    /// The links of `Link` header values (RFC 8288 section 3): several per value, separated by commas outside `<>`
    /// and quotes; one `HeaderLink` per relation type (`rel="next archives"` gives two); the first `rel` counts;
    /// links without one are dropped. Targets are resolved against `base` (the response's URL). Registered relation
    /// types are lowercased; extension types (URIs such as `https://api.w.org/`) are kept as written.
    public static func links(_ values: [String], base: String) -> [HeaderLink] {
        var result: [HeaderLink] = []
        for value in values {
            var scanner = LinkScanner(Array(value.utf8))
            while let (target, rel) = scanner.next() {
                guard let rel, let url = URLResolution.resolve(target, against: base) else { continue }
                for type in rel.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    let name = type.contains(":") ? String(type) : type.lowercased()
                    result.append(HeaderLink(url: url, rel: name))
                }
            }
        }
        return result
    }

    /// Without surrounding spaces, tabs and line ends (by scalars: `"\r\n"` is one Character).
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
        while let c = scalars.first, isSpace(c) { scalars = scalars.dropFirst() }
        while let c = scalars.last, isSpace(c) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// Reads `<target>; param=value; param="quoted", <target>…` one link at a time.
private struct LinkScanner {
    let bytes: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), comma = UInt8(ascii: ","),
        semicolon = UInt8(ascii: ";"), equals = UInt8(ascii: "="), quote = UInt8(ascii: "\""),
        backslash = UInt8(ascii: "\\"), open = UInt8(ascii: "<"), close = UInt8(ascii: ">")

    /// The next link's target and first `rel` (nil when it has none); nil at the end.
    mutating func next() -> (String, String?)? {
        while true {
            skip { $0 == Self.space || $0 == Self.tab || $0 == Self.comma }
            guard i < bytes.count else { return nil }
            guard bytes[i] == Self.open else {
                skipToNextLink()  // not a link: ignore up to the next comma outside quotes
                continue
            }
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != Self.close { i += 1 }
            let target = String(decoding: bytes[start..<i], as: UTF8.self)
            if i < bytes.count { i += 1 }
            var rel: String?
            while true {
                skip { $0 == Self.space || $0 == Self.tab }
                guard i < bytes.count, bytes[i] == Self.semicolon else { break }
                i += 1
                skip { $0 == Self.space || $0 == Self.tab }
                let nameStart = i
                while i < bytes.count, ![Self.equals, Self.semicolon, Self.comma, Self.space, Self.tab].contains(bytes[i]) {
                    i += 1
                }
                let name = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
                skip { $0 == Self.space || $0 == Self.tab }
                var value = ""
                if i < bytes.count, bytes[i] == Self.equals {
                    i += 1
                    skip { $0 == Self.space || $0 == Self.tab }
                    value = readValue()
                }
                if name == "rel", rel == nil { rel = HeaderParsing.trimmed(value) }
            }
            // Anything else up to the comma that ends this link is malformed: skip it.
            skipToNextLink()
            return (target, rel?.isEmpty == false ? rel : nil)
        }
    }

    private mutating func readValue() -> String {
        var value: [UInt8] = []
        if i < bytes.count, bytes[i] == Self.quote {
            i += 1
            while i < bytes.count, bytes[i] != Self.quote {
                if bytes[i] == Self.backslash, i + 1 < bytes.count { i += 1 }
                value.append(bytes[i])
                i += 1
            }
            if i < bytes.count { i += 1 }
        } else {
            while i < bytes.count, ![Self.semicolon, Self.comma, Self.space, Self.tab].contains(bytes[i]) {
                value.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    private mutating func skip(_ predicate: (UInt8) -> Bool) {
        while i < bytes.count, predicate(bytes[i]) { i += 1 }
    }

    private mutating func skipToNextLink() {
        var quoted = false
        while i < bytes.count {
            let byte = bytes[i]
            if quoted {
                if byte == Self.backslash { i += 1 } else if byte == Self.quote { quoted = false }
            } else if byte == Self.quote {
                quoted = true
            } else if byte == Self.comma {
                return
            }
            i += 1
        }
    }
}

/// The headers of one response (one hop of a redirect chain), fed a line at a time by libcurl's header callback.
/// A status line (`HTTP/1.1 200 OK`, also an interim 1xx one) starts over.
struct HeaderLines {
    var etag: String?
    var lastModified: String?
    var contentType: String?
    var retryAfter: String?
    var location: String?
    var cacheControl: [String] = []
    var links: [String] = []
    /// A status line arrived: the server answered.
    var answered = false

    mutating func add(_ line: String) {
        if line.hasPrefix("HTTP/") {
            self = HeaderLines()
            answered = true
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = HeaderParsing.trimmed(line[..<colon]).lowercased()
        let value = HeaderParsing.trimmed(line[line.index(after: colon)...])
        switch name {
        case "etag": etag = value
        case "last-modified": lastModified = value
        case "content-type": contentType = value
        case "retry-after": retryAfter = value
        case "location": location = value
        case "cache-control": cacheControl.append(value)
        case "link": links.append(value)
        default: break
        }
    }

    /// What the response says, `Link` targets resolved against `url`, `Retry-After` counted from `now`.
    func headers(url: String, now: Int) -> ResponseHeaders {
        ResponseHeaders(etag: etag.flatMap { $0.isEmpty ? nil : $0 },
                        lastModified: lastModified.flatMap { $0.isEmpty ? nil : $0 },
                        contentType: contentType.flatMap { $0.isEmpty ? nil : $0 },
                        retryAfter: retryAfter.flatMap { HeaderParsing.retryAfter($0, now: now) },
                        maxAge: HeaderParsing.maxAge(cacheControl),
                        links: HeaderParsing.links(links, base: url))
    }
}
