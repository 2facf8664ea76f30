import Glibc

/// An OPML file's bytes as well-formed UTF-8 for libxml2 (which is then told to ignore the declared encoding),
/// with a note when the file is not in the encoding it declares.
///
/// libxml2 stops at the first byte that is not in the declared encoding, even in recover mode, and everything after
/// it would be lost; exports from other readers often declare UTF-8 and hold windows-1252, or declare ISO-8859-1
/// and hold UTF-8. So the file is decoded here, line breaks kept (line numbers do not change):
/// - a byte order mark (UTF-8, UTF-16, UTF-32) or UTF-16 without one (`<` `?` as 16-bit units) decides;
/// - else the declaration's `encoding`: UTF-8 (or none) is checked, and a file whose first bad byte comes before any
///   valid multi-byte sequence is read as windows-1252 (that is what it is), other bad bytes becoming U+FFFD;
///   ISO-8859-1, US-ASCII and windows-1252 are read as windows-1252, unless the bytes are valid UTF-8 with
///   multi-byte sequences in them (then they are UTF-8 declared wrongly); anything else through iconv, an unknown
///   encoding being read as UTF-8;
/// - characters XML forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD.
enum OPMLText {
    struct Decoded {
        var bytes: [UInt8]
        /// What was assumed or repaired, with the line of the first repair.
        var note: OPMLProblem?
    }

    static func decode(_ input: [UInt8]) -> Decoded {
        let b = input
        func at(_ i: Int) -> UInt8 { i < b.count ? b[i] : 0 }
        if at(0) == 0xEF, at(1) == 0xBB, at(2) == 0xBF { return utf8(Array(b[3...])) }
        if at(0) == 0x00, at(1) == 0x00, at(2) == 0xFE, at(3) == 0xFF { return iconv(b, from: "UTF-32BE", skip: 4) }
        if at(0) == 0xFF, at(1) == 0xFE, at(2) == 0x00, at(3) == 0x00 { return iconv(b, from: "UTF-32LE", skip: 4) }
        if at(0) == 0xFE, at(1) == 0xFF { return iconv(b, from: "UTF-16BE", skip: 2) }
        if at(0) == 0xFF, at(1) == 0xFE { return iconv(b, from: "UTF-16LE", skip: 2) }
        if at(0) == 0x3C, at(1) == 0x00, at(3) == 0x00, b.count > 3 { return iconv(b, from: "UTF-16LE", skip: 0) }
        if at(0) == 0x00, at(1) == 0x3C, at(2) == 0x00 { return iconv(b, from: "UTF-16BE", skip: 0) }
        guard let declared = declaredEncoding(b) else { return utf8(b) }
        switch declared.lowercased() {
        case "utf-8", "utf8", "unicode-1-1-utf-8":
            return utf8(b)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "windows-1252",
             "cp1252", "x-cp1252", "ansi_x3.4-1968", "iso-ir-100", "cp819", "ibm819":
            if let firstMultibyte = validUTF8WithMultibyte(b) {
                var decoded = utf8(b)
                decoded.note = OPMLProblem(line: line(of: firstMultibyte, in: b),
                                           message: "the file says it is \(declared) but it is UTF-8: read as UTF-8")
                return decoded
            }
            return windows1252(b, note: nil)
        case "utf-16", "utf16", "ucs-2", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be":
            // Without a byte order mark or 16-bit units, the declaration cannot be true.
            var decoded = utf8(b)
            if decoded.note == nil {
                decoded.note = OPMLProblem(line: 1, message: "the file says it is \(declared) but it is not: read as UTF-8")
            }
            return decoded
        default:
            let decoded = iconv(b, from: declared, skip: 0)
            return decoded
        }
    }

    /// The `encoding` of an XML declaration at the start of `b`, if any.
    static func declaredEncoding(_ b: [UInt8]) -> String? {
        let head = b.prefix(512)
        guard head.starts(with: Array("<?xml".utf8)), let end = head.firstIndex(of: UInt8(ascii: ">")) else {
            return nil
        }
        let declaration = String(decoding: head[..<end], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        var rest = declaration[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix(while: { $0 != quote })
        let name = String(value)
        return name.isEmpty || name.count > 40 ? nil : name
    }

    // MARK: - UTF-8

    /// The length of the valid UTF-8 sequence at `i` (1 to 4), or 0 when the bytes there are not one.
    @inline(__always)
    private static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return 1 }
        let n = b.count
        @inline(__always) func cont(_ j: Int) -> Bool { j < n && b[j] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0:
            return i + 1 < n && (0xA0...0xBF).contains(b[i + 1]) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED:
            return i + 1 < n && (0x80...0x9F).contains(b[i + 1]) && cont(i + 2) ? 3 : 0
        case 0xF0:
            return i + 1 < n && (0x90...0xBF).contains(b[i + 1]) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4:
            return i + 1 < n && (0x80...0x8F).contains(b[i + 1]) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default:
            return 0
        }
    }

