/// A post's body as the reading pane shows it: its blocks, the links it refers to by number, and a notice when it
/// could not be read as it was (its file changed on disk).
public struct PostBody: Hashable, Sendable {
    public var blocks: [Block]
    /// `links[0]` is `[1]`: a feed item's own link first, then the other URLs of its body. Empty for text archives
    /// (`o` finds their first link in the text).
    public var links: [String]
    /// Shown in the status bar: why the body is missing or partial (`FILE changed on disk: press R to reload it`).
    public var notice: String?
    /// A feed item's header after its date: every author, and the feed's title (`Jo Smith, Ann Lee · Feed`).
    /// `nil` for a text archive's post, whose header comes from the post (author, attribution line).
    public var byline: [String]?

    public init(blocks: [Block], links: [String] = [], notice: String? = nil, byline: [String]? = nil) {
        self.blocks = blocks
        self.links = links
        self.notice = notice
        self.byline = byline
    }

    public static let empty = PostBody(blocks: [])
}

/// What a feed item says beyond the list's fields (text archives have none of it): for `list --json`, `show --json`
/// and the article's header. Texts are not yet sanitized.
public struct PostDetails: Hashable, Sendable {
    /// The feed's own id for the item (RSS `guid`, Atom `id`, JSON `id`).
    public var guid: String?
    public var link: String?
    /// The title of the feed or archive the post came from.
    public var feed: String?
    /// Every author's name.
    public var authors: [String]
    /// Seconds since 1970 UTC.
    public var published: Int64?
    public var updated: Int64?
    public var categories: [String]
    public var enclosures: [PostEnclosure]

    public init(guid: String? = nil, link: String? = nil, feed: String? = nil, authors: [String] = [],
                published: Int64? = nil, updated: Int64? = nil, categories: [String] = [],
                enclosures: [PostEnclosure] = []) {
        self.guid = guid
        self.link = link
        self.feed = feed
        self.authors = authors
        self.published = published
        self.updated = updated
        self.categories = categories
        self.enclosures = enclosures
    }
}

/// A file attached to a feed item.
public struct PostEnclosure: Hashable, Sendable {
    public var url: String
    public var type: String?
    public var length: Int64?

    public init(url: String, type: String? = nil, length: Int64? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// Where the bodies of posts are read from, when they are shown (the sources the reader opened, also while the rest
/// is still being indexed).
public protocol PostBodies: Sendable {
    /// The post's body, read and laid into blocks now (`PostBody.empty` when the post is not from these sources).
    func body(of post: Post) -> PostBody
    /// The post's body as plain text, one block a line (for search).
    func bodyText(of post: Post) -> String
    /// The name of the source the post came from (the feed's or archive's title).
    func sourceName(of post: Post) -> String?
    /// A feed item's details; `nil` for a text archive's post.
    func details(of post: Post) -> PostDetails?
}

extension PostBody: ExpressibleByArrayLiteral {
    /// A body of these blocks, without links or notice.
    public init(arrayLiteral blocks: Block...) {
        self.init(blocks: blocks)
    }
}
