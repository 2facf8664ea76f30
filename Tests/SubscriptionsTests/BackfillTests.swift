import Feeds
import XCTest
@testable import Subscriptions

/// The pure part of backfill: reading a page's links, choosing a strategy, and walking pages until one of the
/// stop rules, including whole walks over simulated sites.
final class BackfillTests: XCTestCase {
    // MARK: - PageLinks

    func testPageLinksFromAnAtomArchiveDocument() {
        var info = FeedInfo(format: .atom10)
        info.links = [FeedLink(rel: "current", href: "https://x.example/feed"),
                      FeedLink(rel: "prev-archive", href: "https://x.example/2019"),
                      FeedLink(rel: "next", href: "https://x.example/p2")]
        info.isArchive = true
        info.isComplete = true
        let links = PageLinks(info: info, headerLinks: [])
        XCTAssertEqual(links.previousArchive, "https://x.example/2019")
        XCTAssertEqual(links.next, "https://x.example/p2")
        XCTAssertTrue(links.archive)
        XCTAssertTrue(links.complete)
        XCTAssertFalse(links.wordpress)
        XCTAssertFalse(links.nextIsJSONFeed)
    }

    func testPageLinksFromHeadersWhenTheFeedHasNone() {
        let links = PageLinks(info: FeedInfo(format: .rss20), headerLinks: [
            (url: "https://x.example/wp-json/", rel: "https://api.w.org/"),
            (url: "https://x.example/feed?page=2", rel: "NEXT last"),
            (url: "https://x.example/a/2019", rel: "prev-archive"),
        ])
        XCTAssertEqual(links.next, "https://x.example/feed?page=2")
        XCTAssertEqual(links.previousArchive, "https://x.example/a/2019")
        XCTAssertTrue(links.wordpress)
    }

    func testTheFeedsOwnLinkWinsOverAHeader() {
        var info = FeedInfo(format: .atom10)
        info.links = [FeedLink(rel: "next", href: "https://x.example/from-feed")]
        let links = PageLinks(info: info, headerLinks: [(url: "https://x.example/from-header", rel: "next")])
        XCTAssertEqual(links.next, "https://x.example/from-feed")
    }

    func testWordPressToldByGeneratorInAnyCase() {
        for generator in ["https://wordpress.org/?v=6.4.2", "WordPress 6.4", "WORDPRESS.COM"] {
            var info = FeedInfo(format: .rss20)
            info.generator = generator
            XCTAssertTrue(PageLinks(info: info, headerLinks: []).wordpress, generator)
        }
        var hugo = FeedInfo(format: .rss20)
        hugo.generator = "Hugo -- gohugo.io"
        XCTAssertFalse(PageLinks(info: hugo, headerLinks: [(url: "https://x.example/", rel: "alternate")]).wordpress)
    }

    func testJSONFeedNextIsMarked() {
        var info = FeedInfo(format: .jsonFeed11)
        info.links = [FeedLink(rel: "next", href: "https://x.example/feed.json?p=2")]
        let links = PageLinks(info: info, headerLinks: [])
        XCTAssertTrue(links.nextIsJSONFeed)
        XCTAssertEqual(BackfillPlanner.start(feedURL: "https://x.example/feed.json", first: links, pageLimit: 10)?.strategy,
                       .jsonNext)
    }

    // MARK: - start

    func testStartPrefersArchivesThenNextThenWordPress() {
        let feed = "https://x.example/feed/"
        let all = PageLinks(next: "https://x.example/p2", previousArchive: "https://x.example/a1", wordpress: true)
        XCTAssertEqual(BackfillPlanner.start(feedURL: feed, first: all, pageLimit: 10),
                       BackfillState(strategy: .archived, nextURL: "https://x.example/a1", visited: [feed]))
        let paged = PageLinks(next: "https://x.example/p2", wordpress: true)
        XCTAssertEqual(BackfillPlanner.start(feedURL: feed, first: paged, pageLimit: 10),
                       BackfillState(strategy: .paged, nextURL: "https://x.example/p2", visited: [feed]))
        let wordpress = PageLinks(wordpress: true)
        XCTAssertEqual(BackfillPlanner.start(feedURL: feed, first: wordpress, pageLimit: 10),
                       BackfillState(strategy: .wordpress, nextURL: "https://x.example/feed/?paged=2", visited: [feed]))
    }

