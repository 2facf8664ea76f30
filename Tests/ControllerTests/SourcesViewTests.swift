import Foundation
import XCTest
import Posts
@testable import Controller

/// Three sources: an archive (0), and two subscriptions (1 "Tech Feed" tagged tech and news, 2 "World" tagged news).
/// Posts are newest first: source 1 has posts 0, 3, 6…, source 2 posts 1, 4, 7…, the archive 2, 5, 8….
private func post(_ n: Int, source: Int? = nil, hour: Int? = nil) -> Post {
    Post(id: PostID(rawValue: UInt64(9000 + n)), title: "Post \(n)", bodyRange: 0..<0,
         archiveIndex: source ?? [1, 2, 0][n % 3], kind: .feedItem,
         timestamp: Int64(1_000_000 - (hour ?? n) * 3600))
}

private func id(_ n: Int) -> PostID { PostID(rawValue: UInt64(9000 + n)) }

private let summaries = [
    SourceSummary(index: 0, name: "Archive", kind: .archive, location: "/data/archive.txt"),
    SourceSummary(index: 1, name: "Tech Feed", kind: .subscription, tags: ["tech", "news"],
                  location: "https://tech.example/feed"),
    SourceSummary(index: 2, name: "World", kind: .subscription, tags: ["news"], failure: "HTTP 404 Not Found",
                  location: "https://world.example/rss"),
]

private func sourcesState(count: Int = 12, read: [Int] = [], listRows: Int = 5) -> AppState {
    var marks: [PostID: Date] = [:]
    for n in read { marks[id(n)] = Date(timeIntervalSince1970: 100) }
    var state = AppState(title: "3 sources", posts: (0..<count).map { post($0) }, readMarks: marks)
    state.sourceNames = [0: "Archive", 1: "Tech Feed", 2: "World"]
    _ = state.reduce(.sourcesChanged(summaries))
    state.measure(listRows: listRows)
    return state
}

