import Foundation
import XCTest
import Posts
import Search
@testable import Controller

/// Three sources as in SourcesViewTests: an archive (0), "Tech Feed" (1), "World" (2). Posts newest first:
/// source 1 has posts 0, 3, 6…, source 2 posts 1, 4, 7…, the archive 2, 5, 8….
private func item(_ n: Int, source: Int? = nil, hour: Int? = nil) -> Post {
    Post(id: PostID(rawValue: UInt64(7000 + n)), title: "Item \(n)", bodyRange: 0..<0,
         archiveIndex: source ?? [1, 2, 0][n % 3], kind: .feedItem,
         timestamp: Int64(1_000_000 - (hour ?? n) * 3600))
}

private func pid(_ n: Int) -> PostID { PostID(rawValue: UInt64(7000 + n)) }
private func postID(_ i: Int) -> PostID { PostID(rawValue: UInt64(1000 + i)) }

private let summaries = [
    SourceSummary(index: 0, name: "Archive", kind: .archive, location: "/data/archive.txt"),
    SourceSummary(index: 1, name: "Tech Feed", kind: .subscription, tags: ["tech"], location: "https://tech.example/feed"),
    SourceSummary(index: 2, name: "World", kind: .subscription, tags: ["news"], location: "https://world.example/rss"),
]

private func sourcesState(count: Int = 12, read: [Int] = []) -> AppState {
    var marks: [PostID: Date] = [:]
    for n in read { marks[pid(n)] = Date(timeIntervalSince1970: 100) }
    var state = AppState(title: "3 sources", posts: (0..<count).map { item($0) }, readMarks: marks)
    state.sourceNames = [0: "Archive", 1: "Tech Feed", 2: "World"]
    _ = state.reduce(.sourcesChanged(summaries))
    state.measure(listRows: 5)
    return state
}

private let korea = SavedQuery(name: "Korea", query: "korea")
private let floods = SavedQuery(name: "Floods", query: "flood")

private func shownIDs(_ state: AppState) -> [PostID] { (0..<state.rowCount).map { state.post(atRow: $0).id } }

/// `/` with the read state left to the controller, and Enter ending the prefix.
final class SearchSemanticsTests: XCTestCase {
    func testTheReadStateAQueryAsksFor() {
        var query = SearchQuery()
        XCTAssertEqual(ReadCondition(query), .any)
        query.filters = [.tag("news")]
        XCTAssertEqual(ReadCondition(query), .any)
        query.filters = [.unread]
        XCTAssertEqual(ReadCondition(query), .unread)
        query.filters = [.read]
        XCTAssertEqual(ReadCondition(query), .read)
        query.filters = []
        query.excludedFilters = [.read]
        XCTAssertEqual(ReadCondition(query), .unread, "-is:read")
        query.excludedFilters = [.unread]
        XCTAssertEqual(ReadCondition(query), .read, "-is:unread")
        query.filters = [.unread]
        XCTAssertEqual(ReadCondition(query), .nothing, "is:unread -is:unread")
    }

    func testIsUnreadIsAppliedByTheControllerAndTheSelectedPostStaysOnceRead() {
        var state = makeState(count: 6, read: [1])
        _ = state.press(.character("/"), .character("p"))
        state.search?.parsed.filters = [.unread]  // what the parser makes of `p is:unread`
        _ = state.reduce(.searchResults(query: "p", matches: [0, 1, 2, 4]))
        XCTAssertEqual((0..<state.rowCount).map { state.postIndex(atRow: $0) }, [0, 2, 4],
                       "the worker's matches less the read post")
        _ = state.press(.down)
        XCTAssertEqual(state.selectedPost?.title, "Post 3")
        let effects = state.reduce(.command(.open)).filter { !$0.isBookkeeping }
        XCTAssertEqual(effects, [.persistRead(ids: [postID(2)], read: true)])
        state.commit(effects)
        XCTAssertEqual((0..<state.rowCount).map { state.postIndex(atRow: $0) }, [0, 2, 4],
                       "read meanwhile: it stays until the search changes")
        XCTAssertEqual(state.selectedPost?.title, "Post 3")
        _ = state.reduce(.searchResults(query: "p", matches: [0, 1, 2, 4]))
        XCTAssertEqual((0..<state.rowCount).map { state.postIndex(atRow: $0) }, [0, 4], "a new answer: read ones go")
    }

