import Foundation
import XCTest
import Posts
@testable import Controller

/// The actions the mouse produces and the commands that run other programs.
final class PointerAndExternalActionsTests: XCTestCase {
    /// A click in the reading pane is Tab: it opens nothing, so it marks nothing (under at-end, a post
    /// whose end is already on screen is read once the pane has the keys, however they got there).
    func testFocusIsLikeTab() {
        for policy in [ReadPolicy.onOpen, .manual, .atEnd, .delay(seconds: 0)] {
            var clicked = makeState(articleLines: 5)
            clicked.readPolicy = policy
            var tabbed = clicked
            let effects = clicked.reduce(.focus(.reading))
            XCTAssertEqual(effects, tabbed.reduce(key: .tab), "\(policy)")
            XCTAssertEqual(clicked.focus, .reading)
            if policy != .atEnd { XCTAssertEqual(effects, [], "\(policy)") }
            _ = clicked.reduce(.focus(.list))
            XCTAssertEqual(clicked.focus, .list)
        }
    }

    func testFocusClosesTheHelpFirst() {
        var state = makeState()
        _ = state.reduce(key: .character("?"))
        _ = state.reduce(.focus(.reading))
        XCTAssertFalse(state.showingHelp)
        XCTAssertEqual(state.focus, .list)
    }

    func testScrollReadingWorksFromTheListAndIsClamped() {
        var state = makeState(readingRows: 10, articleLines: 30)
        _ = state.reduce(.scrollReading(by: 3))
        XCTAssertEqual(state.readingTop, 3)
        XCTAssertEqual(state.focus, .list, "the keys stay where they were")
        _ = state.reduce(.scrollReading(by: 100))
        XCTAssertEqual(state.readingTop, 20)
        _ = state.reduce(.scrollReading(by: -100))
        XCTAssertEqual(state.readingTop, 0)
        XCTAssertEqual(state.unreadCount, 10)
    }

    func testOpenLinkAndPipeAskForTheSelectedPost() {
        var state = makeState()
        _ = state.reduce(key: .down)
        let id = state.selectedPost!.id
        XCTAssertEqual(state.reduce(key: .character("o")), [.openLink(id, number: nil)])
        // A count before o names a link of the article.
        XCTAssertEqual(state.reduce(key: .character("1")), [])
        XCTAssertEqual(state.reduce(key: .character("2")), [])
        XCTAssertEqual(state.status?.text, "12")
        XCTAssertEqual(state.reduce(key: .character("o")), [.openLink(id, number: 12)])
        XCTAssertEqual(state.reduce(key: .character("o")), [.openLink(id, number: nil)], "the count is used once")
        _ = state.reduce(key: .character("3"))
        _ = state.reduce(key: .character("j"))
        XCTAssertEqual(state.reduce(key: .character("o")), [.openLink(state.selectedPost!.id, number: nil)],
                       "another command takes the count away")
        XCTAssertEqual(state.reduce(key: .character("|")), [.pipeToPager(state.selectedPost!.id)])
        XCTAssertEqual(state.unreadCount, 10, "neither marks the post read")
    }

    func testOpenLinkWithoutPosts() {
        var state = AppState(title: "Empty", posts: [])
        XCTAssertEqual(state.reduce(key: .character("o")), [])
        XCTAssertEqual(state.status?.text, "No posts")
    }
}
