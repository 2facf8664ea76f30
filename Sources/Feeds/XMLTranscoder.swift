import Glibc

/// Turns a feed's bytes, whatever their encoding, into well-formed UTF-8 for libxml2, a chunk at a time.
///
/// libxml2 stops at the first encoding error even in recover mode (the rest of the feed would be lost), so the
/// reader decodes the file itself and gives libxml2 only valid UTF-8 (with `XML_PARSE_IGNORE_ENC`):
/// - the encoding is told by the byte order mark, else UTF-16 without one (`<` `?` as 16-bit units), else the
///   XML declaration's `encoding`, else UTF-8;
/// - UTF-8: invalid sequences become U+FFFD, except in a file whose first bad byte comes before any valid
///   multi-byte sequence: that file is really windows-1252 (or Latin-1) declared as UTF-8, and its bad bytes are
///   read as windows-1252;
/// - ISO-8859-1, US-ASCII and windows-1252 are read as windows-1252 (as browsers do: such feeds are full of
///   windows-1252 quotes); anything else through iconv, an undecodable byte giving U+FFFD;
/// - characters XML forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD, since libxml2
///   would stop there too.
/// Line breaks are kept as they are, so line numbers do not change.
final class XMLTranscoder {
    /// How the input is decoded.
    enum Mode: Equatable {
        case undecided
        case utf8
        case windows1252
        case iconv(String)
    }

    private(set) var mode: Mode = .undecided
    /// True once some input had to be repaired.
    private(set) var repaired = false
    /// A one-line note on what was repaired or assumed, for the reader's diagnostics (set once).
    private(set) var note: String? {
        didSet { if oldValue == nil, note != nil { noteIsNew = true } }
    }
    /// Set when `note` was just set by the last `convert`; `noteOffset` is where in that call's input it was.
    var noteIsNew = false
    private(set) var noteOffset = 0
    private var conversion: iconv_t?
    /// Bytes per code unit of the iconv input (2 for UTF-16, 4 for UTF-32): how much an undecodable unit skips.
    private var unit = 1
    private var sawMultibyte = false
    private var badBytesAreWindows1252: Bool?
    private var output: UnsafeMutablePointer<UInt8>
    private var outputCapacity: Int
    private var scratch: UnsafeMutablePointer<UInt8>?
    private var scratchCapacity = 0

    init() {
        outputCapacity = 1 << 16
        output = .allocate(capacity: outputCapacity)
    }

    deinit {
        output.deallocate()
        scratch?.deallocate()
        if let conversion { iconv_close(conversion) }
    }