    func testStartWithoutAWayBackOrWithACompleteFeed() {
        XCTAssertNil(BackfillPlanner.start(feedURL: "https://x.example/", first: PageLinks(), pageLimit: 10))
        XCTAssertNil(BackfillPlanner.start(feedURL: "https://x.example/", first: PageLinks(next: "https://x.example/2",
                                                                                            complete: true),
                                           pageLimit: 10), "a complete feed holds its whole history")
    }

    func testStartWhoseFirstLinkIsTheFeedItself() {
        let state = BackfillPlanner.start(feedURL: "https://x.example/f", first: PageLinks(next: "https://x.example/f"),
                                          pageLimit: 10)
        XCTAssertNil(state?.nextURL)
        XCTAssertEqual(state?.finished, "repeated URL https://x.example/f")
    }

    func testWordPressPageURLs() {
        XCTAssertEqual(BackfillPlanner.wordpressPage("https://example.org/author/grant-montgomery/feed/", number: 2),
                       "https://example.org/author/grant-montgomery/feed/?paged=2")
        XCTAssertEqual(BackfillPlanner.wordpressPage("https://example.org/?feed=rss2&author=3", number: 2),
                       "https://example.org/?feed=rss2&author=3&paged=2")
        XCTAssertEqual(BackfillPlanner.wordpressPage("https://example.org/feed/?paged=2&x=1#top", number: 3),
                       "https://example.org/feed/?x=1&paged=3")
        XCTAssertEqual(BackfillPlanner.wordpressPageNumber("https://example.org/feed/?x=1&paged=7"), 7)
        XCTAssertEqual(BackfillPlanner.wordpressPageNumber("https://example.org/feed/?paged=abc"), 1)
        XCTAssertEqual(BackfillPlanner.wordpressPageNumber("https://example.org/feed/"), 1)
        // A feed URL that already names a page starts after it.
        XCTAssertEqual(BackfillPlanner.start(feedURL: "https://example.org/feed/?paged=4", first: PageLinks(wordpress: true),
                                             pageLimit: 10)?.nextURL, "https://example.org/feed/?paged=5")
    }

    // MARK: - advance

    private let paged = BackfillState(strategy: .paged, nextURL: "https://x.example/p2", visited: ["https://x.example/"])

    func testAdvanceFollowsNext() {
        let s = BackfillPlanner.advance(paged, status: 200, links: PageLinks(next: "https://x.example/p3"), newItems: 10,
                                        itemCount: 10, pageLimit: 1000)
        XCTAssertEqual(s, BackfillState(strategy: .paged, nextURL: "https://x.example/p3",
                                        visited: ["https://x.example/", "https://x.example/p2"], pages: 1, newItems: 10))
    }

    func testAdvanceStopsAtAPageWithNothingNew() {
        let s = BackfillPlanner.advance(paged, status: 200, links: PageLinks(next: "https://x.example/p3"), newItems: 0,
                                        itemCount: 10, pageLimit: 1000)
        XCTAssertNil(s.nextURL)
        XCTAssertEqual(s.finished, "no new items on page 2")
        XCTAssertFalse(s.failed)
        XCTAssertEqual(s.pages, 1)
    }

    func testAdvanceStopsAtAnEmptyPage() {
        let s = BackfillPlanner.advance(paged, status: 200, links: PageLinks(next: "https://x.example/p3"), newItems: 0,
                                        itemCount: 0, pageLimit: 1000)
        XCTAssertEqual(s.finished, "empty page 2")
        XCTAssertNil(s.nextURL)
    }

    func testAdvanceStopsWithoutANextLink() {
        let s = BackfillPlanner.advance(paged, status: 200, links: PageLinks(), newItems: 3, itemCount: 3, pageLimit: 1000)
        XCTAssertEqual(s.finished, "no link to a next page after page 2")
        XCTAssertEqual(s.newItems, 3)
    }

    func testAdvanceStopsAt404And410() {
        for status in [404, 410] {
            let s = BackfillPlanner.advance(paged, status: status, links: PageLinks(), newItems: 0, itemCount: 0,
                                            pageLimit: 1000)
            XCTAssertEqual(s.finished, "\(status) at https://x.example/p2: no more pages")
            XCTAssertNil(s.nextURL)
            XCTAssertFalse(s.failed)
            XCTAssertFalse(s.isResumable)
        }
    }

