/// The `Posted on …` line that marks a post, and the date in it.
///
/// Accepted: `Posted on` (any ASCII case, after optional whitespace or no-break spaces), then nothing, or
/// `by [NAME]`, or `DATE [by [NAME]]`, with an optional final period: `Posted on by`,
/// `Posted on April 14, 2020 by NAME`, `Posted on 24 July 2021.`, `Posted on 2020-04-14`. A DATE the parser cannot
/// read is still accepted when it is short and has a digit (`Posted on 14/04/2020`: kept as text, no date), so
/// that a paragraph that merely starts with "Posted on Facebook, …" is not taken for a new post.
struct PostedOnLine: Equatable {
    var date: PostDate?
    /// The date as written, without the sentence's final period.
    var dateText: String?
    var author: String?

    /// Longest line considered; longer lines are body text.
    static let maxLength = 512
    private static let maxUnparsedDate = 40

    /// The parsed line, or nil when `p[0..<n]` is not a `Posted on` line.
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> PostedOnLine? {
        guard n <= maxLength else { return nil }
        let line = ByteText.trim(p, 0, n)
        let i = line.lowerBound
        guard line.count >= 9, p[i] | 0x20 == UInt8(ascii: "p"), ByteText.matches(p, i, line.upperBound, "posted on")
        else { return nil }
        var j = i + 9
        if j < line.upperBound {  // "Posted online" is not it
            guard ByteText.isSpace(p[j]) || (p[j] == 0xC2 && j + 1 < line.upperBound && p[j + 1] == 0xA0) else {
                return nil
            }
        }
        var rest = ByteText.trim(p, j, line.upperBound)
        if rest.isEmpty { return PostedOnLine() }
        if p[rest.upperBound - 1] == UInt8(ascii: ".") {
            rest = ByteText.trim(p, rest.lowerBound, rest.upperBound - 1)
        }

        // Split "DATE by NAME" at the first standalone "by".
        var datePart = rest
        var authorPart: Range<Int>? = nil
        j = rest.lowerBound
        while j + 2 <= rest.upperBound {
            let startsWord = j == rest.lowerBound || ByteText.isSpace(p[j - 1]) || (j >= 2 && p[j - 2] == 0xC2 && p[j - 1] == 0xA0)
            if startsWord && ByteText.matches(p, j, rest.upperBound, "by") {
                let k = j + 2
                if k == rest.upperBound || ByteText.isSpace(p[k]) || (p[k] == 0xC2 && k + 1 < rest.upperBound && p[k + 1] == 0xA0) {
                    datePart = ByteText.trim(p, rest.lowerBound, j)
                    authorPart = ByteText.trim(p, k, rest.upperBound)
                    break
                }
            }
            j += 1
        }
        // A trailing comma after the date ("April 14, 2020, by NAME").
        if !datePart.isEmpty && p[datePart.upperBound - 1] == UInt8(ascii: ",") {
            datePart = ByteText.trim(p, datePart.lowerBound, datePart.upperBound - 1)
        }

        var result = PostedOnLine()
        if !datePart.isEmpty {
            result.date = DateParser.parse(p, datePart)
            if result.date == nil {
                guard datePart.count <= maxUnparsedDate, datePart.contains(where: { p[$0] &- 0x30 < 10 }) else {
                    return nil
                }
            }
            result.dateText = ByteText.text(p, datePart)
        }
        if let a = authorPart, !a.isEmpty {
            result.author = ByteText.text(p, a, cap: 256)
        }
        return result
    }

    /// `NAME` from an archive header `Author Archives for NAME` (or `Author Archives: NAME`), any ASCII case.
    static func author(fromHeader header: String) -> String? {
        var h = header
        return h.withUTF8 { buf -> String? in
            guard let p = buf.baseAddress else { return nil }
            let line = ByteText.trim(p, 0, buf.count)
            guard ByteText.matches(p, line.lowerBound, line.upperBound, "author archives") else { return nil }
            var k = line.lowerBound + 15
            if ByteText.matches(p, k, line.upperBound, ":") {
                k += 1
            } else if ByteText.matches(p, k, line.upperBound, " for ") {
                k += 5
            } else {
                return nil
            }
            let name = ByteText.text(p, k..<line.upperBound)
            return name.isEmpty ? nil : name
        }
    }
}