    func testIsReadShowsOnlyReadMatchesAndTheUnreadFilterThenNothing() {
        var state = makeState(count: 6, read: [1, 4])
        _ = state.press(.character("/"), .character("p"))
        state.search?.parsed.excludedFilters = [.unread]  // `p -is:unread`
        _ = state.reduce(.searchResults(query: "p", matches: [0, 1, 2, 4]))
        XCTAssertEqual((0..<state.rowCount).map { state.postIndex(atRow: $0) }, [1, 4])
        _ = state.reduce(.command(.toggleFilter))
        XCTAssertEqual(state.rowCount, 0)
    }

    func testTheRealParsersIsUnreadReachesTheRows() throws {
        try XCTSkipUnless(SearchQuery.parse("p is:unread").filters.contains(.unread), "the stub parser knows words only")
        var state = makeState(count: 6, read: [1])
        _ = state.press(.character("/"))
        for scalar in "p is:unread".unicodeScalars { _ = state.reduce(key: .character(scalar)) }
        _ = state.reduce(.searchResults(query: "p is:unread", matches: [0, 1, 2, 4]))
        XCTAssertEqual((0..<state.rowCount).map { state.postIndex(atRow: $0) }, [0, 2, 4])
    }

    func testEnterKeepsTheResultsTheTypingFound() {
        var state = makeState(count: 5)
        _ = state.press(.character("/"))
        XCTAssertEqual(state.reduce(key: .character("k")), [.search(query: "k", candidates: nil, typing: true)])
        XCTAssertEqual(state.search?.parsed.required.last?.prefix, true, "while typing, k finds korea")
        _ = state.reduce(.searchResults(query: "k", matches: [1, 3]))
        XCTAssertEqual(state.reduce(key: .enter), [], "Enter does not search again: the results stay")
        XCTAssertEqual(state.search?.editing, false)
        XCTAssertEqual(state.search?.parsed.required.last?.prefix, true, "k still finds korea after Enter")
        XCTAssertEqual(state.rowCount, 2)

        _ = state.press(.escape, .character("/"), .character("k"), .character(" "))
        XCTAssertEqual(state.reduce(key: .enter), [], "a word ended by a space was whole already")
    }

    func testAQueryProblemIsKeptWithTheSearch() {
        var state = makeState(count: 3)
        _ = state.press(.character("/"), .character("x"))
        XCTAssertNil(state.search?.problem)
        state.search?.parsed.problems = ["after:yesterday is not a date (after:2020-04-01)", "second"]
        XCTAssertEqual(state.search?.problem, "after:yesterday is not a date (after:2020-04-01)")
    }
}