    /// Decides the encoding from the first bytes of the file (call once, with as many bytes as are at hand).
    /// Returns how many bytes to skip (a byte order mark).
    func decide(_ head: UnsafeBufferPointer<UInt8>) -> Int {
        let b = head
        func at(_ i: Int) -> UInt8 { i < b.count ? b[i] : 0 }
        if at(0) == 0xEF, at(1) == 0xBB, at(2) == 0xBF { mode = .utf8; return 3 }
        if at(0) == 0x00, at(1) == 0x00, at(2) == 0xFE, at(3) == 0xFF { open("UTF-32BE", unit: 4); return 4 }
        if at(0) == 0xFF, at(1) == 0xFE, at(2) == 0x00, at(3) == 0x00 { open("UTF-32LE", unit: 4); return 4 }
        if at(0) == 0xFE, at(1) == 0xFF { open("UTF-16BE", unit: 2); return 2 }
        if at(0) == 0xFF, at(1) == 0xFE { open("UTF-16LE", unit: 2); return 2 }
        if at(0) == 0x3C, at(1) == 0x00, at(2) == 0x3F || at(2) == 0x21 || at(2) > 0x40, at(3) == 0x00 {
            open("UTF-16LE", unit: 2)
            return 0
        }
        if at(0) == 0x00, at(1) == 0x3C, at(2) == 0x00 { open("UTF-16BE", unit: 2); return 0 }
        guard let declared = Self.declaredEncoding(b) else { mode = .utf8; return 0 }
        let name = declared.lowercased()
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8":
            mode = .utf8
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "windows-1252",
             "cp1252", "x-cp1252", "ansi_x3.4-1968", "iso-ir-100", "cp819", "ibm819":
            mode = .windows1252
        case "utf-16", "utf16", "ucs-2", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be":
            // Declared 16 or 32 bits, but the bytes start with an 8-bit `<?xml`: the declaration is wrong.
            mode = .utf8
            note = "says it is \(declared) but is not: read as UTF-8"
        default:
            open(declared, unit: 1)
            if conversion == nil {
                mode = .utf8
                note = "unknown encoding \(declared): read as UTF-8"
            }
        }
        return 0
    }

    private func open(_ name: String, unit: Int) {
        let cd = iconv_open("UTF-8", name)
        if cd == iconv_t(bitPattern: -1) { return }
        conversion = cd
        self.unit = unit
        mode = .iconv(name)
    }

    /// The `encoding` of an XML declaration at the start of `b` (ASCII-compatible encodings), or nil.
    static func declaredEncoding(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        let head = Array(b.prefix(1024))
        guard head.starts(with: Array("<?xml".utf8)) else { return nil }
        guard let end = head.indices.first(where: { $0 + 1 < head.count && head[$0] == 0x3F && head[$0 + 1] == 0x3E })
        else { return nil }
        let decl = Array(head[0..<end])
        let key = Array("encoding".utf8)
        guard let k = (0...max(0, decl.count - key.count)).first(where: { decl.count >= key.count
            && Array(decl[$0..<$0 + key.count]) == key }) else { return nil }
        var i = k + key.count
        while i < decl.count, decl[i] == 0x20 || decl[i] == 0x09 || decl[i] == 0x0A || decl[i] == 0x0D { i += 1 }
        guard i < decl.count, decl[i] == 0x3D else { return nil }
        i += 1
        while i < decl.count, decl[i] == 0x20 || decl[i] == 0x09 || decl[i] == 0x0A || decl[i] == 0x0D { i += 1 }
        guard i < decl.count, decl[i] == 0x22 || decl[i] == 0x27 else { return nil }
        let quote = decl[i]
        i += 1
        let start = i
        while i < decl.count, decl[i] != quote { i += 1 }
        guard i > start, i - start < 64 else { return nil }
        return String(decoding: decl[start..<i], as: UTF8.self)
    }

    /// Converts `input` into UTF-8. Returns the converted bytes (valid until the next call) and how many input
    /// bytes were used; the rest (an incomplete character at the end) must come again with the next chunk. With
    /// `isFinal`, everything is used.
    func convert(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool) -> (bytes: UnsafeBufferPointer<UInt8>, used: Int) {
        switch mode {
        case .undecided, .utf8:
            return utf8(input, isFinal: isFinal)
        case .windows1252:
            return windows1252(input)
        case .iconv:
            return viaIconv(input, isFinal: isFinal)
        }
    }

    private func reserve(_ n: Int) {
        guard n > outputCapacity else { return }
        output.deallocate()
        outputCapacity = max(n, outputCapacity * 2)
        output = .allocate(capacity: outputCapacity)
    }

    private static let replacement: (UInt8, UInt8, UInt8) = (0xEF, 0xBF, 0xBD)

    /// Whether byte `c` (< 0x80) is a character XML 1.0 allows.
    @inline(__always)
    private static func allowedASCII(_ c: UInt8) -> Bool { c >= 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// The length of the valid UTF-8 sequence (of a character XML allows) at `p` (with `n` bytes available), 0 when
    /// invalid, -1 when it may be complete once more bytes come.
    @inline(__always)
    private static func sequenceLength(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        let c = p[0]
        if c < 0x80 { return allowedASCII(c) ? 1 : 0 }
        func cont(_ i: Int) -> Int { i < n ? (p[i] & 0xC0 == 0x80 ? 1 : 0) : -1 }
        switch c {
        case 0xC2...0xDF:
            let k = cont(1)
            return k < 0 ? -1 : (k == 1 ? 2 : 0)
        case 0xE0...0xEF:
            if n < 2 { return -1 }
            let c1 = p[1]
            let lo: UInt8 = c == 0xE0 ? 0xA0 : 0x80, hi: UInt8 = c == 0xED ? 0x9F : 0xBF
            guard c1 >= lo, c1 <= hi else { return 0 }
            let k = cont(2)
            if k < 0 { return -1 }
            if k == 0 { return 0 }
            // U+FFFE and U+FFFF are not XML characters.
            if c == 0xEF, c1 == 0xBF, p[2] >= 0xBE { return 0 }
            return 3
        case 0xF0...0xF4:
            if n < 2 { return -1 }
            let c1 = p[1]
            let lo: UInt8 = c == 0xF0 ? 0x90 : 0x80, hi: UInt8 = c == 0xF4 ? 0x8F : 0xBF
            guard c1 >= lo, c1 <= hi else { return 0 }
            let k2 = cont(2)
            if k2 <= 0 { return k2 < 0 ? -1 : 0 }
            let k3 = cont(3)
            return k3 < 0 ? -1 : (k3 == 1 ? 4 : 0)
        default:
            return 0
        }
    }

    /// The offset of the first byte in `p[0..<n]` that is not plain, allowed ASCII (`n` when there is none).
    @inline(__always)
    private static func plainPrefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let high = w & 0x8080_8080_8080_8080
            let low = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            if high | low != 0 {
                if high != 0 { break }
                // A control byte: tab, LF and CR are fine.
                var j = 0
                while j < 8, allowedASCII(p[i + j]) { j += 1 }
                if j < 8 { return i + j }
            }
            i += 8
        }
        while i < n, p[i] < 0x80, allowedASCII(p[i]) { i += 1 }
        return i
    }

    private func utf8(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool) -> (bytes: UnsafeBufferPointer<UInt8>, used: Int) {
        guard let p = input.baseAddress, input.count > 0 else { return (UnsafeBufferPointer(start: nil, count: 0), 0) }
        let n = input.count
        // Fast path: check without copying; copy only from the first byte that needs a change.
        var i = 0
        while i < n {
            i += Self.plainPrefix(p + i, n - i)
            if i >= n { break }
            let k = Self.sequenceLength(p + i, n - i)
            if k > 0 {
                if k > 1 { sawMultibyte = true }
                i += k
                continue
            }
            if k < 0, !isFinal { return (UnsafeBufferPointer(start: p, count: i), i) }
            break
        }
        if i >= n { return (input, n) }
        // Slow path: copy what was valid, then repair.
        reserve(n * 3 + 16)
        output.update(from: p, count: i)
        var o = i
        while i < n {
            let k = Self.sequenceLength(p + i, n - i)
            if k > 0 {
                if k > 1 { sawMultibyte = true }
                for j in 0..<k { output[o + j] = p[i + j] }
                o += k
                i += k
                continue
            }
            if k < 0, !isFinal { break }
            repaired = true
            if note == nil { noteOffset = i }
            let c = p[i]
            if c < 0x80 {
                o = put(0xFFFD, at: o)
                if note == nil { note = "invalid character (control code \(Self.hex(c))) replaced" }
            } else {
                if badBytesAreWindows1252 == nil {
                    badBytesAreWindows1252 = !sawMultibyte
                    if note == nil {
                        note = sawMultibyte ? "invalid UTF-8 replaced with \u{FFFD}"
                                            : "not valid UTF-8: read as windows-1252"
                    }
                }
                o = put(badBytesAreWindows1252 == true ? Self.windows1252Scalar(c) : 0xFFFD, at: o)
            }
            i += 1
        }
        return (UnsafeBufferPointer(start: output, count: o), i)
    }

    private static func hex(_ c: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(c >> 4)]) + String(digits[Int(c & 15)])
    }

    /// Writes `scalar` as UTF-8 at `o` and returns the next offset (forbidden characters become U+FFFD).
    @inline(__always)
    private func put(_ scalar: UInt32, at o: Int) -> Int {
        var s = scalar
        if s < 0x20, s != 0x09, s != 0x0A, s != 0x0D { s = 0xFFFD }
        if s == 0xFFFE || s == 0xFFFF || (s >= 0xD800 && s < 0xE000) || s > 0x10FFFF { s = 0xFFFD }
        switch s {
        case ..<0x80:
            output[o] = UInt8(s)
            return o + 1
        case ..<0x800:
            output[o] = UInt8(0xC0 | (s >> 6))
            output[o + 1] = UInt8(0x80 | (s & 0x3F))
            return o + 2
        case ..<0x10000:
            output[o] = UInt8(0xE0 | (s >> 12))
            output[o + 1] = UInt8(0x80 | ((s >> 6) & 0x3F))
            output[o + 2] = UInt8(0x80 | (s & 0x3F))
            return o + 3
        default:
            output[o] = UInt8(0xF0 | (s >> 18))
            output[o + 1] = UInt8(0x80 | ((s >> 12) & 0x3F))
            output[o + 2] = UInt8(0x80 | ((s >> 6) & 0x3F))
            output[o + 3] = UInt8(0x80 | (s & 0x3F))
            return o + 4
        }
    }

    /// windows-1252's 0x80–0x9F (0 where it has no character).
    private static let windows1252High: [UInt16] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    static func windows1252Scalar(_ c: UInt8) -> UInt32 {
        if c < 0x80 || c >= 0xA0 { return UInt32(c) }
        let s = windows1252High[Int(c - 0x80)]
        return s == 0 ? 0xFFFD : UInt32(s)
    }

    private func windows1252(_ input: UnsafeBufferPointer<UInt8>) -> (bytes: UnsafeBufferPointer<UInt8>, used: Int) {
        guard let p = input.baseAddress, input.count > 0 else { return (UnsafeBufferPointer(start: nil, count: 0), 0) }
        let n = input.count
        let clean = Self.plainPrefix(p, n)
        if clean == n { return (input, n) }
        reserve(n * 3 + 16)
        output.update(from: p, count: clean)
        var o = clean
        for i in clean..<n {
            let c = p[i]
            if c < 0x80, Self.allowedASCII(c) {
                output[o] = c
                o += 1
            } else {
                let s = Self.windows1252Scalar(c)
                if s == 0xFFFD || c < 0x20 { noteRepair() }
                o = put(s, at: o)
            }
        }
        return (UnsafeBufferPointer(start: output, count: o), n)
    }

    private func noteRepair() {
        repaired = true
        if note == nil {
            noteOffset = 0
            note = "invalid characters replaced with \u{FFFD}"
        }
    }

    private func viaIconv(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool) -> (bytes: UnsafeBufferPointer<UInt8>, used: Int) {
        guard let conversion, let base = input.baseAddress, input.count > 0 else {
            return (UnsafeBufferPointer(start: nil, count: 0), 0)
        }
        // iconv into scratch, then through the UTF-8 check (which replaces characters XML forbids).
        let need = input.count * 4 + 16
        if need > scratchCapacity {
            scratch?.deallocate()
            scratchCapacity = max(need, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        var inPointer = UnsafeMutablePointer<CChar>(OpaquePointer(UnsafeMutablePointer(mutating: base)))
        var inLeft = input.count
        var outPointer = UnsafeMutablePointer<CChar>(OpaquePointer(scratch!))
        var outLeft = scratchCapacity
        while inLeft > 0 {
            var ip: UnsafeMutablePointer<CChar>? = inPointer
            var op: UnsafeMutablePointer<CChar>? = outPointer
            let r = iconv(conversion, &ip, &inLeft, &op, &outLeft)
            inPointer = ip!
            outPointer = op!
            if r != -1 { break }
            let e = errno
            if e == EINVAL && !isFinal { break }
            if e == EILSEQ || e == EINVAL {
                // An undecodable unit (or a truncated one at the very end): U+FFFD, then go on after it.
                noteRepair()
                guard outLeft >= 3 else { break }
                outPointer[0] = CChar(bitPattern: 0xEF)
                outPointer[1] = CChar(bitPattern: 0xBF)
                outPointer[2] = CChar(bitPattern: 0xBD)
                outPointer += 3
                outLeft -= 3
                let skip = min(unit, inLeft)
                inPointer += skip
                inLeft -= skip
                continue
            }
            break
        }
        let used = input.count - inLeft
        let produced = scratchCapacity - outLeft
        let checked = utf8(UnsafeBufferPointer(start: scratch, count: produced), isFinal: true)
        return (checked.bytes, used)
    }
}
