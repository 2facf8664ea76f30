// CONTRACT (issue 14): what a user types after `/` or `gazette search`, parsed once, safe whatever it holds.
import Posts

/// A parsed search: words and phrases that must be there, ones that must not, and filters on what the list knows.
///
/// Syntax: words (`korea missile`: both), a prefix (`korea*`, and the last word while typing), quoted phrases
/// (`"kim jong"`; an unbalanced quote runs to the end), `-word` / `-"phrase"` to exclude, and fields: `title:`,
/// `author:` (text fields, matched through the index), `source:` (the post's `[Source]` line), `feed:` (the archive
/// or subscription's name), `tag:`, `is:unread`, `is:read`, `after:2020-04-01`, `before:2020-04-01` (dates
/// inclusive/exclusive as the help says). A filter may be negated (`-tag:sports`). Anything else, FTS syntax
/// included (`NEAR`, `AND`, `:`, `^`, `(`), is text. Control characters are spaces.
///
/// Details: a word with punctuation inside (`e-mail`, `10:30`, `http://x.org`) is a phrase of its parts. A field
/// takes a word or a quoted phrase (`title:"kim jong"`, `source:"nk news"`). `after:` is on or after the day,
/// `before:` before it; a date may be `2020-04-01`, `2020-04` (its first day) or `2020`. A CJK word is a phrase of
/// its bigrams; a single CJK character is a prefix (found inside words). At most `maximumPhrases` words and
/// phrases, each at most `maximumPhraseTokens` tokens, are searched; `problems` says when more were ignored.
public struct SearchQuery: Hashable, Sendable {
    /// Which text of a post a phrase must be in.
    public enum TextField: String, Hashable, Sendable {
        case any
        case title
        case author
    }

    /// Consecutive tokens (already folded, as `SearchTokenizer` makes them); the last one a prefix when `prefix`.
    public struct Phrase: Hashable, Sendable {
        public var tokens: [String]
        public var prefix: Bool
        public var field: TextField

        public init(tokens: [String], prefix: Bool = false, field: TextField = .any) {
            self.tokens = tokens
            self.prefix = prefix
            self.field = field
        }
    }

    /// A condition on what the list knows of a post (not its text).
    public enum Filter: Hashable, Sendable {
        /// The post's `[Source]` line contains this (folded).
        case source(String)
        /// The name of the archive or subscription the post is in contains this (folded).
        case feed(String)
        /// The post's subscription has this tag (folded, whole tag).
        case tag(String)
        case unread
        case read
        /// On or after this day.
        case after(PostDate)
        /// Before this day.
        case before(PostDate)
    }

    public var required: [Phrase] = []
    public var excluded: [Phrase] = []
    public var filters: [Filter] = []
    public var excludedFilters: [Filter] = []
    /// Parts that could not mean what they seem (`after:yesterday`): said in the status line, otherwise ignored.
    public var problems: [String] = []

    /// The most words and phrases (required and excluded together) a query searches; the rest are ignored.
    public static let maximumPhrases = 64
    /// The most tokens of one phrase; a longer phrase is cut.
    public static let maximumPhraseTokens = 64

    public init() {}

    /// Parses `text`. `typing`: the user is still typing, so the last word (if not quoted and not followed by a space)
    /// is a prefix.
    public static func parse(_ text: String, typing: Bool = false) -> SearchQuery {
        var text = text
        return text.withUTF8 { bytes in
            var parser = QueryParser(bytes: bytes, typing: typing)
            parser.run()
            return parser.query
        }
    }

    /// Nothing to look for and nothing to filter.
    public var isEmpty: Bool { required.isEmpty && excluded.isEmpty && filters.isEmpty && excludedFilters.isEmpty }

    /// The FTS5 MATCH expression of the required phrases (every user word quoted by us, so no input is FTS syntax);
    /// `nil` when there are none. Columns are `title`, `author`, `body`.
    ///
    /// Forms: `"tok"`, `"kim" + "jong"` (a phrase), `"kor" *` (a prefix), `title : ("kim" + "jong")`, joined by
    /// ` AND `.
    public func ftsExpression() -> String? {
        let parts = required.compactMap(Self.fts)
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// The FTS5 MATCH expression of the excluded phrases joined by OR; `nil` when there are none.
    public func ftsExclusion() -> String? {
        let parts = excluded.compactMap(Self.fts)
        return parts.isEmpty ? nil : parts.joined(separator: " OR ")
    }

    /// One phrase in FTS5 syntax, or `nil` when it has no token. Each token is quoted (a `"` doubled; NUL, which
    /// would end the expression, dropped).
    static func fts(_ phrase: Phrase) -> String? {
        var quoted: [String] = []
        for token in phrase.tokens {
            var s = "\""
            for c in token.unicodeScalars where c != "\0" {
                if c == "\"" { s += "\"\"" } else { s.unicodeScalars.append(c) }
            }
            s += "\""
            if s != "\"\"" { quoted.append(s) }
        }
        guard !quoted.isEmpty else { return nil }
        let body = quoted.joined(separator: " + ") + (phrase.prefix ? " *" : "")
        switch phrase.field {
        case .any: return body
        case .title: return "title : (" + body + ")"
        case .author: return "author : (" + body + ")"
        }
    }

    /// Whether a post with this text has every required phrase and no excluded one (the scan used without an index).
    /// A phrase is in a field when its tokens are consecutive tokens of that field (`any`: of one of the three).
    /// For many posts, make a `TextMatcher` once instead.
    public func matchesText(title: String, author: String, body: String) -> Bool {
        TextMatcher(self).matches(title: title, author: author, body: body)
    }
}

/// The parser of `SearchQuery.parse`: one pass over the UTF-8 bytes.
struct QueryParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let typing: Bool
    var query = SearchQuery()
    var i = 0
    var ignoredPhrases = false
    var cutPhrase = false