    /// The offset of the first multi-byte sequence when all of `b` is valid UTF-8 and has one; else nil.
    private static func validUTF8WithMultibyte(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer { p in
            var i = 0
            var first: Int?
            while i < p.count {
                let n = sequenceLength(p, i)
                if n == 0 { return nil }
                if n > 1, first == nil { first = i }
                i += n
            }
            return first
        }
    }

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// UTF-8 checked: bad bytes become U+FFFD, or the whole file is windows-1252 when its first bad byte comes before
    /// any multi-byte sequence; forbidden characters become U+FFFD.
    private static func utf8(_ b: [UInt8]) -> Decoded {
        @inline(__always) func plain(_ c: UInt8) -> Bool { c >= 0x20 && c < 0x80 || c == 0x0A || c == 0x09 || c == 0x0D }
        // The common case first: valid, nothing forbidden: the bytes as they are.
        let firstProblem: Int? = b.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                if plain(p[i]) {
                    i += 1
                    continue
                }
                let n = sequenceLength(p, i)
                if n <= 1 || n == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE { return i }
                i += n
            }
            return nil
        }
        guard let firstProblem else { return Decoded(bytes: b, note: nil) }
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 16)
        out.append(contentsOf: b[..<firstProblem])
        var sawMultibyte = b[..<firstProblem].contains { $0 >= 0x80 }
        var note: OPMLProblem?
        var badBeforeMultibyte: Int?
        b.withUnsafeBufferPointer { p in
            var i = firstProblem
            while i < p.count {
                let c = p[i]
                if plain(c) {
                    out.append(c)
                    i += 1
                    continue
                }
                let n = sequenceLength(p, i)
                if n == 1 {
                    // A control character XML forbids.
                    out += replacement
                    if note == nil {
                        note = OPMLProblem(line: line(of: i, in: b), message: "control characters (replaced by U+FFFD)")
                    }
                    i += 1
                } else if n == 0 {
                    if !sawMultibyte {
                        badBeforeMultibyte = i
                        return
                    }
                    out += replacement
                    if note == nil || note?.message.hasPrefix("control") == true {
                        note = OPMLProblem(line: line(of: i, in: b), message: "bytes that are not UTF-8 (replaced by U+FFFD)")
                    }
                    i += 1
                } else {
                    sawMultibyte = true
                    if n == 3, p[i] == 0xEF, p[i + 1] == 0xBF, p[i + 2] >= 0xBE {
                        out += replacement
                    } else {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<(i + n)]))
                    }
                    i += n
                }
            }
        }
        if let bad = badBeforeMultibyte {
            // windows-1252 declared (or taken) as UTF-8.
            return windows1252(b, note: OPMLProblem(line: line(of: bad, in: b),
                                                    message: "the file is not UTF-8: read as windows-1252"))
        }
        return Decoded(bytes: out, note: note)
    }

    // MARK: - windows-1252

    /// 0x80...0x9F in windows-1252 (0 where it has no character: read as the C1 control, then replaced).
    private static let cp1252: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    private static func windows1252(_ b: [UInt8], note: OPMLProblem?) -> Decoded {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + b.count / 8)
        var note = note
        for (i, c) in b.enumerated() {
            if c >= 0x20 && c < 0x80 || c == 0x0A || c == 0x09 || c == 0x0D {
                out.append(c)
                continue
            }
            var value = UInt32(c)
            if c < 0x20 {
                value = 0xFFFD
                if note == nil {
                    note = OPMLProblem(line: line(of: i, in: b), message: "control characters (replaced by U+FFFD)")
                }
            } else if (0x80...0x9F).contains(c) {
                value = cp1252[Int(c) - 0x80]
                if value == 0 { value = 0xFFFD }
            }
            appendUTF8(value, to: &out)
        }
        return Decoded(bytes: out, note: note)
    }

    private static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        guard let scalar = Unicode.Scalar(value) else {
            out += replacement
            return
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    // MARK: - iconv

    /// `b` (after `skip` bytes) from `encoding` to UTF-8 with iconv; an unknown encoding is read as UTF-8.
    private static func iconv(_ b: [UInt8], from encoding: String, skip: Int) -> Decoded {
        let cd = iconv_open("UTF-8", encoding)
        guard let cd, cd != iconv_t(bitPattern: -1) else {
            var decoded = utf8(Array(b[skip...]))
            if decoded.note == nil {
                decoded.note = OPMLProblem(line: 1, message: "unknown encoding \(encoding): read as UTF-8")
            }
            return decoded
        }
        defer { iconv_close(cd) }
        let unit = encoding.uppercased().contains("32") ? 4 : encoding.uppercased().contains("16") ? 2 : 1
        var input = Array(b[skip...])
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 2)
        var note: OPMLProblem?
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        input.withUnsafeMutableBufferPointer { inp in
            var inPtr = UnsafeMutableRawPointer(inp.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
            var inLeft = inp.count
            while inLeft > 0 {
                let (result, err, produced) = chunk.withUnsafeMutableBytes { outBuffer -> (Int, Int32, Int) in
                    var outPtr = outBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let r = Glibc.iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (r, errno, outBuffer.count - outLeft)
                }
                out.append(contentsOf: chunk[..<produced])
                if result == -1 {
                    if err == E2BIG { continue }
                    // An undecodable unit (or a truncated one at the end): U+FFFD, skip it.
                    out += replacement
                    if note == nil {
                        note = OPMLProblem(line: lineCount(out), message: "bytes that are not \(encoding) (replaced by U+FFFD)")
                    }
                    let step = min(unit, inLeft)
                    inPtr = inPtr.map { $0 + step }
                    inLeft -= step
                }
            }
        }
        // Forbidden characters after conversion; the declaration still names the old encoding, which libxml2 ignores.
        var decoded = utf8(out)
        if decoded.note == nil { decoded.note = note }
        return decoded
    }

    // MARK: - Lines

    /// The 1-based line of byte `offset` in `b` (LF, CR LF and CR each end a line).
    static func line(of offset: Int, in b: [UInt8]) -> Int {
        var line = 1
        var i = 0
        let end = min(offset, b.count)
        while i < end {
            if b[i] == 0x0A {
                line += 1
            } else if b[i] == 0x0D, i + 1 >= b.count || b[i + 1] != 0x0A {
                line += 1
            }
            i += 1
        }
        return line
    }

    private static func lineCount(_ b: [UInt8]) -> Int { line(of: b.count, in: b) }
}