/// Saved searches as sources: listed with counts, their posts as a scope, marked read, run again as posts change.
final class SavedSearchTests: XCTestCase {
    func testSavedSearchesAreRunAndListedAfterTheSourcesWithTheirCounts() {
        var state = sourcesState(read: [3])
        let effects = state.reduce(.savedSearches([korea, floods]))
        XCTAssertEqual(effects, [.runSavedSearch(query: "korea"), .runSavedSearch(query: "flood")])
        XCTAssertEqual(state.savedSearches, [korea, floods])
        XCTAssertNil(state.counts(ofSavedSearch: 0), "being found")
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3, 7]))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 3))
        XCTAssertNil(state.counts(ofSavedSearch: 1))

        _ = state.press(.character("s"))
        XCTAssertEqual(state.shownRowCount, 5, "three sources, two saved searches")
        _ = state.press(.end)
        XCTAssertEqual(state.selectedSavedSearch, floods)
        XCTAssertNil(state.selectedSource)
        _ = state.press(.up)
        XCTAssertEqual(state.selectedSavedSearch, korea)
        XCTAssertEqual(state.pickerCounts(atRow: 3), PostCounts(unread: 2, total: 3))
    }

    func testEnterShowsASavedSearchsPostsAndEscEverySource() {
        var state = sourcesState()
        _ = state.reduce(.savedSearches([korea]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3, 7]))
        _ = state.press(.character("s"), .end, .enter)
        XCTAssertEqual(state.listMode, .posts)
        XCTAssertEqual(state.scope, .savedSearch("Korea"))
        XCTAssertEqual(state.scopeName, "Korea")
        XCTAssertEqual(shownIDs(state), [pid(0), pid(3), pid(7)])
        XCTAssertTrue(state.showsSources, "its posts come from several sources")
        _ = state.press(.down, .down)
        XCTAssertEqual(state.selectedPost?.id, pid(7))
        _ = state.press(.character("s"))
        XCTAssertEqual(state.selectedSavedSearch, korea, "the sources view starts on the saved search shown")
        _ = state.press(.character("s"), .escape)
        XCTAssertNil(state.scope)
        XCTAssertEqual(state.rowCount, 12)
        XCTAssertEqual(state.selectedPost?.id, pid(7), "on the same post")
    }

    func testAMarksASavedSearchsPostsReadAfterAsking() {
        var state = sourcesState(read: [3])
        _ = state.reduce(.savedSearches([korea]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3, 7]))
        _ = state.press(.character("s"), .end)
        XCTAssertEqual(state.press(.character("A")), [])
        XCTAssertEqual(state.confirmation?.question, "Mark 2 posts of Korea read? (y/n)")
        let effects = state.press(.character("y"))
        XCTAssertEqual(effects, [.persistRead(ids: [pid(0), pid(7)], read: true)])
        state.commit(effects)
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 0, total: 3))
        XCTAssertEqual(state.counts(ofSource: 2), PostCounts(unread: 3, total: 4), "World's post 7 is read too")
        _ = state.press(.character("A"))
        XCTAssertEqual(state.status?.text, "Every post of Korea is already read")
    }

    func testAOnASavedSearchStillBeingFoundSaysSo() {
        var state = sourcesState()
        _ = state.reduce(.savedSearches([korea]))
        _ = state.press(.character("s"), .end)
        XCTAssertEqual(state.press(.character("A")), [])
        XCTAssertNil(state.confirmation)
        XCTAssertEqual(state.status?.text, "Still finding the posts of Korea: A works once they are counted")
    }

    func testCountsFollowMarksUndoAndAnotherInstancesMarks() {
        var state = sourcesState()
        _ = state.reduce(.savedSearches([korea]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3, 7]))
        _ = state.reduce(.readStateSaved(ids: [pid(3), pid(5)], read: true, at: Date()))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 3), "post 5 is not one of its")
        _ = state.reduce(.readStateRestored(read: [:], unread: [pid(3)]))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 3, total: 3))
        _ = state.reduce(.marksReloaded([pid(0): Date(), pid(7): Date()]))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 1, total: 3))
    }

    func testASavedSearchForUnreadPostsCountsThemAndKeepsTheOneReadInView() {
        var state = sourcesState(read: [3])
        _ = state.reduce(.savedSearches([SavedQuery(name: "Korea unread", query: "korea is:unread")]))
        state.savedSearchStates[0].condition = .unread  // what the parser makes of `is:unread`
        _ = state.reduce(.savedSearchResults(query: "korea is:unread", matches: [0, 3, 7]))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 2))
        _ = state.press(.character("s"), .end, .enter)
        XCTAssertEqual(shownIDs(state), [pid(0), pid(7)])
        let effects = state.reduce(.command(.open)).filter { !$0.isBookkeeping }
        XCTAssertEqual(effects, [.persistRead(ids: [pid(0)], read: true)])
        state.commit(effects)
        XCTAssertEqual(shownIDs(state), [pid(0), pid(7)], "read here: it stays in view")
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 1, total: 1))
        _ = state.press(.escape, .escape, .character("s"), .end, .enter)
        XCTAssertEqual(shownIDs(state), [pid(7)])
    }

    func testNAndPInTheSourcesViewReachSavedSearchesWithUnreadPosts() {
        var state = sourcesState(read: Array(0..<12))
        _ = state.reduce(.savedSearches([korea, floods]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3]))
        _ = state.reduce(.savedSearchResults(query: "flood", matches: [1]))
        _ = state.reduce(.readStateSaved(ids: [pid(1)], read: false, at: Date()))
        _ = state.press(.character("s"))
        XCTAssertEqual(state.pickerSelection, 1, "Tech Feed, the selected post's")
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selectedSource?.name, "World")
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selectedSavedSearch, floods, "Korea has nothing unread")
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selectedSource?.name, "World")
        _ = state.press(.character("p"))
        XCTAssertEqual(state.selectedSavedSearch, floods)
    }

    func testArrivalsMoveTheMatchesRunTheSearchesAgainAndOnlyTheLastAnswerCounts() {
        var state = sourcesState()
        _ = state.reduce(.savedSearches([korea, SavedQuery(name: "Also korea", query: "korea"), floods]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3]))
        _ = state.reduce(.savedSearchResults(query: "flood", matches: [1]))

        let effects = state.reduce(.postsArrived(ArrivedPosts(posts: [item(20, source: 1, hour: -1)])))
        XCTAssertEqual(effects, [.runSavedSearch(query: "korea"), .runSavedSearch(query: "flood")], "each query once")
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 2), "its posts, moved")
        _ = state.press(.character("s"), .home)
        _ = state.press(.down, .down, .down, .enter)
        XCTAssertEqual(shownIDs(state), [pid(0), pid(3)])

        _ = state.reduce(.postsArrived(ArrivedPosts(posts: [item(21, source: 2, hour: -2)])))
        // The answer to the run asked after the first arrival comes now: the posts have moved since.
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 1, 4]))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 2), "a stale answer is left")
        XCTAssertEqual(shownIDs(state), [pid(0), pid(3)])
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [5, 0, 2]))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 3, total: 3))
        XCTAssertEqual(state.counts(ofSavedSearch: 1), PostCounts(unread: 3, total: 3), "the same query, both")
        XCTAssertEqual(shownIDs(state), [pid(21), pid(0), pid(3)], "the rows of the saved search shown follow")
        XCTAssertEqual(state.selectedPost?.id, pid(0), "on the same post")
    }

    func testTheLastIndexingBatchAndAReloadRunThemAgain() {
        let all = (0..<6).map { item($0) }
        var state = AppState(title: "t", posts: Array(all[0..<3]))
        state.indexing = 0.5
        _ = state.reduce(.savedSearches([korea]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [1]))
        let during = state.reduce(.postsIndexed(IndexedPosts(posts: [all[3]], progress: 0.7, done: false)))
        XCTAssertFalse(during.contains(.runSavedSearch(query: "korea")), "not for every batch")
        let last = state.reduce(.postsIndexed(IndexedPosts(posts: [all[4], all[5]], progress: 1, done: true)))
        XCTAssertEqual(last.filter { $0 == .runSavedSearch(query: "korea") }.count, 1)
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [1, 4]))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 2))

        // Read again in another order: the matches follow their posts by id until the answer.
        let reloaded = state.reduce(.postsReloaded(ReloadedPosts(posts: all.reversed(), sourceNames: [:], title: "t")))
        XCTAssertTrue(reloaded.contains(.runSavedSearch(query: "korea")))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 2))
        _ = state.reduce(.readStateSaved(ids: [pid(4)], read: true, at: Date()))
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 1, total: 2), "post 4, now at index 1")
    }

    func testANewListKeepsWhatWasFoundForTheSameQueryAndLeavesAScopeThatWent() {
        var state = sourcesState()
        _ = state.reduce(.savedSearches([korea, floods]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3]))
        _ = state.press(.character("s"), .end, .enter)
        XCTAssertEqual(state.scope, .savedSearch("Floods"))
        let effects = state.reduce(.savedSearches([SavedQuery(name: "Korea news", query: "korea")]))
        XCTAssertEqual(effects.filter { if case .runSavedSearch = $0 { true } else { false } }, [],
                       "korea was found already")
        XCTAssertEqual(state.counts(ofSavedSearch: 0), PostCounts(unread: 2, total: 2))
        XCTAssertNil(state.scope, "Floods is no longer saved")
        XCTAssertEqual(state.rowCount, 12)
    }

    func testFetchingASavedSearchSaysWhatItIs() {
        var state = sourcesState()
        _ = state.reduce(.savedSearches([korea]))
        _ = state.press(.character("s"), .end)
        XCTAssertEqual(state.press(.character("r")), [])
        XCTAssertEqual(state.status?.text, "Korea is a saved search: it follows its sources as they are fetched")
    }
}

