/// The month, day and time zone names dates are written with (lowercase ASCII).
enum FeedDateNames {
    /// 1...12 for an English month name or its first three letters (`Sept` too), else nil.
    static func month(_ word: [UInt8]) -> Int? {
        guard word.count >= 3 else { return nil }
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"]
        for (k, name) in names.enumerated() {
            let full = Array(name.utf8)
            if word.count <= full.count, word[...] == full[..<word.count] { return k + 1 }
        }
        return nil
    }

    /// True for an English day name or a prefix of one of at least two letters, in any case.
    static func isDayName(_ word: [UInt8]) -> Bool {
        guard word.count >= 2 else { return false }
        for name in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] {
            let full = Array(name.utf8)
            if word.count <= full.count, word[...] == full[..<word.count] { return true }
        }
        return false
    }

    /// The offset east of UTC, in minutes, of a zone name; nil when the name is not known.
    ///
    /// RFC 822's military letters are taken as that RFC wrote them (A = -1 hour ... M = -12, N = +1 ... Y = +12),
    /// as feedparser does, although RFC 2822 notes their signs were often reversed in practice.
    static func zone(_ word: [UInt8]) -> Int? {
        if word.count == 1 {
            let c = Int(word[0])
            switch UInt8(c) {
            case UInt8(ascii: "z"): return 0
            case UInt8(ascii: "a")...UInt8(ascii: "i"): return -(c - 0x60) * 60
            case UInt8(ascii: "k")...UInt8(ascii: "m"): return -(c - 0x61) * 60
            case UInt8(ascii: "n")...UInt8(ascii: "y"): return (c - 0x6D) * 60
            default: return nil
            }
        }
        switch String(decoding: word, as: UTF8.self) {
        case "ut", "utc", "gmt", "wet", "z": return 0
        case "est", "et": return -300
        case "edt": return -240
        case "cst", "ct": return -360
        case "cdt": return -300
        case "mst", "mt": return -420
        case "mdt": return -360
        case "pst", "pt": return -480
        case "pdt": return -420
        case "ast", "at": return -240
        case "adt": return -180
        case "akst": return -540
        case "akdt": return -480
        case "hst": return -600
        case "bst", "cet", "met", "west": return 60
        case "cest", "mest", "eet": return 120
        case "eest", "msk": return 180
        case "jst", "kst": return 540
        case "aest": return 600
        case "aedt": return 660
        case "nzst": return 720
        case "nzdt": return 780
        default: return nil
        }
    }
}