final class SourcesViewTests: XCTestCase {
    func testTheSourcesViewListsEverySourceWithItsCountsStartingOnTheSelectedPostsSource() {
        var state = sourcesState(read: [1, 4])
        _ = state.press(.down)  // post 1, from World
        XCTAssertEqual(state.press(.character("s")), [])
        XCTAssertEqual(state.listMode, .sources)
        XCTAssertEqual(state.shownRowCount, 3)
        XCTAssertEqual(state.selectedSource?.name, "World", "the view starts on the selected post's source")
        XCTAssertEqual(state.counts(ofSource: 2), PostCounts(unread: 2, total: 4))
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 4, total: 4))
        XCTAssertEqual(state.selectedPost?.id, id(1), "the posts list is left as it was")

        _ = state.press(.up)
        XCTAssertEqual(state.selectedSource?.name, "Tech Feed")
        XCTAssertEqual(state.selectedPost?.id, id(1), "moving in the sources view does not move the posts' selection")
        _ = state.press(.character("s"))
        XCTAssertEqual(state.listMode, .posts, "s again goes back to the posts")
        XCTAssertNil(state.scope)
        XCTAssertEqual(state.selectedPost?.id, id(1))
    }

    func testEnterShowsOnlyThatSourcesPostsAndEscShowsEverySourceAgain() {
        var state = sourcesState()
        _ = state.press(.character("j"), .character("j"))  // post 2, from the archive
        _ = state.press(.character("s"), .character("j"))
        XCTAssertEqual(state.selectedSource?.name, "Tech Feed")
        let effects = state.press(.enter)
        XCTAssertEqual(effects, [], "showing a source's posts opens none of them")
        XCTAssertEqual(state.listMode, .posts)
        XCTAssertEqual(state.scope, .source(1))
        XCTAssertEqual(state.scopeName, "Tech Feed")
        XCTAssertEqual((0..<state.rowCount).map { state.post(atRow: $0).id }, [id(0), id(3), id(6), id(9)])
        XCTAssertEqual(state.selection, 0, "the selected post is not this source's: the list starts at the top")
        XCTAssertEqual(state.focus, .list)

        _ = state.press(.down)
        XCTAssertEqual(state.selectedPost?.id, id(3))
        _ = state.press(.escape)
        XCTAssertNil(state.scope)
        XCTAssertNil(state.rows, "every post again")
        XCTAssertEqual(state.selectedPost?.id, id(3), "on the same post")
    }

    func testTheSelectedPostStaysSelectedWhenItIsTheSourcesOwn() {
        var state = sourcesState()
        _ = state.press(.character("j"), .character("j"), .character("j"))  // post 3, Tech Feed
        _ = state.press(.character("s"))
        XCTAssertEqual(state.selectedSource?.name, "Tech Feed")
        _ = state.press(.enter)
        XCTAssertEqual(state.selectedPost?.id, id(3))
        XCTAssertEqual(state.selection, 1)
        // s from a source's posts: the sources view, on that source; Esc there goes back to its posts.
        _ = state.press(.character("s"))
        XCTAssertEqual(state.listMode, .sources)
        XCTAssertEqual(state.selectedSource?.name, "Tech Feed")
        _ = state.press(.escape)
        XCTAssertEqual(state.listMode, .posts)
        XCTAssertEqual(state.scope, .source(1), "Esc in the sources view changes no filter")
    }

    func testCountsFollowTheMarks() {
        var state = sourcesState()
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 4, total: 4))
        state.commit(state.press(.character("m")))  // post 0, Tech Feed
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 3, total: 4))
        XCTAssertEqual(state.counts(ofTag: "news"), PostCounts(unread: 7, total: 8))
        _ = state.reduce(.readStateRestored(read: [:], unread: [id(0)]))
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 4, total: 4))
        _ = state.reduce(.marksReloaded([id(2): Date(), id(5): Date()]))
        XCTAssertEqual(state.counts(ofSource: 0), PostCounts(unread: 2, total: 4))
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 4, total: 4))
        XCTAssertEqual(state.unreadCount, 10)
    }

    func testAPostInTwoSourcesIsCountedInEach() {
        let shared = Post(id: id(50), title: "Shared", bodyRange: 0..<0, archiveIndex: 0)
        var state = AppState(title: "2", posts: [shared, Post(id: id(50), title: "Shared", bodyRange: 0..<0,
                                                              archiveIndex: 1)])
        XCTAssertEqual(state.counts(ofSource: 0), PostCounts(unread: 1, total: 1))
        _ = state.reduce(.readStateSaved(ids: [id(50)], read: true, at: Date()))
        XCTAssertEqual(state.counts(ofSource: 0), PostCounts(unread: 0, total: 1))
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 0, total: 1))
    }

    func testTheTagsViewShowsThePostsOfTheSourcesWithATag() {
        var state = sourcesState()
        _ = state.press(.character("t"))
        XCTAssertEqual(state.listMode, .tags)
        XCTAssertEqual(state.allTags, ["news", "tech"])
        XCTAssertEqual(state.selectedTag, "tech", "the selected post's source's first tag")
        XCTAssertEqual(state.counts(ofTag: "news"), PostCounts(unread: 8, total: 8))
        _ = state.press(.up, .enter)
        XCTAssertEqual(state.scope, .tag("news"))
        XCTAssertEqual(state.rowCount, 8)
        XCTAssertTrue((0..<state.rowCount).allSatisfy { state.post(atRow: $0).archiveIndex != 0 })

        _ = state.press(.character("t"), .down, .enter)
        XCTAssertEqual(state.scope, .tag("tech"))
        XCTAssertEqual(state.rowCount, 4)
        _ = state.press(.character("t"))
        XCTAssertEqual(state.listMode, .tags)
        _ = state.press(.character("t"))
        XCTAssertEqual(state.listMode, .posts, "t again goes back")
        XCTAssertEqual(state.scope, .tag("tech"))
        _ = state.press(.escape)
        XCTAssertNil(state.scope)
        XCTAssertEqual(state.rowCount, 12)
    }

    func testWithoutTagsTheTagsViewSaysSo() {
        var state = AppState(title: "A", posts: [post(0)])
        _ = state.press(.character("t"))
        XCTAssertEqual(state.listMode, .posts)
        XCTAssertEqual(state.status?.text, "No source has tags (tags follow a feed's URL in the urls file)")
    }

    func testWithoutSummariesTheSourcesViewListsTheNamedSources() {
        var state = AppState(title: "2 files", posts: (0..<6).map { post($0, source: $0 % 2) })
        state.sourceNames = [1: "b.txt", 0: "a.txt"]
        _ = state.press(.character("s"))
        XCTAssertEqual(state.listedSources.map(\.name), ["a.txt", "b.txt"])
        XCTAssertEqual(state.counts(ofSource: 1).total, 3)
    }

    func testTheUnreadFilterAndTheSearchWorkWithinASource() {
        var state = sourcesState(read: [0, 6])
        _ = state.press(.character("s"), .enter)
        XCTAssertEqual(state.scope, .source(1))
        XCTAssertEqual(state.rowCount, 4)
        _ = state.press(.character("f"))
        XCTAssertEqual((0..<state.rowCount).map { state.post(atRow: $0).id }, [id(3), id(9)])
        _ = state.press(.character("f"))
        XCTAssertEqual(state.rowCount, 4)

        XCTAssertEqual(state.press(.character("/"), .character("P")), [.search(query: "P", candidates: nil)])
        _ = state.reduce(.searchResults(query: "P", matches: [0, 1, 2, 3, 6, 7]))
        XCTAssertEqual((0..<state.rowCount).map { state.post(atRow: $0).id }, [id(0), id(3), id(6)],
                       "the matches of this source only")
        _ = state.press(.enter, .escape)
        XCTAssertNil(state.search)
        XCTAssertEqual(state.scope, .source(1), "Esc clears the search first")
        XCTAssertEqual(state.rowCount, 4)
    }

    func testMarkAllInViewMarksOnlyTheSourcesPosts() {
        var state = sourcesState(read: [3])
        _ = state.press(.character("s"), .enter)
        XCTAssertEqual(state.press(.character("A")), [])
        XCTAssertEqual(state.confirmation?.question, "Mark 3 posts in this view read? (y/n)")
        let effects = state.press(.character("y"))
        XCTAssertEqual(effects, [.persistRead(ids: [id(0), id(6), id(9)], read: true)])
        state.commit(effects)
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 0, total: 4))
        XCTAssertEqual(state.counts(ofSource: 2), PostCounts(unread: 4, total: 4))
    }

    func testMarkAllInTheSourcesViewMarksTheSelectedSource() {
        var state = sourcesState()
        _ = state.press(.character("s"))
        XCTAssertEqual(state.selectedSource?.name, "Tech Feed")
        _ = state.press(.character("A"))
        XCTAssertEqual(state.confirmation?.question, "Mark 4 posts of Tech Feed read? (y/n)")
        state.commit(state.press(.character("y")))
        XCTAssertEqual(state.counts(ofSource: 1).unread, 0)
        XCTAssertEqual(state.unreadCount, 8)
        _ = state.press(.character("A"))
        XCTAssertEqual(state.status?.text, "Every post of Tech Feed is already read")
    }

    func testNextUnreadInTheSourcesViewSkipsReadSources() {
        var state = sourcesState(read: [1, 4, 7, 10])  // World is all read
        _ = state.press(.character("s"))
        XCTAssertEqual(state.selectedSource?.name, "Tech Feed")
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selectedSource?.name, "Archive", "World has nothing unread: wrapped to the archive")
    }

    func testCommandsThatNeedAPostSayWhatTheSourcesViewDoes() {
        var state = sourcesState()
        _ = state.press(.character("s"))
        XCTAssertEqual(state.press(.character("m")), [])
        XCTAssertEqual(state.status?.text, "Not in this view: Enter shows a source's posts, s returns to the posts")
        XCTAssertEqual(state.press(.tab), [])
        XCTAssertEqual(state.focus, .list, "the sources view has the keys")
    }

    func testTheMouseSelectsSources() {
        var state = sourcesState()
        _ = state.press(.character("s"))
        _ = state.reduce(.selectRow(2))
        XCTAssertEqual(state.selectedSource?.name, "World")
        _ = state.reduce(.moveSelection(by: -3))
        XCTAssertEqual(state.selectedSource?.name, "Archive")
        _ = state.reduce(.command(.open))
        XCTAssertEqual(state.scope, .source(0))
    }

    func testTheNewCommandsHaveTheirNamesAndCanBeBoundElsewhere() {
        XCTAssertEqual(Command(rawValue: "sources"), .sources)
        XCTAssertEqual(Command(rawValue: "tag"), .filterTag)
        XCTAssertEqual(Command(rawValue: "fetch"), .fetch)
        XCTAssertEqual(Command(rawValue: "backfill"), .backfill)
        var keymap = Keymap.standard
        keymap.bind(.function(5), to: .fetch)
        keymap.bind(.character("S"), to: .sources, in: .list)
        var state = sourcesState()
        XCTAssertEqual(state.reduce(key: .function(5), keymap: keymap), [.fetch(sources: [1])])
        _ = state.reduce(key: .character("S"), keymap: keymap)
        XCTAssertEqual(state.listMode, .sources)
        XCTAssertEqual(Keymap.defaultHelp(for: .backfill, in: .global), "backfill the selected feed's archive (sources)")
        XCTAssertEqual(Command.reload.summary, "reload the archives and fetch every subscription")
    }

    func testNewSummariesRebuildATagsPosts() {
        var state = sourcesState()
        _ = state.press(.character("t"), .up, .enter)
        XCTAssertEqual(state.scope, .tag("news"))
        XCTAssertEqual(state.rowCount, 8)
        var changed = summaries
        changed[2].tags = []
        _ = state.reduce(.sourcesChanged(changed))
        XCTAssertEqual(state.rowCount, 4, "World lost the tag")
        XCTAssertNil(state.source(withIndex: 2)?.tags.first)
    }
}

