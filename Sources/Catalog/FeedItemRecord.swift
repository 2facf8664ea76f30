import Feeds

/// A feed item as kept in the `FeedItemStore`: everything but the list's fields, in a compact binary form
/// (lengths as LEB128 varints, strings as UTF-8). Private to one run: records are never kept across runs, so
/// the form may change freely.
enum FeedItemRecord {
    static func encode(_ item: FeedItem) -> [UInt8] {
        var w = Writer()
        w.optional(item.guid)
        w.optional(item.link)
        w.strings(item.authors)
        w.optionalInt(item.published?.secondsSince1970)
        w.optionalInt(item.updated?.secondsSince1970)
        w.strings(item.categories)
        w.varint(UInt64(item.enclosures.count))
        for e in item.enclosures {
            w.string(e.url)
            w.optional(e.type)
            w.optionalInt(e.length)
        }
        w.byte(item.contentType.rawValue)
        w.optional(item.contentBase)
        w.optional(item.language)
        w.optionalInt(item.commentCount.map(Int64.init))
        w.optional(item.thumbnail)
        w.optional(item.duration)
        w.string(item.content)
        return w.bytes
    }

    /// The item, with an empty title (the post has it); `nil` for bytes that are not a whole record.
    static func decode(_ bytes: [UInt8]) -> FeedItem? {
        var r = Reader(bytes: bytes)
        var item = FeedItem()
        guard let guid = r.optional(), let link = r.optional(), let authors = r.strings(),
              let published = r.optionalInt(), let updated = r.optionalInt(), let categories = r.strings(),
              let count = r.varint() else { return nil }
        item.guid = guid
        item.link = link
        item.authors = authors
        item.published = published.map(FeedTimestamp.init(secondsSince1970:))
        item.updated = updated.map(FeedTimestamp.init(secondsSince1970:))
        item.categories = categories
        for _ in 0..<min(count, UInt64(bytes.count)) {
            guard let url = r.string(), let type = r.optional(), let length = r.optionalInt() else { return nil }
            item.enclosures.append(Enclosure(url: url, type: type, length: length))
        }
        guard let type = r.byte().flatMap(ContentType.init(rawValue:)), let base = r.optional(),
              let language = r.optional(), let comments = r.optionalInt(), let thumbnail = r.optional(),
              let duration = r.optional(), let content = r.string() else { return nil }
        item.contentType = type
        item.contentBase = base
        item.language = language
        item.commentCount = comments.map { Int(truncatingIfNeeded: $0) }
        item.thumbnail = thumbnail
        item.duration = duration
        item.content = content
        return item
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func byte(_ b: UInt8) { bytes.append(b) }

        mutating func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        mutating func string(_ s: String) {
            var s = s
            s.withUTF8 { utf8 in
                varint(UInt64(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func optional(_ s: String?) {
            guard let s else { return byte(0) }
            byte(1)
            string(s)
        }

        mutating func strings(_ list: [String]) {
            varint(UInt64(list.count))
            for s in list { string(s) }
        }

        mutating func optionalInt(_ value: Int64?) {
            guard let value else { return byte(0) }
            byte(1)
            varint(UInt64(bitPattern: value))
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func byte() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let b = byte() {
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }

        mutating func string() -> String? {
            guard let n = varint(), n <= UInt64(bytes.count - at) else { return nil }
            defer { at += Int(n) }
            return String(decoding: bytes[at..<(at + Int(n))], as: UTF8.self)
        }

        /// `.some(nil)` for an absent string, `nil` for a broken record.
        mutating func optional() -> String?? {
            switch byte() {
            case 0: return .some(nil)
            case 1: return string().map { .some($0) } ?? nil
            default: return nil
            }
        }

        mutating func strings() -> [String]? {
            guard let n = varint(), n <= UInt64(bytes.count) else { return nil }
            var list: [String] = []
            for _ in 0..<n {
                guard let s = string() else { return nil }
                list.append(s)
            }
            return list
        }

        mutating func optionalInt() -> Int64?? {
            switch byte() {
            case 0: return .some(nil)
            case 1: return varint().map { .some(Int64(bitPattern: $0)) } ?? nil
            default: return nil
            }
        }
    }
}
