/// The one sanitizer every piece of archive text passes before it reaches a terminal or stdout.
///
/// What it removes, and why:
/// - C0 controls and DEL (NUL, BEL, BS, FF, VT, ...): they move the cursor, ring, or clear. CR and LF become one
///   space per run (output pieces are single lines); a tab becomes four spaces.
/// - Whole ESC sequences: CSI `ESC [ params final`, OSC `ESC ] ... (BEL | ESC \)`, DCS/SOS/PM/APC
///   `ESC P|X|^|_ ... ESC \`, and two- or three-byte `ESC [intermediates] final`. An unterminated string sequence
///   is dropped to the end of the text, as a terminal would swallow it.
/// - C1 controls U+0080–U+009F (CSI U+009B included), each on its own: with no introducer left, what follows is
///   inert text, and archives with mojibake (`›` stored as U+009B) lose only that character.
/// - Bidi embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and every
///   other format character (general category Cf: U+200B, U+2060, U+FEFF, soft hyphen U+00AD, ...), except a ZWJ
///   (U+200D) between two emoji, and tag characters inside an emoji tag sequence, so those stay one cluster.
/// - U+2028 and U+2029 (line and paragraph separators) count as line breaks.
///
/// Idempotent (`clean(clean(x)) == clean(x)`), linear in the input, and returns printable ASCII untouched.
public enum Sanitizer {
    public static func clean(_ text: String) -> String {
        var text = text
        if let result = text.utf8.withContiguousStorageIfAvailable({ cleanIfNeeded($0) }) {
            return result ?? text
        }
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable({ cleanIfNeeded($0) })! ?? text
    }

    /// `nil` when the input is already clean: every scalar is printable ASCII or one that is kept wherever it
    /// stands (`alwaysKept`), as in almost all text; then nothing is copied.
    private static func cleanIfNeeded(_ buf: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        let n = buf.count
        var last: UInt32 = 0
        while i < n {
            let b = buf[i]
            if b >= 0x20 && b < 0x7F {
                last = UInt32(b)
                i += 1
                continue
            }
            if b < 0x80 { break }
            let (v, len) = decode(buf, at: i)
            guard alwaysKept(v) else { break }
            last = v
            i += len
        }
        if i == n { return nil }
        var tabs = 0
        for k in i..<n where buf[k] == 0x09 { tabs += 1 }
        return String(unsafeUninitializedCapacity: n + 3 * tabs) { out in
            clean(buf, clean: i, last: last, into: out)
        }
    }

    /// Scalars `keep` keeps whatever comes before or after them (a subset: the common ones).
    @inline(__always)
    private static func alwaysKept(_ v: UInt32) -> Bool {
        (v >= 0xA0 && v < 0x600 && v != 0xAD) || (v >= 0x2070 && v < 0xFEFF)
            || (v >= 0x2010 && v <= 0x2027) || (v >= 0x2030 && v <= 0x205E)
    }

    /// Writes the cleaned form of `buf` (whose first `prefix` bytes are known to be clean, ending with the scalar
    /// `last`) into `out`. Only a tab grows (1 byte becomes 4 spaces), so `out` holds `count + 3 * tabs` bytes.
    private static func clean(_ buf: UnsafeBufferPointer<UInt8>, clean prefix: Int, last: UInt32,
                              into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = buf.count
        if prefix > 0 { out.baseAddress!.update(from: buf.baseAddress!, count: prefix) }
        var o = prefix
        var i = prefix
        var prevKept: UInt32 = prefix > 0 ? last : 0
        var inLineBreak = false

        @inline(__always) func emitSpace() {
            out[o] = 0x20
            o += 1
            prevKept = 0x20
        }

        while i < n {
            let b = buf[i]
            if b >= 0x20 && b < 0x7F {
                out[o] = b
                o += 1
                prevKept = UInt32(b)
                inLineBreak = false
                i += 1
                continue
            }
            if b < 0x80 {
                switch b {
                case 0x09:
                    for _ in 0..<4 { emitSpace() }
                    inLineBreak = false
                    i += 1
                case 0x0A, 0x0D:
                    if !inLineBreak { emitSpace() }
                    inLineBreak = true
                    i += 1
                case 0x1B:
                    i = skipEscape(buf, at: i)
                default:
                    i += 1  // other C0 controls and DEL
                }
                continue
            }
            let (v, len) = decode(buf, at: i)
            if v < 0xA0 {  // C1 control
                i += len
                continue
            }
            let verdict: Verdict
            if v == 0x200D {  // ZWJ: kept only between two emoji
                let next = i + len < n ? decode(buf, at: i + len).0 : 0
                verdict = isEmojiTail(prevKept) && isPictographic(next) ? .keep : .drop
            } else {
                verdict = keep(v, after: prevKept)
            }
            switch verdict {
            case .keep:
                for k in 0..<len { out[o + k] = buf[i + k] }
                o += len
                prevKept = v
                inLineBreak = false
            case .drop:
                break
            case .lineBreak:
                if !inLineBreak { emitSpace() }
                inLineBreak = true
            }
            i += len
        }
        return o
    }

