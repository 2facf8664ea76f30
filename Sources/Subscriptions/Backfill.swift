// CONTRACT (issue 12): walking a feed's history.
import Feeds
import Foundation

/// How a feed's older items can be reached.
public enum BackfillStrategy: String, Hashable, Sendable, Codable {
    /// RFC 5005 archived feeds: `rel="prev-archive"` from the current feed, each archive cached for good.
    case archived
    /// RFC 5005 paged feeds: `rel="next"` (Atom link or HTTP Link header).
    case paged
    /// JSON Feed `next_url`.
    case jsonNext
    /// WordPress: `?paged=2,3,…` on the feed URL (newest first: `order=ASC` is not used, see `BackfillPlanner`).
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
    /// `next` is a JSON Feed's `next_url` (the walk is then `jsonNext`, not `paged`).
    public var nextIsJSONFeed = false

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
    /// The next URL to fetch; `nil` when finished, except after an error or at the page limit, where it is the page
    /// a `resumed()` walk fetches next.
    public var nextURL: String?
    /// URLs fetched so far (a repeated one stops the walk), the feed's own URL first.
    public var visited: [String]
    /// Pages fetched by the walk (the feed's first page, fetched as usual, not counted).
    public var pages: Int
    public var newItems: Int
    /// Why it stopped, once it has (`"no new items on page 12"`, `"404 at …"`, `"page limit (1000)"`, ...).
    public var finished: String?
    /// It stopped on an error (a 5xx, a timeout, ...) rather than at the end of the history.
    public var failed = false

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
    public var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and booleans cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The state `encoded` wrote; nil for anything else (the caller starts over).
    public static func decode(_ text: String) -> BackfillState? {
        try? JSONDecoder().decode(BackfillState.self, from: Data(text.utf8))
    }

    /// Whether `resumed()` has a page to go on with: the walk was interrupted (not finished), or stopped on an
    /// error or at the page limit.
    public var isResumable: Bool { nextURL != nil }

    /// The walk again from where it stopped, when `isResumable` (a later run, or a larger page limit); as it is
    /// otherwise.
    public func resumed() -> BackfillState {
        guard nextURL != nil else { return self }
        var s = self
        s.finished = nil
        s.failed = false
        return s
    }

    private enum CodingKeys: String, CodingKey {
        case strategy, nextURL, visited, pages, newItems, finished, failed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        strategy = try c.decode(BackfillStrategy.self, forKey: .strategy)
        nextURL = try c.decodeIfPresent(String.self, forKey: .nextURL)
        visited = try c.decode([String].self, forKey: .visited)
        pages = try c.decode(Int.self, forKey: .pages)
        newItems = try c.decode(Int.self, forKey: .newItems)
        finished = try c.decodeIfPresent(String.self, forKey: .finished)
        failed = try c.decodeIfPresent(Bool.self, forKey: .failed) ?? false
    }
}

/// The pure part of a backfill: which URL comes next, and when to stop. The caller fetches and stores.
///
/// Strategies, in order of preference: RFC 5005 archives (`prev-archive`), paged feeds (`next`), JSON Feed
/// `next_url`, WordPress (`?paged=2`, `3`, … on the feed URL, other query items kept). WordPress is walked newest
/// first, without `order=ASC`: oldest first, every later backfill would meet pages it has already seen and stop at
/// the first of them, never reaching the posts written since.
///
/// The walk stops
/// - at a page with no new items (a later backfill stops where the last one began), except for archives: an
///   archive never changes, and the newest ones hold what was read while subscribed, so the walk goes on to the
///   oldest (the caller can keep them, they are never fetched twice in one walk);
/// - at an empty page (archives: at one without `prev-archive`), at a page without a link onwards;
/// - at a 404 or 410 (no more pages), or any other status that is not 2xx or 304 (an error: `failed`, with the
///   page kept to resume from);
/// - at a URL already visited, and after `pageLimit` pages (resumable with a larger limit).
public enum BackfillPlanner {
    /// Where to start, from the feed's first page (its links, and the URL it was fetched from); `nil` when the
    /// feed offers no way to its history (or says with `fh:complete` that it holds all of it).
    public static func start(feedURL: String, first: PageLinks, pageLimit: Int) -> BackfillState? {
        let strategy: BackfillStrategy
        let url: String
        if first.complete {
            return nil
        } else if let archive = first.previousArchive {
            (strategy, url) = (.archived, archive)
        } else if let next = first.next {
            (strategy, url) = (first.nextIsJSONFeed ? .jsonNext : .paged, next)
        } else if first.wordpress {
            (strategy, url) = (.wordpress, wordpressPage(feedURL, number: max(2, wordpressPageNumber(feedURL) + 1)))
        } else {
            return nil
        }
        var state = BackfillState(strategy: strategy, nextURL: url, visited: [feedURL])
        if url == feedURL {
            state.nextURL = nil
            state.finished = "repeated URL \(url)"
        } else if pageLimit <= 0 {
            state.finished = "page limit (\(pageLimit))"
        }
        return state
    }

