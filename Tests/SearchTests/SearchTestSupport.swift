import Search

/// A small linear congruential generator: reproducible random inputs without another dependency.
struct LCG {
    var state: UInt64

    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// The folded texts of `text`'s tokens.
func folded(_ text: String, forQuery: Bool = false) -> [String] {
    SearchTokenizer.tokens(of: text, forQuery: forQuery).map(\.folded)
}

/// The tokens of raw bytes (which may be invalid UTF-8).
func tokens(ofBytes bytes: [UInt8], forQuery: Bool = false) -> [SearchTokenizer.Token] {
    var result: [SearchTokenizer.Token] = []
    bytes.withUnsafeBufferPointer { buffer in
        SearchTokenizer.tokenize(buffer, forQuery: forQuery) { token, range in
            result.append(.init(folded: String(decoding: token, as: UTF8.self), range: range))
        }
    }
    return result
}

/// The text of `text` in a UTF-8 byte range.
func slice(_ text: String, _ range: Range<Int>) -> String {
    String(decoding: Array(text.utf8)[range], as: UTF8.self)
}

/// Pieces of text to build random inputs from: words of several scripts, CJK, marks, emoji, punctuation, FTS syntax.
let randomPieces: [String] = [
    "korea", "Missile", "KIM", "jong", "un", "2020", "x86", "É", "é", "e\u{301}", "Straße", "Łódź", "İ", "ı", "ǅ",
    "ﬁ", "Ａｂ", "１２", "Москва", "Ελλάδα", "ς", "٣", "北", "朝鮮", "のミサイル", "ニュース", "한국은", "ㄱ", "ｶﾞ", "豈",
    "😀", "👍🏽", "❤️", " ", "  ", "\t", "\n", "-", "'", "\"", "*", ":", "^", "(", ")", "{", "}", "+", ",", ".", "NEAR",
    "AND", "OR", "NOT", "title:", "author:", "source:", "tag:", "is:", "after:", "before:", "\u{1B}[31m", "\u{0}",
    "\u{7F}", "\u{AD}", "\u{200B}", "\u{3000}", String(repeating: "long", count: 20),
]

func randomText(_ random: inout LCG, pieces: Int) -> String {
    var s = ""
    for _ in 0..<pieces { s += random.pick(randomPieces) }
    return s
}
