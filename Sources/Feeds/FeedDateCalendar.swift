/// Proleptic Gregorian day counting by arithmetic, for years 1 through 9999.
enum FeedDateCalendar {
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to `year-month-day` (negative before), or nil when there is no such day.
    static func days(year: Int, month: Int, day: Int) -> Int? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        // Count years from a March 1st so that the leap day is the last day of the counted year: the days before
        // month m (March = 0) are then (153 m + 2) / 5.
        let y = month <= 2 ? year - 1 : year
        let m = month <= 2 ? month + 9 : month - 3
        let dayOfYear = (153 * m + 2) / 5 + day - 1
        let sinceYear0 = y * 365 + y / 4 - y / 100 + y / 400 + dayOfYear
        // 719_468 days from 0000-03-01 to 1970-01-01.
        return sinceYear0 - 719_468
    }

    /// Days from 1970-01-01 to day `ordinal` (1 = January 1st) of `year`.
    static func days(year: Int, ordinal: Int) -> Int? {
        guard ordinal >= 1, ordinal <= (isLeap(year) ? 366 : 365), let jan1 = days(year: year, month: 1, day: 1)
        else { return nil }
        return jan1 + ordinal - 1
    }

    /// Days from 1970-01-01 to ISO 8601 week `week`, weekday `weekday` (1 = Monday) of week-year `year`.
    static func days(year: Int, week: Int, weekday: Int) -> Int? {
        guard (1...7).contains(weekday), week >= 1, week <= weeksIn(year), let jan4 = days(year: year, month: 1, day: 4)
        else { return nil }
        // Week 1 is the week (Monday first) with January 4th in it.
        let monday = jan4 - self.weekday(jan4)
        return monday + (week - 1) * 7 + weekday - 1
    }

    /// 0 for Monday through 6 for Sunday (1970-01-01 was a Thursday).
    static func weekday(_ days: Int) -> Int { ((days + 3) % 7 + 7) % 7 }

    /// 53 when the year starts on a Thursday (or a Wednesday in a leap year), else 52.
    static func weeksIn(_ year: Int) -> Int {
        guard let jan1 = days(year: year, month: 1, day: 1) else { return 52 }
        let w = weekday(jan1)
        return w == 3 || (w == 2 && isLeap(year)) ? 53 : 52
    }
}
