import Foundation
import XCTest
import Posts
@testable import Controller

private func id(_ i: Int) -> PostID { PostID(rawValue: UInt64(1000 + i)) }

final class ReadPolicyTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 10_000)

    func makeState(_ policy: ReadPolicy, articleLines: Int = 30) -> AppState {
        var state = ControllerTests.makeState(count: 5, readingRows: 10, articleLines: articleLines)
        state.readPolicy = policy
        _ = state.reduce(.tick(start))
        return state
    }

    func testPolicyNamesParseAndPrint() {
        XCTAssertEqual(ReadPolicy("on-open"), .onOpen)
        XCTAssertEqual(ReadPolicy("manual"), .manual)
        XCTAssertEqual(ReadPolicy("at-end"), .atEnd)
        XCTAssertEqual(ReadPolicy("delay=5"), .delay(seconds: 5))
        XCTAssertEqual(ReadPolicy("delay=2.5")?.description, "delay=2.5")
        XCTAssertNil(ReadPolicy("delay=-1"))
        XCTAssertNil(ReadPolicy("sometimes"))
    }

    func testManualNeverMarksOnOpen() {
        var state = makeState(.manual)
        XCTAssertEqual(state.press(.enter), [])
        XCTAssertEqual(state.press(.character("m")), [.persistRead(ids: [id(0)], read: true)])
    }

    func testDelayMarksOnlyAfterTheDelayAndOnlyTheShownPost() {
        var state = makeState(.delay(seconds: 5))
        XCTAssertEqual(state.press(.enter), [])
        XCTAssertEqual(state.reduce(.tick(start.addingTimeInterval(4.9))), [])
        XCTAssertEqual(state.reduce(.tick(start.addingTimeInterval(5))), [.persistRead(ids: [id(0)], read: true)])
        XCTAssertEqual(state.reduce(.tick(start.addingTimeInterval(60))), [], "asked for once")
    }

    func testDelayIsCancelledWhenThePostChangesBeforeItsTime() {
        var state = makeState(.delay(seconds: 5))
        _ = state.press(.enter)
        _ = state.reduce(.tick(start.addingTimeInterval(3)))
        _ = state.press(.escape, .down)
        XCTAssertEqual(state.reduce(.tick(start.addingTimeInterval(10))), [],
                       "neither the post left behind nor the newly selected one is marked")
        XCTAssertNil(state.pendingRead)
    }

    func testDelayRestartsForTheNextPostOpened() {
        var state = makeState(.delay(seconds: 2))
        _ = state.press(.enter)
        _ = state.reduce(.tick(start.addingTimeInterval(1)))
        _ = state.press(.escape, .down, .enter)
        XCTAssertEqual(state.reduce(.tick(start.addingTimeInterval(2.5))), [], "2 s from the second opening, not the first")
        XCTAssertEqual(state.reduce(.tick(start.addingTimeInterval(3.1))), [.persistRead(ids: [id(1)], read: true)])
    }

    func testAtEndMarksWhenTheLastLineIsOnScreen() {
        var state = makeState(.atEnd, articleLines: 25)
        XCTAssertEqual(state.press(.enter), [])
        XCTAssertEqual(state.press(.pageDown), [])
        XCTAssertEqual(state.press(.pageDown), [.persistRead(ids: [id(0)], read: true)])
        XCTAssertEqual(state.press(.up, .end), [], "asked for once")
    }

    func testAtEndMarksAShortPostOnOpeningButNeverInTheList() {
        var state = makeState(.atEnd, articleLines: 4)
        XCTAssertEqual(state.press(.down, .up), [], "previewing in the list never marks")
        XCTAssertEqual(state.press(.enter), [.persistRead(ids: [id(0)], read: true)])
    }

    func testMovingThroughTheListNeverMarksUnderAnyPolicy() {
        for policy in [ReadPolicy.onOpen, .manual, .delay(seconds: 0), .atEnd] {
            var state = makeState(policy, articleLines: 3)
            var effects = state.press(.down, .down, .end, .home, .pageDown)
            effects += state.reduce(.tick(start.addingTimeInterval(100)))
            XCTAssertEqual(effects, [], "\(policy)")
        }
    }
}

final class BulkMarkAndUndoTests: XCTestCase {
    func testMarkAllAsksFirstWithTheCountThenMarksTheView() {
        var state = makeState(count: 6, read: [2])
        XCTAssertEqual(state.press(.character("A")), [])
        XCTAssertEqual(state.confirmation?.question, "Mark 5 posts read? (y/n)")
        let effects = state.press(.character("y"))
        XCTAssertEqual(effects, [.persistRead(ids: [id(0), id(1), id(3), id(4), id(5)], read: true)])
        state.commit(effects)
        XCTAssertEqual(state.unreadCount, 0)
        XCTAssertEqual(state.status?.text, "Marked 5 posts read (u undoes)")
    }

    func testAnyOtherKeyCancelsTheQuestion() {
        var state = makeState(count: 3)
        _ = state.press(.character("A"))
        XCTAssertEqual(state.press(.character("n")), [])
        XCTAssertNil(state.confirmation)
        XCTAssertEqual(state.status?.text, "Cancelled")
        XCTAssertEqual(state.selection, 0, "the answering key does nothing else")
    }