    func testAdvanceStopsOnAnErrorKeepingThePageToResume() {
        for (status, reason) in [(500, "HTTP 500 at https://x.example/p2"), (503, "HTTP 503 at https://x.example/p2"),
                                 (403, "HTTP 403 at https://x.example/p2"), (0, "no answer from https://x.example/p2")] {
            let s = BackfillPlanner.advance(paged, status: status, links: PageLinks(next: "https://x.example/p3"),
                                            newItems: 0, itemCount: 0, pageLimit: 1000)
            XCTAssertEqual(s.finished, reason)
            XCTAssertTrue(s.failed)
            XCTAssertEqual(s.nextURL, "https://x.example/p2")
            XCTAssertEqual(s.pages, 0)
            XCTAssertEqual(s.visited, ["https://x.example/"])
            XCTAssertTrue(s.isResumable)
            XCTAssertEqual(s.resumed(), paged)
        }
    }

    func testAdvanceStopsAtARepeatedURL() {
        let s = BackfillPlanner.advance(paged, status: 200, links: PageLinks(next: "https://x.example/"), newItems: 5,
                                        itemCount: 5, pageLimit: 1000)
        XCTAssertEqual(s.finished, "repeated URL https://x.example/ after page 2")
        XCTAssertNil(s.nextURL)
        XCTAssertEqual(s.newItems, 5)
    }

    func testAdvanceStopsAtThePageLimitAndCanGoOnWithALargerOne() {
        let s = BackfillPlanner.advance(paged, status: 200, links: PageLinks(next: "https://x.example/p3"), newItems: 5,
                                        itemCount: 5, pageLimit: 1)
        XCTAssertEqual(s.finished, "page limit (1)")
        XCTAssertEqual(s.nextURL, "https://x.example/p3")
        XCTAssertTrue(s.isResumable)
        let again = BackfillPlanner.advance(s.resumed(), status: 200, links: PageLinks(next: "https://x.example/p4"),
                                            newItems: 5, itemCount: 5, pageLimit: 5)
        XCTAssertNil(again.finished)
        XCTAssertEqual(again.nextURL, "https://x.example/p4")
        XCTAssertEqual(again.pages, 2)
    }

    func testAFinishedStateDoesNotAdvance() {
        let done = BackfillState(strategy: .paged, nextURL: nil, finished: "no new items on page 3")
        XCTAssertEqual(BackfillPlanner.advance(done, status: 200, links: PageLinks(next: "https://x.example/z"),
                                               newItems: 9, itemCount: 9, pageLimit: 10), done)
        XCTAssertEqual(done.resumed(), done)
        XCTAssertFalse(done.isResumable)
    }

    func testArchivesGoOnThroughPagesWithNothingNewAndStopAtTheOldest() {
        let start = BackfillState(strategy: .archived, nextURL: "https://x.example/a3", visited: ["https://x.example/"])
        let s1 = BackfillPlanner.advance(start, status: 304, links: PageLinks(previousArchive: "https://x.example/a2",
                                                                               archive: true),
                                         newItems: 0, itemCount: 10, pageLimit: 1000)
        XCTAssertNil(s1.finished)
        XCTAssertEqual(s1.nextURL, "https://x.example/a2")
        let s2 = BackfillPlanner.advance(s1, status: 200, links: PageLinks(archive: true), newItems: 4, itemCount: 10,
                                         pageLimit: 1000)
        XCTAssertEqual(s2.finished, "no earlier archive after page 3")
        XCTAssertEqual(s2.newItems, 4)
        XCTAssertEqual(s2.pages, 2)
    }

    func testWordPressAdvancesPagedByOne() {
        let start = BackfillState(strategy: .wordpress, nextURL: "https://x.example/feed/?paged=2",
                                  visited: ["https://x.example/feed/"])
        let s = BackfillPlanner.advance(start, status: 200, links: PageLinks(next: "https://ignored.example/"), newItems: 10,
                                        itemCount: 10, pageLimit: 1000)
        XCTAssertEqual(s.nextURL, "https://x.example/feed/?paged=3")
    }

    // MARK: - Saved state

