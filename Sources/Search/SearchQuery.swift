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

    public init() {}

    /// Parses `text`. `typing`: the user is still typing, so the last word (if not quoted and not followed by a space)
    /// is a prefix.
    public static func parse(_ text: String, typing: Bool = false) -> SearchQuery {
        // CONTRACT stub: words only. The Search helper replaces it.
        var query = SearchQuery()
        for token in SearchTokenizer.tokens(of: text) {
            query.required.append(Phrase(tokens: [token.folded]))
        }
        if typing, !text.hasSuffix(" "), !query.required.isEmpty { query.required[query.required.count - 1].prefix = true }
        return query
    }

    /// Nothing to look for and nothing to filter.
    public var isEmpty: Bool { required.isEmpty && excluded.isEmpty && filters.isEmpty && excludedFilters.isEmpty }

    /// The FTS5 MATCH expression of the required phrases (every user word quoted by us, so no input is FTS syntax);
    /// `nil` when there are none. Columns are `title`, `author`, `body`.
    public func ftsExpression() -> String? {
        guard !required.isEmpty else { return nil }
        return required.map(Self.fts).joined(separator: " AND ")
    }

    /// The FTS5 MATCH expression of the excluded phrases joined by OR; `nil` when there are none.
    public func ftsExclusion() -> String? {
        guard !excluded.isEmpty else { return nil }
        return excluded.map(Self.fts).joined(separator: " OR ")
    }

    static func fts(_ phrase: Phrase) -> String {
        let quoted = "\"" + String(phrase.tokens.joined(separator: " ").flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
            + (phrase.prefix ? " *" : "")
        switch phrase.field {
        case .any: return quoted
        case .title: return "title : " + quoted
        case .author: return "author : " + quoted
        }
    }

    /// Whether a post with this text has every required phrase and no excluded one (the scan used without an index).
    public func matchesText(title: String, author: String, body: String) -> Bool {
        func has(_ phrase: Phrase) -> Bool {
            let fields: [String] = switch phrase.field {
            case .any: [title, author, body]
            case .title: [title]
            case .author: [author]
            }
            return fields.contains { SearchHighlighter.contains(phrase, in: $0) }
        }
        return required.allSatisfy(has) && !excluded.contains(where: has)
    }
}
