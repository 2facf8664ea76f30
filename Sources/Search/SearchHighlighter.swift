// CONTRACT (issue 14): where a query's phrases are in a line of text, by the same tokenizer as the index.

public enum SearchHighlighter {
    /// The UTF-8 byte ranges of `text` that match any of `phrases` (merged, ascending).
    public static func ranges(of phrases: [SearchQuery.Phrase], in text: String) -> [Range<Int>] {
        let tokens = SearchTokenizer.tokens(of: text)
        var found: [Range<Int>] = []
        for phrase in phrases where !phrase.tokens.isEmpty {
            let n = phrase.tokens.count
            guard tokens.count >= n else { continue }
            for start in 0...(tokens.count - n) {
                var ok = true
                for k in 0..<n {
                    let token = tokens[start + k].folded
                    let wanted = phrase.tokens[k]
                    if k == n - 1 && phrase.prefix ? !token.hasPrefix(wanted) : token != wanted { ok = false; break }
                }
                if ok { found.append(tokens[start].range.lowerBound..<tokens[start + n - 1].range.upperBound) }
            }
        }
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in found {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Whether `phrase` is in `text`.
    public static func contains(_ phrase: SearchQuery.Phrase, in text: String) -> Bool {
        !ranges(of: [phrase], in: text).isEmpty
    }
}
