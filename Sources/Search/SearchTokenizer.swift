// CONTRACT (issue 14): the one tokenizer of search. The index (FTS5, through ReadState's SearchIndex), the query
// parser and the article's highlighting all call it, so what is found is what is highlighted.

/// Splits UTF-8 text into search tokens: words folded to lowercase without diacritics (`Éva` → `eva`), and runs of
/// Han, Hiragana, Katakana and Hangul as overlapping bigrams (the last character of a run also alone), so Chinese,
/// Japanese and Korean are found without spaces between words.
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

    /// Calls `token` with each token's folded UTF-8 bytes and its byte range in `text`, in order. No allocation per
    /// token on ASCII text: the folded bytes are only valid during the call.
    ///
    /// `forQuery`: the text is a query's (FTS5 tokenizes queries with the same tokenizer): a CJK run of two or more
    /// characters gives its bigrams only, without the run's last character alone, so a quoted query word is
    /// a phrase of consecutive bigrams. Tokens are stable: a folded token tokenized again for a query is itself.
    public static func tokenize(_ text: UnsafeBufferPointer<UInt8>, forQuery: Bool = false,
                                _ token: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Void) {
        // CONTRACT stub: ASCII letters and digits only, lowercased. The Search helper replaces it.
        var folded: [UInt8] = []
        var start = -1
        func flush(_ end: Int) {
            if start >= 0, !folded.isEmpty {
                folded.withUnsafeBufferPointer { token($0, start..<end) }
            }
            folded.removeAll(keepingCapacity: true)
            start = -1
        }
        for (i, b) in text.enumerated() {
            let lower = (b >= 65 && b <= 90) ? b + 32 : b
            if (lower >= 97 && lower <= 122) || (b >= 48 && b <= 57) || b >= 0x80 {
                if start < 0 { start = i }
                folded.append(lower)
            } else {
                flush(i)
            }
        }
        flush(text.count)
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
}
