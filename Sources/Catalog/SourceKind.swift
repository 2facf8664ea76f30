/// What a source file holds, told by its first bytes, never by its name: a byte-order mark or `<?xml`, `<rss`,
/// `<feed` or `<rdf:RDF` make an XML feed, `{` a JSON Feed (its reader checks the `version`), anything else a
/// text archive (which then needs posts). Markup that is not a feed (an HTML page, another XML document) is refused
/// with the reason.
public enum SourceKind: Hashable, Sendable {
    case textArchive
    case xmlFeed
    case jsonFeed
    /// Neither an archive nor a feed; `reason` completes "FILE: ..." (`is an HTML page, not a feed`).
    case unsupported(reason: String)
    /// A subscription: its items were fetched and are kept in the store (never a file's sniffed kind).
    case subscription

    /// How many first bytes `sniff` wants to see (fewer when the file is shorter).
    public static let sniffLength = 16 << 10

    /// The kind of a file that starts with `prefix`.
    public static func sniff(_ prefix: [UInt8]) -> SourceKind {
        var i = 0
        let n = prefix.count
        if n >= 2, (prefix[0] == 0xFE && prefix[1] == 0xFF) || (prefix[0] == 0xFF && prefix[1] == 0xFE) {
            return .xmlFeed  // UTF-16 with a byte-order mark: only XML feeds are written so
        }
        if n >= 4, (prefix[0] == 0x3C && prefix[1] == 0 && prefix[2] == 0x3F && prefix[3] == 0)
            || (prefix[0] == 0 && prefix[1] == 0x3C && prefix[2] == 0 && prefix[3] == 0x3F) {
            return .xmlFeed  // `<?` in UTF-16 without a mark
        }
        if n >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { i = 3 }
        while i < n, isSpace(prefix[i]) { i += 1 }
        guard i < n else { return .textArchive }
        switch prefix[i] {
        case UInt8(ascii: "{"):
            return .jsonFeed
        case UInt8(ascii: "<"):
            return markup(prefix, from: i)
        default:
            return .textArchive
        }
    }

    /// The kind of a document starting with `<` at `start`: by its root element, after any declaration, comments,
    /// processing instructions and doctype.
    private static func markup(_ p: [UInt8], from start: Int) -> SourceKind {
        var i = start
        let n = p.count
        while i < n {
            while i < n, isSpace(p[i]) { i += 1 }
            guard i + 1 < n, p[i] == UInt8(ascii: "<") else { break }
            if p[i + 1] == UInt8(ascii: "?") {
                guard let end = find(p, [0x3F, 0x3E], from: i + 2) else { return .xmlFeed }
                i = end + 2
            } else if starts(p, at: i, with: "<!--") {
                guard let end = find(p, Array("-->".utf8), from: i + 4) else { return .xmlFeed }
                i = end + 3
            } else if p[i + 1] == UInt8(ascii: "!") {
                // A doctype, perhaps with an internal subset in brackets.
                var j = i + 2
                var depth = 0
                while j < n, !(p[j] == UInt8(ascii: ">") && depth == 0) {
                    if p[j] == UInt8(ascii: "[") { depth += 1 } else if p[j] == UInt8(ascii: "]") { depth -= 1 }
                    j += 1
                }
                guard j < n else { return .xmlFeed }  // a long internal subset: the XML reader decides
                i = j + 1
            } else {
                var j = i + 1
                while j < n, !isSpace(p[j]), p[j] != UInt8(ascii: ">"), p[j] != UInt8(ascii: "/") { j += 1 }
                let name = String(decoding: p[(i + 1)..<j], as: UTF8.self)
                let local = (name.split(separator: ":").last.map(String.init) ?? name).lowercased()
                switch local {
                case "rss", "feed", "rdf", "channel": return .xmlFeed
                case "html", "head", "body": return .unsupported(reason: "is an HTML page, not a feed")
                default:
                    return .unsupported(reason: "is XML but not a feed (its root element is <\(name.prefix(40))>)")
                }
            }
        }
        // Markup without an element in the first bytes: let the XML reader say what is wrong.
        return .xmlFeed
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    private static func starts(_ p: [UInt8], at i: Int, with text: String) -> Bool {
        let t = Array(text.utf8)
        return i + t.count <= p.count && Array(p[i..<(i + t.count)]) == t
    }

    private static func find(_ p: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        guard needle.count > 0, from + needle.count <= p.count else { return nil }
        var i = from
        while i + needle.count <= p.count {
            if p[i] == needle[0], Array(p[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
