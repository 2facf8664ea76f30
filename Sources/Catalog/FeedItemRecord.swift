import Feeds

/// A feed item as kept in the `FeedItemStore`: everything but the list's fields, in a compact binary form
/// (lengths as LEB128 varints, strings as UTF-8: `BinaryWriter`). Private to one run: records are never kept across
/// runs, so the form may change freely.
enum FeedItemRecord {
    static func encode(_ item: FeedItem) -> [UInt8] {
        var w = BinaryWriter()
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
        var r = BinaryReader(bytes: bytes)
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
}