    func testMarkAllWithoutConfirmationWhenTurnedOff() {
        var state = makeState(count: 3)
        state.confirmBulkMarks = false
        XCTAssertEqual(state.press(.character("A")), [.persistRead(ids: [id(0), id(1), id(2)], read: true)])
    }

    func testMarkAllRespectsTheSearch() {
        var state = makeState(count: 6)
        _ = state.press(.character("/"), .character("x"))
        _ = state.reduce(.searchResults(query: "x", matches: [1, 4]))
        _ = state.press(.enter, .character("A"))
        XCTAssertEqual(state.confirmation?.question, "Mark 2 posts in this view read? (y/n)")
        XCTAssertEqual(state.press(.character("y")), [.persistRead(ids: [id(1), id(4)], read: true)])
    }

    func testMarkAboveMarksOnlyRowsAboveTheSelection() {
        var state = makeState(count: 6, read: [1])
        _ = state.press(.down, .down, .down)
        XCTAssertEqual(state.press(.character("M")), [.persistRead(ids: [id(0), id(2)], read: true)])
    }

    func testUndoRestoresABulkChangeAsAWhole() {
        var state = makeState(count: 4, read: [1])
        _ = state.press(.character("A"))
        state.commit(state.press(.character("y")))
        XCTAssertEqual(state.press(.character("u")), [.undo])
        _ = state.reduce(.readStateRestored(read: [:], unread: [id(0), id(2), id(3)]))
        XCTAssertEqual(state.unreadCount, 3)
        XCTAssertTrue(state.isRead(state.posts[1]), "the mark made before the bulk change stays")
        XCTAssertEqual(state.status?.text, "Undone: 3 posts restored")
    }

    func testUndoOfAnUnmarkRestoresTheOriginalReadTime() {
        let then = Date(timeIntervalSince1970: 1_000)
        var state = makeState(count: 2, read: [0])
        state.commit(state.press(.character("m")))
        XCTAssertFalse(state.isRead(state.posts[0]))
        _ = state.reduce(.readStateRestored(read: [id(0): then], unread: []))
        XCTAssertEqual(state.readAt(state.posts[0]), then)
    }
}

final class FilterAndSearchTests: XCTestCase {
    func testUnreadFilterShowsUnreadPostsAndKeepsThoseReadThisSession() {
        var state = makeState(count: 6, read: [1, 3])
        _ = state.press(.character("f"))
        XCTAssertEqual(state.filter, .unread)
        XCTAssertEqual((0..<state.rowCount).map { state.post(atRow: $0).title }, ["Post 1", "Post 3", "Post 5", "Post 6"])
        state.commit(state.press(.down, .enter))
        XCTAssertEqual(state.rowCount, 4, "a post read in the unread view stays until the filter changes")
        XCTAssertEqual(state.selectedPost?.title, "Post 3")
        _ = state.press(.character("f"), .character("f"))
        XCTAssertEqual(state.rowCount, 3)
    }

    func testFilterKeepsTheSelectedPostWhenItIsStillShown() {
        var state = makeState(count: 6, read: [1])
        _ = state.press(.down, .down, .down)
        _ = state.press(.character("f"))
        XCTAssertEqual(state.selectedPost?.title, "Post 4")
        _ = state.press(.character("f"))
        XCTAssertEqual(state.selectedPost?.title, "Post 4")
        XCTAssertEqual(state.selection, 3)
    }

    func testFilterMovesToTheNextPostWhenTheSelectedOneIsHidden() {
        var state = makeState(count: 5, read: [2])
        _ = state.press(.down, .down, .character("f"))
        XCTAssertEqual(state.selectedPost?.title, "Post 4")
    }

    func testSearchNarrowsAsYouTypeAndEnterKeepsIt() {
        var state = makeState(count: 5)
        _ = state.press(.character("/"))
        XCTAssertEqual(state.search?.editing, true)
        XCTAssertEqual(state.reduce(key: .character("k")), [.search(query: "k", candidates: nil)])
        XCTAssertEqual(state.reduce(key: .character("i")), [.search(query: "ki", candidates: nil)])
        _ = state.reduce(.searchResults(query: "k", matches: [0, 1, 2]))
        XCTAssertEqual(state.rowCount, 5, "stale results for an older query are ignored")
        _ = state.reduce(.searchResults(query: "ki", matches: [1, 3]))
        XCTAssertEqual(state.rowCount, 2)
        _ = state.press(.enter)
        XCTAssertEqual(state.search?.editing, false)
        XCTAssertEqual(state.rowCount, 2)
        _ = state.press(.down)
        XCTAssertEqual(state.selectedPost?.title, "Post 4", "keys act on the list again")
    }

