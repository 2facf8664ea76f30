import Posts

/// The order of a list merged from several sources: newest first where dates exist. A feed item's moment
/// (published, else updated) and an archive post's day (taken as its first moment, UTC) compare with each other;
/// posts without a date follow, in the order they came. Ties keep the order they came in.
public enum PostOrder {
    public static func newestFirst(_ posts: [Post]) -> [Post] {
        newestFirstPermutation(posts).map { posts[$0] }
    }

    /// The indices of `posts` in list order.
    public static func newestFirstPermutation(_ posts: [Post]) -> [Int] {
        newestFirstPermutation(moments: posts.map(moment))
    }

    /// The list order of posts whose moments (`moment(_:)`) are `keys`, as indices into `keys`.
    public static func newestFirstPermutation(moments keys: [Int64?]) -> [Int] {
        keys.indices.sorted { a, b in
            switch (keys[a], keys[b]) {
            case let (x?, y?): return x != y ? x > y : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
    }

    /// Seconds since 1970 UTC: the item's own, or the start of the post's day.
    public static func moment(_ post: Post) -> Int64? {
        if let timestamp = post.timestamp { return timestamp }
        guard let date = post.date else { return nil }
        return Int64(daysSince1970(year: date.year, month: date.month, day: date.day)) * 86_400
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month + (month > 2 ? -3 : 9)
        let dayOfYear = (153 * m + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
