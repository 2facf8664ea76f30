import Catalog
import Feeds
import Fetching
import Foundation
import Posts
import ReadState
import Subscriptions

/// Walks a feed's history (`gazette backfill`, `B`): RFC 5005 archives and pages, JSON Feed `next_url`, WordPress
/// `?paged=N`, one page at a time with a pause between two pages, every page's items stored as they come, and the
/// walk's state saved after each page so an interrupted backfill resumes where it stopped.
public final class Backfiller: @unchecked Sendable {
    public let storePath: String
    public let settings: UpdateSettings
    public let pageLimit: Int
    /// Seconds between two pages.
    public let delay: Double
    private let lock = NSLock()
    private var fetcher: Fetcher?
    private var cancelled = false

    public init(storePath: String, settings: UpdateSettings, pageLimit: Int = 1000, delay: Double = 1) {
        self.storePath = storePath
        self.settings = settings
        self.pageLimit = pageLimit
        self.delay = delay
    }

    public func cancel() {
        lock.withLock {
            cancelled = true
            fetcher?.cancel()
        }
    }

    private var isCancelled: Bool { lock.withLock { cancelled } }

    /// What a walk did.
    public struct Outcome: Sendable {
        public var state: BackfillState?
        /// Ids of the items stored for the first time.
        public var newIDs: [PostID]
        /// Set when the walk stopped early on an error (it resumes from there next time).
        public var error: String?
        /// The sentence for the user: `312 new items from 14 pages; no new items on page 14`.
        public var summary: String
    }

    /// Walks `subscription`'s history (resuming an unfinished walk), calling `progress` after every page.
    public func run(_ subscription: Subscription, now: @escaping @Sendable () -> Date = Date.init,
                    progress: (BackfillState) -> Void = { _ in }) throws -> Outcome {
        let store = try ItemStore(path: storePath)
        let feedID = try store.addFeed(url: subscription.url)
        guard let feed = try store.feed(url: subscription.url) else {
            return Outcome(state: nil, newIDs: [], error: "the store lost the feed", summary: "the store lost the feed")
        }
        var options = settings.fetch
        options.hostDelay = max(options.hostDelay, delay)
        let fetcher = try Fetcher(options: options)
        lock.withLock { self.fetcher = fetcher }
        defer { lock.withLock { self.fetcher = nil } }
        var newIDs: [PostID] = []

        func fetch(_ url: String) -> FetchResponse {
            var got: FetchResponse?
            fetcher.run([FetchRequest(url: url)]) { got = $0 }
            return got ?? FetchResponse(request: FetchRequest(url: url), error: .cancelled)
        }
        func keep(_ response: FetchResponse) throws -> (links: PageLinks, new: Int, count: Int) {
            let parsed = try FetchedFeed.parse(response.body, url: response.finalURL)
            let result = try store.upsert(parsed.items, feedID: feedID, now: now())
            newIDs += result.new
            let headerLinks = response.headers.links.map { (url: $0.url, rel: $0.rel) }
            return (PageLinks(info: parsed.info, headerLinks: headerLinks), result.new.count, parsed.items.count)
        }
        func stopped(_ state: BackfillState?, _ error: String) -> Outcome {
            Outcome(state: state, newIDs: newIDs, error: error,
                    summary: "\(Self.items(newIDs.count)) from \(state?.pages ?? 0) page\(state?.pages == 1 ? "" : "s"); "
                        + "stopped: \(error) (run backfill again to resume)")
        }

        var state: BackfillState
        if let saved = feed.backfill.flatMap(BackfillState.decode), saved.isResumable {
            // Interrupted, stopped on an error or at the page limit: on from that page.
            state = saved.resumed()
        } else {
            let first = fetch(feed.url)
            if let error = first.error { return stopped(nil, error.description) }
            guard first.status / 100 == 2 else { return stopped(nil, "HTTP \(first.status) at \(feed.url)") }
            let links: PageLinks
            do {
                links = try keep(first).links
            } catch {
                return stopped(nil, "\(feed.url): \(error)")
            }
            guard let started = BackfillPlanner.start(feedURL: first.finalURL, first: links, pageLimit: pageLimit) else {
                let summary = "\(Self.items(newIDs.count)); the feed offers no way to its older items "
                    + "(no RFC 5005 archive or next links, no JSON Feed next_url, not WordPress)"
                return Outcome(state: nil, newIDs: newIDs, error: nil, summary: summary)
            }
            state = started
            try store.setBackfill(feedID: feedID, state.encoded)
            progress(state)
        }

        while state.finished == nil, let url = state.nextURL {
            if isCancelled { return stopped(state, "interrupted") }
            let response = fetch(url)
            if let error = response.error { return stopped(state, "\(error.description) at \(url)") }
            var links = PageLinks()
            var new = 0
            var count = 0
            if response.status / 100 == 2 {
                do {
                    (links, new, count) = try keep(response)
                } catch {
                    return stopped(state, "\(url): \(error)")
                }
            }
            state = BackfillPlanner.advance(state, status: response.status, links: links, newItems: new, itemCount: count,
                                            pageLimit: pageLimit)
            try store.setBackfill(feedID: feedID, state.encoded)
            progress(state)
        }
        if state.failed { return stopped(state, state.finished ?? "failed") }
        let summary = "\(Self.items(newIDs.count)) from \(state.pages) page\(state.pages == 1 ? "" : "s")"
            + (state.finished.map { "; \($0)" } ?? "")
        return Outcome(state: state, newIDs: newIDs, error: nil, summary: summary)
    }

    static func items(_ n: Int) -> String { "\(n) new item\(n == 1 ? "" : "s")" }
}
