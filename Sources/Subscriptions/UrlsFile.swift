// CONTRACT (issue 12): the public API of the urls file.
import Foundation

/// One subscription line of a urls file.
public struct Subscription: Hashable, Sendable {
    public var url: String
    /// Tags in the order written (without the `~name`).
    public var tags: [String]
    /// `"~Display name"`.
    public var name: String?
    /// 1-based line in the file.
    public var line: Int

    public init(url: String, tags: [String] = [], name: String? = nil, line: Int = 0) {
        self.url = url
        self.tags = tags
        self.name = name
        self.line = line
    }
}

/// A line the reader does not take: reported as `FILE:LINE: message`, skipped, never run.
public struct UrlsProblem: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "\(line): \(message)" }
}

/// `$XDG_CONFIG_HOME/gazette/urls` in newsboat's syntax: one URL a line, then tags, `"~Display name"`, `#`
/// comments, quoting. `query:`, `exec:` and `filter:` lines are problems, not subscriptions.
///
/// A line is split into tokens at spaces and tabs. A token in double quotes may hold spaces, and `\"` and `\\`
/// inside it stand for `"` and `\` (a backslash before any other character stands for that character). A `#`
/// that begins a token starts a comment to the end of the line; elsewhere (`https://x.example/#top`) it is part of
/// the token. The first token is the URL; a following token that starts with `~` is the display name (the first
/// one counts), any other is a tag (`!hidden` included, kept as written). Blank and comment-only lines, and a byte
/// order mark at the start, are ignored.
public struct UrlsFile: Hashable, Sendable {
    /// The text as read (edits keep every other line byte for byte).
    public private(set) var text: String
    public private(set) var subscriptions: [Subscription]
    public private(set) var problems: [UrlsProblem]

    public init(text: String) {
        self.text = text
        self.subscriptions = []
        self.problems = []
        parse()
    }

