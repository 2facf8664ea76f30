// CONTRACT (issue 14): where a query's phrases are in a line of text, by the same tokenizer as the index.

public enum SearchHighlighter {
    /// The UTF-8 byte ranges of `text` that match any of `phrases` (merged, ascending).
    ///
    /// A phrase matches consecutive tokens of `text` (document mode, as the index has them), its last token by
    /// prefix when `prefix`; a single CJK character matching a bigram by prefix covers that character only. The
    /// phrases' fields are not looked at.
    public static func ranges(of phrases: [SearchQuery.Phrase], in text: String) -> [Range<Int>] {
        Phrases(phrases).ranges(in: text)
    }

    /// Whether `phrase` is in `text`.
    public static func contains(_ phrase: SearchQuery.Phrase, in text: String) -> Bool {
        var text = text
        var found = false
        let set = PhraseSet([phrase])
        text.withUTF8 { bytes in
            set.find(in: bytes, enabled: { _ in true }) { _, _ in
                found = true
                return false
            }
        }
        return found
    }

    /// Phrases made ready once, to highlight many lines (an article's visible lines, each frame).
    public struct Phrases: Sendable {
        let set: PhraseSet

        public init(_ phrases: [SearchQuery.Phrase]) {
            set = PhraseSet(phrases)
        }

        /// As `SearchHighlighter.ranges(of:in:)`.
        public func ranges(in text: String) -> [Range<Int>] {
            var text = text
            return text.withUTF8 { set.ranges(in: $0) }
        }

        /// As `SearchHighlighter.ranges(of:in:)`, on UTF-8 bytes.
        public func ranges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
            set.ranges(in: bytes)
        }
    }
}
