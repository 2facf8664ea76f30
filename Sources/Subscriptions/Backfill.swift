// CONTRACT (issue 12): walking a feed's history. Bodies are placeholders until it lands.
import Feeds

/// How a feed's older items can be reached.
public enum BackfillStrategy: String, Hashable, Sendable, Codable {
    /// RFC 5005 archived feeds: `rel="prev-archive"` from the current feed, each archive cached for good.
    case archived
    /// RFC 5005 paged feeds: `rel="next"` (Atom link or HTTP Link header).
    case paged
    /// JSON Feed `next_url`.
    case jsonNext
    /// WordPress: `?paged=2,3,…` on the feed URL (with `order=ASC` tried first where the site allows it).
    case wordpress
}

/// What a fetched page of a feed says about the pages around it.
public struct PageLinks: Hashable, Sendable {
    /// Feed-level `rel="next"` (Atom link, HTTP Link header) or JSON `next_url`, absolute.
    public var next: String?
    /// `rel="prev-archive"`, absolute.
    public var previousArchive: String?
    /// `fh:complete`: the feed holds every item; missing ones were deleted.
    public var complete: Bool
    /// `fh:archive`: an archive document (never changes).
    public var archive: Bool
    /// The feed's `generator` names WordPress, or the response had `Link: <…>; rel="https://api.w.org/"`.
    public var wordpress: Bool

    public init(next: String? = nil, previousArchive: String? = nil, complete: Bool = false, archive: Bool = false,
                wordpress: Bool = false) {
        self.next = next
        self.previousArchive = previousArchive
        self.complete = complete
        self.archive = archive
        self.wordpress = wordpress
    }
}

/// A backfill's progress, saved after every page (`ItemStore.setBackfill`) so an interrupted one resumes.
public struct BackfillState: Hashable, Sendable, Codable {
    public var strategy: BackfillStrategy
    /// The next URL to fetch; `nil` when finished.
    public var nextURL: String?
    /// URLs fetched so far (a repeated one stops the walk).
    public var visited: [String]
    public var pages: Int
    public var newItems: Int
    /// Why it stopped, once it has (`"no new items on page 12"`, `"404 at …"`, `"page limit (1000)"`, ...).
    public var finished: String?

    public init(strategy: BackfillStrategy, nextURL: String?, visited: [String] = [], pages: Int = 0, newItems: Int = 0,
                finished: String? = nil) {
        self.strategy = strategy
        self.nextURL = nextURL
        self.visited = visited
        self.pages = pages
        self.newItems = newItems
        self.finished = finished
    }

    /// JSON, for the store.
    public var encoded: String { fatalError() }
    public static func decode(_ text: String) -> BackfillState? { fatalError() }
}

/// The pure part of a backfill: which URL comes next, and when to stop. The caller fetches and stores.
public enum BackfillPlanner {
    /// Where to start, from the feed's first page (its links, and the URL it was fetched from); `nil` when the
    /// feed offers no way to its history.
    public static func start(feedURL: String, first: PageLinks, pageLimit: Int) -> BackfillState? { fatalError() }

    /// After fetching `state.nextURL`: HTTP `status`, the page's links, and how many of its items were new.
    /// Returns the state with the next URL, or finished with the reason.
    public static func advance(_ state: BackfillState, status: Int, links: PageLinks, newItems: Int, itemCount: Int,
                               pageLimit: Int) -> BackfillState { fatalError() }
}

extension PageLinks {
    /// Reads a parsed feed's paging links (its `FeedInfo`) and the response's `Link` headers (`(url, rel)`).
    public init(info: FeedInfo, headerLinks: [(url: String, rel: String)]) { fatalError() }
}