    /// `$XDG_CONFIG_HOME/gazette/urls`, or `~/.config/gazette/urls` when `XDG_CONFIG_HOME` is unset, empty or
    /// relative (as `ConfigurationLocation` finds the configuration file). Without an absolute `HOME` the user's
    /// home directory from the password database is used.
    public static func location(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return (xdg as NSString).appendingPathComponent("gazette/urls")
        }
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".config/gazette/urls")
    }

    /// Whether `url` can be subscribed to: `http://` or `https://` (any case) and something after it.
    public static func isSubscribable(_ url: String) -> Bool {
        let lower = url.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) && lower.count > scheme.count { return true }
        return false
    }

    /// Adds a line for `url` (quoting what needs it); `false` when the URL is already there (nothing changes).
    ///
    /// The line is `URL tag "two words" "~Name"`; it ends the way the file's last line did (a file without a final
    /// line break stays without one; `\r\n` files get `\r\n`). Checking that the URL is subscribable
    /// (`isSubscribable`) is the caller's job: a line that is not becomes a problem when read.
    public mutating func add(url: String, tags: [String], name: String?) -> Bool {
        guard !subscriptions.contains(where: { $0.url == url }) else { return false }
        var tokens = [Self.quoted(url)]
        tokens += tags.filter { !$0.isEmpty }.map { Self.quoted($0) }
        if let name, !name.isEmpty { tokens.append(Self.alwaysQuoted("~" + name)) }
        let line = tokens.joined(separator: " ")
        if text.isEmpty {
            text = line + "\n"
        } else {
            let crlf = text.hasSuffix("\r\n")
            if text.unicodeScalars.last == "\n" {
                text += line + (crlf ? "\r\n" : "\n")
            } else {
                text += "\n" + line
            }
        }
        parse()
        return true
    }

    /// Adds a line for each of `new` whose URL is not there yet (nor earlier in `new`), as `add(url:tags:name:)`
    /// would, reading the file once at the end (an import of 100,000 feeds would read it 100,000 times otherwise).
    /// Returns the URLs added, in order.
    public mutating func add(_ new: [Subscription]) -> [String] {
        var present = Set(subscriptions.map(\.url))
        var lines: [String] = []
        var added: [String] = []
        for subscription in new where present.insert(subscription.url).inserted {
            var tokens = [Self.quoted(subscription.url)]
            tokens += subscription.tags.filter { !$0.isEmpty }.map { Self.quoted($0) }
            if let name = subscription.name, !name.isEmpty { tokens.append(Self.alwaysQuoted("~" + name)) }
            lines.append(tokens.joined(separator: " "))
            added.append(subscription.url)
        }
        guard !lines.isEmpty else { return [] }
        let crlf = text.hasSuffix("\r\n")
        let separator = crlf ? "\r\n" : "\n"
        if text.isEmpty {
            text = lines.joined(separator: "\n") + "\n"
        } else if text.unicodeScalars.last == "\n" {
            text += lines.joined(separator: separator) + separator
        } else {
            text += "\n" + lines.joined(separator: "\n")
        }
        parse()
        return added
    }

    /// Adds to `url`'s line the tags of `tags` it does not have yet, after its last token (a comment after it
    /// stays after it). Returns the tags added: none when `url` is not a subscription or has them all.
    public mutating func addTags(url: String, tags: [String]) -> [String] {
        addTags([url: tags])[url] ?? []
    }

    /// `addTags(url:tags:)` for many subscriptions, reading the file once at the end. Returns the tags added to
    /// each URL that got some.
    public mutating func addTags(_ changes: [String: [String]]) -> [String: [String]] {
        var lines = Self.lines(text)
        var added: [String: [String]] = [:]
        for subscription in subscriptions {
            guard let wanted = changes[subscription.url] else { continue }
            var have = Set(subscription.tags)
            let new = wanted.filter { !$0.isEmpty && !$0.hasPrefix("~") && have.insert($0).inserted }
            guard !new.isEmpty else { continue }
            let number = subscription.line
            let scalars = Array(lines[number - 1].unicodeScalars)
            guard case .tokens(let tokens) = Self.tokenize(scalars, firstLine: number == 1), let last = tokens.last else {
                continue
            }
            var line = String.UnicodeScalarView()
            line.append(contentsOf: scalars[..<last.range.upperBound])
            for tag in new {
                line.append(" ")
                line.append(contentsOf: Self.quoted(tag).unicodeScalars)
            }
            line.append(contentsOf: scalars[last.range.upperBound...])
            lines[number - 1] = String(line)
            added[subscription.url] = new
        }
        guard !added.isEmpty else { return [:] }
        text = lines.joined(separator: "\n")
        parse()
        return added
    }

    /// Removes the line of the subscription whose URL or display name is `urlOrName`; the removed one, or `nil`.
    ///
    /// The URL is compared exactly, then the display name without case, then the URL without a final `/` on either
    /// side. Only that line goes; a skipped duplicate of it (a problem) stays, and becomes the subscription.
    public mutating func remove(_ urlOrName: String) -> Subscription? {
        guard let found = find(urlOrName) else { return nil }
        var lines = Self.lines(text)
        lines.remove(at: found.line - 1)
        text = lines.joined(separator: "\n")
        parse()
        return found
    }

    /// Replaces a subscription's URL (a permanent redirect), keeping its tags, name and place.
    ///
    /// Only the URL token of its line changes (comments and spacing stay). `false` when `old` is not a
    /// subscription, or when `new` already is one (the file would hold the feed twice: the caller may `remove` the
    /// old line instead).
    public mutating func replaceURL(_ old: String, with new: String) -> Bool {
        guard let index = subscriptions.firstIndex(where: { $0.url == old }) else { return false }
        if old == new { return true }
        guard !subscriptions.contains(where: { $0.url == new }) else { return false }
        var lines = Self.lines(text)
        let number = subscriptions[index].line
        let scalars = Array(lines[number - 1].unicodeScalars)
        guard case .tokens(let tokens) = Self.tokenize(scalars, firstLine: number == 1), let first = tokens.first else {
            return false
        }
        var line = String.UnicodeScalarView()
        line.append(contentsOf: scalars[..<first.range.lowerBound])
        line.append(contentsOf: Self.quoted(new).unicodeScalars)
        line.append(contentsOf: scalars[first.range.upperBound...])
        lines[number - 1] = String(line)
        text = lines.joined(separator: "\n")
        parse()
        return true
    }

    // MARK: - Reading

    private func find(_ urlOrName: String) -> Subscription? {
        if let s = subscriptions.first(where: { $0.url == urlOrName }) { return s }
        let lowered = urlOrName.lowercased()
        if let s = subscriptions.first(where: { $0.name?.lowercased() == lowered }) { return s }
        let bare = Self.withoutFinalSlash(urlOrName)
        return subscriptions.first(where: { Self.withoutFinalSlash($0.url) == bare })
    }

    private static func withoutFinalSlash(_ url: String) -> Substring {
        url.hasSuffix("/") ? url.dropLast() : url[...]
    }

    private mutating func parse() {
        subscriptions = []
        problems = []
        var seen: [String: Int] = [:]
        for (index, line) in Self.lines(text).enumerated() {
            let number = index + 1
            switch Self.tokenize(Array(line.unicodeScalars), firstLine: number == 1) {
            case .unclosedQuote(let column):
                problems.append(UrlsProblem(line: number, message: "unclosed quote (column \(column)); skipped"))
            case .tokens(let tokens):
                guard let first = tokens.first else { continue }
                let url = first.text
                if let message = Self.unsupported(url) {
                    problems.append(UrlsProblem(line: number, message: message))
                    continue
                }
                if let earlier = seen[url] {
                    problems.append(UrlsProblem(line: number, message: "duplicate of line \(earlier); skipped"))
                    continue
                }
                seen[url] = number
                var subscription = Subscription(url: url, line: number)
                for token in tokens.dropFirst() {
                    if token.text.hasPrefix("~") {
                        let name = String(token.text.dropFirst())
                        if subscription.name == nil, !name.isEmpty { subscription.name = name }
                    } else if !token.text.isEmpty {
                        subscription.tags.append(token.text)
                    }
                }
                subscriptions.append(subscription)
            }
        }
    }

    /// Why a line's first token is not a subscription, or nil when it is one.
    private static func unsupported(_ url: String) -> String? {
        let lower = url.lowercased()
        if lower.hasPrefix("query:") { return "query feeds are not supported; skipped" }
        if lower.hasPrefix("exec:") { return "exec feeds are not supported (commands are never run); skipped" }
        if lower.hasPrefix("filter:") { return "filter feeds are not supported (filters are never run); skipped" }
        if lower.hasPrefix("file:") { return "file URLs are not supported (only http:// and https://): \(url); skipped" }
        if !isSubscribable(url) { return "not an http:// or https:// URL: \(url); skipped" }
        return nil
    }

    /// The file's lines, split at `\n` only (a `\r` before it stays in the line): joined with `\n` they give the
    /// text back byte for byte. A text ending in `\n` has an empty last line.
    private static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                result.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        result.append(String(current))
        return result
    }

    private struct Token {
        var text: String
        /// Where it is in the line (quotes included).
        var range: Range<Int>
    }

    private enum Tokens {
        case tokens([Token])
        /// The 1-based column of the opening quote.
        case unclosedQuote(column: Int)
    }

    private static func tokenize(_ line: [Unicode.Scalar], firstLine: Bool) -> Tokens {
        var end = line.count
        if end > 0, line[end - 1] == "\r" { end -= 1 }
        var i = firstLine && end > 0 && line[0] == "\u{FEFF}" ? 1 : 0
        var tokens: [Token] = []
        while i < end {
            let c = line[i]
            if c == " " || c == "\t" {
                i += 1
                continue
            }
            if c == "#" { break }
            let start = i
            var text = String.UnicodeScalarView()
            if c == "\"" {
                i += 1
                var closed = false
                while i < end {
                    let d = line[i]
                    if d == "\"" {
                        closed = true
                        i += 1
                        break
                    }
                    if d == "\\", i + 1 < end {
                        text.append(line[i + 1])
                        i += 2
                        continue
                    }
                    text.append(d)
                    i += 1
                }
                if !closed { return .unclosedQuote(column: start + 1) }
            } else {
                while i < end, line[i] != " ", line[i] != "\t" {
                    text.append(line[i])
                    i += 1
                }
            }
            tokens.append(Token(text: String(text), range: start..<i))
        }
        return .tokens(tokens)
    }

    // MARK: - Writing

    /// `token` as it reads back: bare when it can be, else in quotes with `"` and `\` escaped (a token that holds
    /// a space, a tab, a quote or a backslash, or starts with `#`). A tag that starts with `~` reads back as a
    /// display name, as in newsboat: there is no way to write it.
    private static func quoted(_ token: String) -> String {
        let needs = token.isEmpty || token.hasPrefix("#")
            || token.unicodeScalars.contains { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\\" }
        return needs ? alwaysQuoted(token) : token
    }

    private static func alwaysQuoted(_ token: String) -> String {
        var out = "\""
        for scalar in token.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }
}