final class FetchCommandTests: XCTestCase {
    func testRFetchesTheSelectedPostsSource() {
        var state = sourcesState()
        XCTAssertEqual(state.press(.character("r")), [.fetch(sources: [1])])
        XCTAssertEqual(state.status?.text, "Fetching Tech Feed…")
        _ = state.press(.down, .down)  // the archive's post
        XCTAssertEqual(state.press(.character("r")), [])
        XCTAssertEqual(state.status?.text, "Archive is a file, not a subscription: R reads the files again")
    }

    func testRInTheSourcesViewFetchesTheSelectedSourceAndInTheTagsViewTheTagsFeeds() {
        var state = sourcesState()
        _ = state.press(.character("s"), .down)
        XCTAssertEqual(state.press(.character("r")), [.fetch(sources: [2])])
        _ = state.press(.character("t"), .up)
        XCTAssertEqual(state.selectedTag, "news")
        XCTAssertEqual(state.press(.character("r")), [.fetch(sources: [1, 2])])
        XCTAssertEqual(state.status?.text, "Fetching 2 feeds…")
    }

    func testBigRStillReloadsEverything() {
        var state = sourcesState()
        XCTAssertEqual(state.press(.character("R")), [.reload])
        _ = state.press(.character("s"))
        XCTAssertEqual(state.press(.character("R")), [.reload], "from the sources view too")
    }

