// CONTRACT placeholder (issue 12): replaced by the persisted codec with its tests.
import Feeds
import Posts
import ReadState

public enum StoredItemCodec {
    public static func storedItem(_ item: FeedItem, id: PostID) -> StoredItem {
        StoredItem(id: id, title: item.title, author: item.authors.isEmpty ? nil : item.authors.joined(separator: ", "),
                   guid: item.guid, link: item.link, published: item.published?.secondsSince1970,
                   updated: item.updated?.secondsSince1970, contentType: item.contentType.rawValue,
                   contentBase: item.contentBase, content: item.content)
    }

    public static func feedItem(_ stored: StoredItem) -> FeedItem? {
        FeedItem(guid: stored.guid, title: stored.title, link: stored.link,
                 authors: stored.author.map { [$0] } ?? [],
                 published: stored.published.map(FeedTimestamp.init(secondsSince1970:)),
                 updated: stored.updated.map(FeedTimestamp.init(secondsSince1970:)), content: stored.content,
                 contentType: ContentType(rawValue: stored.contentType) ?? .html, contentBase: stored.contentBase)
    }
}
