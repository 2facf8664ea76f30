/// Small helpers on UTF-8 bytes shared by the scanner and the body parser.
///
/// "Whitespace" here is ASCII whitespace (space, tab, LF, VT, FF, CR) and the no-break space U+00A0 (bytes C2 A0),
/// which dumps use as padding around text and before `[Source]` lines.
enum ByteText {
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b &- 0x09 < 5 }

    /// `lo..<hi` without leading and trailing whitespace (ASCII and NBSP).
    static func trim(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Range<Int> {
        var lo = lo
        var hi = hi
        while lo < hi {
            if isSpace(p[lo]) {
                lo += 1
            } else if p[lo] == 0xC2 && lo + 1 < hi && p[lo + 1] == 0xA0 {
                lo += 2
            } else {
                break
            }
        }
        while hi > lo {
            if isSpace(p[hi - 1]) {
                hi -= 1
            } else if hi - 2 >= lo && p[hi - 2] == 0xC2 && p[hi - 1] == 0xA0 {
                hi -= 2
            } else {
                break
            }
        }
        return lo..<hi
    }

    /// For each pattern of dropped bytes in an 8-byte block (bit k set: byte k is whitespace), four words: the kept
    /// bytes (0xFF each), then the bytes to move by one, two and four places in the three steps that pack the kept
    /// bytes to the low end (Hacker's Delight's `compress`, 7-4, on bytes instead of bits), then how many are kept.
    private static let packing: [UInt64] = (0..<256).flatMap { dropped -> [UInt64] in
        func bytes(_ bits: UInt8) -> UInt64 {
            (0..<8).reduce(0) { bits & (1 << $1) != 0 ? $0 | (0xFF << (8 * UInt64($1))) : $0 }
        }
        var m = ~UInt8(dropped)
        let keep = bytes(m)
        var mk = ~m << 1
        var moves: [UInt64] = []
        for i in 0..<3 {
            var mp = mk ^ (mk << 1)
            mp ^= mp << 2
            mp ^= mp << 4
            let mv = mp & m
            m = (m ^ mv) | (mv >> (1 << i))
            mk &= ~mp
            moves.append(bytes(mv))
        }
        return [keep] + moves + [UInt64(8 - dropped.nonzeroBitCount)]
    }

    private static let lows: UInt64 = 0x0101_0101_0101_0101
    private static let sevens: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// High bit of each byte of `w` set when that byte is zero (exact, no false positives).
    @inline(__always)
    private static func zeroBytes(_ w: UInt64) -> UInt64 {
        ~(((w & sevens) &+ sevens) | w) & highs
    }

    /// Copies the bytes of `src[0..<n]` that are not whitespace into `dst` and returns how many it copied.
    /// A C2 A0 pair split at the end of `src` is not recognised: callers never split one.
    ///
    /// The hot loop of indexing, eight bytes at a time in a 64-bit word and without branches: the spaces of the
    /// block are found with word arithmetic (with no byte below 0x20 in it, the bytes below 0x21 are spaces), the kept bytes are packed to the low end in three shift steps (masks
    /// from a table), and the word is stored whole (the next store overwrites what is not part of the output).
    /// A block holding a byte below 0x21 other than a space (a tab, a control) or C2 (maybe a no-break space), both
    /// rare, is done byte by byte.
    static func compact(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        packing.withUnsafeBufferPointer { table in
            let packing = table.baseAddress!
            let from = UnsafeRawPointer(src)
            let to = UnsafeMutableRawPointer(dst)
            var i = 0
            var j = 0
            // `j <= i` throughout, so an 8-byte store at `j` never passes `i + 8 <= n`.
            while i &+ 8 <= n {
                let w = UInt64(littleEndian: from.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                // High bit of each byte below 0x21, and below 0x20 (bytes from 0x80 up are neither).
                let low = w & sevens
                let spaces = ~((low &+ (lows &* 0x5F)) | w) & highs
                let controls = ~((low &+ (lows &* 0x60)) | w) & highs
                if controls | zeroBytes(w ^ (lows &* 0xC2)) != 0 {
                    let blockEnd = i &+ 8
                    while i < blockEnd { compactOne(src, n, &i, dst, &j) }
                    continue
                }
                // One bit per byte: bit k for byte k.
                let dropped = Int(truncatingIfNeeded: ((spaces >> 7) &* 0x0102_0408_1020_4080) >> 56)
                let e = packing + 5 &* dropped
                var x = w & e[0]
                var t = x & e[1]
                x = (x ^ t) | (t >> 8)
                t = x & e[2]
                x = (x ^ t) | (t >> 16)
                t = x & e[3]
                x = (x ^ t) | (t >> 32)
                to.storeBytes(of: x.littleEndian, toByteOffset: j, as: UInt64.self)
                j &+= Int(truncatingIfNeeded: e[4])
                i &+= 8
            }
            while i < n { compactOne(src, n, &i, dst, &j) }
            return j
        }
    }

    @inline(__always)
    private static func compactOne(_ src: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int,
                                   _ dst: UnsafeMutablePointer<UInt8>, _ j: inout Int) {
        let b = src[i]
        dst[j] = b
        if b == 0xC2 && i &+ 1 < n && src[i &+ 1] == 0xA0 {
            i &+= 2
            return
        }
        j &+= isSpace(b) ? 0 : 1
        i &+= 1
    }

    /// Decodes `p[range]` trimmed of whitespace; invalid UTF-8 becomes U+FFFD. With `cap`, only the first `cap`
    /// bytes of the range count (cut back to a character boundary), so that a caller holding only those bytes of
    /// a long line gets the same text.
    static func text(_ p: UnsafePointer<UInt8>, _ range: Range<Int>, cap: Int = .max) -> String {
        var hi = range.upperBound
        if hi - range.lowerBound > cap {
            hi = range.lowerBound + cap
            // Back off over an incomplete last character.
            var k = hi - 1
            while k > range.lowerBound && p[k] & 0xC0 == 0x80 && hi - k < 4 { k -= 1 }
            if p[k] >= 0xC0 && hi - k < utf8Length(p[k]) { hi = k }
        }
        let r = trim(p, range.lowerBound, hi)
        return String(decoding: UnsafeBufferPointer(start: p + r.lowerBound, count: r.count), as: UTF8.self)
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        if lead < 0xC0 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    /// ASCII case-insensitive comparison of `p[at..<at+word.count]` with a lowercase ASCII `word`.
    static func matches(_ p: UnsafePointer<UInt8>, _ at: Int, _ end: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard end - at >= n else { return false }
        let w = word.utf8Start
        for k in 0..<n {
            var b = p[at + k]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != w[k] { return false }
        }
        return true
    }
}