    init(bytes: UnsafeBufferPointer<UInt8>, typing: Bool) {
        self.bytes = bytes
        self.typing = typing
    }

    static let quote = UInt8(ascii: "\"")
    static let minus = UInt8(ascii: "-")
    static let star = UInt8(ascii: "*")
    static let colon = UInt8(ascii: ":")

    /// The length of the space (ASCII white space and control characters, C1 controls, no-break, line, paragraph and
    /// ideographic spaces) at `j`, or 0.
    func spaceLength(at j: Int) -> Int {
        let b = bytes[j]
        if b <= 0x20 || b == 0x7F { return 1 }
        if b == 0xC2, j + 1 < bytes.count, bytes[j + 1] >= 0x80, bytes[j + 1] <= 0xA0 { return 2 }
        if b == 0xE2, j + 2 < bytes.count, bytes[j + 1] == 0x80, bytes[j + 2] == 0xA8 || bytes[j + 2] == 0xA9 { return 3 }
        if b == 0xE3, j + 2 < bytes.count, bytes[j + 1] == 0x80, bytes[j + 2] == 0x80 { return 3 }
        return 0
    }

    func isSpace(_ j: Int) -> Bool { j >= bytes.count || spaceLength(at: j) > 0 }

    mutating func run() {
        let n = bytes.count
        while i < n {
            let space = spaceLength(at: i)
            if space > 0 { i += space; continue }
            var negated = false
            if bytes[i] == Self.minus {
                while i < n && bytes[i] == Self.minus { i += 1 }
                if isSpace(i) { continue }   // a lone `-`
                negated = true
            }
            if bytes[i] == Self.quote {
                let (content, prefix) = readQuoted()
                addText(content, field: .any, prefix: prefix, negated: negated)
                continue
            }
            // A bare word: up to a space or a quote.
            let start = i
            while i < n && bytes[i] != Self.quote && spaceLength(at: i) == 0 { i += 1 }
            let word = start..<i
            var colon = word.lowerBound
            while colon < word.upperBound && bytes[colon] != Self.colon { colon += 1 }
            if colon > word.lowerBound, colon < word.upperBound, let field = Field(name(word.lowerBound..<colon)) {
                readField(field, value: (colon + 1)..<word.upperBound, negated: negated, term: start)
            } else {
                let atEnd = i == n
                addWord(word, field: .any, negated: negated, atEnd: atEnd)
            }
        }
        if ignoredPhrases {
            problem("only the first \(SearchQuery.maximumPhrases) words and phrases are searched")
        }
        if cutPhrase {
            problem("a phrase is searched by its first \(SearchQuery.maximumPhraseTokens) words")
        }
    }

    /// The text of a quoted phrase starting at `i` (at its quote), to the closing quote or the end; and whether a
    /// `*` follows it. Leaves `i` after it.
    mutating func readQuoted() -> (Range<Int>, Bool) {
        let n = bytes.count
        i += 1
        let start = i
        while i < n && bytes[i] != Self.quote { i += 1 }
        let content = start..<i
        if i < n { i += 1 }
        var prefix = false
        while i < n && bytes[i] == Self.star { i += 1; prefix = true }
        return (content, prefix)
    }

    /// A field's name, lowercased ASCII (anything else: no field).
    func name(_ range: Range<Int>) -> String {
        var s = ""
        for j in range {
            let b = bytes[j]
            guard b < 0x80 else { return "" }
            s.unicodeScalars.append(Unicode.Scalar(b >= 65 && b <= 90 ? b + 32 : b))
        }
        return s
    }

    enum Field {
        case title, author, source, feed, tag, `is`, after, before

        init?(_ name: String) {
            switch name {
            case "title": self = .title
            case "author": self = .author
            case "source": self = .source
            case "feed": self = .feed
            case "tag": self = .tag
            case "is": self = .is
            case "after": self = .after
            case "before": self = .before
            default: return nil
            }
        }

        var name: String {
            switch self {
            case .title: "title"
            case .author: "author"
            case .source: "source"
            case .feed: "feed"
            case .tag: "tag"
            case .is: "is"
            case .after: "after"
            case .before: "before"
            }
        }
    }

