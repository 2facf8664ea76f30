/// Dates as feeds write them, read from UTF-8 bytes by arithmetic (no calendar objects: this runs for every item).
///
/// Accepted: RFC 822/1123/2822 (`Tue, 14 Apr 2020 09:30:00 GMT`, numeric zones `+0200`/`-05:00`/`+05`, the zone
/// names of `FeedDateNames.zone`, unknown names as UTC; the day name optional, in any case, or wrong; full month
/// names and `Sept`; two-digit years 00-49 as 20xx and 50-99 as 19xx, three-digit years plus 1900; missing
/// seconds or time), asctime (`Tue Apr 14 09:30:00 2020`, also with a zone before the year), RFC 3339, W3CDTF
/// and ISO 8601 (`2020-04-14T09:30:00.5+05:30`, lowercase `t`/`z`, a space for the `T`, `+0530`/`+05`, no zone as
/// UTC, `2020-04-14`, `2020-04`, `2020`, compact `20200414T093000Z`, ordinal `2020-105`, week `2020-W16-2`, `/` for
/// `-`), the Korean/Chinese/Japanese `2004년 05월 28일 오후 01:31:15` / `2004年05月28日` forms (Korean ones in
/// Korean time when they name no zone, as feedparser does), RFC 822 with Greek day and month abbreviations
/// (`Κυρ, 11 Ιούλ 2004 12:00:00 EST`) and ISO dates with a Hungarian month (`2004-július-13T9:15-05:00`).
/// Trailing text is ignored. Impossible dates (month 13,
/// February 30, hour 25, a year outside 1...9999) are nil, never clamped.
public enum FeedDate {
    /// The moment `text` names, or `nil` when it is not a date.
    public static func parse(_ text: String) -> FeedTimestamp? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// The moment the UTF-8 bytes name, or `nil`.
    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> FeedTimestamp? {
        var s = FeedDateScanner(bytes)
        s.skipSpaces()
        if s.digitRun() >= 4 { return parseNumeric(&s) }
        return parseWords(&s)
    }

    // MARK: - The parts of a moment

    private struct Fields {
        var days = 0
        var hour = 0
        var minute = 0
        var second = 0
        /// Minutes east of UTC.
        var offset = 0

