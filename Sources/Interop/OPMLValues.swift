/// What an outline's attribute values become: names and tags cleaned, URLs checked, categories split.
enum OPMLValues {
    /// Control characters (C0, DEL, C1, line and paragraph separators) become spaces, runs of white space one space,
    /// and the ends are trimmed: a name or a tag is one line of the urls file.
    static func clean(_ s: String) -> String {
        // Most names are printable ASCII with single spaces inside: as they are.
        var plain = true
        var previous: UInt8 = 0x20
        for byte in s.utf8 {
            if byte < 0x20 || byte >= 0x7F || byte == 0x20 && previous == 0x20 {
                plain = false
                break
            }
            previous = byte
        }
        if plain, previous != 0x20 { return s }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            let v = scalar.value
            let space = v <= 0x20 || (0x7F...0xA0).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x85 || v == 0xFEFF
                || v == 0x3000 || (0x2000...0x200A).contains(v)
            if space {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar)
        }
        return String(out)
    }

    static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// A tag as the urls file can hold it: a leading `~` would make it a display name there, so it goes.
    static func tag(_ s: String) -> String {
        var t = Substring(s)
        while t.first == "~" { t = t.dropFirst() }
        return clean(String(t))
    }

    /// The tags of a `category` attribute: comma-separated entries. An entry that starts with `/` is a path in the
    /// OPML 2.0 way (`/Tech/Linux`): each of its parts is a tag, as nested folders would be. Any other entry is one
    /// tag as written, slashes and all (`tag/three`: newsboat writes its tags so, and reads them back so).
    static func categoryTags(_ category: String) -> [String] {
        var tags: [String] = []
        for entry in category.split(separator: ",", omittingEmptySubsequences: true) {
            let trimmed = clean(String(entry))
            if trimmed.hasPrefix("/") {
                for part in trimmed.split(separator: "/", omittingEmptySubsequences: true) {
                    let t = tag(String(part))
                    if !t.isEmpty { tags.append(t) }
                }
            } else {
                let t = tag(trimmed)
                if !t.isEmpty { tags.append(t) }
            }
        }
        return tags
    }

    static func unique(_ tags: [String]) -> [String] {
        if tags.count < 2 { return tags }
        if tags.count < 8 {
            var out: [String] = []
            for tag in tags where !out.contains(tag) { out.append(tag) }
            return out
        }
        var seen = Set<String>()
        return tags.filter { seen.insert($0).inserted }
    }

    enum Checked {
        case success(String)
        case failure(String)
    }

    /// An `xmlUrl` as a subscription's URL: trimmed, `http://` or `https://` with a host, nothing in it that a URL
    /// cannot hold (spaces, controls, quotes, `<`, `>`, `\`, `|`). `feed://` and `feed:https://` are the feed's
    /// http and https URLs. Anything else (a command, another scheme) is refused, with why.
    static func feedURL(_ raw: String) -> Checked {
        let url = trimmed(raw)
        if url.isEmpty { return .failure("empty xmlUrl") }
        var shown: String { clean(url) }
        if url.hasPrefix("|") {
            return .failure("xmlUrl is a command (\(shown)), and commands are never run")
        }
        let utf8 = url.utf8
        for (scheme, why) in refusedSchemes where hasPrefix(utf8, scheme) {
            return .failure("xmlUrl is \(why): \(shown)")
        }
        var candidate = url
        if hasPrefix(utf8, "feed://") {
            candidate = "http://" + url.dropFirst(7)
        } else if hasPrefix(utf8, "feed:http://") || hasPrefix(utf8, "feed:https://") {
            candidate = String(url.dropFirst(5))
        }
        let schemeEnd: Int
        if hasPrefix(candidate.utf8, "http://") {
            schemeEnd = 7
        } else if hasPrefix(candidate.utf8, "https://") {
            schemeEnd = 8
        } else {
            return .failure("xmlUrl is not an http:// or https:// URL: \(shown)")
        }
        if let bad = unfitCharacter(candidate) {
            switch bad.value {
            case 0x20, 0x09, 0xA0: return .failure("xmlUrl has a space in it: \(shown)")
            case 0x7C: return .failure("xmlUrl has a | in it: \(shown)")
            case 0x22, 0x3C, 0x3E, 0x5C, 0x60: return .failure("xmlUrl has a \(bad) in it, which a URL cannot hold: \(shown)")
            default: return .failure("xmlUrl has a control character in it: \(shown)")
            }
        }
        let authority = candidate.utf8.dropFirst(schemeEnd).prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }
        let host = authority.lastIndex(of: 0x40).map { authority[authority.index(after: $0)...] } ?? authority
        if host.isEmpty || host.first == 0x3A || host.first == 0x2E {
            return .failure("xmlUrl has no host: \(shown)")
        }
        return .success(candidate)
    }

    private static let refusedSchemes: [(StaticString, String)] = [
        ("exec:", "an exec: command, never run"), ("filter:", "a filter: command, never run"),
        ("query:", "a query: feed"), ("file:", "a file: URL (only http and https)"),
    ]

    /// Whether `text` starts with `prefix` (lowercase ASCII), without case.
    private static func hasPrefix(_ text: String.UTF8View, _ prefix: StaticString) -> Bool {
        let p = prefix.utf8Start
        var i = 0
        for byte in text {
            if i == prefix.utf8CodeUnitCount { return true }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            if lower != p[i] { return false }
            i += 1
        }
        return i == prefix.utf8CodeUnitCount
    }

    /// The first character of `url` that a URL cannot hold: white space, a control character, `|`, `"`, `<`, `>`,
    /// `\`, a backquote.
    private static func unfitCharacter(_ url: String) -> Unicode.Scalar? {
        var ascii = true
        for byte in url.utf8 {
            if byte >= 0x80 {
                ascii = false
                continue
            }
            if byte <= 0x20 || byte == 0x7F || byte == 0x7C || byte == 0x22 || byte == 0x3C || byte == 0x3E
                || byte == 0x5C || byte == 0x60 {
                return Unicode.Scalar(byte)
            }
        }
        if ascii { return nil }
        return url.unicodeScalars.first { (0x80...0xA0).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 }
    }

    /// An `htmlUrl` worth keeping (http or https, one word), or nil.
    static func siteURL(_ raw: String) -> String? {
        guard case .success(let good) = feedURL(raw), !good.lowercased().hasPrefix("feed") else { return nil }
        return good
    }

    private static func trimmed(_ s: String) -> String {
        if let first = s.utf8.first, let last = s.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return s }
        let scalars = s.unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0.value <= 0x20 || $0.value == 0xA0 || $0.value == 0xFEFF }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// Decodes what libxml2 leaves in an attribute value when it does not substitute entities: `&#38;` for `&`,
    /// other character references, and the five predefined entities. An unknown `&name;` stays as written.
    static func decodeAttribute(_ s: String) -> String {
        guard s.utf8.contains(0x26) else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.firstIndex(of: ";"), after.distance(from: after.startIndex, to: semi) <= 10 {
                let name = after[..<semi]
                var decoded: String?
                if name.hasPrefix("#") {
                    let digits = name.dropFirst()
                    let value = digits.first == "x" || digits.first == "X"
                        ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                    if let value, let scalar = Unicode.Scalar(value) { decoded = String(Character(scalar)) }
                } else {
                    switch name {
                    case "amp": decoded = "&"
                    case "lt": decoded = "<"
                    case "gt": decoded = ">"
                    case "quot": decoded = "\""
                    case "apos": decoded = "'"
                    default: decoded = nil
                    }
                }
                if let decoded {
                    out += decoded
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
}
