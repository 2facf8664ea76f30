import Feeds
import Posts
import ReadState

/// A feed item as the item store keeps it (`StoredItem`), and back: the list's and the body's fields as columns,
/// everything else in `extra`.
///
/// `extra` IS PERSISTED (unlike `FeedItemRecord`'s form): items stay in the store for years and are read by every
/// later Gazette. Its first byte is the format version; version 1 is:
///
///     1                                   version
///     strings   categories                count, then each (varint length, UTF-8)
///     varint    enclosure count, then each: string url, optional type, optionalInt length
///     optional  language
///     optionalInt commentCount
///     optional  thumbnail
///     optional  duration
///     strings   authors, only when the `author` column (authors joined with ", ") cannot be split back into
///               them (a name holding ", "); an empty list otherwise
///
/// (`BinaryWriter`: optional values behind a 0/1 byte, integers as LEB128 varints.) The form may only ever GROW:
/// never change or remove a field of a shipped version; a new field means a new version byte whose layout is the
/// previous one followed by the new fields. So a decoder reads the fields it knows and ignores what follows, and
/// an older Gazette reads a newer item's extras as far as it knows them. Bytes that do not decode (damage, a
/// version 0) give an item with no extras, never a failure.
public enum StoredItemCodec {
    /// The version `storedItem` writes.
    static let version: UInt8 = 1

    public static func storedItem(_ item: FeedItem, id: PostID) -> StoredItem {
        let author = item.authors.isEmpty ? nil : item.authors.joined(separator: ", ")
        var w = BinaryWriter()
        w.byte(version)
        w.strings(item.categories)
        w.varint(UInt64(item.enclosures.count))
        for e in item.enclosures {
            w.string(e.url)
            w.optional(e.type)
            w.optionalInt(e.length)
        }
        w.optional(item.language)
        w.optionalInt(item.commentCount.map(Int64.init))
        w.optional(item.thumbnail)
        w.optional(item.duration)
        w.strings(authors(from: author) == item.authors ? [] : item.authors)
        return StoredItem(id: id, title: item.title, author: author, guid: item.guid, link: item.link,
                          published: item.published?.secondsSince1970, updated: item.updated?.secondsSince1970,
                          contentType: item.contentType.rawValue, contentBase: item.contentBase, content: item.content,
                          extra: w.bytes)
    }

    /// The item back; `nil` only for a content type this Gazette does not know (it could not show the body).
    /// Extras that do not decode are left empty.
    public static func feedItem(_ stored: StoredItem) -> FeedItem? {
        guard let contentType = ContentType(rawValue: stored.contentType) else { return nil }
        var item = FeedItem(guid: stored.guid, title: stored.title, link: stored.link, authors: authors(from: stored.author),
                            published: stored.published.map(FeedTimestamp.init(secondsSince1970:)),
                            updated: stored.updated.map(FeedTimestamp.init(secondsSince1970:)),
                            content: stored.content, contentType: contentType, contentBase: stored.contentBase)
        if let extras = Extras(stored.extra) {
            item.categories = extras.categories
            item.enclosures = extras.enclosures
            item.language = extras.language
            item.commentCount = extras.commentCount
            item.thumbnail = extras.thumbnail
            item.duration = extras.duration
            if !extras.authors.isEmpty { item.authors = extras.authors }
        }
        return item
    }

    private static func authors(from column: String?) -> [String] {
        guard let column else { return [] }
        return column.split(separator: ", ", omittingEmptySubsequences: false).map(String.init)
    }

    /// Version 1's fields, all or nothing.
    private struct Extras {
        var categories: [String] = []
        var enclosures: [Enclosure] = []
        var language: String?
        var commentCount: Int?
        var thumbnail: String?
        var duration: String?
        var authors: [String] = []

        init?(_ bytes: [UInt8]) {
            var r = BinaryReader(bytes: bytes)
            guard let version = r.byte(), version >= 1, let categories = r.strings(), let count = r.varint(),
                  count <= UInt64(bytes.count) else { return nil }
            self.categories = categories
            for _ in 0..<count {
                guard let url = r.string(), let type = r.optional(), let length = r.optionalInt() else { return nil }
                enclosures.append(Enclosure(url: url, type: type, length: length))
            }
            guard let language = r.optional(), let comments = r.optionalInt(), let thumbnail = r.optional(),
                  let duration = r.optional(), let authors = r.strings() else { return nil }
            self.language = language
            commentCount = comments.map { Int(truncatingIfNeeded: $0) }
            self.thumbnail = thumbnail
            self.duration = duration
            self.authors = authors
            // Fields of later versions follow; this Gazette does not know them.
        }
    }
}
