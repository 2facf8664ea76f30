/// The month, day and time zone names dates are written with (lowercase ASCII).
enum FeedDateNames {
    private static let months = ["january", "february", "march", "april", "may", "june", "july", "august",
                                 "september", "october", "november", "december"].map(packed)
    private static let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map(packed)

    private static func packed(_ name: String) -> FeedDateWord {
        var word = FeedDateWord()
        for b in name.utf8 { word.append(b) }
        return word
    }

    /// 1...12 for an English month name or its first three letters or more (`Sept` too), else nil.
    static func month(_ word: FeedDateWord) -> Int? {
        for (k, name) in months.enumerated() where word.isPrefix(of: name, minimum: 3) { return k + 1 }
        return nil
    }

    /// True for an English day name or a beginning of one of at least two letters, in any case.
    static func isDayName(_ word: FeedDateWord) -> Bool {
        days.contains { word.isPrefix(of: $0, minimum: 2) }
    }

    /// Greek month abbreviations (with the variants feedparser accepts) and Hungarian month names.
    private static let foreignMonths: [([UInt8], Int)] = [
        ("Ιαν", 1), ("Φεβ", 2), ("Μάώ", 3), ("Μαώ", 3), ("Μαρ", 3), ("Μάρ", 3), ("Απρ", 4), ("Μάι", 5), ("Μαϊ", 5),
        ("Μαι", 5), ("Ιούν", 6), ("Ιον", 6), ("Ιούλ", 7), ("Ιολ", 7), ("Αύγ", 8), ("Αυγ", 8), ("Σεπ", 9), ("Οκτ", 10),
        ("Νοέ", 11), ("Νοε", 11), ("Δεκ", 12),
        ("január", 1), ("február", 2), ("március", 3), ("április", 4), ("május", 5), ("június", 6), ("július", 7),
        ("augusztus", 8), ("szeptember", 9), ("október", 10), ("november", 11), ("december", 12),
    ].map { (Array($0.0.utf8), $0.1) }
    private static let foreignDays: [[UInt8]] = ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"].map { Array($0.utf8) }

    /// 1...12 for a Greek or Hungarian month name, else nil.
    static func foreignMonth(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        foreignMonths.first { $0.0.elementsEqual(word) }?.1
    }

    /// True for a Greek day abbreviation.
    static func isForeignDayName(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        foreignDays.contains { $0.elementsEqual(word) }
    }

    /// The offset east of UTC, in minutes, of a zone name; nil when the name is not known.
    ///
    /// RFC 822's military letters are taken as that RFC wrote them (A = -1 hour ... M = -12, N = +1 ... Y = +12),
    /// as feedparser does, although RFC 2822 notes their signs were often reversed in practice.
    static func zone(_ word: FeedDateWord) -> Int? {
        if word.count == 1 {
            let c = Int(word.letter)
            switch word.letter {
            case UInt8(ascii: "z"): return 0
            case UInt8(ascii: "a")...UInt8(ascii: "i"): return -(c - 0x60) * 60
            case UInt8(ascii: "k")...UInt8(ascii: "m"): return -(c - 0x61) * 60
            case UInt8(ascii: "n")...UInt8(ascii: "y"): return (c - 0x6D) * 60
            default: return nil
            }
        }
        return zones.first { $0.0 == word }?.1
    }

    private static let zones: [(FeedDateWord, Int)] = [
        ("ut", 0), ("utc", 0), ("gmt", 0), ("wet", 0),
        ("est", -300), ("et", -300), ("edt", -240), ("cst", -360), ("ct", -360), ("cdt", -300),
        ("mst", -420), ("mt", -420), ("mdt", -360), ("pst", -480), ("pt", -480), ("pdt", -420),
        ("ast", -240), ("at", -240), ("adt", -180), ("akst", -540), ("akdt", -480), ("hst", -600),
        ("bst", 60), ("cet", 60), ("met", 60), ("west", 60), ("cest", 120), ("mest", 120), ("eet", 120),
        ("eest", 180), ("msk", 180), ("jst", 540), ("kst", 540), ("aest", 600), ("aedt", 660),
        ("nzst", 720), ("nzdt", 780),
    ].map { (packed($0.0), $0.1) }
}
