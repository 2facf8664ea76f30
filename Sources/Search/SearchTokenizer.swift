// CONTRACT (issue 14): the one tokenizer of search. The index (FTS5, through ReadState's SearchIndex), the query
// parser and the article's highlighting all call it, so what is found is what is highlighted.

/// Splits UTF-8 text into search tokens: words folded to lowercase without diacritics (`Éva` → `eva`), and runs of
/// Han, Hiragana, Katakana and Hangul as overlapping bigrams (the last character of a run also alone), so Chinese,
/// Japanese and Korean are found without spaces between words.
///
/// A word is a run of letters and decimal digits (any script); combining marks inside a word are part of it and
/// folded away; everything else separates (apostrophes, hyphens, punctuation, symbols, emoji, control bytes,
/// invalid UTF-8). Folding: lowercase, diacritics removed, compatibility forms (full-width, ligatures) to their
/// plain letters, `ß` → `ss`, `ł` → `l`, `ı` → `i`, other scripts' decimal digits to ASCII digits. A token's folded
/// text is at most `maximumTokenBytes` bytes (the longest whole-character prefix of the folded word).
public enum SearchTokenizer {
    /// A token: its folded text and the UTF-8 byte range of `text` it came from.
    public struct Token: Hashable, Sendable {
        public var folded: String
        public var range: Range<Int>

        public init(folded: String, range: Range<Int>) {
            self.folded = folded
            self.range = range
        }
    }

    /// The longest folded token, in UTF-8 bytes: longer words are cut (at a character), the same way in every mode.
    public static let maximumTokenBytes = 64

    /// Calls `token` with each token's folded UTF-8 bytes and its byte range in `text`, in order. No allocation per
    /// token on ASCII text: the folded bytes are only valid during the call.
    ///
    /// `forQuery`: the text is a query's (FTS5 tokenizes queries with the same tokenizer): a CJK run of two or more
    /// characters gives its bigrams only, without the run's last character alone, so a quoted query word is
    /// a phrase of consecutive bigrams. Tokens are stable: a folded token tokenized again for a query is itself.
    public static func tokenize(_ text: UnsafeBufferPointer<UInt8>, forQuery: Bool = false,
                                _ token: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        scan(text, query: forQuery) { bytes, range, _ in
            token(bytes, range)
            return true
        }
    }

    /// The tokens of `text`, for tests and the highlighter.
    public static func tokens(of text: String, forQuery: Bool = false) -> [Token] {
        var text = text
        var result: [Token] = []
        text.withUTF8 { bytes in
            tokenize(bytes, forQuery: forQuery) { folded, range in
                result.append(Token(folded: String(decoding: folded, as: UTF8.self), range: range))
            }
        }
        return result
    }

