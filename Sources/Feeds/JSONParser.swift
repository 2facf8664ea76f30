/// An incremental JSON (RFC 8259) parser over UTF-8 bytes: fed one chunk at a time, it keeps the state of the token
/// in progress between chunks and reports values to a `JSONEventHandler` as they complete, building only the strings
/// the handler asks for (so skipped values and over-long strings cost no memory).
///
/// Strict about the grammar (the first error stops it, with its line), lenient where no meaning is lost: raw control
/// characters inside strings are kept as data, invalid UTF-8 is decoded as U+FFFD, and so are lone surrogates in
/// `\u` escapes. Nesting deeper than `maxDepth` is an error.
struct JSONParser {
    static let maxDepth = 512
    static let maxKeyBytes = 64
    static let maxNumberBytes = 64

    private enum Expectation: UInt8 { case value, valueOrClose, key, keyOrClose, colon, commaOrClose, end }
    private enum Token: UInt8 { case none, string, escape, unicode, number, literal }

    /// The line (from 1) of the byte being read.
    private(set) var line = 1
    /// The first error, with the line it was found on; nothing is parsed after it.
    private(set) var error: FeedDiagnostic?
    /// True once the top-level value was complete.
    var isComplete: Bool { expect == .end }

    private var expect = Expectation.value
    /// One entry per open container: true for an object.
    private var stack: [Bool] = []

    private var token = Token.none
    private var stringIsKey = false
    private var stringLimit = 0
    private var stringLine = 0
    private var buffer: [UInt8] = []
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
                buffer.removeAll(keepingCapacity: true)
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
        buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
    }

    /// Goes on with the token in progress from `p[i]`; returns the index of the next byte to read.
    private mutating func continueToken<H: JSONEventHandler>(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int,
                                                             _ handler: inout H) -> Int {
        switch token {
        case .string:
            if pendingHigh != 0 && p[i] != UInt8(ascii: "\\") { flushSurrogate() }
            var j = i
            while j < n {
                let c = p[j]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                j += 1
            }
            if j > i && stringLimit > 0 && !truncated { keep(p + i, j - i) }
            guard j < n else { return n }
            let c = p[j]
            if c == UInt8(ascii: "\"") {
                endString(&handler)
            } else if c == UInt8(ascii: "\\") {
                token = .escape
            } else {
                // A raw control character: not valid JSON, kept as data (nothing is lost by reading on).
                if c == 0x0A { line += 1 }
                if stringLimit > 0 && !truncated { keep(p + j, 1) }
            }
            return j + 1
        case .escape:
            let c = p[i]
            var scalar: UInt32
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalar = UInt32(c)
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                token = .unicode
                unicodeValue = 0
                unicodeDigits = 0
                return i + 1
            default:
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
                let c = p[j]
                let digit: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - 0x30)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - 0x61 + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - 0x41 + 10)
                default:
                    fail("invalid \\u escape: '\(Self.describe(c))' is not a hexadecimal digit")
                    return j
                }
                unicodeValue = unicodeValue << 4 | digit
                unicodeDigits += 1
                j += 1
            }
            if unicodeDigits == 4 {
                token = .string
                let v = unicodeValue
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

    private var numberCanEnd: Bool { numberState == 2 || numberState == 3 || numberState == 5 || numberState == 8 }

    private mutating func endNumber<H: JSONEventHandler>(_ handler: inout H) {
        token = .none
        handler.number(String(decoding: buffer, as: UTF8.self))
        afterValue()
    }

    private mutating func endString<H: JSONEventHandler>(_ handler: inout H) {
        if pendingHigh != 0 { flushSurrogate() }
        token = .none
        if stringIsKey {
            buffer.withUnsafeBufferPointer { handler.key($0, truncated: truncated) }
            expect = .colon
        } else {
            if stringLimit > 0 { handler.string(String(decoding: buffer, as: UTF8.self), truncated: truncated, line: stringLine) }
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
            buffer.reserveCapacity(min(stringLimit, max(2 * buffer.capacity, buffer.count + count, 64)))
        }
        if count <= room {
            buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
            return
        }
        truncated = true
        buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: room))
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
