import Foundation

/// "read 2 days ago": how long ago a mark was made, in the largest whole unit.
public enum RelativeTime {
    public static func phrase(since date: Date, now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        if seconds < 60 { return "just now" }
        let units: [(Int, String)] = [(365 * 86_400, "year"), (30 * 86_400, "month"), (7 * 86_400, "week"),
                                      (86_400, "day"), (3_600, "hour"), (60, "minute")]
        for (size, name) in units where seconds >= size {
            let n = seconds / size
            return "\(n) \(name)\(n == 1 ? "" : "s") ago"
        }
        return "just now"
    }
}
