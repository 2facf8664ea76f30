// Finding phrases in text with the tokenizer, for the highlighter and the scan without an index: every phrase at
// once, in one pass, without allocating per token (shift-and over each phrase's tokens).

/// Phrases ready to be looked for: their tokens' bytes side by side.
struct PhraseSet: Sendable {
    struct Part: Sendable {
        var phrase: Int32
        var position: Int32
        var offset: Int32
        var count: Int32
        /// The last token of a prefix phrase: matched by prefix.
        var prefix: Bool
    }

    private(set) var bytes: [UInt8] = []
    private(set) var parts: [Part] = []
    /// Tokens of each phrase (at most 64; 0 for a phrase without tokens, which never matches).
    private(set) var lengths: [Int] = []
    /// Each phrase's last token is one CJK character: a bigram it prefixes is highlighted on that character only.
    private(set) var endsWithCharacter: [Bool] = []
    private(set) var fields: [SearchQuery.TextField] = []

    init(_ phrases: [SearchQuery.Phrase]) {
        for (p, phrase) in phrases.enumerated() {
            let tokens = phrase.tokens.prefix(64)
            for (position, token) in tokens.enumerated() {
                let utf8 = Array(token.utf8)
                parts.append(Part(phrase: Int32(p), position: Int32(position), offset: Int32(bytes.count),
                                  count: Int32(utf8.count), prefix: phrase.prefix && position == tokens.count - 1))
                bytes.append(contentsOf: utf8)
            }
            lengths.append(tokens.count)
            var single = false
            if let last = tokens.last, last.unicodeScalars.count == 1, let s = last.unicodeScalars.first {
                single = SearchTokenizer.isPlainCJK(s.value)
            }
            endsWithCharacter.append(single)
            fields.append(phrase.field)
        }
    }

    var count: Int { lengths.count }

    /// Calls `found(phrase, range)` for each place a phrase ends in `text` (ascending ends), for the phrases
    /// `enabled` says; stops when it returns false.
    func find(in text: UnsafeBufferPointer<UInt8>, enabled: (Int) -> Bool, _ found: (Int, Range<Int>) -> Bool) {
        let phraseCount = count
        guard phraseCount > 0, !text.isEmpty else { return }
        bytes.withUnsafeBufferPointer { patternBytes in
            parts.withUnsafeBufferPointer { parts in
                lengths.withUnsafeBufferPointer { lengths in
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: phraseCount * 2) { words in
                        let state = words.baseAddress!
                        let mask = state + phraseCount
                        state.initialize(repeating: 0, count: phraseCount * 2)
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { starts in
                            var index = 0
                            let pattern = patternBytes.baseAddress
                            SearchTokenizer.scan(text, query: false) { token, range, kind in
                                starts[index & 63] = range.lowerBound
                                mask.update(repeating: 0, count: phraseCount)
                                let tokenCount = token.count
                                let first = token[0]
                                for part in parts {
                                    let c = Int(part.count)
                                    if c > tokenCount || (c != tokenCount && !part.prefix) { continue }
                                    if c > 0 {
                                        let o = Int(part.offset)
                                        if pattern![o] != first { continue }
                                        var same = true
                                        var k = 1
                                        while k < c {
                                            if pattern![o + k] != token[k] { same = false; break }
                                            k += 1
                                        }
                                        if !same { continue }
                                    }
                                    mask[Int(part.phrase)] |= 1 << UInt64(part.position)
                                }
                                for p in 0..<phraseCount {
                                    let length = lengths[p]
                                    guard length > 0 else { continue }
                                    let s = ((state[p] << 1) | 1) & mask[p]
                                    state[p] = s
                                    guard s & (1 << UInt64(length - 1)) != 0, enabled(p) else { continue }
                                    let start = starts[(index - length + 1) & 63]
                                    var end = range.upperBound
                                    if kind == .bigram && endsWithCharacter[p] {
                                        end = range.lowerBound + SearchTokenizer.utf8Length(text[range.lowerBound])
                                    }
                                    if !found(p, start..<end) { return false }
                                }
                                index += 1
                                return true
                            }
                        }
                    }
                }
            }
        }
    }

    /// The merged, ascending byte ranges of every phrase in `text`.
    func ranges(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var found: [Range<Int>] = []
        find(in: text, enabled: { _ in true }) { _, range in
            found.append(range)
            return true
        }
        guard found.count > 1 else { return found }
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        merged.reserveCapacity(found.count)
        for range in found {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

/// A query's phrases made ready once, to test many posts' text (the scan used without an index).
public struct TextMatcher: Sendable {
    let set: PhraseSet
    let requiredCount: Int

    public init(_ query: SearchQuery) {
        set = PhraseSet(query.required + query.excluded)
        requiredCount = query.required.count
    }

    /// Whether the text has every required phrase of the query and none of its excluded ones: a phrase of field
    /// `.any` is in one of the three texts, `.title` in the title, `.author` in the author.
    public func matches(title: String, author: String, body: String) -> Bool {
        let total = set.count
        guard total > 0 else { return true }
        // A required phrase without tokens can never be found (FTS5 would not find it either).
        for p in 0..<requiredCount where set.lengths[p] == 0 { return false }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: total) { found in
            found.initialize(repeating: false)
            var missing = requiredCount
            var excludedFound = false
            let excludes = total > requiredCount
            for field in [SearchQuery.TextField.title, .author, .any] {
                var text = field == .title ? title : field == .author ? author : body
                text.withUTF8 { bytes in
                    set.find(in: bytes, enabled: { p in
                        !found[p] && (set.fields[p] == .any || set.fields[p] == field)
                    }) { p, _ in
                        if p >= requiredCount {
                            excludedFound = true
                            return false
                        }
                        found[p] = true
                        missing -= 1
                        return missing > 0 || excludes
                    }
                }
                if excludedFound || (missing == 0 && !excludes) { break }
            }
            return missing == 0 && !excludedFound
        }
    }
}