/// Dates in the forms dumps write them: `April 14, 2020`, `Apr 14, 2020`, `Apr. 14th, 2020`, `14 April 2020`,
/// `24 July 2021`, `2020-04-14`, `2020/04/14`, each optionally after a weekday (`Tuesday, April 14, 2020`) and before
/// a time (`April 14, 2020 at 9:00 am`). Numeric day-month orders other than year first are ambiguous: not parsed.
enum DateParser {
    private enum Token {
        case number(Int, digits: Int)
        case word(Range<Int>)
    }

    static func parse(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> PostDate? {
        var i = range.lowerBound
        guard var t0 = nextToken(p, &i, range.upperBound) else { return nil }
        if case .word(let w) = t0, isWeekday(p, w) {
            guard let t = nextToken(p, &i, range.upperBound) else { return nil }
            t0 = t
        }
        guard let t1 = nextToken(p, &i, range.upperBound), let t2 = nextToken(p, &i, range.upperBound) else {
            return nil
        }
        var year = 0
        var month = 0
        var day = 0
        switch (t0, t1, t2) {
        case let (.number(y, 4), .number(m, _), .number(d, _)):
            (year, month, day) = (y, m, d)
        case let (.word(w), .number(d, _), .number(y, 4)):
            guard let m = monthNumber(p, w) else { return nil }
            (year, month, day) = (y, m, d)
        case let (.number(d, _), .word(w), .number(y, 4)):
            guard let m = monthNumber(p, w) else { return nil }
            (year, month, day) = (y, m, d)
        default:
            return nil
        }
        guard (1000...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= daysIn(month: month, year: year) else { return nil }
        return PostDate(year: year, month: month, day: day)
    }

    /// The next run of digits (with an ordinal suffix dropped) or of ASCII letters at or after `i`.
    private static func nextToken(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Token? {
        while i < end && !(p[i] &- 0x30 < 10 || isLetter(p[i])) { i += 1 }
        guard i < end else { return nil }
        if p[i] &- 0x30 < 10 {
            var v = 0
            var d = 0
            while i < end && p[i] &- 0x30 < 10 && d < 9 {
                v = v * 10 + Int(p[i] &- 0x30)
                d += 1
                i += 1
            }
            // Ordinal suffix: 14th, 1st, 2nd, 3rd.
            if i + 1 < end, isLetter(p[i]), isLetter(p[i + 1]),
               ByteText.matches(p, i, i + 2, "th") || ByteText.matches(p, i, i + 2, "st")
                || ByteText.matches(p, i, i + 2, "nd") || ByteText.matches(p, i, i + 2, "rd") {
                i += 2
            }
            return .number(v, digits: d)
        }
        let s = i
        while i < end && isLetter(p[i]) { i += 1 }
        return .word(s..<i)
    }

    @inline(__always)
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    private static let months: [StaticString] = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    /// 1...12 for a month name or its abbreviation of at least three letters (`Apr`, `Sept`).
    private static func monthNumber(_ p: UnsafePointer<UInt8>, _ w: Range<Int>) -> Int? {
        guard w.count >= 3 else { return nil }
        for (k, name) in months.enumerated() where w.count <= name.utf8CodeUnitCount {
            let n = name.utf8Start
            var ok = true
            for j in 0..<w.count where p[w.lowerBound + j] | 0x20 != n[j] {
                ok = false
                break
            }
            if ok { return k + 1 }
        }
        return nil
    }

    private static let weekdays: [StaticString] = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    private static func isWeekday(_ p: UnsafePointer<UInt8>, _ w: Range<Int>) -> Bool {
        guard w.count >= 3 else { return false }
        for name in weekdays where w.count <= name.utf8CodeUnitCount {
            let n = name.utf8Start
            if (0..<w.count).allSatisfy({ p[w.lowerBound + $0] | 0x20 == n[$0] }) { return true }
        }
        return false
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
