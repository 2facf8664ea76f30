import Posts

/// One source the reader was given: a text archive or a feed file (or standard input).
public struct Source: Hashable, Sendable {
    /// The path as given (`-` for standard input), or the file's path inside a directory that was given.
    public let path: String
    /// The archive's header line or the feed's title; the file name when it has neither.
    public var title: String
    public let kind: SourceKind

    public init(path: String, title: String, kind: SourceKind) {
        self.path = path
        self.title = title
        self.kind = kind
    }

    /// How messages name the source.
    public var displayPath: String { path == StandardInput.path ? Self.standardInputName : path }

    /// What `displayPath` says for standard input.
    public static let standardInputName = "standard input"
}
