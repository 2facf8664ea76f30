// The filters of a query (`source:`, `feed:`, `tag:`, `is:`, `after:`, `before:`) against what the list knows of a post.
import Posts

/// What the list knows of a post, for `SearchQuery.matchesFilters`.
public struct PostFacts: Sendable {
    public var title: String
    public var author: String
    /// The post's `[Source]` line (without brackets), empty when it has none.
    public var source: String
    /// The name of the archive or subscription the post is in.
    public var feed: String
    /// The tags of the post's subscription.
    public var tags: [String]
    public var isRead: Bool
    /// The day the post was written (text archives).
    public var date: PostDate?
    /// Feed items: seconds since 1970 UTC; its UTC day is used when there is no `date`.
    public var timestamp: Int64?

    public init(title: String = "", author: String = "", source: String = "", feed: String = "", tags: [String] = [],
                isRead: Bool = false, date: PostDate? = nil, timestamp: Int64? = nil) {
        self.title = title
        self.author = author
        self.source = source
        self.feed = feed
        self.tags = tags
        self.isRead = isRead
        self.date = date
        self.timestamp = timestamp
    }

    /// `date`, or the UTC day of `timestamp`; `nil` when there is neither.
    public var day: PostDate? {
        if let date { return date }
        guard let timestamp else { return nil }
        return Self.utcDay(timestamp)
    }

    /// The UTC day of a time in seconds since 1970 (proleptic Gregorian).
    public static func utcDay(_ seconds: Int64) -> PostDate {
        // Howard Hinnant's civil_from_days.
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return PostDate(year: Int(year), month: Int(month), day: Int(day))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension SearchQuery {
    /// Whether a post passes every filter and none of the excluded filters. `after:`/`before:` compare the post's
    /// day (`PostFacts.day`); a post without one fails them. Names are compared folded (`SearchTokenizer.fold`).
    public func matchesFilters(_ facts: PostFacts) -> Bool {
        guard !filters.isEmpty || !excludedFilters.isEmpty else { return true }
        var folded = FoldedFacts(facts)
        for filter in filters where !Self.holds(filter, &folded) { return false }
        for filter in excludedFilters where Self.holds(filter, &folded) { return false }
        return true
    }

    /// The filters and the text: `matchesFilters(facts)` and `matchesText` on the facts' title and author and `body`.
    public func matches(_ facts: PostFacts, body: String) -> Bool {
        matchesFilters(facts) && matchesText(title: facts.title, author: facts.author, body: body)
    }

    /// Whether `filter` holds for a post (`.source("nk")`: its source line has `nk`).
    public static func holds(_ filter: Filter, for facts: PostFacts) -> Bool {
        var folded = FoldedFacts(facts)
        return holds(filter, &folded)
    }

    private static func holds(_ filter: Filter, _ facts: inout FoldedFacts) -> Bool {
        switch filter {
        case .source(let value): return contains(facts.source, value)
        case .feed(let value): return contains(facts.feed, value)
        case .tag(let value): return facts.tags.contains(value)
        case .unread: return !facts.facts.isRead
        case .read: return facts.facts.isRead
        case .after(let date): return facts.day.map { $0 >= date } ?? false
        case .before(let date): return facts.day.map { $0 < date } ?? false
        }
    }

    /// Substring on UTF-8 bytes (folded text: no normalization left to do).
    static func contains(_ text: String, _ part: String) -> Bool {
        if part.isEmpty { return true }
        let haystack = Array(text.utf8), needle = Array(part.utf8)
        guard needle.count <= haystack.count else { return false }
        let first = needle[0]
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == first {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

/// A post's facts, folded on first use.
private struct FoldedFacts {
    let facts: PostFacts
    private var foldedSource: String?
    private var foldedFeed: String?
    private var foldedTags: [String]?

    init(_ facts: PostFacts) { self.facts = facts }

    var source: String {
        mutating get {
            if let foldedSource { return foldedSource }
            let value = SearchTokenizer.fold(facts.source)
            foldedSource = value
            return value
        }
    }

    var feed: String {
        mutating get {
            if let foldedFeed { return foldedFeed }
            let value = SearchTokenizer.fold(facts.feed)
            foldedFeed = value
            return value
        }
    }

    var tags: [String] {
        mutating get {
            if let foldedTags { return foldedTags }
            let value = facts.tags.map(SearchTokenizer.fold)
            foldedTags = value
            return value
        }
    }

    var day: PostDate? { facts.day }
}
