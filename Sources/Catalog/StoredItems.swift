import Article
import Feeds
import Posts
import ReadState
import Synchronization

/// A subscription whose fetched items the reader shows (from the store, without the network).
public struct StoredFeed: Hashable, Sendable {
    /// Its row in the store (`FeedState.id`).
    public var feedID: Int64
    /// The display name (`"~Name"` in the urls file), else the feed's title, else its URL.
    public var name: String
    public var url: String

    public init(feedID: Int64, name: String, url: String) {
        self.feedID = feedID
        self.name = name
        self.url = url
    }
}

/// The subscriptions to show, and the store that keeps their items.
public struct StoredLibrary: Hashable, Sendable {
    public var storePath: String
    public var feeds: [StoredFeed]

    public init(storePath: String, feeds: [StoredFeed]) {
        self.storePath = storePath
        self.feeds = feeds
    }
}

/// Reads stored items for the reading pane and the search, on any thread: one read-only connection of its own,
/// opened at the first read, used under a lock.
final class StoredItemReader: Sendable {
    let path: String
    private let store = Mutex<ItemStore?>(nil)

    init(path: String) { self.path = path }

    func item(_ id: PostID) -> StoredItem? {
        store.withLock { store -> StoredItem? in
            if store == nil { store = try? ItemStore(path: path, readOnly: true) }
            return try? store?.item(id)
        }
    }
}

extension StoredLibrary {
    /// The store's headlines as posts of their subscriptions' slots (`slots`: feed id → `Post.archiveIndex`);
    /// headlines of feeds without a slot are left out.
    public static func posts(_ headlines: [StoredHeadline], slots: [Int64: Int]) -> [Post] {
        headlines.compactMap { headline in
            slots[headline.feedID].map { StoredPosts.post(headline, archiveIndex: $0) }
        }
    }
}

/// Turns the store's headlines into posts (`Post.kind` `.stored`, `archiveIndex` the subscription's slot).
enum StoredPosts {
    /// A headline as a post of the slot `archiveIndex`.
    static func post(_ headline: StoredHeadline, archiveIndex: Int) -> Post {
        let local = LocalTime(headline.timestamp)
        return Post(id: headline.id, title: headline.title, author: headline.author, date: local.date,
                    dateText: local.text, source: nil, bodyRange: 0..<0, archiveIndex: archiveIndex, kind: .stored,
                    timestamp: headline.timestamp)
    }

    /// The body of a stored item, drawn as a feed item's is.
    static func body(of item: StoredItem, sourceName: String) -> PostBody {
        guard let feedItem = StoredItemCodec.feedItem(item) else { return .empty }
        let article = feedItem.contentType == .text
            ? Article.render(text: feedItem.content, postLink: feedItem.link)
            : Article.render(html: feedItem.content, base: feedItem.contentBase, postLink: feedItem.link)
        var byline: [String] = []
        if !feedItem.authors.isEmpty { byline.append(feedItem.authors.joined(separator: ", ")) }
        byline.append(sourceName)
        return PostBody(blocks: article.blocks, links: article.links, byline: byline)
    }

    static func details(of item: StoredItem, sourceName: String) -> PostDetails? {
        guard let feedItem = StoredItemCodec.feedItem(item) else { return nil }
        return PostDetails(guid: feedItem.guid, link: feedItem.link, feed: sourceName, authors: feedItem.authors,
                           published: feedItem.published?.secondsSince1970, updated: feedItem.updated?.secondsSince1970,
                           categories: feedItem.categories, enclosures: feedItem.enclosures)
    }
}
