import Foundation
import XCTest
import Posts
@testable import Controller

/// Several sources in one list (merged newest first when all are read, each row naming its source) and reading the
/// sources again (`R`): the selection, the marks, the filter and the search survive.
final class SourcesTests: XCTestCase {
    private func post(_ n: Int, source: Int = 0) -> Post {
        Post(id: PostID(rawValue: UInt64(7000 + n)), title: "Post \(n)", bodyRange: 0..<0, archiveIndex: source)
    }

    private func id(_ n: Int) -> PostID { PostID(rawValue: UInt64(7000 + n)) }

    func testTheLastBatchOfSeveralSourcesReordersTheListKeepingTheSelection() {
        var state = AppState(title: "2 feeds", posts: [post(0), post(1), post(2)])
        state.indexing = 0.5
        state.measure(listRows: 5)
        _ = state.reduce(.moveSelection(by: 1))
        XCTAssertEqual(state.selectedPost?.id, id(1))
        let generation = state.generation
        // The indexer says: post 3 (second source) is the newest, then 1, 0, 2.
        _ = state.reduce(.postsIndexed(IndexedPosts(posts: [post(3, source: 1)], progress: 1, done: true,
                                                    sourceNames: [0: "Feed A", 1: "Feed B"], order: [3, 1, 0, 2])))
        XCTAssertEqual(state.posts.map(\.id), [id(3), id(1), id(0), id(2)])
        XCTAssertEqual(state.selectedPost?.id, id(1), "the selected post stays selected")
        XCTAssertEqual(state.selection, 1)
        XCTAssertEqual(state.index(of: id(2)), 3)
        XCTAssertTrue(state.showsSources)
        XCTAssertEqual(state.sourceName(of: state.posts[0]), "Feed B")
        XCTAssertGreaterThan(state.generation, generation, "rows drawn before must not be reused")
    }

    func testOneSourceShowsNoSourceColumn() {
        var state = AppState(title: "A", posts: [post(0), post(1)])
        state.sourceNames = [0: "A"]
        XCTAssertFalse(state.showsSources)
    }

    func testReloadKeepsSelectionAndMarksAndCountsWhatChanged() {
        var state = AppState(title: "A", posts: (0..<5).map { post($0) },
                             readMarks: [id(1): Date(timeIntervalSince1970: 5)])
        state.measure(listRows: 3)
        _ = state.reduce(.selectRow(2))
        XCTAssertEqual(state.reduce(key: .character("R")), [.reload])
        XCTAssertEqual(state.status?.text, "Reloading…")
        // The file was re-dumped: post 0 is gone, post 9 is new at the top, the order changed.
        let reloaded = ReloadedPosts(posts: [post(9), post(4), post(3), post(2), post(1)], sourceNames: [0: "A"],
                                     title: "A")
        _ = state.reduce(.postsReloaded(reloaded))
        XCTAssertEqual(state.selectedPost?.id, id(2))
        XCTAssertTrue(state.isRead(post(1)))
        XCTAssertEqual(state.unreadCount, 4)
        XCTAssertEqual(state.status?.text, "Reloaded: 5 posts, 1 new, 1 gone")
    }

    func testReloadUnderTheUnreadFilterAndASearchKeepsThem() {
        var state = AppState(title: "A", posts: (0..<4).map { post($0) }, readMarks: [id(0): Date()])
        state.measure(listRows: 3)
        _ = state.reduce(key: .character("f"))
        XCTAssertEqual(state.rowCount, 3)
        _ = state.reduce(.postsReloaded(ReloadedPosts(posts: (0..<6).map { post($0) }, sourceNames: [:], title: "A")))
        XCTAssertEqual(state.rowCount, 5, "the filter applies to the new posts")
        XCTAssertTrue((0..<state.rowCount).allSatisfy { !state.isRead(state.post(atRow: $0)) })

        _ = state.reduce(key: .character("/"))
        _ = state.reduce(key: .character("P"))
        let effects = state.reduce(.postsReloaded(ReloadedPosts(posts: (0..<6).map { post($0) }, sourceNames: [:],
                                                                title: "A")))
        XCTAssertEqual(effects, [.search(query: "P", candidates: nil)], "the search runs again on the new posts")
    }

    func testReloadWaitsUntilTheFirstReadingIsDone() {
        var state = AppState(title: "A", posts: [post(0)])
        state.indexing = 0.3
        XCTAssertEqual(state.reduce(key: .character("R")), [])
        XCTAssertEqual(state.status?.text, "Still reading the sources; R works once that is done")
    }
}