/// `S`: the search typed becomes a saved search.
final class SaveSearchTests: XCTestCase {
    func testSWithoutASearchSaysHow() {
        var state = makeState(count: 3)
        XCTAssertEqual(state.press(.character("S")), [])
        XCTAssertEqual(state.status?.text, "S saves the current search: type / first")
        XCTAssertTrue(state.savedSearches.isEmpty)
    }

    func testSSavesTheSearchOnceAndSaysWhereItIs() {
        var state = makeState(count: 3)
        _ = state.press(.character("/"), .character("k"), .character("o"), .enter)
        XCTAssertEqual(state.press(.character("S")),
                       [.saveSearch(name: "ko", query: "ko"), .runSavedSearch(query: "ko")])
        XCTAssertEqual(state.status?.text, "Saved search \"ko\": s lists it with the sources")
        XCTAssertEqual(state.savedSearches, [SavedQuery(name: "ko", query: "ko")])
        XCTAssertEqual(state.press(.character("S")), [])
        XCTAssertEqual(state.status?.text, "Already saved as \"ko\": s lists it with the sources")
        _ = state.reduce(.savedSearchResults(query: "ko", matches: [2]))
        _ = state.press(.escape, .character("s"))
        XCTAssertEqual(state.shownRowCount, 2, "the archive and the saved search")
        _ = state.press(.end)
        XCTAssertEqual(state.selectedSavedSearch?.name, "ko")
    }

