import Glibc

/// Display cells of text as a terminal draws it, per grapheme cluster, from glibc's `wcwidth`.
///
/// Rules, checked against tmux 3.3a (DESIGN.md, "Width"):
/// - printable ASCII is 1, controls and format characters 0;
/// - a cluster is as wide as its first scalar of nonzero width, clamped to 0...2: so an emoji ZWJ sequence (the
///   family) is 2, U+2764 U+FE0F is 1 (the VS16 changes nothing), e + U+0301 is 1, CJK and Hangul are 2;
/// - a regional-indicator pair (a flag) is 2;
/// - when `wcwidth` knows nothing (-1 for a printable scalar, as in a non-UTF-8 locale), a small built-in table of
///   East Asian Wide/Fullwidth and emoji ranges says 2, anything else 1.
///
/// Call `prepareLocale()` once at start-up (and in test set-up): `wcwidth` follows `LC_CTYPE`.
public enum DisplayWidth {
    /// Cells of one grapheme cluster (0, 1 or 2).
    public static func of(_ cluster: Character) -> Int {
        if let a = cluster.asciiValue, cluster.utf8.count == 1 {
            return a >= 0x20 && a < 0x7F ? 1 : 0
        }
        var scalars = cluster.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return 0 }
        if first.value >= 0x1F1E6 && first.value <= 0x1F1FF {  // regional indicators: a pair is a flag
            return scalars.next().map { $0.value >= 0x1F1E6 && $0.value <= 0x1F1FF } == true ? 2 : 1
        }
        var next: Unicode.Scalar? = first
        while let s = next {
            let w = scalarWidth(s.value)
            if w > 0 { return min(w, 2) }
            next = scalars.next()
        }
        return 0
    }

    /// Cells of a whole text: the sum over its grapheme clusters.
    public static func of(_ text: some StringProtocol) -> Int {
        let simple: Int?? = text.utf8.withContiguousStorageIfAvailable { buf -> Int? in
            var total = 0
            var i = 0
            while i < buf.count {
                let b = buf[i]
                if b >= 0x20 && b < 0x7F { total += 1; i += 1; continue }
                let (v, n) = decode(buf, at: i)
                guard isSingleCluster(v) else { return nil }
                total += scalarWidth(v)
                i += n
            }
            return total
        }
        if let simple = simple ?? nil { return simple }
        return text.reduce(0) { $0 + of($1) }
    }

    /// Calls `body` with each grapheme cluster of `text` in order, as its UTF-8 bytes (valid UTF-8, 1 to many bytes)
    /// and its width (as `of(_: Character)`), until `body` returns false.
    ///
    /// The loop of every text that is drawn: a scalar that is a cluster on its own whatever its neighbours (see
    /// `isSingleCluster`: printable ASCII, Latin, typographic punctuation, CJK, Hangul syllables), followed by
    /// another such scalar or the end, is a cluster without grapheme breaking; anything else is measured as a
    /// `Character`.
    public static func forEachCluster(_ text: String,
                                      _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ width: Int) -> Bool) {
        var text = text
        text.withUTF8 { buf in
            guard let base = buf.baseAddress else { return }
            let n = buf.count
            var i = 0
            while i < n {
                let b = base[i]
                // Printable ASCII before printable ASCII (or the end): by far the most common case.
                if b >= 0x20 && b < 0x7F && (i + 1 == n || (base[i + 1] >= 0x20 && base[i + 1] < 0x7F)) {
                    if !body(UnsafeBufferPointer(start: base + i, count: 1), 1) { return }
                    i += 1
                    continue
                }
                let (v, len) = decode(buf, at: i)
                if isSingleCluster(v) {
                    if i + len == n || isSingleCluster(decode(buf, at: i + len).0) {
                        if !body(UnsafeBufferPointer(start: base + i, count: len), scalarWidth(v)) { return }
                        i += len
                        continue
                    }
                }
                // A cluster that may span several scalars: let the standard library find its end.
                let end = clusterEnd(buf, from: i)
                let cluster = Character(String(decoding: UnsafeBufferPointer(start: base + i, count: end - i),
                                               as: UTF8.self))
                if !body(UnsafeBufferPointer(start: base + i, count: end - i), of(cluster)) { return }
                i = end
            }
        }
    }

    /// The end (byte offset) of the grapheme cluster that starts at byte `i` of valid UTF-8 `buf`.
    private static func clusterEnd(_ buf: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        // Grapheme breaking needs the text after `i`; a cluster is rarely longer than a few dozen bytes, so look at
        // a window first and at the whole rest only when the cluster fills it.
        var window = 64
        while true {
            let end = min(buf.count, i + window)
            let piece = String(decoding: UnsafeBufferPointer(rebasing: buf[i..<end]), as: UTF8.self)
            guard let first = piece.first else { return end }
            let length = first.utf8.count
            if i + length < end || end == buf.count { return i + length }
            window *= 4
        }
    }

    /// Whether scalar `v` is a grapheme cluster by itself next to any other such scalar: no combining, joining,
    /// prepending, Hangul jamo or regional-indicator behaviour (Grapheme_Cluster_Break "Other", not
    /// Extended_Pictographic-sensitive here because a ZWJ is never one of them).
    @inline(__always)
    public static func isSingleCluster(_ v: UInt32) -> Bool {
        switch v {
        case 0x20...0x7E: return true
        case 0xA0...0x2FF: return v != 0xAD  // Latin-1, Latin Extended, IPA, spacing modifiers (not the soft hyphen)
        case 0x2010...0x2027, 0x2030...0x205E: return true  // dashes, quotes, ellipsis, primes
        case 0x20A0...0x20C0: return true  // currency signs
        case 0x4E00...0x9FFF, 0xAC00...0xD7A3: return true  // CJK ideographs, Hangul syllables
        default: return false
        }
    }

    /// The scalar at byte `i` of valid UTF-8 and its length in bytes.
    @inline(__always)
    public static func decode(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(buf[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12 | UInt32(buf[i + 2] & 0x3F) << 6
                | UInt32(buf[i + 3] & 0x3F), 4)
    }

    /// Sets the locale from the environment, falling back to `C.UTF-8` for `LC_CTYPE` when the environment's
    /// codeset is not UTF-8. Returns whether a UTF-8 `LC_CTYPE` is active.
    @discardableResult
    public static func prepareLocale() -> Bool {
        _ = setlocale(LC_ALL, "")
        if isUTF8Codeset() { return true }
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        return isUTF8Codeset()
    }

    private static func isUTF8Codeset() -> Bool {
        guard let p = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: p).lowercased()
        return name == "utf-8" || name == "utf8"
    }

    /// Cells of one scalar: `wcwidth`, with control/format scalars 0 and the fallback table where it says -1.
    public static func scalarWidth(_ v: UInt32) -> Int {
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 || v == 0xAD { return 0 }
        if mayBeFormat(v), let s = Unicode.Scalar(v), s.properties.generalCategory == .format { return 0 }
        let w = Int(LibC.wcwidth(Int32(bitPattern: v)))
        if w >= 0 { return w }
        return fallbackWidth(v)
    }

    /// False for ranges known to hold no format (Cf) character, so the property lookup is skipped there.
    private static func mayBeFormat(_ v: UInt32) -> Bool {
        if v < 0x600 { return false }
        if v >= 0x2070 && v < 0xFEFF { return false }
        return true
    }

    /// Width without `wcwidth`: 0 for controls, format characters, combining marks and Hangul medial/final jamo;
    /// 2 for East Asian Wide/Fullwidth and emoji ranges; 1 otherwise.
    static func fallbackWidth(_ v: UInt32) -> Int {
        guard let s = Unicode.Scalar(v) else { return 1 }
        switch s.properties.generalCategory {
        case .control, .format, .nonspacingMark, .enclosingMark, .lineSeparator, .paragraphSeparator:
            return 0
        default:
            break
        }
        if v >= 0x1160 && v <= 0x11FF { return 0 }
        for r in wideRanges where r.contains(v) { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth blocks and the emoji blocks (for the fallback only).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F3, 0x25FD...0x25FE,
        0x2614...0x2615, 0x2648...0x2653, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26F2...0x26F5,
        0x2705...0x2705, 0x270A...0x270B, 0x274C...0x274C, 0x2753...0x2755, 0x2795...0x2797, 0x2B1B...0x2B1C,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F2FF, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
        0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

/// `wcwidth(3)` from the C library, found at run time: Swift's Glibc module hides it behind `_XOPEN_SOURCE`, and
/// this module must not depend on ncurses (which re-exports it).
enum LibC {
    private typealias WcwidthFunction = @convention(c) (Int32) -> Int32

    private struct Symbol: @unchecked Sendable {  // a C function pointer: immutable, safe to share
        let function: WcwidthFunction?
    }

    private static let symbol = Symbol(function: dlsym(nil, "wcwidth").map {
        unsafeBitCast($0, to: WcwidthFunction.self)
    })

    /// `wcwidth(c)`, or -1 when the C library has none.
    static func wcwidth(_ c: Int32) -> Int32 {
        symbol.function?(c) ?? -1
    }
}