    func testBackfillWorksInTheSourcesViewOnly() {
        var state = sourcesState()
        XCTAssertEqual(state.press(.character("B")), [])
        XCTAssertEqual(state.status?.text, "B backfills a feed in the sources view: press s, select the feed, then B")
        _ = state.press(.character("s"))
        XCTAssertEqual(state.press(.character("B")), [.backfill(source: 1)])
        XCTAssertEqual(state.status?.text, "Backfilling Tech Feed…")
        _ = state.press(.character("g"))
        XCTAssertEqual(state.press(.character("B")), [])
        XCTAssertEqual(state.status?.text, "Archive is a file: only subscriptions (fetched feeds) can be backfilled")
    }

    func testProgressWhileFetchingThenASummary() {
        var state = sourcesState()
        _ = state.reduce(.fetchProgress(FetchProgress(done: 37, total: 120, newPosts: 12, failed: 2)))
        XCTAssertEqual(state.fetching?.runningText, "fetching 37/120 · 12 new · 2 failed")
        _ = state.press(.down)
        XCTAssertNotNil(state.fetching, "keys do not stop the progress")
        _ = state.reduce(.fetchProgress(FetchProgress(done: 120, total: 120, newPosts: 12, failed: 2, finished: true)))
        XCTAssertNil(state.fetching)
        XCTAssertEqual(state.status, StatusMessage("Fetched 120 feeds: 12 new · 2 failed"))

        _ = state.reduce(.fetchProgress(FetchProgress(done: 1, total: 1, newPosts: 0, finished: true)))
        XCTAssertEqual(state.status, StatusMessage("Fetched 1 feed: 0 new"))
        _ = state.reduce(.fetchProgress(FetchProgress(done: 3, total: 3, failed: 3, finished: true)))
        XCTAssertEqual(state.status, StatusMessage("Fetched 3 feeds: 0 new · 3 failed", isError: true),
                       "an error when every feed failed")

        let backfill = FetchProgress(done: 4, total: 0, newPosts: 40, label: "backfilling World")
        XCTAssertEqual(backfill.runningText, "backfilling World 4 · 40 new")
        var done = backfill
        done.finished = true
        _ = state.reduce(.fetchProgress(done))
        XCTAssertEqual(state.status?.text, "Backfilled World: 40 new")
    }
}

