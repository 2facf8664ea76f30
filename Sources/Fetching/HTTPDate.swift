/// HTTP dates (RFC 9110 section 5.6.7) as Unix times: the preferred IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`)
/// and the two obsolete forms a recipient must accept (RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime
/// `Sun Nov  6 08:49:37 1994`). Lenient where servers are: the weekday is not checked and may be missing, the zone
/// may be `GMT`, `UTC`, `Z` or `+0000`. Pure.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970-01-01 00:00:00 UTC, or nil when `text` is not an HTTP date.
    public static func parse(_ text: String) -> Int? {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" }).map(String.init)
        guard !tokens.isEmpty else { return nil }
        if month(tokens[0]) == nil, tokens[0].allSatisfy(\.isLetter) { tokens.removeFirst() }  // the weekday
        if let zone = tokens.last, ["gmt", "utc", "z", "+0000", "ut"].contains(zone.lowercased()) { tokens.removeLast() }
        guard tokens.count == 4 else { return nil }
        let day: Int, monthIndex: Int, year: Int, time: String
        if let m = month(tokens[0]) {  // asctime: Nov 6 08:49:37 1994
            guard let d = Int(tokens[1]), let y = Int(tokens[3]), tokens[3].count == 4 else { return nil }
            (day, monthIndex, year, time) = (d, m, y, tokens[2])
        } else {  // 06 Nov 1994 08:49:37, or 06 Nov 94 08:49:37
            guard let d = Int(tokens[0]), let m = month(tokens[1]), var y = Int(tokens[2]) else { return nil }
            if tokens[2].count == 2 { y += y < 70 ? 2000 : 1900 } else if tokens[2].count != 4 { return nil }
            (day, monthIndex, year, time) = (d, m, y, tokens[3])
        }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]), let minute = Int(clock[1]),
              let second = Int(clock[2]) else { return nil }
        guard (1...daysIn(month: monthIndex, year: year)).contains(day), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second) else { return nil }
        return daysFromCivil(year: year, month: monthIndex, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// The IMF-fixdate of a Unix time (`Sun, 06 Nov 1994 08:49:37 GMT`).
    public static func format(_ time: Int) -> String {
        let days = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        let seconds = time - days * 86_400
        let (year, month, day) = civilFromDays(days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let name = months[month - 1].prefix(1).uppercased() + months[month - 1].dropFirst()
        return "\(weekday), \(two(day)) \(name) \(year) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)) GMT"
    }

    /// 1-based month of an English month name (`Nov`, `November`), or nil.
    private static func month(_ token: String) -> Int? {
        guard token.count >= 3 else { return nil }
        let key = token.prefix(3).lowercased()
        guard let index = months.firstIndex(of: key) else { return nil }
        return index + 1
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
