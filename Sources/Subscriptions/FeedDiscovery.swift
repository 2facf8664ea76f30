// CONTRACT (issue 12): feed discovery in HTML pages. Body is a placeholder until it lands.

/// A feed an HTML page links to (`<link rel="alternate" type="application/rss+xml" href=…>`).
public struct DiscoveredFeed: Hashable, Sendable {
    /// Absolute.
    public var url: String
    public var title: String?
    /// The link's `type` (`application/rss+xml`, `application/atom+xml`, `application/feed+json`, ...).
    public var type: String

    public init(url: String, title: String?, type: String) {
        self.url = url
        self.title = title
        self.type = type
    }
}

public enum FeedDiscovery {
    /// The RSS, Atom and JSON Feed alternates of an HTML page, in document order, duplicates removed; relative
    /// URLs resolved against `<base href>`, else `pageURL`.
    public static func feeds(inHTML bytes: [UInt8], pageURL: String) -> [DiscoveredFeed] {
        fatalError("FeedDiscovery: not implemented yet")
    }
}