    func testEscRestoresTheFullListAndThePreviousSelection() {
        var state = makeState(count: 5)
        _ = state.press(.down, .down, .character("/"), .character("q"))
        _ = state.reduce(.searchResults(query: "q", matches: [4]))
        XCTAssertEqual(state.selectedPost?.title, "Post 5")
        _ = state.press(.escape)
        XCTAssertNil(state.search)
        XCTAssertEqual(state.rowCount, 5)
        XCTAssertEqual(state.selectedPost?.title, "Post 3")
    }

    func testEscAfterEnterClearsAKeptSearch() {
        var state = makeState(count: 5)
        _ = state.press(.character("/"), .character("q"))
        _ = state.reduce(.searchResults(query: "q", matches: [4]))
        _ = state.press(.enter, .escape)
        XCTAssertNil(state.search)
        XCTAssertEqual(state.rowCount, 5)
    }

    func testBackspaceEditsAndOnEmptyQueryCancels() {
        var state = makeState(count: 5)
        _ = state.press(.character("/"), .character("a"), .character("b"))
        XCTAssertEqual(state.reduce(key: .backspace), [.search(query: "a", candidates: nil)])
        _ = state.press(.backspace, .backspace)
        XCTAssertNil(state.search)
    }

    func testSearchWithinTheUnreadFilter() {
        var state = makeState(count: 5, read: [0])
        _ = state.press(.character("f"), .character("/"), .character("p"))
        _ = state.reduce(.searchResults(query: "p", matches: [0, 1, 2]))
        XCTAssertEqual((0..<state.rowCount).map { state.postIndex(atRow: $0) }, [1, 2])
    }

    func testNAndShiftNJumpBetweenMatchesInTheReadingPane() {
        var state = makeState(count: 3, readingRows: 5, articleLines: 40)
        _ = state.press(.character("/"), .character("z"))
        _ = state.reduce(.searchResults(query: "z", matches: [0]))
        _ = state.press(.enter, .enter)
        _ = state.reduce(.viewport(Viewport(listRows: 5, readingRows: 5, article: ArticleGeometry(
            postID: id(0), width: 60, lineCount: 40, blockStarts: [0, 10], matchLines: [3, 12, 30]))))
        _ = state.reduce(key: .character("n"))
        XCTAssertEqual(state.readingTop, 3)
        _ = state.reduce(key: .character("n"))
        XCTAssertEqual(state.readingTop, 12)
        _ = state.reduce(key: .character("N"))
        XCTAssertEqual(state.readingTop, 3)
        _ = state.reduce(key: .character("N"))
        XCTAssertEqual(state.status?.text, "No more matches above")
    }
}

final class PositionAndLayoutTests: XCTestCase {
    func testLeavingAScrolledPostSavesItsTopBlockAndSelectingLoadsIt() {
        var state = makeState(count: 3, readingRows: 5, articleLines: 40)
        _ = state.reduce(key: .enter)
        for _ in 0..<12 { _ = state.reduce(key: .down) }
        _ = state.reduce(key: .escape)
        XCTAssertEqual(state.reduce(key: .down), [.savePosition(id(0), block: 2), .loadPosition(id(1))])
    }

    func testALoadedPositionScrollsToThatBlockOnceLaidOut() {
        var state = makeState(count: 3, readingRows: 5, articleLines: 40)
        _ = state.reduce(key: .down)
        _ = state.reduce(.positionLoaded(id(1), block: 3))
        state.measure(listRows: 5, readingRows: 5, articleLines: 40)
        XCTAssertEqual(state.readingTop, 15, "applied when the renderer lays the new post out")
        XCTAssertEqual(state.reduce(key: .up), [.loadPosition(id(0))], "an unmoved position is not saved again")
    }

    func testAPositionForAnotherPostIsIgnored() {
        var state = makeState(count: 3, readingRows: 5, articleLines: 40)
        _ = state.reduce(.positionLoaded(id(2), block: 3))
        XCTAssertEqual(state.readingTop, 0)
    }

    func testQuitSavesTheSelectionLast() {
        var state = makeState(count: 3)
        _ = state.reduce(key: .down)
        XCTAssertEqual(state.reduce(key: .character("q")),
                       [.saveSetting(key: "last-selection", value: id(1).description), .quit])
    }

    func testZoomSplitAndArrangementArePersisted() {
        var state = makeState(count: 3)
        XCTAssertEqual(state.reduce(key: .character("z")), [.saveSetting(key: "layout", value: "auto 33 zoomed")])
        XCTAssertEqual(state.focus, .reading)
        _ = state.reduce(key: .character("z"))
        XCTAssertEqual(state.reduce(key: .character(">")), [.saveSetting(key: "layout", value: "auto 38")])
        _ = state.reduce(key: .character("<"))
        XCTAssertEqual(state.reduce(key: .character("<")), [.saveSetting(key: "layout", value: "auto 28")])
        XCTAssertEqual(state.reduce(key: .character("L")), [.saveSetting(key: "layout", value: "stacked 28")])
        XCTAssertEqual(LayoutPreferences(serialized: "stacked 28"), state.layout)
        for _ in 0..<20 { _ = state.reduce(key: .character("<")) }
        XCTAssertEqual(state.layout.listPercent, LayoutPreferences.splitRange.lowerBound)
    }
}
