import Feeds
import Posts

/// The feed reader for a kind of source.
enum FeedReaders {
    static func make(_ kind: SourceKind, input: FeedInput) throws -> FeedReader {
        switch kind {
        case .jsonFeed: return try JSONFeedReader(input: input)
        default: throw FeedError("XML feeds cannot be read yet")
        }
    }
}

/// Placeholder until the feed item id rule lands.
enum FeedItemIdentity {
    static func postID(for item: FeedItem, in info: FeedInfo) -> PostID {
        var hash = XXH64()
        hash.update(Array((info.selfLink ?? info.id ?? info.siteLink ?? info.title ?? "").utf8))
        hash.update(Array((item.guid ?? item.link ?? item.title).utf8))
        return PostID(rawValue: hash.digest())
    }
}
