/// An incremental JSON (RFC 8259) parser over UTF-8 bytes: fed one chunk at a time, it keeps the state of the token
/// in progress between chunks and reports values to a `JSONEventHandler` as they complete, building only the strings
/// the handler asks for (so skipped values and over-long strings cost no memory).
///
/// Strict about the grammar (the first error stops it, with its line), lenient where no meaning is lost: raw control
/// characters inside strings are kept as data, invalid UTF-8 is decoded as U+FFFD, and so are lone surrogates in
/// `\u` escapes. Nesting deeper than `maxDepth` is an error.
struct JSONParser: ~Copyable {
    static let maxDepth = 512
    static let maxKeyBytes = 64
    static let maxNumberBytes = 64

    private enum Expectation: UInt8 { case value, valueOrClose, key, keyOrClose, colon, commaOrClose, end }
    private enum Token: UInt8 { case none, string, escape, unicode, number, literal }

    /// The line (from 1) of the byte being read.
    private(set) var line = 1
    /// The first error, with the line it was found on; nothing is parsed after it.
    private(set) var error: FeedDiagnostic?

    private var expect = Expectation.value
    /// One entry per open container: true for an object.
    private var stack: [Bool] = []

    private var token = Token.none
    private var stringIsKey = false
    private var stringLimit = 0
    private var stringLine = 0
    private var buffer = JSONByteBuffer()
    private var truncated = false
    private var unicodeValue: UInt32 = 0
    private var unicodeDigits = 0
    /// A high surrogate from a `\u` escape, waiting for its low half (0: none).
    private var pendingHigh: UInt32 = 0
    private var numberState: UInt8 = 0
    private var literal = JSONLiteral.null
    private var literalIndex = 0

    private static let literalBytes: [[UInt8]] = [Array("true".utf8), Array("false".utf8), Array("null".utf8)]

    /// Parses `chunk`, the bytes that follow those parsed so far.
    mutating func parse<H: JSONEventHandler>(_ chunk: UnsafeBufferPointer<UInt8>, _ handler: inout H) {
        guard error == nil, let p = chunk.baseAddress else { return }
        let n = chunk.count
        var i = 0
        while i < n {
            if token != .none {
                i = continueToken(p, i, n, &handler)
                if error != nil { return }
                continue
            }
            let b = p[i]
            switch b {
            case 0x20, 0x09, 0x0D:
                i += 1
            case 0x0A:
                line += 1
                i += 1
            case UInt8(ascii: "\""):
                switch expect {
                case .key, .keyOrClose:
                    startString(isKey: true, limit: Self.maxKeyBytes)
                case .value, .valueOrClose:
                    startString(isKey: false, limit: handler.stringLimit())
                default:
                    return fail(unexpected: b)
                }
                i += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard expect == .value || expect == .valueOrClose else { return fail(unexpected: b) }
                guard stack.count < Self.maxDepth else {
                    return fail("nesting deeper than \(Self.maxDepth) levels")
                }
                let isObject = b == UInt8(ascii: "{")
                stack.append(isObject)
                if isObject {
                    expect = .keyOrClose
                    handler.beginObject(line: line)
                } else {
                    expect = .valueOrClose
                    handler.beginArray()
                }
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let isObject = b == UInt8(ascii: "}")
                guard let top = stack.last, top == isObject,
                      expect == .commaOrClose || expect == (isObject ? .keyOrClose : .valueOrClose) else {
                    return fail(unexpected: b)
                }
                stack.removeLast()
                if isObject { handler.endObject() } else { handler.endArray() }
                afterValue()
                i += 1
            case UInt8(ascii: ","):
                guard expect == .commaOrClose else { return fail(unexpected: b) }
                expect = stack.last! ? .key : .value
                i += 1
            case UInt8(ascii: ":"):
                guard expect == .colon else { return fail(unexpected: b) }
                expect = .value
                i += 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard expect == .value || expect == .valueOrClose else { return fail(unexpected: b) }
                token = .number
                numberState = 0
                buffer.removeAll(keeping: 1 << 20)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                guard expect == .value || expect == .valueOrClose else { return fail(unexpected: b) }
                token = .literal
                literal = b == UInt8(ascii: "t") ? .true : b == UInt8(ascii: "f") ? .false : .null
                literalIndex = 0
            default:
                return fail(unexpected: b)
            }
        }
    }

