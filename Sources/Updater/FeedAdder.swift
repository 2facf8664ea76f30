import Catalog
import Feeds
import Fetching
import Foundation
import Posts
import ReadState
import Subscriptions

/// `gazette add URL`: fetches the URL; a feed is subscribed to (its items stored at once); an HTML page is searched
/// for the feeds it links to, and the only one is subscribed to, or they are listed to choose from.
public final class FeedAdder {
    public let storePath: String
    public let settings: UpdateSettings

    public init(storePath: String, settings: UpdateSettings) {
        self.storePath = storePath
        self.settings = settings
    }

    public enum Outcome: Sendable {
        /// Subscribed: the URL to write in the urls file (the feed's, after permanent redirects), the feed, what
        /// was stored; `discoveredFrom`: the page the feed was found on.
        case subscribed(url: String, title: String?, feedID: Int64, new: Int, discoveredFrom: String?)
        /// A page that links to several feeds: the user picks one.
        case choices([DiscoveredFeed])
    }

    /// Why a URL cannot be subscribed to: one line.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public func add(_ url: String, now: Date = Date()) throws -> Outcome {
        let fetcher = try Fetcher(options: settings.fetch)
        return try add(url, fetcher: fetcher, now: now, discoveredFrom: nil)
    }

    private func add(_ url: String, fetcher: Fetcher, now: Date, discoveredFrom: String?) throws -> Outcome {
        var got: FetchResponse?
        fetcher.run([FetchRequest(url: url)]) { got = $0 }
        guard let response = got else { throw Failure(description: "\(url): no answer") }
        if let error = response.error { throw Failure(description: "\(url): \(error)") }
        guard response.status / 100 == 2 else {
            throw Failure(description: "\(url): HTTP \(response.status) \(HTTPStatus.reason(response.status))")
        }
        let kind = SourceKind.sniff(Array(response.body.prefix(SourceKind.sniffLength)))
        if case .unsupported = kind, discoveredFrom == nil {
            let found = FeedDiscovery.feeds(inHTML: response.body, pageURL: response.finalURL)
            switch found.count {
            case 0:
                throw Failure(description: "\(url): is a web page that links to no RSS, Atom or JSON feed")
            case 1:
                return try add(found[0].url, fetcher: fetcher, now: now, discoveredFrom: url)
            default:
                return .choices(found)
            }
        }
        let feed: FetchedFeed
        do {
            feed = try FetchedFeed.parse(response.body, url: response.finalURL)
        } catch {
            throw Failure(description: "\(url): \(error.message)")
        }
        let subscribed = response.permanentURL ?? url
        let store = try ItemStore(path: storePath)
        let feedID = try store.addFeed(url: subscribed)
        let result = try store.upsert(feed.items, feedID: feedID, now: now)
        try store.recordFetch(feedID: feedID, FetchRecord(
            at: now, status: response.status, etag: response.headers.etag, lastModified: response.headers.lastModified,
            title: feed.title, siteLink: feed.info.siteLink,
            notBefore: response.headers.maxAge.map { now.addingTimeInterval(Double($0)) }))
        return .subscribed(url: subscribed, title: feed.title, feedID: feedID, new: result.new.count,
                           discoveredFrom: discoveredFrom)
    }
}