final class ArrivingPostsTests: XCTestCase {
    /// Posts 0..<count, newest first an hour apart, from one source.
    private func state(count: Int = 10, listRows: Int = 4, read: [Int] = []) -> AppState {
        var marks: [PostID: Date] = [:]
        for n in read { marks[id(n)] = Date(timeIntervalSince1970: 100) }
        var state = AppState(title: "Feed", posts: (0..<count).map { post($0, source: 1) }, readMarks: marks)
        state.measure(listRows: listRows)
        return state
    }

    private func ids(_ state: AppState) -> [PostID] { state.posts.map(\.id) }

    func testNewPostsGoWhereTheirDatesPutThemAndTheSelectionStays() {
        var state = state()
        _ = state.press(.down, .down, .down, .down, .down)  // post 5, on the list's third row from the top
        _ = state.press(.tab, .pageDown)
        let readingTop = state.readingTop
        XCTAssertGreaterThan(readingTop, 0)
        let screenRow = state.selection - state.listTop
        let generation = state.generation

        // One newer than all, one between posts 3 and 4, one between 7 and 8, one older than all.
        let arrived = [post(100, source: 1, hour: -5), post(101, source: 1, hour: 7), post(102, source: 1, hour: 3),
                       post(103, source: 1, hour: 50)]
        XCTAssertEqual(state.reduce(.postsArrived(ArrivedPosts(posts: arrived))), [])
        XCTAssertEqual(ids(state), [id(100), id(0), id(1), id(2), id(3), id(102), id(4), id(5), id(6), id(7), id(101),
                                    id(8), id(9), id(103)])
        XCTAssertEqual(state.selectedPost?.id, id(5), "the selection stays on its post")
        XCTAssertEqual(state.selection - state.listTop, screenRow, "on the same screen row")
        XCTAssertEqual(state.readingTop, readingTop, "the article keeps its place")
        XCTAssertEqual(state.focus, .reading)
        XCTAssertEqual(state.unreadCount, 14)
        XCTAssertEqual(state.newPosts, [id(100), id(101), id(102), id(103)])
        XCTAssertTrue(state.isUnread(at: 0))
        XCTAssertEqual(state.index(of: id(102)), 5)
        XCTAssertEqual(state.index(of: id(9)), 12)
        XCTAssertEqual(state.counts(ofSource: 1), PostCounts(unread: 14, total: 14))
        XCTAssertGreaterThan(state.generation, generation, "rows drawn before must not be reused")

        // Marks still reach the right rows.
        _ = state.reduce(.readStateSaved(ids: [id(9), id(101)], read: true, at: Date()))
        XCTAssertFalse(state.isUnread(at: 12))
        XCTAssertFalse(state.isUnread(at: 10))
        XCTAssertTrue(state.isUnread(at: 11))
        XCTAssertEqual(state.unreadCount, 12)
    }

    func testArrivalsUnderTheUnreadFilterAndASourceJoinTheRowsTheyBelongTo() {
        var state = sourcesState(read: [0, 3])
        _ = state.press(.character("s"), .enter, .character("f"))
        XCTAssertEqual((0..<state.rowCount).map { state.post(atRow: $0).id }, [id(6), id(9)])
        _ = state.press(.down)
        XCTAssertEqual(state.selectedPost?.id, id(9))
        let arrived = ArrivedPosts(posts: [post(20, source: 1, hour: -1), post(21, source: 2, hour: -2),
                                           post(22, source: 1, hour: 7), post(23, source: 1, hour: 8)])
        _ = state.reduce(.postsArrived(arrived))
        XCTAssertEqual((0..<state.rowCount).map { state.post(atRow: $0).id }, [id(20), id(6), id(22), id(23), id(9)],
                       "this source's new unread posts, by date; not World's")
        XCTAssertEqual(state.selectedPost?.id, id(9))
        XCTAssertEqual(state.counts(ofSource: 2), PostCounts(unread: 5, total: 5))
        _ = state.press(.escape)
        XCTAssertEqual(state.post(atRow: 0).id, id(21), "World's post is there with every source")
    }