    /// `text` folded as tokens are (lowercase, no diacritics, CJK kept), its separators (spaces, punctuation,
    /// symbols) each run made one space, without spaces at either end: `"NK News / Seoul"` → `nk news seoul`.
    /// For filters that compare names (`source:`, `feed:`, `tag:`). Not cut to `maximumTokenBytes`.
    public static func fold(_ text: String) -> String {
        var text = text
        var out: [UInt8] = []
        text.withUTF8 { bytes in
            out.reserveCapacity(bytes.count)
            guard let base = bytes.baseAddress else { return }
            var cache = FoldPageCache()
            var pendingSpace = false
            var inRun = false
            var i = 0
            while i < bytes.count {
                let scalar = classify(base, i, bytes.count, &cache)
                switch scalar.kind {
                case .word, .cjk:
                    if pendingSpace && !out.isEmpty { out.append(0x20) }
                    pendingSpace = false
                    out.append(contentsOf: UnsafeBufferPointer(start: scalar.folded, count: scalar.foldedCount))
                    inRun = true
                case .ignorable:
                    if !inRun { pendingSpace = true }
                case .separator:
                    pendingSpace = true
                    inRun = false
                }
                i += scalar.length
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - The scanner

    /// What a token is, for the query parser and the highlighter.
    enum TokenKind: UInt8 {
        /// A word (letters and digits).
        case word
        /// Two consecutive CJK characters.
        case bigram
        /// A CJK run of one character.
        case single
        /// The last character of a CJK run of two or more, alone (document mode only).
        case tail
    }

    /// The tokenizer: `emit` gets each token's folded bytes (valid during the call), its range and kind, and
    /// returns false to stop.
    @inline(__always)
    static func scan(_ text: UnsafeBufferPointer<UInt8>, query: Bool,
                     _ emit: (UnsafeBufferPointer<UInt8>, Range<Int>, TokenKind) -> Bool) {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        let n = text.count
        let limit = maximumTokenBytes
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { buffer in
            let out = buffer.baseAddress!
            // The previous CJK character of the run at pair[0..<previousCount], and room for the next after it.
            let pair = out + 80
            var wordStart = -1
            var wordEnd = 0
            var count = 0
            var full = false
            var runLength = 0
            var previousStart = 0
            var previousEnd = 0
            var previousCount = 0
            var cache = FoldPageCache()
            var i = 0

            @inline(__always) func endWord() -> Bool {
                defer {
                    wordStart = -1
                    count = 0
                    full = false
                }
                if wordStart >= 0 && count > 0 {
                    return emit(UnsafeBufferPointer(start: out, count: count), wordStart..<wordEnd, .word)
                }
                return true
            }
            @inline(__always) func endRun() -> Bool {
                defer { runLength = 0 }
                if runLength == 1 {
                    return emit(UnsafeBufferPointer(start: pair, count: previousCount), previousStart..<previousEnd, .single)
                } else if runLength > 1 && !query {
                    return emit(UnsafeBufferPointer(start: pair, count: previousCount), previousStart..<previousEnd, .tail)
                }
                return true
            }

            while i < n {
                let b = base[i]
                if b < 0x80 {
                    let lower = b | 0x20
                    if lower &- 97 < 26 || b &- 48 < 10 {
                        if runLength > 0 && !endRun() { return }
                        if wordStart < 0 { wordStart = i }
                        // The run of ASCII letters and digits, copied lowercased (digits already have 0x20 set:
                        // `| 0x20` folds both) as far as the token has room.
                        var end = i + 1
                        while end < n {
                            let c = base[end]
                            if (c | 0x20) &- 97 >= 26 && c &- 48 >= 10 { break }
                            end += 1
                        }
                        let room = full ? 0 : limit - count
                        let copied = min(room, end - i)
                        var k = 0
                        while k < copied {
                            out[count + k] = base[i + k] | 0x20
                            k += 1
                        }
                        count += copied
                        if copied < end - i { full = true }
                        i = end
                        wordEnd = i
                    } else {
                        if wordStart >= 0 && !endWord() { return }
                        if runLength > 0 && !endRun() { return }
                        i += 1
                    }
                    continue
                }
                let scalar = classify(base, i, n, &cache)
                switch scalar.kind {
                case .word:
                    if runLength > 0 && !endRun() { return }
                    if wordStart < 0 { wordStart = i }
                    if !full {
                        let k = scalar.foldedCount
                        if count + k <= limit {
                            out.advanced(by: count).update(from: scalar.folded, count: k)
                            count += k
                        } else {
                            // Whole characters only, as many as fit.
                            var j = 0
                            while j < k {
                                let length = utf8Length(scalar.folded[j])
                                if count + length > limit { break }
                                out.advanced(by: count).update(from: scalar.folded + j, count: length)
                                count += length
                                j += length
                            }
                            full = true
                        }
                    }
                    wordEnd = i + scalar.length
                case .ignorable:
                    if wordStart >= 0 { wordEnd = i + scalar.length }
                case .cjk:
                    if wordStart >= 0 && !endWord() { return }
                    let k = scalar.foldedCount
                    if runLength == 0 { previousCount = 0 }
                    (pair + previousCount).update(from: scalar.folded, count: k)
                    if runLength > 0 {
                        if !emit(UnsafeBufferPointer(start: pair, count: previousCount + k), previousStart..<(i + scalar.length),
                                 .bigram) { return }
                        pair.update(from: pair + previousCount, count: k)
                    }
                    previousCount = k
                    previousStart = i
                    previousEnd = i + scalar.length
                    runLength += 1
                case .separator:
                    if wordStart >= 0 && !endWord() { return }
                    if runLength > 0 && !endRun() { return }
                }
                i += scalar.length
            }
            if wordStart >= 0 && !endWord() { return }
            if runLength > 0 { _ = endRun() }
        }
    }

    /// The length of a UTF-8 sequence from its first byte (1 for continuation bytes, so loops always advance).
    @inline(__always)
    static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// One scalar of the text (or one invalid byte) and what the tokenizer makes of it.
    struct Classified {
        var kind: ScalarKind
        /// Bytes of the input it takes.
        var length: Int
        var folded: UnsafePointer<UInt8>
        var foldedCount: Int
    }

    /// Decodes and classifies the non-ASCII-or-ASCII scalar at `i` (invalid UTF-8: one byte, a separator).
    @inline(__always)
    static func classify(_ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ cache: inout FoldPageCache) -> Classified {
        let b = base[i]
        var value: UInt32
        var length: Int
        if b < 0x80 {
            value = UInt32(b)
            length = 1
        } else if b < 0xC2 {
            return Classified(kind: .separator, length: 1, folded: base + i, foldedCount: 0)
        } else if b < 0xE0 {
            guard i + 1 < n, base[i + 1] & 0xC0 == 0x80 else {
                return Classified(kind: .separator, length: 1, folded: base + i, foldedCount: 0)
            }
            value = UInt32(b & 0x1F) << 6 | UInt32(base[i + 1] & 0x3F)
            length = 2
        } else if b < 0xF0 {
            guard i + 2 < n else { return Classified(kind: .separator, length: 1, folded: base + i, foldedCount: 0) }
            let c1 = base[i + 1], c2 = base[i + 2]
            let low: UInt8 = b == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b == 0xED ? 0x9F : 0xBF
            guard c1 >= low, c1 <= high, c2 & 0xC0 == 0x80 else {
                return Classified(kind: .separator, length: 1, folded: base + i, foldedCount: 0)
            }
            value = UInt32(b & 0x0F) << 12 | UInt32(c1 & 0x3F) << 6 | UInt32(c2 & 0x3F)
            length = 3
        } else if b < 0xF5 {
            guard i + 3 < n else { return Classified(kind: .separator, length: 1, folded: base + i, foldedCount: 0) }
            let c1 = base[i + 1], c2 = base[i + 2], c3 = base[i + 3]
            let low: UInt8 = b == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b == 0xF4 ? 0x8F : 0xBF
            guard c1 >= low, c1 <= high, c2 & 0xC0 == 0x80, c3 & 0xC0 == 0x80 else {
                return Classified(kind: .separator, length: 1, folded: base + i, foldedCount: 0)
            }
            value = UInt32(b & 0x07) << 18 | UInt32(c1 & 0x3F) << 12 | UInt32(c2 & 0x3F) << 6 | UInt32(c3 & 0x3F)
            length = 4
        } else {
            return Classified(kind: .separator, length: 1, folded: base + i, foldedCount: 0)
        }
        if isPlainCJK(value) {
            return Classified(kind: .cjk, length: length, folded: base + i, foldedCount: length)
        }
        let page = cache.page(Int(value >> 8))
        let entry = page.entries[Int(value & 0xFF)]
        return Classified(kind: entry.kind, length: length, folded: page.bytes + Int(entry.offset),
                          foldedCount: Int(entry.count))
    }

    /// Han, Hiragana, Katakana and Hangul that fold to themselves (the common blocks: no table look-up). Other CJK
    /// (half-width Katakana and Hangul, compatibility ideographs) goes through the table and folds to these.
    @inline(__always)
    static func isPlainCJK(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        if v <= 0x11FF { return true }                       // Hangul Jamo
        if v < 0x3005 { return false }
        if v >= 0x4E00 && v <= 0x9FFF { return true }       // CJK Unified Ideographs
        if v >= 0xAC00 && v <= 0xD7A3 { return true }       // Hangul Syllables
        if v >= 0x3400 && v <= 0x4DBF { return true }       // Extension A
        if v >= 0x3041 && v <= 0x3096 { return true }       // Hiragana
        if v >= 0x309D && v <= 0x309F { return true }       // ゝ ゞ ゟ
        if v >= 0x30A1 && v <= 0x30FA { return true }       // Katakana
        if v >= 0x30FC && v <= 0x30FF { return true }       // ー ヽ ヾ ヿ
        if v >= 0x31F0 && v <= 0x31FF { return true }       // Katakana Phonetic Extensions
        if v >= 0x3131 && v <= 0x318E { return true }       // Hangul Compatibility Jamo
        if v == 0x3005 || v == 0x3007 || v == 0x303B { return true } // 々 〇 〻
        if v >= 0xA960 && v <= 0xA97F { return true }       // Hangul Jamo Extended-A
        if v >= 0xD7B0 && v <= 0xD7FF { return true }       // Hangul Jamo Extended-B
        if v >= 0x20000 && v <= 0x3FFFF { return true }     // Supplementary and Tertiary Ideographic Planes
        return false
    }
}
