import Article

/// Tells a web page given instead of a feed, and finds the feed it links to (`<link rel="alternate"
/// type="application/rss+xml" href=…>`), so that the error can say where the feed is.
enum HTMLPageSniffer {
    /// Whether `bytes` (the start of a file) begin like an HTML page: `<!DOCTYPE html` or `<html`, after a byte
    /// order mark, white space, an XML declaration and comments.
    static func looksLikeHTML(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let b = lowered(bytes.prefix(4096))
        var i = 0
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < b.count {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
            let rest = b[i...]
            if rest.starts(with: Array("<?".utf8)) || rest.starts(with: Array("<!--".utf8)) {
                let end: [UInt8] = rest.starts(with: Array("<?".utf8)) ? Array("?>".utf8) : Array("-->".utf8)
                guard let close = find(end, in: b, from: i + 2) else { return false }
                i = close + end.count
                continue
            }
            return rest.starts(with: Array("<!doctype html".utf8)) || rest.starts(with: Array("<html".utf8))
        }
        return false
    }

    /// The absolute URL of the first feed an HTML page links to, or nil.
    static func feedLink(in bytes: UnsafeBufferPointer<UInt8>, base: String?) -> String? {
        let original = Array(bytes)
        let b = lowered(bytes[...])
        var i = 0
        while let start = find(Array("<link".utf8), in: b, from: i) {
            var j = start + 5
            var attributes: [String: String] = [:]
            while j < b.count, b[j] != 0x3E {
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x2F { j += 1 }
                let nameStart = j
                while j < b.count, b[j] != 0x3D, b[j] != 0x3E, b[j] != 0x20, b[j] != 0x09, b[j] != 0x0A, b[j] != 0x0D {
                    j += 1
                }
                let name = String(decoding: b[nameStart..<j], as: UTF8.self)
                while j < b.count, b[j] == 0x20 { j += 1 }
                var value = ""
                if j < b.count, b[j] == 0x3D {
                    j += 1
                    while j < b.count, b[j] == 0x20 { j += 1 }
                    if j < b.count, b[j] == 0x22 || b[j] == 0x27 {
                        let quote = b[j]
                        let valueStart = j + 1
                        j = valueStart
                        while j < b.count, b[j] != quote { j += 1 }
                        value = String(decoding: original[valueStart..<min(j, b.count)], as: UTF8.self)
                        j += 1
                    } else {
                        let valueStart = j
                        while j < b.count, b[j] != 0x20, b[j] != 0x3E { j += 1 }
                        value = String(decoding: original[valueStart..<j], as: UTF8.self)
                    }
                }
                if !name.isEmpty { attributes[name] = value }
                if nameStart == j { j += 1 }
            }
            i = j
            let rel = (attributes["rel"] ?? "").lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
            let type = (attributes["type"] ?? "").lowercased()
            let feedTypes = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
                             "application/json"]
            if rel.contains("alternate"), feedTypes.contains(type), let href = attributes["href"], !href.isEmpty {
                return Article.resolveURL(FeedText.decodeAttribute(FeedText.trim(href)), against: base)
            }
        }
        return nil
    }

    private static func lowered(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        s.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    private static func find(_ needle: [UInt8], in b: [UInt8], from: Int) -> Int? {
        guard needle.count > 0, b.count >= needle.count, from <= b.count - needle.count else { return nil }
        var i = from
        while i <= b.count - needle.count {
            if b[i] == needle[0], Array(b[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}