    func testStateRoundTripsThroughJSON() {
        var state = BackfillState(strategy: .wordpress, nextURL: "https://x.example/feed/?paged=3",
                                  visited: ["https://x.example/feed/", "https://x.example/feed/?paged=2"], pages: 1,
                                  newItems: 10, finished: "HTTP 503 at https://x.example/feed/?paged=3")
        state.failed = true
        XCTAssertEqual(BackfillState.decode(state.encoded), state)
        let done = BackfillState(strategy: .archived, nextURL: nil, finished: "no earlier archive after page 9")
        XCTAssertEqual(BackfillState.decode(done.encoded), done)
        XCTAssertTrue(state.encoded.contains("\"strategy\":\"wordpress\""), state.encoded)
    }

    func testDecodingSomethingElseGivesNil() {
        XCTAssertNil(BackfillState.decode(""))
        XCTAssertNil(BackfillState.decode("{}"))
        XCTAssertNil(BackfillState.decode("{\"strategy\":\"carrier-pigeon\",\"visited\":[],\"pages\":0,\"newItems\":0}"))
        XCTAssertEqual(BackfillState.decode("{\"strategy\":\"paged\",\"visited\":[],\"pages\":2,\"newItems\":5}"),
                       BackfillState(strategy: .paged, nextURL: nil, pages: 2, newItems: 5), "fields added later default")
    }

    // MARK: - Whole walks

    /// A site: each URL's status, links and item ids.
    private struct Page {
        var status = 200
        var links = PageLinks()
        var items: [String] = []
    }

    /// Walks `site` as the caller would: fetch, count what is new, save, advance. Returns the final state, the
    /// URLs fetched, and the items kept.
    private func walk(_ site: [String: Page], feedURL: String, known: Set<String> = [], pageLimit: Int = 1000,
                      from saved: BackfillState? = nil, stopAfter: Int = .max)
        -> (state: BackfillState?, fetched: [String], kept: Set<String>) {
        var kept = known.union(site[feedURL]?.items ?? [])
        var fetched: [String] = []
        guard var state = saved ?? BackfillPlanner.start(feedURL: feedURL, first: site[feedURL]?.links ?? PageLinks(),
                                                         pageLimit: pageLimit) else { return (nil, [], kept) }
        while state.finished == nil, let url = state.nextURL, fetched.count < stopAfter {
            fetched.append(url)
            let page = site[url] ?? Page(status: 404)
            let new = page.status == 200 ? page.items.filter { !kept.contains($0) } : []
            kept.formUnion(new)
            state = BackfillPlanner.advance(state, status: page.status, links: page.links, newItems: new.count,
                                            itemCount: page.items.count, pageLimit: pageLimit)
            // Saved after every page, as the store does.
            state = BackfillState.decode(state.encoded)!
            XCTAssertLessThanOrEqual(fetched.count, 2000, "the walk ends")
        }
        return (state, fetched, kept)
    }

    private func ids(_ range: ClosedRange<Int>) -> [String] { range.map { "post-\($0)" } }

    /// A WordPress author archive of 47 posts, 10 a page: pages 2 to 5, then a 404.
    private func wordpressSite() -> [String: Page] {
        let feed = "https://example.org/author/grant-montgomery/feed/"
        var site: [String: Page] = [feed: Page(links: PageLinks(wordpress: true), items: ids(38...47).reversed())]
        for n in 2...5 {
            let newest = 47 - (n - 1) * 10
            site[feed + "?paged=\(n)"] = Page(items: ids(max(1, newest - 9)...newest).reversed())
        }
        return site
    }

    func testWalkAWordPressAuthorArchiveToTheEnd() {
        let result = walk(wordpressSite(), feedURL: "https://example.org/author/grant-montgomery/feed/")
        XCTAssertEqual(result.kept, Set(ids(1...47)))
        XCTAssertEqual(result.fetched.map { String($0.suffix(7)) }, ["paged=2", "paged=3", "paged=4", "paged=5", "paged=6"])
        XCTAssertEqual(result.state?.finished,
                       "404 at https://example.org/author/grant-montgomery/feed/?paged=6: no more pages")
        XCTAssertEqual(result.state?.newItems, 37)
        XCTAssertEqual(result.state?.pages, 5)
    }