    /// Ends the document: completes a number at the very end, or reports what was left open.
    mutating func finish<H: JSONEventHandler>(_ handler: inout H) {
        guard error == nil else { return }
        switch token {
        case .none:
            break
        case .number:
            guard numberCanEnd else { return fail("invalid number") }
            endNumber(&handler)
        case .string, .escape, .unicode:
            return fail("unterminated string (it starts on line \(stringLine))")
        case .literal:
            return fail("unexpected end of file in a literal (true, false or null)")
        }
        if let top = stack.last {
            fail("unexpected end of file: expected \(top ? "'}'" : "']'") (\(stack.count) not closed)")
        } else if expect == .value {
            fail("no JSON value in the file")
        }
    }

    // MARK: - Tokens

    private mutating func startString(isKey: Bool, limit: Int) {
        token = .string
        stringIsKey = isKey
        stringLimit = limit
        stringLine = line
        truncated = false
        pendingHigh = 0
        buffer.removeAll(keeping: 1 << 20)
    }

    /// Goes on with the token in progress from `p[i]`; returns the index of the next byte to read.
    private mutating func continueToken<H: JSONEventHandler>(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int,
                                                             _ handler: inout H) -> Int {
        switch token {
        case .string:
            return continueString(p, i, n, &handler)
        case .escape:
            let c = p[i]
            if c == UInt8(ascii: "u") {
                token = .unicode
                unicodeValue = 0
                unicodeDigits = 0
                return i + 1
            }
            guard let scalar = Self.simpleEscape(c) else {
                fail("invalid escape '\\\(Self.describe(c))' in a string")
                return i
            }
            if pendingHigh != 0 { flushSurrogate() }
            keepScalar(scalar)
            token = .string
            return i + 1
        case .unicode:
            var j = i
            while j < n && unicodeDigits < 4 {
                guard let digit = Self.hexDigit(p[j]) else {
                    fail("invalid \\u escape: '\(Self.describe(p[j]))' is not a hexadecimal digit")
                    return j
                }
                unicodeValue = unicodeValue << 4 | digit
                unicodeDigits += 1
                j += 1
            }
            if unicodeDigits == 4 {
                token = .string
                keepEscaped(unicodeValue)
            }
            return j
        case .number:
            var j = i
            while j < n {
                let c = p[j]
                let next: UInt8
                switch (numberState, c) {
                case (0, UInt8(ascii: "-")): next = 1
                case (0, UInt8(ascii: "0")), (1, UInt8(ascii: "0")): next = 2
                case (0, UInt8(ascii: "1")...UInt8(ascii: "9")), (1, UInt8(ascii: "1")...UInt8(ascii: "9")),
                     (3, UInt8(ascii: "0")...UInt8(ascii: "9")): next = 3
                case (2, UInt8(ascii: ".")), (3, UInt8(ascii: ".")): next = 4
                case (4, UInt8(ascii: "0")...UInt8(ascii: "9")), (5, UInt8(ascii: "0")...UInt8(ascii: "9")): next = 5
                case (2, UInt8(ascii: "e")), (2, UInt8(ascii: "E")), (3, UInt8(ascii: "e")), (3, UInt8(ascii: "E")),
                     (5, UInt8(ascii: "e")), (5, UInt8(ascii: "E")): next = 6
                case (6, UInt8(ascii: "+")), (6, UInt8(ascii: "-")): next = 7
                case (6, UInt8(ascii: "0")...UInt8(ascii: "9")), (7, UInt8(ascii: "0")...UInt8(ascii: "9")),
                     (8, UInt8(ascii: "0")...UInt8(ascii: "9")): next = 8
                default:
                    let isNumberByte = (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".")
                        || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
                        || c == UInt8(ascii: "-")
                    guard numberCanEnd, !isNumberByte else {
                        fail("invalid number")
                        return j
                    }
                    endNumber(&handler)
                    return j
                }
                numberState = next
                if buffer.count < Self.maxNumberBytes { buffer.append(c) }
                j += 1
            }
            return j
        case .literal:
            let expected = Self.literalBytes[Int(literal.rawValue)]
            var j = i
            while j < n && literalIndex < expected.count {
                guard p[j] == expected[literalIndex] else {
                    fail("invalid literal: expected true, false or null")
                    return j
                }
                literalIndex += 1
                j += 1
            }
            if literalIndex == expected.count {
                token = .none
                handler.literal(literal)
                afterValue()
            }
            return j
        case .none:
            return i
        }
    }