        var timestamp: FeedTimestamp? {
            guard (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second),
                  hour < 24 || (minute == 0 && second == 0) else { return nil }
            let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset * 60)
            return FeedTimestamp(secondsSince1970: seconds)
        }
    }

    // MARK: - ISO 8601 and its relatives (the text starts with a year)

    private static let korean년: [UInt8] = Array("년".utf8), korean월: [UInt8] = Array("월".utf8)
    private static let korean일: [UInt8] = Array("일".utf8), han年: [UInt8] = Array("年".utf8)
    private static let han月: [UInt8] = Array("月".utf8), han日: [UInt8] = Array("日".utf8)
    private static let korean오전: [UInt8] = Array("오전".utf8), korean오후: [UInt8] = Array("오후".utf8)
    private static let han上午: [UInt8] = Array("上午".utf8), han下午: [UInt8] = Array("下午".utf8)

    private static func parseNumeric(_ s: inout FeedDateScanner) -> FeedTimestamp? {
        let run = s.digitRun()
        var fields = Fields()
        var compact = false
        var korean = false
        switch run {
        case 4:
            let year = s.fixedDigits(4)!
            if s.peek == UInt8(ascii: "-") || s.peek == UInt8(ascii: "/") {
                let separator = s.peek
                s.index += 1
                if s.peek == UInt8(ascii: "W") {
                    s.index += 1
                    guard let week = s.fixedDigits(2) else { return nil }
                    var weekday = 1
                    if s.consume(UInt8(ascii: "-")) { guard let d = s.fixedDigits(1) else { return nil }; weekday = d }
                    guard let d = FeedDateCalendar.days(year: year, week: week, weekday: weekday) else { return nil }
                    fields.days = d
                } else {
                    let part = s.digitRun()
                    if part == 0, case .month(let month)? = readName(&s) {
                        // `2004-július-13T9:15-05:00` (Hungarian).
                        guard s.consume(separator), case let day = s.digits(max: 2), day.count > 0,
                              let d = FeedDateCalendar.days(year: year, month: month, day: day.value) else { return nil }
                        fields.days = d
                    } else if part == 3 {
                        guard let d = FeedDateCalendar.days(year: year, ordinal: s.fixedDigits(3)!) else { return nil }
                        fields.days = d
                    } else if part == 1 || part == 2 {
                        let month = s.digits(max: 2).value
                        var day = 1
                        if s.consume(separator) {
                            let dd = s.digits(max: 2)
                            guard dd.count > 0 else { return nil }
                            day = dd.value
                        }
                        guard let d = FeedDateCalendar.days(year: year, month: month, day: day) else { return nil }
                        fields.days = d
                    } else {
                        return nil
                    }
                }
            } else if s.peek == UInt8(ascii: "W") {
                s.index += 1
                guard let week = s.fixedDigits(2) else { return nil }
                let weekday = s.fixedDigits(1) ?? 1
                guard let d = FeedDateCalendar.days(year: year, week: week, weekday: weekday) else { return nil }
                fields.days = d
                compact = true
            } else if s.consume(korean년) || s.consume(han年) {
                korean = s.bytes[s.index - 3..<s.index].elementsEqual(korean년)
                s.skipSpaces()
                let month = s.digits(max: 2)
                guard month.count > 0, s.consume(korean월) || s.consume(han月) else { return nil }
                s.skipSpaces()
                let day = s.digits(max: 2)
                guard day.count > 0, s.consume(korean일) || s.consume(han日),
                      let d = FeedDateCalendar.days(year: year, month: month.value, day: day.value) else { return nil }
                fields.days = d
            } else {
                // A year alone (`2020`), nothing after it.
                s.skipSpaces()
                guard s.isAtEnd, let d = FeedDateCalendar.days(year: year, month: 1, day: 1) else { return nil }
                return Fields(days: d).timestamp
            }
        case 7:
            let year = s.fixedDigits(4)!
            guard let d = FeedDateCalendar.days(year: year, ordinal: s.fixedDigits(3)!) else { return nil }
            fields.days = d
            compact = true
        case 8:
            let year = s.fixedDigits(4)!, month = s.fixedDigits(2)!, day = s.fixedDigits(2)!
            guard let d = FeedDateCalendar.days(year: year, month: month, day: day) else { return nil }
            fields.days = d
            compact = true
        default:
            return nil
        }

        // The time, after `T`, `t` or spaces (then maybe a Korean or Chinese morning/afternoon mark).
        var meridiem = 0
        if s.peek == UInt8(ascii: "T") || s.peek == UInt8(ascii: "t") {
            s.index += 1
        } else {
            let mark = s.index
            s.skipSpaces()
            if s.consume(korean오전) {
                (meridiem, korean) = (1, true)
            } else if s.consume(korean오후) {
                (meridiem, korean) = (2, true)
            } else if s.consume(han上午) {
                meridiem = 1
            } else if s.consume(han下午) {
                meridiem = 2
            }
            s.skipSpaces()
            if !FeedDateScanner.isDigit(s.peek) { s.index = mark }
        }
        if FeedDateScanner.isDigit(s.peek) {
            if compact && s.digitRun() >= 4 {
                fields.hour = s.fixedDigits(2)!
                fields.minute = s.fixedDigits(2)!
                if let sec = s.fixedDigits(2) { fields.second = sec }
            } else {
                guard readClock(&s, into: &fields) else { return nil }
            }
            skipFraction(&s)
            if meridiem != 0 { applyMeridiem(meridiem == 2, to: &fields) }
            guard let offset = readZone(&s, default: korean ? 540 : 0) else { return nil }
            fields.offset = offset
        } else if korean {
            fields.offset = 540
        }
        return fields.timestamp
    }

    // MARK: - RFC 822 and asctime (the text starts with a word or a day of the month)

    private static func parseWords(_ s: inout FeedDateScanner) -> FeedTimestamp? {
        var month: Int?
        // A day name, right or wrong, in any case; or junk before the date.
        if FeedDateScanner.isLetter(s.peek) || s.peek >= 0x80 {
            switch readName(&s) {
            case .month(let m)?:
                month = m
            case .day?:
                s.skip(anyOf: [UInt8(ascii: ","), UInt8(ascii: ".")])
                // `Fri, 2006/09/15 08:19:53 EDT` (Perforce).
                if s.digitRun() >= 4 { return parseNumeric(&s) }
                if FeedDateScanner.isLetter(s.peek) || s.peek >= 0x80 {
                    guard case .month(let m)? = readName(&s) else { return nil }
                    month = m
                }
            case nil:
                return nil
            }
        }
        var fields = Fields()
        let day: Int
        var year: Int?
        if let m = month {
            // asctime and `April 14, 2020`: month day [time] [zone] year, or month day, year [time] [zone].
            s.skip(anyOf: [UInt8(ascii: "-")])
            let d = s.digits(max: 2)
            guard d.count > 0 else { return nil }
            day = d.value
            month = m
            s.skip(anyOf: [UInt8(ascii: ","), UInt8(ascii: "-")])
            let run = s.digitRun()
            if run > 0 && run <= 2 && s.peek(run) == UInt8(ascii: ":") {
                guard readClock(&s, into: &fields) else { return nil }
                skipFraction(&s)
                readMeridiem(&s, into: &fields)
                s.skipSpaces()
                var offset = 0
                if !FeedDateScanner.isDigit(s.peek) {
                    guard let o = readZone(&s, default: 0) else { return nil }
                    offset = o
                    s.skipSpaces()
                }
                fields.offset = offset
                year = readYear(&s)
                guard year != nil else { return nil }
            } else {
                year = readYear(&s)
                guard year != nil else { return nil }
                guard readTimeAndZone(&s, into: &fields) else { return nil }
            }
        } else {
            // RFC 822: day month year [time] [zone], with spaces or `-` between.
            let d = s.digits(max: 2)
            guard d.count > 0 else { return nil }
            day = d.value
            s.skip(anyOf: [UInt8(ascii: "-"), UInt8(ascii: ".")])
            guard case .month(let m)? = readName(&s) else { return nil }
            month = m
            s.skip(anyOf: [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ",")])
            year = readYear(&s)
            guard year != nil else { return nil }
            guard readTimeAndZone(&s, into: &fields) else { return nil }
        }
        guard let y = year, let m = month, let d = FeedDateCalendar.days(year: y, month: m, day: day) else {
            return nil
        }
        fields.days = d
        return fields.timestamp
    }

    private enum Name {
        case month(Int)
        case day
    }

    /// A month or day name at the cursor: English in any case, Greek, or Hungarian; nil for any other word.
    private static func readName(_ s: inout FeedDateScanner) -> Name? {
        let start = s.index
        let foreign = s.foreignWord()
        if foreign.contains(where: { $0 >= 0x80 }) {
            if let m = FeedDateNames.foreignMonth(foreign) { return .month(m) }
            return FeedDateNames.isForeignDayName(foreign) ? .day : nil
        }
        s.index = start
        let word = s.word()
        if let m = FeedDateNames.month(word) { return .month(m) }
        return FeedDateNames.isDayName(word) ? .day : nil
    }

    /// A year of 2 (00-49 → 2000s, 50-99 → 1900s), 3 (plus 1900, RFC 2822) or 4 digits.
    private static func readYear(_ s: inout FeedDateScanner) -> Int? {
        let run = s.digitRun()
        guard run >= 2, run <= 4 else { return nil }
        let value = s.digits(max: 4).value
        switch run {
        case 2: return value < 50 ? 2000 + value : 1900 + value
        case 3: return 1900 + value
        default: return value
        }
    }

    /// An optional `HH:MM[:SS]` (after spaces), am/pm, and an optional zone; false when they are malformed.
    private static func readTimeAndZone(_ s: inout FeedDateScanner, into fields: inout Fields) -> Bool {
        let mark = s.index
        s.skipSpaces()
        guard FeedDateScanner.isDigit(s.peek) else {
            s.index = mark
            return true
        }
        guard readClock(&s, into: &fields) else { return false }
        skipFraction(&s)
        readMeridiem(&s, into: &fields)
        guard let offset = readZone(&s, default: 0) else { return false }
        fields.offset = offset
        return true
    }

    /// `H[H]:MM[:SS]` or `HH` alone.
    private static func readClock(_ s: inout FeedDateScanner, into fields: inout Fields) -> Bool {
        let h = s.digits(max: 2)
        guard h.count > 0 else { return false }
        fields.hour = h.value
        if s.consume(UInt8(ascii: ":")) {
            guard let m = s.fixedDigits(2) else { return false }
            fields.minute = m
            if s.consume(UInt8(ascii: ":")) {
                guard let sec = s.fixedDigits(2) else { return false }
                fields.second = sec
            }
        }
        return true
    }

    /// Skips `.123` or `,5` after the seconds.
    private static func skipFraction(_ s: inout FeedDateScanner) {
        if (s.peek == UInt8(ascii: ".") || s.peek == UInt8(ascii: ",")) && FeedDateScanner.isDigit(s.peek(1)) {
            s.index += 1
            _ = s.digits(max: .max)
        }
    }

    /// `am`/`pm`/`a.m.`/`p.m.` after the time, when there.
    private static func readMeridiem(_ s: inout FeedDateScanner, into fields: inout Fields) {
        let mark = s.index
        s.skipSpaces()
        let word = s.word()
        if word == FeedDateWord("am") || word == FeedDateWord("pm") {
            applyMeridiem(word == FeedDateWord("pm"), to: &fields)
        } else {
            s.index = mark
        }
    }

    private static func applyMeridiem(_ pm: Bool, to fields: inout Fields) {
        if fields.hour == 12 { fields.hour = pm ? 12 : 0 } else if pm && fields.hour < 12 { fields.hour += 12 }
    }

    /// A zone after the time: `Z`, `+HH:MM`, `+HHMM`, `+HH`, a name (maybe followed by an offset, as in `GMT+2`),
    /// or nothing (`zoneless`); nil when an offset is malformed. Unknown names count as UTC.
    private static func readZone(_ s: inout FeedDateScanner, default zoneless: Int) -> Int? {
        s.skipSpaces()
        if s.peek == UInt8(ascii: "+") || s.peek == UInt8(ascii: "-") {
            return readOffset(&s)
        }
        guard FeedDateScanner.isLetter(s.peek) else { return zoneless }
        let word = s.word()
        let named = FeedDateNames.zone(word) ?? 0
        if (word == FeedDateWord("gmt") || word == FeedDateWord("utc") || word == FeedDateWord("ut"))
            && (s.peek == UInt8(ascii: "+") || s.peek == UInt8(ascii: "-")) && FeedDateScanner.isDigit(s.peek(1)) {
            return readOffset(&s)
        }
        return named
    }

    /// `+HH:MM`, `+HHMM`, `+HH`, `+H` (the sign at the cursor).
    private static func readOffset(_ s: inout FeedDateScanner) -> Int? {
        let sign = s.peek == UInt8(ascii: "-") ? -1 : 1
        s.index += 1
        let run = s.digitRun()
        var hours = 0
        var minutes = 0
        switch run {
        case 1, 2:
            hours = s.digits(max: 2).value
            if s.consume(UInt8(ascii: ":")) {
                guard let m = s.fixedDigits(2) else { return nil }
                minutes = m
            }
        case 4:
            hours = s.fixedDigits(2)!
            minutes = s.fixedDigits(2)!
        default:
            return nil
        }
        guard hours <= 23, minutes <= 59 else { return nil }
        return sign * (hours * 60 + minutes)
    }
}