    /// After fetching `state.nextURL`: HTTP `status`, the page's links, and how many of its items were new.
    /// Returns the state with the next URL, or finished with the reason.
    ///
    /// `status` 304 (an archive page fetched again, unchanged) counts as a page with `links` and `itemCount` as
    /// the caller kept them. A status of 0 (no answer: a timeout, a refused connection) is an error like a 5xx.
    public static func advance(_ state: BackfillState, status: Int, links: PageLinks, newItems: Int, itemCount: Int,
                               pageLimit: Int) -> BackfillState {
        guard state.finished == nil, let url = state.nextURL else { return state }
        var s = state
        let page = s.pages + 2  // the feed's own first page is page 1
        if status == 404 || status == 410 {
            s.visited.append(url)
            s.pages += 1
            return finish(s, "\(status) at \(url): no more pages")
        }
        guard (200..<300).contains(status) || status == 304 else {
            // Kept as the page to fetch when resumed.
            s.finished = status == 0 ? "no answer from \(url)" : "HTTP \(status) at \(url)"
            s.failed = true
            return s
        }
        s.visited.append(url)
        s.pages += 1
        s.newItems += max(0, newItems)
        let next: String?
        switch s.strategy {
        case .archived:
            next = links.previousArchive
            if next == nil { return finish(s, "no earlier archive after page \(page)") }
        case .paged, .jsonNext, .wordpress:
            if itemCount <= 0 { return finish(s, "empty page \(page)") }
            if newItems <= 0 { return finish(s, "no new items on page \(page)") }
            next = s.strategy == .wordpress ? wordpressPage(url, number: wordpressPageNumber(url) + 1) : links.next
            if next == nil { return finish(s, "no link to a next page after page \(page)") }
        }
        guard let next else { return s }
        if s.visited.contains(next) { return finish(s, "repeated URL \(next) after page \(page)") }
        s.nextURL = next
        if s.pages >= pageLimit { s.finished = "page limit (\(pageLimit))" }
        return s
    }

    private static func finish(_ state: BackfillState, _ reason: String) -> BackfillState {
        var s = state
        s.nextURL = nil
        s.finished = reason
        return s
    }

    // MARK: - WordPress

    /// `url` with `paged=number` in its query, in place of any `paged` it had (its other items and their order
    /// kept; a fragment dropped): `https://example.org/author/a/feed/` → `https://example.org/author/a/feed/?paged=2`.
    public static func wordpressPage(_ url: String, number: Int) -> String {
        let withoutFragment = url.firstIndex(of: "#").map { String(url[..<$0]) } ?? url
        guard let question = withoutFragment.firstIndex(of: "?") else { return withoutFragment + "?paged=\(number)" }
        let path = withoutFragment[..<question]
        var items = withoutFragment[withoutFragment.index(after: question)...].split(separator: "&").filter {
            $0 != "paged" && !$0.hasPrefix("paged=")
        }
        items.append("paged=\(number)"[...])
        return path + "?" + items.joined(separator: "&")
    }

    /// The `paged` number in `url`'s query; 1 without one.
    static func wordpressPageNumber(_ url: String) -> Int {
        let withoutFragment = url.firstIndex(of: "#").map { url[..<$0] } ?? url[...]
        guard let question = withoutFragment.firstIndex(of: "?") else { return 1 }
        for item in withoutFragment[withoutFragment.index(after: question)...].split(separator: "&")
        where item.hasPrefix("paged=") {
            if let n = Int(item.dropFirst("paged=".count)), n >= 1 { return n }
        }
        return 1
    }
}

extension PageLinks {
    /// Reads a parsed feed's paging links (its `FeedInfo`) and the response's `Link` headers (`(url, rel)`, the URL
    /// absolute, `rel` as written: tokens separated by spaces, any case). The feed's own links come before the
    /// headers'.
    public init(info: FeedInfo, headerLinks: [(url: String, rel: String)]) {
        self.init(complete: info.isComplete, archive: info.isArchive)
        let headers = headerLinks.map { (url: $0.url, rels: Self.tokens($0.rel)) }
        func link(_ rels: Set<String>) -> String? {
            info.links.first(where: { rels.contains($0.rel) })?.href
                ?? headers.first(where: { !rels.isDisjoint(with: $0.rels) })?.url
        }
        next = link(["next"])
        nextIsJSONFeed = next != nil && (info.format == .jsonFeed10 || info.format == .jsonFeed11)
            && info.links.contains(where: { $0.rel == "next" })
        previousArchive = link(["prev-archive", "previous-archive"])
        wordpress = info.generator.map { $0.lowercased().contains("wordpress") } == true
            || headers.contains(where: { $0.rels.contains("https://api.w.org/") || $0.rels.contains("https://api.w.org") })
    }

    private static func tokens(_ rel: String) -> Set<String> {
        Set(rel.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }
}
