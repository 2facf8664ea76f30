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

    /// Per byte: bit 0 set when the byte is kept (not ASCII whitespace), bit 1 set for C2 (maybe a no-break space).
    private static let classes: [UInt8] = (0..<256).map { b in
        b == 0x20 || (0x09...0x0D).contains(b) ? 0 : b == 0xC2 ? 3 : 1
    }

    /// Copies the bytes of `src[0..<n]` that are not whitespace into `dst` and returns how many it copied.
    /// A C2 A0 pair split at the end of `src` is not recognised: callers never split one.
    ///
    /// The hot loop of indexing: eight bytes at a time through a class table, without branches; a block holding
    /// a C2 byte (rare) is redone byte by byte.
    static func compact(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        classes.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            var i = 0
            var j = 0
            while i &+ 8 <= n {
                let j0 = j
                var flags: UInt8 = 0
                for k in 0..<8 {
                    let b = src[i &+ k]
                    let c = t[Int(b)]
                    dst[j] = b
                    j &+= Int(c & 1)
                    flags |= c
                }
                if flags & 2 == 0 {
                    i &+= 8
                } else {
                    j = j0
                    let blockEnd = i &+ 8
                    while i < blockEnd { compactOne(src, n, &i, dst, &j) }
                }
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
