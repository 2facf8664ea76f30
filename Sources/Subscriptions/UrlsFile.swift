// CONTRACT (issue 12): the public API of the urls file. Bodies are placeholders until it lands.

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
public struct UrlsFile: Hashable, Sendable {
    /// The text as read (edits keep every other line byte for byte).
    public private(set) var text: String
    public private(set) var subscriptions: [Subscription]
    public private(set) var problems: [UrlsProblem]

    public init(text: String) {
        self.text = text
        self.subscriptions = []
        self.problems = []
        fatalError("UrlsFile: not implemented yet")
    }

    /// Adds a line for `url` (quoting what needs it); `false` when the URL is already there (nothing changes).
    public mutating func add(url: String, tags: [String], name: String?) -> Bool { fatalError() }

    /// Removes the line of the subscription whose URL or display name is `urlOrName`; the removed one, or `nil`.
    public mutating func remove(_ urlOrName: String) -> Subscription? { fatalError() }

    /// Replaces a subscription's URL (a permanent redirect), keeping its tags, name and place.
    public mutating func replaceURL(_ old: String, with new: String) -> Bool { fatalError() }
}