    func testASearchKeepsItsMatchesWhenPostsArrive() {
        var state = state(count: 6)
        _ = state.press(.character("/"), .character("P"))
        _ = state.reduce(.searchResults(query: "P", matches: [1, 4]))
        _ = state.press(.enter)
        XCTAssertEqual(state.selectedPost?.id, id(1))
        _ = state.reduce(.postsArrived(ArrivedPosts(posts: [post(30, source: 1, hour: -3)])))
        XCTAssertEqual((0..<state.rowCount).map { state.post(atRow: $0).id }, [id(1), id(4)])
        XCTAssertEqual(state.selectedPost?.id, id(1))
        _ = state.press(.escape)
        XCTAssertEqual(state.selectedPost?.id, id(0), "Esc returns to the post selected before the search")
        XCTAssertEqual(state.rowCount, 7)
    }

    func testChangedPostsAreReplacedWhereTheyAre() {
        var state = state(count: 4, read: [2])
        _ = state.press(.down, .down)
        var changed = post(2, source: 1)
        changed.title = "Post 2, corrected"
        let again = post(1, source: 1)  // a fetch reporting a listed post as new: it stays where it is
        _ = state.reduce(.postsArrived(ArrivedPosts(posts: [again], changed: [changed])))
        XCTAssertEqual(ids(state), [id(0), id(1), id(2), id(3)])
        XCTAssertEqual(state.posts[2].title, "Post 2, corrected")
        XCTAssertTrue(state.isRead(state.posts[2]), "it keeps its mark")
        XCTAssertEqual(state.selectedPost?.id, id(2))
        XCTAssertTrue(state.newPosts.isEmpty)
        XCTAssertEqual(state.unreadCount, 3)
    }

    func testTheSamePostFromAnotherSourceIsListedForItToo() {
        var state = state(count: 3)
        _ = state.reduce(.postsArrived(ArrivedPosts(posts: [post(1, source: 4, hour: 1)], sourceNames: [4: "Mirror"])))
        XCTAssertEqual(state.posts.count, 4)
        XCTAssertEqual(state.counts(ofSource: 4), PostCounts(unread: 1, total: 1))
        XCTAssertEqual(state.sourceNames[4], "Mirror")
        _ = state.reduce(.readStateSaved(ids: [id(1)], read: true, at: Date()))
        XCTAssertEqual(state.unreadCount, 2, "read once for both")
    }

    func testArrivalsIntoAnEmptyListAndUndatedOnes() {
        var state = AppState(title: "Nothing yet", posts: [])
        state.measure(listRows: 4)
        var undated = post(40, source: 1)
        undated.timestamp = nil
        _ = state.reduce(.postsArrived(ArrivedPosts(posts: [undated, post(41, source: 1, hour: 2),
                                                            post(42, source: 1, hour: 1)])))
        XCTAssertEqual(ids(state), [id(42), id(41), id(40)], "newest first, undated last")
        XCTAssertEqual(state.selection, 0)
        XCTAssertEqual(state.unreadCount, 3)
    }

