/// A post's identity, derived from its content (see `PostID.derive` for the rule).
///
/// 64 bits, printed as 16 lowercase hex digits. Stable across runs, processes and machines.
public struct PostID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses the 16-hex-digit form (as printed by `description`); `nil` for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 16, let v = UInt64(hex, radix: 16) else { return nil }
        self.rawValue = v
    }

    public var description: String {
        let s = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    public static func < (a: PostID, b: PostID) -> Bool { a.rawValue < b.rawValue }
}

/// A calendar date as a dump wrote it (no time zone: archives carry none).
public struct PostDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// ISO 8601 form, `2020-04-14`. (Drawn on every list row of every frame: digits by arithmetic.)
    public var description: String {
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
            func pad(_ n: Int, _ w: Int) -> String {
                let s = String(n)
                return String(repeating: "0", count: max(0, w - s.count)) + s
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        return String(unsafeUninitializedCapacity: 10) { out in
            let zero = UInt8(ascii: "0")
            out[0] = zero + UInt8(year / 1000)
            out[1] = zero + UInt8(year / 100 % 10)
            out[2] = zero + UInt8(year / 10 % 10)
            out[3] = zero + UInt8(year % 10)
            out[4] = UInt8(ascii: "-")
            out[5] = zero + UInt8(month / 10)
            out[6] = zero + UInt8(month % 10)
            out[7] = UInt8(ascii: "-")
            out[8] = zero + UInt8(day / 10)
            out[9] = zero + UInt8(day % 10)
            return 10
        }
    }

    public static func < (a: PostDate, b: PostDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// A post in an archive's index: everything the list needs, and where its body lives.
///
/// The body itself is not held; `Archive.body(of:)` reads and parses it when the post is shown.
public struct Post: Hashable, Sendable {
    public var id: PostID
    public var title: String
    /// The post's author, or the archive's author when the post names none.
    public var author: String?
    public var date: PostDate?
    /// What the bytes of `bodyRange` are: a text archive's body lines, or a feed item's stored record. (Declared
    /// here, after `date`, it takes a byte of that optional's padding: 100,000 posts are held in memory.)
    public var kind: PostKind
    /// The date as the dump wrote it (`April 14, 2020`), when there was one.
    public var dateText: String?
    /// The attribution line without brackets (`NK News` for `[NK News]`).
    public var source: String?
    /// Byte range of the body (after the `Posted on` line, before the source line) in the archive's bytes.
    public var bodyRange: Range<Int>
    /// Index of the archive this post belongs to, in the `Library` that loaded it.
    public var archiveIndex: Int
    /// Feed items: when the item was published (else updated), in seconds since 1970 UTC. Text archives carry
    /// dates without a time: `nil` there.
    public var timestamp: Int64? {
        get { rawTimestamp == .min ? nil : rawTimestamp }
        set { rawTimestamp = newValue ?? .min }
    }
    /// `timestamp`, with `Int64.min` for none: 8 bytes a post where an optional would take 16.
    private var rawTimestamp: Int64

    public init(id: PostID, title: String, author: String? = nil, date: PostDate? = nil, dateText: String? = nil,
                source: String? = nil, bodyRange: Range<Int>, archiveIndex: Int = 0, kind: PostKind = .archive,
                timestamp: Int64? = nil) {
        self.id = id
        self.title = title
        self.author = author
        self.date = date
        self.dateText = dateText
        self.source = source
        self.bodyRange = bodyRange
        self.archiveIndex = archiveIndex
        self.kind = kind
        self.rawTimestamp = timestamp ?? .min
    }
}

/// Where a post came from, and so how its body is read.
public enum PostKind: UInt8, Hashable, Sendable {
    /// A post of a plain-text archive: `bodyRange` is its body lines in the archive file.
    case archive
    /// An item of an RSS, Atom or JSON feed: `bodyRange` is its record in the feed's item store.
    case feedItem
    /// An item of a subscription, kept in the SQLite store: read by its id (`bodyRange` is empty).
    case stored
}