    private enum Verdict { case keep, drop, lineBreak }

    /// What to do with the non-ASCII, non-C1 scalar `v`.
    private static func keep(_ v: UInt32, after prev: UInt32) -> Verdict {
        if v < 0x600 { return v == 0xAD ? .drop : .keep }
        if v >= 0x2070 && v < 0xFEFF { return .keep }
        if v == 0x2028 || v == 0x2029 { return .lineBreak }
        if v >= 0xE0020 && v <= 0xE007F {  // tags: only inside an emoji tag sequence (black flag + tags)
            return prev == 0x1F3F4 || (prev >= 0xE0020 && prev <= 0xE007E) ? .keep : .drop
        }
        guard let s = Unicode.Scalar(v) else { return .drop }
        return s.properties.generalCategory == .format ? .drop : .keep
    }

    /// A scalar that can end the part of an emoji sequence before a ZWJ.
    private static func isEmojiTail(_ v: UInt32) -> Bool {
        if v == 0xFE0F || (v >= 0x1F3FB && v <= 0x1F3FF) || (v >= 0xE0020 && v <= 0xE007F) { return true }
        return isPictographic(v)
    }

    private static func isPictographic(_ v: UInt32) -> Bool {
        guard v >= 0xA9, let s = Unicode.Scalar(v) else { return false }
        return s.properties.isEmoji
    }

    /// Index just past the escape sequence starting with the ESC at `i`.
    private static func skipEscape(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = buf.count
        let j = i + 1
        guard j < n else { return j }
        switch buf[j] {
        case UInt8(ascii: "["):
            var k = j + 1
            while k < n {
                let b = buf[k]
                if b >= 0x20 && b <= 0x3F { k += 1; continue }  // parameters and intermediates
                if b >= 0x40 && b <= 0x7E { return k + 1 }       // final byte
                return k                                         // aborted: the byte is handled normally
            }
            return n
        case UInt8(ascii: "]"):
            return skipString(buf, from: j + 1, belEnds: true)
        case UInt8(ascii: "P"), UInt8(ascii: "X"), UInt8(ascii: "^"), UInt8(ascii: "_"):
            return skipString(buf, from: j + 1, belEnds: false)
        default:
            var k = j
            while k < n && buf[k] >= 0x20 && buf[k] <= 0x2F { k += 1 }
            if k < n && buf[k] >= 0x30 && buf[k] <= 0x7E { return k + 1 }
            return k
        }
    }

    /// Skips the body of an OSC/DCS/SOS/PM/APC string up to and including its terminator (ST as `ESC \` or
    /// U+009C; BEL for OSC). Another ESC ends it without being consumed; no terminator drops to the end.
    private static func skipString(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, belEnds: Bool) -> Int {
        let n = buf.count
        var k = start
        while k < n {
            let b = buf[k]
            if b == 0x07 && belEnds { return k + 1 }
            if b == 0x1B {
                return k + 1 < n && buf[k + 1] == UInt8(ascii: "\\") ? k + 2 : k
            }
            if b == 0xC2 && k + 1 < n && buf[k + 1] == 0x9C { return k + 2 }
            k += 1
        }
        return n
    }

    /// Decodes the scalar at `i` of valid UTF-8 (a Swift string's storage): the same decoder as the widths.
    @inline(__always)
    private static func decode(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        DisplayWidth.decode(buf, at: i)
    }
}
