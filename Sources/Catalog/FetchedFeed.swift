import Article
import Feeds
import Posts
import ReadState

/// A feed fetched over HTTP, read whole from its bytes: its description, and its items as the store keeps them
/// (with the post ids and the list's titles the reader shows for feed files, so a feed read from a file and the
/// same feed fetched give the same posts).
public struct FetchedFeed: Sendable {
    public var info: FeedInfo
    public var items: [StoredItem]
    /// Problems found while reading (a broken feed's first error, with its line): `LINE: message`.
    public var diagnostics: [String]

    /// The feed's title on one line, when it has one.
    public var title: String? {
        info.title.map(FeedSourceIndexer.oneLine).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads `bytes` fetched from `url`. Throws `FeedError` with the reason when they are not a feed (an HTML page,
    /// other XML, JSON that is not a JSON Feed) or nothing of them can be read.
    public static func parse(_ bytes: [UInt8], url: String) throws(FeedError) -> FetchedFeed {
        let kind = SourceKind.sniff(Array(bytes.prefix(SourceKind.sniffLength)))
        let reader: FeedReader
        do {
            switch kind {
            case .xmlFeed, .jsonFeed:
                reader = try FeedReaders.make(kind, input: FeedInput(bytes: bytes, documentURL: url))
            case .unsupported(let reason):
                throw FeedError(reason)
            case .textArchive, .subscription:
                throw FeedError(bytes.isEmpty ? "is empty, not a feed" : "is not a feed (neither XML nor JSON)")
            }
        } catch let error as FeedError {
            throw error
        } catch {
            throw FeedError("\(error)")
        }
        var items: [FeedItem] = []
        do {
            while !reader.isFinished { items += try reader.read(maxBytes: 4 << 20) }
        } catch let error as FeedError {
            if items.isEmpty { throw error }
        } catch {
            if items.isEmpty { throw FeedError("\(error)") }
        }
        let info = reader.info
        var stored: [StoredItem] = []
        stored.reserveCapacity(items.count)
        for var item in items {
            let id = Feeds.postID(for: item, in: info)
            item.title = listTitle(of: item)
            stored.append(StoredItemCodec.storedItem(item, id: id))
        }
        return FetchedFeed(info: info, items: stored, diagnostics: reader.diagnostics.map(\.description))
    }

    /// The title the list shows: the item's own on one line, else the start of its text, else "(untitled)".
    static func listTitle(of item: FeedItem) -> String {
        var title = FeedSourceIndexer.oneLine(item.title)
        if title.isEmpty {
            let text = item.contentType == .text ? item.content : Article.plainText(html: item.content)
            title = FeedSourceIndexer.oneLine(String(text.prefix(200)))
            if title.isEmpty { title = Post.untitled }
        }
        return title
    }
}
