import Article
import Feeds
import Posts
import Synchronization

/// How the bodies of one source's posts are read.
enum SourceReader: Sendable {
    /// A text archive being indexed: through the indexer's descriptor.
    case archiveWhileIndexing(ArchiveFile)
    /// A text archive indexed: the file is opened for each read and checked against what was indexed.
    case archive(ArchiveFile)
    /// A feed's items, kept in a store; `identity` is the feed file as it was read (`nil`: standard input).
    case feed(FeedItemStore, path: String, identity: FileIdentity?)
    /// A subscription's items, in the SQLite store.
    case stored(StoredItemReader)
}

/// The bodies of every source's posts, by `Post.archiveIndex`: thread-safe, so the reading pane and the search
/// read while the indexing thread adds sources.
public final class SourceBodies: PostBodies, Sendable {
    private struct Slot {
        var reader: SourceReader
        var source: Source
    }

    private let slots: Mutex<[Slot?]>

    init(count: Int) {
        slots = Mutex(Array(repeating: nil, count: count))
    }

    func set(_ index: Int, reader: SourceReader, source: Source) {
        slots.withLock { $0[index] = Slot(reader: reader, source: source) }
    }

    func setTitle(_ index: Int, _ title: String) {
        slots.withLock { $0[index]?.source.title = title }
    }

    private func slot(_ index: Int) -> Slot? {
        slots.withLock { $0.indices.contains(index) ? $0[index] : nil }
    }

    /// The source a post came from.
    public func source(of post: Post) -> Source? { slot(post.archiveIndex)?.source }

    public func sourceName(of post: Post) -> String? { source(of: post)?.title }

    public func body(of post: Post) -> PostBody {
        guard let slot = slot(post.archiveIndex) else { return .empty }
        let name = slot.source.displayPath
        switch (post.kind, slot.reader) {
        case (.archive, .archiveWhileIndexing(let file)):
            return PostBody(blocks: file.body(of: post))
        case (.archive, .archive(let file)):
            guard let (bytes, changed) = file.checkedBytes(in: post.bodyRange) else {
                return PostBody(blocks: [], notice: "\(name) cannot be read any more: press R to reload")
            }
            guard changed else { return PostBody(blocks: BlockParser.parse(bytes)) }
            // Changed on disk: the bytes are this post's only if they still give its id.
            let title = post.title == Post.untitled ? [] : Array(post.title.utf8)
            let intact = PostID.derive(title: title, body: bytes) == post.id
            return PostBody(blocks: intact ? BlockParser.parse(bytes) : [],
                            notice: "\(name) changed on disk: press R to reload it")
        case (.feedItem, .feed(let store, let path, let identity)):
            guard let item = FeedItemRecord.decode(store.bytes(in: post.bodyRange)) else { return .empty }
            let article = item.contentType == .text
                ? Article.render(text: item.content, postLink: item.link)
                : Article.render(html: item.content, base: item.contentBase, postLink: item.link)
            var notice: String?
            if let identity, FileIdentity.of(path: path) != identity {
                notice = "\(name) changed on disk: press R to reload it"
            }
            var byline: [String] = []
            if !item.authors.isEmpty { byline.append(item.authors.joined(separator: ", ")) }
            byline.append(slot.source.title)
            return PostBody(blocks: article.blocks, links: article.links, notice: notice, byline: byline)
        case (.stored, .stored(let reader)):
            guard let item = reader.item(post.id) else {
                return PostBody(blocks: [], notice: "this item is no longer in the store: press R to reload")
            }
            return StoredPosts.body(of: item, sourceName: slot.source.title)
        default:
            return .empty
        }
    }

    public func bodyText(of post: Post) -> String {
        BlockParser.plainText(body(of: post).blocks)
    }

    public func details(of post: Post) -> PostDetails? {
        if post.kind == .stored, let slot = slot(post.archiveIndex), case .stored(let reader) = slot.reader {
            return reader.item(post.id).flatMap { StoredPosts.details(of: $0, sourceName: slot.source.title) }
        }
        guard post.kind == .feedItem, let slot = slot(post.archiveIndex),
              case .feed(let store, _, _) = slot.reader,
              let item = FeedItemRecord.decode(store.bytes(in: post.bodyRange)) else { return nil }
        return PostDetails(guid: item.guid, link: item.link, feed: slot.source.title, authors: item.authors,
                           published: item.published?.secondsSince1970, updated: item.updated?.secondsSince1970,
                           categories: item.categories,
                           enclosures: item.enclosures)
    }
}