    mutating func readField(_ field: Field, value wordValue: Range<Int>, negated: Bool, term: Int) {
        var value = wordValue
        var quoted = false
        var quotedPrefix = false
        if value.isEmpty && i < bytes.count && bytes[i] == Self.quote {
            (value, quotedPrefix) = readQuoted()
            quoted = true
        }
        let atEnd = i == bytes.count
        // While typing, a field still being written is not a problem yet.
        let quiet = typing && atEnd
        switch field {
        case .title, .author:
            let textField: SearchQuery.TextField = field == .title ? .title : .author
            if quoted {
                addText(value, field: textField, prefix: quotedPrefix, negated: negated)
            } else if !addWord(value, field: textField, negated: negated, atEnd: atEnd) && !quiet {
                problem("\(field.name): needs a word")
            }
        case .source, .feed, .tag:
            let folded = SearchTokenizer.fold(string(value))
            if folded.isEmpty {
                if !quiet { problem("\(field.name): needs a word") }
                return
            }
            let filter: SearchQuery.Filter = field == .source ? .source(folded) : field == .feed ? .feed(folded) : .tag(folded)
            addFilter(filter, negated: negated)
        case .is:
            switch name(value) {
            case "unread": addFilter(.unread, negated: negated)
            case "read": addFilter(.read, negated: negated)
            default: if !quiet { problem("is: takes unread or read") }
            }
        case .after, .before:
            guard let date = Self.date(bytes, value) else {
                if !quiet { problem("\(field.name): needs a date like 2020-04-01") }
                return
            }
            addFilter(field == .after ? .after(date) : .before(date), negated: negated)
        }
    }

    /// `YYYY-MM-DD`, `YYYY-MM` (its first day) or `YYYY` (its first day), a real day; month and day may have one
    /// digit.
    static func date(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> PostDate? {
        var parts: [Int] = []
        var value = 0
        var digits = 0
        func endPart() -> Bool {
            guard parts.isEmpty ? digits == 4 : (1...2).contains(digits) else { return false }
            parts.append(value)
            value = 0
            digits = 0
            return parts.count <= 3
        }
        for j in range {
            let b = bytes[j]
            if b >= 48 && b <= 57 {
                value = value * 10 + Int(b - 48)
                digits += 1
                if digits > 4 { return nil }
            } else if b == Self.minus {
                guard endPart() else { return nil }
            } else {
                return nil
            }
        }
        guard endPart() else { return nil }
        let year = parts[0]
        let month = parts.count > 1 ? parts[1] : 1
        let day = parts.count > 2 ? parts[2] : 1
        guard year >= 1, (1...12).contains(month), day >= 1, day <= PostFacts.daysIn(month: month, year: year) else {
            return nil
        }
        return PostDate(year: year, month: month, day: day)
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A bare word (trailing `*`: a prefix; the last word while typing: a prefix). Whether it had any token.
    @discardableResult
    mutating func addWord(_ word: Range<Int>, field: SearchQuery.TextField, negated: Bool, atEnd: Bool) -> Bool {
        var end = word.upperBound
        var prefix = false
        while end > word.lowerBound && bytes[end - 1] == Self.star { end -= 1; prefix = true }
        if typing && atEnd && !negated { prefix = true }
        return addText(word.lowerBound..<end, field: field, prefix: prefix, negated: negated)
    }

    /// The phrase of the tokens of `range`. Whether it had any token.
    @discardableResult
    mutating func addText(_ range: Range<Int>, field: SearchQuery.TextField, prefix: Bool, negated: Bool) -> Bool {
        guard !range.isEmpty else { return false }
        let text = UnsafeBufferPointer(rebasing: bytes[range])
        if query.required.count + query.excluded.count >= SearchQuery.maximumPhrases {
            var any = false
            SearchTokenizer.scan(text, query: false) { _, _, _ in any = true; return false }
            if any { ignoredPhrases = true }
            return any
        }
        var tokens: [String] = []
        var lastKind = SearchTokenizer.TokenKind.word
        var cut = false
        SearchTokenizer.scan(text, query: false) { folded, _, kind in
            if tokens.count == SearchQuery.maximumPhraseTokens { cut = true; return false }
            tokens.append(String(decoding: folded, as: UTF8.self))
            lastKind = kind
            return true
        }
        // The last character of a CJK run alone is a document's token after the run's last bigram: inside a
        // phrase it keeps the positions right (`대한민국 만세`), at its end it is not needed (the bigram is there).
        if lastKind == .tail && !cut { tokens.removeLast() }
        guard !tokens.isEmpty else { return false }
        if cut { cutPhrase = true }
        // A single CJK character is found inside the bigrams that start with it.
        let phrase = SearchQuery.Phrase(tokens: tokens, prefix: prefix || lastKind == .single, field: field)
        if negated ? query.excluded.contains(phrase) : query.required.contains(phrase) { return true }
        if negated { query.excluded.append(phrase) } else { query.required.append(phrase) }
        return true
    }

    mutating func addFilter(_ filter: SearchQuery.Filter, negated: Bool) {
        if negated {
            if !query.excludedFilters.contains(filter) { query.excludedFilters.append(filter) }
        } else {
            if !query.filters.contains(filter) { query.filters.append(filter) }
        }
    }

    mutating func problem(_ text: String) {
        if !query.problems.contains(text) { query.problems.append(text) }
    }
}