    func testRandomArrivalsGiveTheSameListAsSortingEverything() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var next = 0
        func make(_ count: Int) -> [Post] {
            (0..<count).map { _ in
                next += 1
                var post = Post(id: PostID(rawValue: UInt64(100_000 + next)), title: "P\(next)", bodyRange: 0..<0,
                                archiveIndex: random(3), kind: .feedItem, timestamp: Int64(random(40)))
                if random(8) == 0 { post.timestamp = nil }
                return post
            }
        }
        func key(_ post: Post) -> Int64 { post.timestamp ?? .min }
        for round in 0..<40 {
            // A listed list in order (newest first, undated last), then a batch in any order.
            let listed = make(random(30)).enumerated().sorted { (key($0.element), -$0.offset) > (key($1.element), -$1.offset) }
                .map(\.element)
            var marks: [PostID: Date] = [:]
            for post in listed where random(2) == 0 { marks[post.id] = Date(timeIntervalSince1970: 1) }
            var state = AppState(title: "R", posts: listed, readMarks: marks)
            state.measure(listRows: 5)
            if round % 2 == 1 { _ = state.press(.character("f")) }
            let selected = state.selectedPost?.id
            let batch = make(random(8) + 1)
            _ = state.reduce(.postsArrived(ArrivedPosts(posts: batch)))

            let all = listed + batch
            let expected = all.indices.sorted { a, b in
                key(all[a]) != key(all[b]) ? key(all[a]) > key(all[b]) : a < b
            }.map { all[$0].id }
            XCTAssertEqual(state.posts.map(\.id), expected, "round \(round)")
            for (index, post) in state.posts.enumerated() {
                XCTAssertEqual(state.isUnread(at: index), marks[post.id] == nil, "round \(round)")
                XCTAssertEqual(state.index(of: post.id), index, "round \(round)")
            }
            if round % 2 == 1 {
                let unread = state.posts.indices.filter { state.isUnread(at: $0) }
                let stillShown = Set((0..<state.rowCount).map { state.postIndex(atRow: $0) })
                XCTAssertTrue(Set(unread).isSubset(of: stillShown), "round \(round): every unread post is shown")
            }
            if let selected, !listed.isEmpty { XCTAssertEqual(state.selectedPost?.id, selected, "round \(round)") }
            for source in 0..<3 {
                let posts = state.posts.filter { $0.archiveIndex == source }
                XCTAssertEqual(state.counts(ofSource: source),
                               PostCounts(unread: posts.filter { marks[$0.id] == nil }.count, total: posts.count))
            }
        }
    }

    func testArrivalsWaitForTheFirstIndexingToFinish() {
        var state = AppState(title: "2 feeds", posts: [post(0, source: 1), post(1, source: 1)])
        state.indexing = 0.5
        _ = state.reduce(.postsArrived(ArrivedPosts(posts: [post(50, source: 1, hour: -1)])))
        XCTAssertEqual(state.posts.count, 2, "the indexer's last batch orders the list by index: it waits")
        _ = state.reduce(.postsIndexed(IndexedPosts(posts: [post(2, source: 2)], progress: 1, done: true,
                                                    sourceNames: [1: "A", 2: "B"], order: [2, 1, 0])))
        XCTAssertEqual(ids(state), [id(50), id(2), id(1), id(0)])
        XCTAssertTrue(state.isNew(state.posts[0]))
    }
}

final class HelpScrollingTests: XCTestCase {
    private func helping(rows: Int, lines: Int) -> AppState {
        var state = makeState()
        _ = state.press(.character("?"))
        _ = state.reduce(.viewport(Viewport(listRows: 5, readingRows: 10, article: state.viewport.article,
                                            helpRows: rows, helpLines: lines)))
        return state
    }

    func testTheHelpScrollsWhenItHasMoreLinesThanFit() {
        var state = helping(rows: 18, lines: 50)
        _ = state.reduce(key: .character("j"))
        _ = state.reduce(key: .down)
        XCTAssertTrue(state.showingHelp)
        XCTAssertEqual(state.helpTop, 2)
        XCTAssertEqual(state.selection, 0, "the list under it does not move")
        _ = state.reduce(key: .pageDown)
        XCTAssertEqual(state.helpTop, 19)
        _ = state.reduce(key: .character(" "))
        XCTAssertEqual(state.helpTop, 32, "no further than the last line at the bottom")
        _ = state.reduce(key: .character("k"))
        _ = state.reduce(key: .pageUp)
        XCTAssertEqual(state.helpTop, 14)
        _ = state.reduce(.scrollHelp(by: -30))
        XCTAssertEqual(state.helpTop, 0)
        _ = state.reduce(key: .character("G"))
        XCTAssertEqual(state.helpTop, 32)
    }

    func testQuestionMarkEscAndQCloseItAndBigQQuits() {
        for key in [Key.character("?"), .escape, .character("q"), .character("x")] {
            var state = helping(rows: 18, lines: 50)
            XCTAssertEqual(state.reduce(key: key), [], "\(key)")
            XCTAssertFalse(state.showingHelp, "\(key)")
        }
        var state = helping(rows: 18, lines: 50)
        XCTAssertEqual(state.press(.character("Q")), [.quit])
    }

    func testWhenEverythingFitsAnyKeyClosesIt() {
        var state = helping(rows: 40, lines: 40)
        _ = state.reduce(key: .down)
        XCTAssertFalse(state.showingHelp)
        XCTAssertEqual(state.selection, 0)
    }

    func testItOpensAtTheTop() {
        var state = helping(rows: 18, lines: 50)
        _ = state.reduce(key: .pageDown)
        _ = state.reduce(key: .escape)
        _ = state.press(.character("?"))
        XCTAssertEqual(state.helpTop, 0)
    }
}
