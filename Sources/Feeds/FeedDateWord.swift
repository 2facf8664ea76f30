/// A word of a date (a month, day or zone name, `am`/`pm`), lowercased and packed into an integer: its first eight
/// letters, one byte each from the lowest, so that names compare without building strings or arrays.
struct FeedDateWord: Equatable {
    /// The first eight letters, lowercase ASCII, the first in the lowest byte.
    var packed: UInt64 = 0
    /// How many letters the word has (more than eight are counted, not kept).
    var count = 0

    init() {}

    /// The word for `name` (lowercase ASCII letters).
    init(_ name: StaticString) {
        name.withUTF8Buffer { bytes in
            for b in bytes { append(b) }
        }
    }

    mutating func append(_ letter: UInt8) {
        if count < 8 { packed |= UInt64(letter | 0x20) << (8 * UInt64(count)) }
        count += 1
    }

    /// True when this word is `name` or its beginning, and has at least `minimum` letters.
    func isPrefix(of name: FeedDateWord, minimum: Int) -> Bool {
        guard count >= minimum, count <= name.count else { return false }
        let kept = min(count, 8)
        let mask: UInt64 = kept == 8 ? ~0 : (1 << (8 * UInt64(kept))) - 1
        return packed == name.packed & mask
    }

    /// The single letter of a one-letter word.
    var letter: UInt8 { UInt8(truncatingIfNeeded: packed) }
}