    func testASecondWordPressBackfillStopsWhereTheFirstBegan() {
        var site = wordpressSite()
        let feed = "https://example.org/author/grant-montgomery/feed/"
        // Two new posts since: everything shifts by two.
        site[feed]!.items = ids(40...49).reversed()
        for n in 2...5 {
            let newest = 49 - (n - 1) * 10
            site[feed + "?paged=\(n)"] = Page(items: ids(max(1, newest - 9)...newest).reversed())
        }
        let result = walk(site, feedURL: feed, known: Set(ids(1...47)))
        XCTAssertEqual(result.fetched, [feed + "?paged=2"])
        XCTAssertEqual(result.state?.finished, "no new items on page 2")
    }

    func testAnInterruptedWalkResumesFromItsSavedState() {
        let feed = "https://example.org/author/grant-montgomery/feed/"
        let first = walk(wordpressSite(), feedURL: feed, stopAfter: 2)
        XCTAssertNil(first.state?.finished)
        XCTAssertEqual(first.state?.nextURL, feed + "?paged=4")
        let rest = walk(wordpressSite(), feedURL: feed, known: first.kept, from: first.state)
        XCTAssertEqual(rest.fetched, [feed + "?paged=4", feed + "?paged=5", feed + "?paged=6"])
        XCTAssertEqual(rest.kept, Set(ids(1...47)))
        XCTAssertEqual(rest.state?.pages, 5)
    }

    func testWalkRFC5005Archives() {
        let feed = "https://x.example/feed"
        var site: [String: Page] = [feed: Page(links: PageLinks(previousArchive: "https://x.example/archive/3"),
                                               items: ids(31...35))]
        for n in 1...3 {
            site["https://x.example/archive/\(n)"] = Page(
                links: PageLinks(previousArchive: n > 1 ? "https://x.example/archive/\(n - 1)" : nil, archive: true),
                items: ids((n - 1) * 10 + 1...n * 10))
        }
        // Archive 3 was read while subscribed: nothing new there, the walk goes on.
        let result = walk(site, feedURL: feed, known: Set(ids(21...30)))
        XCTAssertEqual(result.fetched, ["https://x.example/archive/3", "https://x.example/archive/2",
                                        "https://x.example/archive/1"])
        XCTAssertEqual(result.kept, Set(ids(1...35)))
        XCTAssertEqual(result.state?.finished, "no earlier archive after page 4")
    }

    func testWalkPagedFeedWithALoopAndAPageLimit() {
        let feed = "https://x.example/feed"
        let site: [String: Page] = [
            feed: Page(links: PageLinks(next: "https://x.example/feed?page=2"), items: ["a"]),
            "https://x.example/feed?page=2": Page(links: PageLinks(next: "https://x.example/feed?page=3"), items: ["b"]),
            "https://x.example/feed?page=3": Page(links: PageLinks(next: "https://x.example/feed?page=2"), items: ["c"]),
        ]
        let looped = walk(site, feedURL: feed)
        XCTAssertEqual(looped.fetched.count, 2)
        XCTAssertEqual(looped.state?.finished, "repeated URL https://x.example/feed?page=2 after page 3")
        let limited = walk(site, feedURL: feed, pageLimit: 1)
        XCTAssertEqual(limited.fetched, ["https://x.example/feed?page=2"])
        XCTAssertEqual(limited.state?.finished, "page limit (1)")
        XCTAssertEqual(limited.kept, ["a", "b"])
    }

    func testWalkJSONFeedPagesUntilAServerError() {
        let feed = "https://x.example/feed.json"
        var first = PageLinks(next: "https://x.example/feed.json?p=2")
        first.nextIsJSONFeed = true
        let site: [String: Page] = [
            feed: Page(links: first, items: ["1"]),
            "https://x.example/feed.json?p=2": Page(links: PageLinks(next: "https://x.example/feed.json?p=3"), items: ["2"]),
            "https://x.example/feed.json?p=3": Page(status: 502),
        ]
        let result = walk(site, feedURL: feed)
        XCTAssertEqual(result.state?.strategy, .jsonNext)
        XCTAssertEqual(result.state?.finished, "HTTP 502 at https://x.example/feed.json?p=3")
        XCTAssertEqual(result.state?.failed, true)
        XCTAssertEqual(result.state?.nextURL, "https://x.example/feed.json?p=3")
        XCTAssertEqual(result.kept, ["1", "2"])
    }
}
