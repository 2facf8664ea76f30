import Foundation
import Posts

/// One read mark as it travels between machines: a line of a marks file (`gazette marks export`).
///
/// The post id is what counts: ids are derived from content (a feed item's from its feed's identity and its own
/// guid or link), so the same post has the same id on every machine. The other fields are there to find the
/// post again when the id does not match (`feed` and `guid`, the feed's own id for the item) and for people
/// reading the file (`link`, `title`); an archive post has none of them.
public struct ExchangedMark: Hashable, Sendable {
    public var id: PostID
    public var isRead: Bool
    /// When the post was marked read or unread on the machine that made the mark (milliseconds kept).
    public var changedAt: Date
    /// The URL of the subscription the item was fetched from.
    public var feed: String?
    public var guid: String?
    public var link: String?
    public var title: String?

    public init(id: PostID, isRead: Bool, changedAt: Date, feed: String? = nil, guid: String? = nil,
                link: String? = nil, title: String? = nil) {
        self.id = id
        self.isRead = isRead
        self.changedAt = changedAt
        self.feed = feed
        self.guid = guid
        self.link = link
        self.title = title
    }

    /// The mark's place in the one order every machine agrees on: the later change wins, and at the very same
    /// millisecond "read" wins over "unread" (so that two stores exchanging marks always end up equal).
    var rank: MarkRank { MarkRank(milliseconds: StoreTime.milliseconds(changedAt), isRead: isRead) }
}

/// The total order of marks for merging: time first, then read over unread.
struct MarkRank: Comparable, Hashable {
    var milliseconds: Int64
    var isRead: Bool

    static func < (a: MarkRank, b: MarkRank) -> Bool {
        a.milliseconds != b.milliseconds ? a.milliseconds < b.milliseconds : (!a.isRead && b.isRead)
    }
}

/// The marks file: JSON Lines, UTF-8. The first line is a header, `{"gazette-marks":1}`; then one object a
/// line, `{"id":"16 hex digits","read":true,"at":"2026-12-03T15:04:05.123Z"}` with, when known, `feed`,
/// `guid`, `link` and `title`. Readers ignore fields they do not know, blank lines, and the header wherever it
/// is (two exports concatenated are one valid file).
public enum MarkExchangeFormat {
    /// The version written in the header; a file with a newer one is refused.
    public static let version = 1
    public static let headerKey = "gazette-marks"
    public static var header: String { "{\"\(headerKey)\":\(version)}" }
    /// Lines longer than this are skipped (a mark takes a few hundred bytes; a title is not a book).
    public static let maxLineLength = 1 << 20

    // MARK: Writing

    /// One mark as one line (without the newline); fields in a fixed order, absent ones left out.
    public static func line(for mark: ExchangedMark) -> String {
        var line = "{\"id\":\"\(mark.id)\",\"read\":\(mark.isRead),\"at\":\"\(timestamp(StoreTime.milliseconds(mark.changedAt)))\""
        for (key, value) in [("feed", mark.feed), ("guid", mark.guid), ("link", mark.link), ("title", mark.title)] {
            guard let value else { continue }
            line += ",\"\(key)\":"
            appendJSONString(value, to: &line)
        }
        line += "}"
        return line
    }

    static func appendJSONString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// `2026-12-03T15:04:05.123Z`: UTC, always with milliseconds.
    public static func timestamp(_ milliseconds: Int64) -> String {
        let (seconds, millis) = floorDivision(milliseconds, 1000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        func digits(_ value: Int64, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))T\(digits(secondOfDay / 3600, 2)):"
            + "\(digits(secondOfDay / 60 % 60, 2)):\(digits(secondOfDay % 60, 2)).\(digits(millis, 3))Z"
    }

    // MARK: Reading

    /// What one line of a marks file holds.
    public enum Line: Equatable, Sendable {
        case mark(ExchangedMark)
        /// The header, with its version.
        case header(version: Int)
        /// Nothing but white space.
        case blank
    }

    /// Why a line was skipped: a short phrase for `FILE:LINE: reason`.
    public struct LineError: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
        init(_ reason: String) { self.reason = reason }
    }

    private struct Fields: Decodable {
        var id: String?
        var read: Bool?
        var at: String?
        var feed: String?
        var guid: String?
        var link: String?
        var title: String?
        var version: Int?

        enum CodingKeys: String, CodingKey {
            case id, read, at, feed, guid, link, title
            case version = "gazette-marks"
        }
    }

    /// Parses one line (without its newline; a trailing CR is ignored).
    public static func parse(_ bytes: some Collection<UInt8>) -> Result<Line, LineError> {
        guard bytes.count <= maxLineLength else { return .failure(LineError("longer than 1 MB")) }
        var bytes = Array(bytes)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .success(.blank) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a BOM some editors add
        guard String(validating: bytes, as: UTF8.self) != nil else { return .failure(LineError("not UTF-8")) }
        let fields: Fields
        do {
            fields = try decoder.decode(Fields.self, from: Data(bytes))
        } catch DecodingError.typeMismatch(_, let context) {
            guard let key = context.codingPath.first?.stringValue else { return .failure(LineError("not a JSON object")) }
            let expected = key == "read" ? "true or false" : key == CodingKeys.version.rawValue ? "a number" : "a string"
            return .failure(LineError("\"\(key)\" is not \(expected)"))
        } catch {
            return .failure(LineError("not JSON"))
        }
        if let version = fields.version, fields.id == nil { return .success(.header(version: version)) }
        guard let idText = fields.id else { return .failure(LineError("no \"id\"")) }
        guard idText.utf8.count == 16, idText.utf8.allSatisfy(isHexDigit), let id = PostID(hex: idText.lowercased())
        else { return .failure(LineError("the id \"\(idText.prefix(40))\" is not 16 hex digits")) }
        guard let read = fields.read else { return .failure(LineError("no \"read\"")) }
        guard let atText = fields.at else { return .failure(LineError("no \"at\"")) }
        guard let milliseconds = self.milliseconds(atText) else {
            return .failure(LineError("the time \"\(atText.prefix(40))\" is not like 2026-12-03T15:04:05.123Z"))
        }
        return .success(.mark(ExchangedMark(id: id, isRead: read, changedAt: StoreTime.date(milliseconds),
                                            feed: fields.feed, guid: fields.guid, link: fields.link,
                                            title: fields.title)))
    }

    private typealias CodingKeys = Fields.CodingKeys
    /// One decoder for every line (it keeps no state between calls; making one per line took a third of the time).
    private static let decoder = JSONDecoder()

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }

    /// Parses an RFC 3339 time, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, to milliseconds since 1970
    /// (digits of the fraction beyond milliseconds are dropped). `nil` for anything else.
    public static func milliseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int64? {
            guard i + count <= b.count else { return nil }
            var value: Int64 = 0
            for byte in b[i..<(i + count)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            i += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard i < b.count, characters.utf8.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        var millis: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 3 { millis = millis * 10 + Int64(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millis *= 10 }
        }
        var offset: Int64 = 0
        if expect("Zz") {
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours <= 23, minutes <= 59 else {
                return nil
            }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return seconds * 1000 + millis
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let remainder = a % b
        return remainder < 0 ? (a / b - 1, remainder + b) : (a / b, remainder)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day since 1970-01-01 (`civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
