import Posts

/// The sources the reader was given, and all their posts: `LibraryLoader` run to the end (for the command line).
///
/// One source keeps its document order; several are merged newest first where dates exist (`PostOrder`).
public struct Library: PostBodies {
    /// The sources that gave posts, in the order given.
    public let sources: [Source]
    public let posts: [Post]
    /// One line per file that was skipped or read in part, naming it; shown to the user, not fatal.
    public let warnings: [String]
    public let bodies: SourceBodies
    /// The title line's text: the source's own title, or how many sources there are.
    public let title: String
    /// The subscriptions' slots: feed id → `Post.archiveIndex`.
    public var storedSlots: [Int64: Int] = [:]
    /// Every source by slot (`Post.archiveIndex`).
    public var sourcesBySlot: [Int: Source] = [:]

    /// Loads files, directories of them and `-` (see `LibraryLoader`). Fails when no post is found at all.
    /// `stored`: the subscriptions whose items the store keeps, shown with the files.
    public static func load(paths: [String], stored: StoredLibrary? = nil) throws -> Library {
        let loader = try LibraryLoader(paths: paths, stored: stored)
        var posts: [Post] = []
        while !loader.isFinished { posts += loader.index(maxBytes: .max) }
        guard !posts.isEmpty else { throw loader.noPostsError }
        let sources = loader.openedSources
        if sources.count > 1 { posts = PostOrder.newestFirst(posts) }
        return Library(sources: sources, posts: posts, warnings: loader.takeWarnings(), bodies: loader.bodies,
                       title: loader.title, storedSlots: loader.storedSlots, sourcesBySlot: loader.sourcesBySlot)
    }

    public func body(of post: Post) -> PostBody { bodies.body(of: post) }
    public func bodyText(of post: Post) -> String { bodies.bodyText(of: post) }
    public func sourceName(of post: Post) -> String? { bodies.sourceName(of: post) }
    public func details(of post: Post) -> PostDetails? { bodies.details(of: post) }
    public func source(of post: Post) -> Source? { bodies.source(of: post) }
}
