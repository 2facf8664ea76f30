/// A cursor over the UTF-8 bytes of a date, with the few steps the date grammars need.
struct FeedDateScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }

    /// The byte at the cursor, or 0 at the end.
    var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// The byte `offset` after the cursor, or 0 past the end.
    func peek(_ offset: Int) -> UInt8 { index + offset < bytes.count ? bytes[index + offset] : 0 }

    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// Skips spaces, tabs and line breaks; true when there were some.
    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A
            || bytes[index] == 0x0D {
            index += 1
        }
        return index > start
    }

    /// Consumes `b` when it is at the cursor.
    mutating func consume(_ b: UInt8) -> Bool {
        guard peek == b, !isAtEnd else { return false }
        index += 1
        return true
    }

    /// Consumes the byte sequence `s` when it is at the cursor.
    mutating func consume(_ s: [UInt8]) -> Bool {
        guard index + s.count <= bytes.count else { return false }
        for k in 0..<s.count where bytes[index + k] != s[k] { return false }
        index += s.count
        return true
    }

    /// Reads a run of at most `max` digits: its value and length (0 when there is no digit).
    mutating func digits(max: Int = 9) -> (value: Int, count: Int) {
        var value = 0
        var count = 0
        while count < max, index < bytes.count, Self.isDigit(bytes[index]) {
            value = value * 10 + Int(bytes[index] &- 0x30)
            index += 1
            count += 1
        }
        return (value, count)
    }

    /// Reads exactly `count` digits, or nothing (cursor unmoved) when there are fewer.
    mutating func fixedDigits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for k in 0..<count {
            let b = bytes[index + k]
            guard Self.isDigit(b) else { return nil }
            value = value * 10 + Int(b &- 0x30)
        }
        index += count
        return value
    }

    /// How many digits follow the cursor.
    func digitRun() -> Int {
        var k = index
        while k < bytes.count, Self.isDigit(bytes[k]) { k += 1 }
        return k - index
    }

    /// Reads an ASCII word (letters and dots, as in `a.m.`; the dots are dropped), lowercased.
    mutating func word() -> FeedDateWord {
        var out = FeedDateWord()
        while index < bytes.count, Self.isLetter(bytes[index]) || bytes[index] == 0x2E {
            if bytes[index] != 0x2E { out.append(bytes[index]) }
            index += 1
        }
        return out
    }

    /// Reads a word of ASCII letters and non-ASCII bytes (a Greek or Hungarian name), as it is written.
    mutating func foreignWord() -> UnsafeBufferPointer<UInt8> {
        let start = index
        while index < bytes.count, bytes[index] >= 0x80 || Self.isLetter(bytes[index]) { index += 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    /// Skips any of `set` (and spaces).
    mutating func skip(anyOf set: [UInt8]) {
        while index < bytes.count, set.contains(bytes[index]) || bytes[index] == 0x20 || bytes[index] == 0x09 {
            index += 1
        }
    }
}