    /// The index of the first `"`, `\\` or control byte in `p[i..<n]` (`n` when none), eight bytes at a time.
    @inline(__always)
    private static func endOfPlainRun(_ p: UnsafePointer<UInt8>, from i: Int, to n: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var j = i
        while j + 8 <= n {
            // Byte k of the run is bits 8k..8k+7 of w, whatever the machine's byte order.
            let w = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
            // A byte is flagged when it is 0 after the XOR (a quote or backslash) or below 0x20; borrows only run
            // upwards from a flagged byte, so the lowest flag is exact.
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            let flagged = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w) & highs
            if flagged != 0 { return j + flagged.trailingZeroBitCount / 8 }
            j += 8
        }
        while j < n {
            let c = p[j]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { return j }
            j += 1
        }
        return n
    }

    /// Goes on with a string from `p[i]`: plain runs eight bytes at a time, and escapes that are whole in this chunk
    /// on the spot (the others, and the wrong ones, go through the `escape` and `unicode` states byte by byte).
    private mutating func continueString<H: JSONEventHandler>(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int,
                                                              _ handler: inout H) -> Int {
        var j = i
        while true {
            if pendingHigh != 0 && p[j] != UInt8(ascii: "\\") { flushSurrogate() }
            let start = j
            j = Self.endOfPlainRun(p, from: j, to: n)
            if j > start && stringLimit > 0 && !truncated { keep(p + start, j - start) }
            guard j < n else { return n }
            let c = p[j]
            if c == UInt8(ascii: "\"") {
                endString(&handler)
                return j + 1
            }
            if c != UInt8(ascii: "\\") {
                // A raw control character: not valid JSON, kept as data (nothing is lost by reading on).
                if c == 0x0A { line += 1 }
                if stringLimit > 0 && !truncated { keep(p + j, 1) }
                j += 1
                if j == n { return n }
                continue
            }
            guard j + 1 < n else {
                token = .escape
                return j + 1
            }
            let e = p[j + 1]
            if e == UInt8(ascii: "u") {
                guard j + 6 <= n, let a = Self.hexDigit(p[j + 2]), let b = Self.hexDigit(p[j + 3]),
                      let c = Self.hexDigit(p[j + 4]), let d = Self.hexDigit(p[j + 5]) else {
                    token = .escape
                    return j + 1
                }
                keepEscaped(a << 12 | b << 8 | c << 4 | d)
                j += 6
            } else {
                guard let scalar = Self.simpleEscape(e) else {
                    token = .escape
                    return j + 1
                }
                if pendingHigh != 0 { flushSurrogate() }
                keepScalar(scalar)
                j += 2
            }
            if j == n { return n }
        }
    }

    /// What `\c` stands for, for every escape but `\u`.
    @inline(__always)
    private static func simpleEscape(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): UInt32(c)
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        default: nil
        }
    }

    @inline(__always)
    private static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c &- 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c &- 0x61 &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c &- 0x41 &+ 10)
        default: nil
        }
    }

    /// Keeps the code unit of a `\u` escape: pairs surrogates, and turns lone ones into U+FFFD.
    private mutating func keepEscaped(_ v: UInt32) {
        if (0xD800...0xDBFF).contains(v) {
            if pendingHigh != 0 { flushSurrogate() }
            pendingHigh = v
        } else if (0xDC00...0xDFFF).contains(v) {
            if pendingHigh != 0 {
                keepScalar(0x10000 + ((pendingHigh - 0xD800) << 10) + (v - 0xDC00))
                pendingHigh = 0
            } else {
                keepScalar(0xFFFD)
            }
        } else {
            if pendingHigh != 0 { flushSurrogate() }
            keepScalar(v)
        }
    }

    private var numberCanEnd: Bool { numberState == 2 || numberState == 3 || numberState == 5 || numberState == 8 }

    private mutating func endNumber<H: JSONEventHandler>(_ handler: inout H) {
        token = .none
        handler.number(buffer.string())
        afterValue()
    }

    private mutating func endString<H: JSONEventHandler>(_ handler: inout H) {
        if pendingHigh != 0 { flushSurrogate() }
        token = .none
        if stringIsKey {
            buffer.withBytes { handler.key($0, truncated: truncated) }
            expect = .colon
        } else {
            if stringLimit > 0 { handler.string(buffer.string(), truncated: truncated, line: stringLine) }
            afterValue()
        }
    }

    private mutating func afterValue() {
        expect = stack.isEmpty ? .end : .commaOrClose
    }

    /// A high surrogate that no low one followed: U+FFFD.
    private mutating func flushSurrogate() {
        pendingHigh = 0
        keepScalar(0xFFFD)
    }

    /// Keeps `count` raw bytes of the string, up to its limit; cut short, it ends on a whole character.
    private mutating func keep(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        let room = stringLimit - buffer.count
        if buffer.count + count > buffer.capacity {
            // Grow by doubling, but never past the limit (a long string would otherwise reserve twice its limit).
            buffer.reserve(min(stringLimit, max(2 * buffer.capacity, buffer.count + count)))
        }
        if count <= room {
            buffer.append(bytes, count: count)
            return
        }
        truncated = true
        buffer.append(bytes, count: room)
        let firstDropped = bytes[room]
        if firstDropped & 0xC0 == 0x80 {
            var dropped = 0
            while dropped < 3, let last = buffer.last, last & 0xC0 == 0x80 {
                buffer.removeLast()
                dropped += 1
            }
            if let last = buffer.last, last >= 0xC0 { buffer.removeLast() }
        }
    }

    /// Keeps the UTF-8 form of a scalar from an escape, when it fits.
    private mutating func keepScalar(_ v: UInt32) {
        guard stringLimit > 0, !truncated else { return }
        if v < 0x80 && buffer.count < stringLimit {
            buffer.append(UInt8(truncatingIfNeeded: v))
            return
        }
        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
        guard buffer.count + UTF8.width(scalar) <= stringLimit else {
            truncated = true
            return
        }
        UTF8.encode(scalar) { buffer.append($0) }
    }

    // MARK: - Errors

    private mutating func fail(_ message: String) {
        error = FeedDiagnostic(line: line, message: message)
        token = .none
    }

    private mutating func fail(unexpected b: UInt8) {
        let found = "found '\(Self.describe(b))'"
        switch expect {
        case .value: fail("expected a value, \(found)")
        case .valueOrClose: fail("expected a value or ']', \(found)")
        case .key: fail("expected a string key, \(found)")
        case .keyOrClose: fail("expected a string key or '}', \(found)")
        case .colon: fail("expected ':' after a key, \(found)")
        case .commaOrClose: fail(stack.last == true ? "expected ',' or '}', \(found)" : "expected ',' or ']', \(found)")
        case .end: fail("unexpected data after the end of the JSON document, \(found)")
        }
    }

    /// A byte as a message shows it: itself when printable ASCII, else its hexadecimal value.
    private static func describe(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7F { return String(UnicodeScalar(b)) }
        let hex = String(b, radix: 16, uppercase: true)
        return "0x" + (hex.count < 2 ? "0" + hex : hex)
    }
}