    func testTheSameQuerySavedInTheConfigurationKeepsItsName() {
        var state = makeState(count: 3)
        _ = state.reduce(.savedSearches([korea]))
        _ = state.press(.character("/"))
        for scalar in "korea".unicodeScalars { _ = state.reduce(key: .character(scalar)) }
        XCTAssertEqual(state.reduce(.command(.saveSearch)).filter { if case .saveSearch = $0 { true } else { false } }, [])
        XCTAssertEqual(state.status?.text, "Already saved as \"Korea\": s lists it with the sources")
        XCTAssertEqual(state.search?.editing, false, "saving ends the typing")
    }

    func testANameTakenByAnotherQueryGetsANumber() {
        var state = makeState(count: 3)
        _ = state.reduce(.savedSearches([SavedQuery(name: "ko", query: "ko is:unread")]))
        _ = state.press(.character("/"), .character("k"), .character("o"), .enter)
        XCTAssertEqual(state.press(.character("S")),
                       [.saveSearch(name: "ko (2)", query: "ko"), .runSavedSearch(query: "ko")])
    }

    func testSIsInTheKeymapTheHelpAndBindKey() {
        XCTAssertEqual(Keymap.standard.command(for: .character("S"), in: .list), .saveSearch)
        XCTAssertEqual(Keymap.standard.command(for: .character("S"), in: .reading), .saveSearch)
        XCTAssertTrue(Keymap.standard.helpRows.contains { $0.keys == "S" && $0.help.hasPrefix("save the search") })
        XCTAssertEqual(Command(rawValue: "save-search"), .saveSearch)
        var keymap = Keymap.standard
        keymap.bind(.control("s"), to: .saveSearch)
        XCTAssertEqual(keymap.command(for: .control("s"), in: .list), .saveSearch)
        XCTAssertTrue(keymap.helpRows.contains { $0.keys == "S ^S" }, "listed with S")
    }
}
