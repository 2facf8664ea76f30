import Foundation
import XCTest
import Posts
@testable import Controller

/// Posts arriving from the background indexer (`postsIndexed`), and the unread bits behind `n`, `p` and `f`.
final class IndexingTests: XCTestCase {
    private func posts(_ range: Range<Int>) -> [Post] {
        range.map { Post(id: PostID(rawValue: UInt64(5000 + $0)), title: "Post \($0 + 1)", bodyRange: 0..<0) }
    }

    private func batch(_ range: Range<Int>, done: Bool = false, new: [Int] = []) -> Action {
        .postsIndexed(IndexedPosts(posts: posts(range), newPosts: new.map { PostID(rawValue: UInt64(5000 + $0)) },
                                   progress: Double(range.upperBound) / 100, done: done))
    }

    private func start(_ first: Int = 10, read: [Int] = []) -> AppState {
        var marks: [PostID: Date] = [:]
        for i in read { marks[PostID(rawValue: UInt64(5000 + i))] = Date(timeIntervalSince1970: 1) }
        var state = AppState(title: "T", posts: posts(0..<first), readMarks: marks)
        state.indexing = 0.1
        state.measure(listRows: 5)
        return state
    }

    func testBatchesAppendPostsCountsAndProgress() {
        var state = start(read: [3, 12])
        XCTAssertEqual(state.unreadCount, 9)
        _ = state.reduce(batch(10..<40))
        XCTAssertEqual(state.posts.count, 40)
        XCTAssertEqual(state.unreadCount, 38)
        XCTAssertEqual(state.indexing, 0.4)
        XCTAssertFalse(state.isUnread(at: 12))
        XCTAssertTrue(state.isUnread(at: 39))
        _ = state.reduce(batch(40..<50, done: true, new: [41]))
        XCTAssertNil(state.indexing)
        XCTAssertEqual(state.posts.count, 50)
        XCTAssertEqual(state.newPosts, [PostID(rawValue: 5041)])
        XCTAssertEqual(state.index(of: PostID(rawValue: 5045)), 45)
    }

    func testSelectionAndScrollStayWhilePostsArrive() {
        var state = start()
        _ = state.press(.down, .down, .down)
        let before = (state.selection, state.listTop, state.selectedPost?.id)
        _ = state.reduce(batch(10..<60))
        XCTAssertEqual(state.selection, before.0)
        XCTAssertEqual(state.listTop, before.1)
        XCTAssertEqual(state.selectedPost?.id, before.2)
        _ = state.press(.end)
        XCTAssertEqual(state.selection, 59)
    }

    func testTheUnreadFilterTakesNewUnreadPosts() {
        var state = start(read: [1, 2])
        _ = state.press(.character("f"))
        XCTAssertEqual(state.rowCount, 8)
        _ = state.reduce(batch(10..<20))
        XCTAssertEqual(state.rowCount, 18)
        XCTAssertEqual(state.rows?.last, 19)
    }

    func testTheLastSelectionIsRestoredWhenItArrivesUnlessTheUserMoved() {
        var state = start()
        state.restoreSelection = PostID(rawValue: 5030)
        _ = state.reduce(batch(10..<20))
        XCTAssertEqual(state.selection, 0)
        let effects = state.reduce(batch(20..<40))
        XCTAssertEqual(state.selectedPost?.id, PostID(rawValue: 5030))
        XCTAssertTrue(effects.contains(.loadPosition(PostID(rawValue: 5030))))
        XCTAssertNil(state.restoreSelection)

        var moved = start()
        moved.restoreSelection = PostID(rawValue: 5030)
        _ = moved.press(.down)
        _ = moved.reduce(batch(10..<40))
        XCTAssertEqual(moved.selection, 1)
    }

    func testNextAndPreviousUnreadUseTheBitsAndWrap() {
        var state = start(20, read: Array(0..<20).filter { $0 != 2 && $0 != 17 })
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selection, 2)
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selection, 17)
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selection, 2)
        XCTAssertEqual(state.status?.text, "Wrapped to the top")
        _ = state.press(.character("p"))
        XCTAssertEqual(state.selection, 17)
        XCTAssertEqual(state.status?.text, "Wrapped to the bottom")
    }

    func testMarksKeepTheBitsOfEveryCopyOfAPost() {
        // The same post twice (two files): one mark, both rows.
        let twin = Post(id: PostID(rawValue: 77), title: "Twin", bodyRange: 0..<0)
        var state = AppState(title: "T", posts: [twin] + posts(0..<3) + [twin])
        XCTAssertEqual(state.unreadCount, 5)
        _ = state.reduce(.readStateSaved(ids: [twin.id], read: true, at: Date(timeIntervalSince1970: 1)))
        XCTAssertEqual(state.unreadCount, 3)
        XCTAssertFalse(state.isUnread(at: 0))
        XCTAssertFalse(state.isUnread(at: 4))
        _ = state.reduce(.readStateSaved(ids: [twin.id], read: false, at: Date(timeIntervalSince1970: 2)))
        XCTAssertEqual(state.unreadCount, 5)
        XCTAssertTrue(state.isUnread(at: 4))
        _ = state.reduce(.marksReloaded([PostID(rawValue: 5001): Date(timeIntervalSince1970: 3)]))
        XCTAssertEqual(state.unreadCount, 4)
        XCTAssertFalse(state.isUnread(at: 2))
        XCTAssertTrue(state.isUnread(at: 0))
    }

    func testPostBitsSearchesWordByWord() {
        var bits = PostBits()
        for i in 0..<200 { bits.append(i == 5 || i == 64 || i == 130 || i == 199) }
        XCTAssertEqual(bits.next(from: 0), 5)
        XCTAssertEqual(bits.next(from: 6), 64)
        XCTAssertEqual(bits.next(from: 65), 130)
        XCTAssertEqual(bits.next(from: 200), nil)
        XCTAssertEqual(bits.previous(from: 199), 199)
        XCTAssertEqual(bits.previous(from: 129), 64)
        XCTAssertEqual(bits.previous(from: 4), nil)
        XCTAssertEqual(bits.indices(), [5, 64, 130, 199])
        bits[64] = false
        bits[0] = true
        XCTAssertEqual(bits.indices(), [0, 5, 130, 199])
    }
}
