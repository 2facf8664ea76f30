import Foundation
import XCTest
import Posts
@testable import Controller

/// A state with `count` posts titled "Post 1"..."Post N", measured as if the list showed
/// `listRows` rows and the selected article had `articleLines` lines in a pane of `readingRows`.
func makeState(count: Int = 10, read: [Int] = [], listRows: Int = 5, readingRows: Int = 10,
               articleLines: Int = 30) -> AppState {
    let posts = (0..<count).map { i in
        Post(id: PostID(rawValue: UInt64(1000 + i)), title: "Post \(i + 1)", bodyRange: 0..<0)
    }
    var marks: [PostID: Date] = [:]
    for i in read { marks[posts[i].id] = Date(timeIntervalSince1970: 1_000) }
    var state = AppState(title: "Test", posts: posts, readMarks: marks)
    state.measure(listRows: listRows, readingRows: readingRows, articleLines: articleLines)
    return state
}

extension AppState {
    /// Feeds the viewport the renderer would report for the selected post.
    mutating func measure(listRows: Int = 5, readingRows: Int = 10, articleLines: Int = 30, width: Int = 60,
                          blockStarts: [Int]? = nil) {
        let article = selectedPost.map {
            ArticleGeometry(postID: $0.id, width: width, lineCount: articleLines,
                            blockStarts: blockStarts ?? Array(stride(from: 0, to: articleLines, by: 5)))
        }
        _ = reduce(.viewport(Viewport(listRows: listRows, readingRows: readingRows, article: article)))
    }

    /// Presses keys in order and returns the effects they asked for, without the bookkeeping ones
    /// (positions and settings, tested on their own).
    mutating func press(_ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for key in keys {
            effects += reduce(key: key).filter { !$0.isBookkeeping }
            measure(listRows: viewport.listRows, readingRows: viewport.readingRows,
                    articleLines: viewport.article?.lineCount ?? 30)
        }
        return effects
    }

    /// Performs persist effects as a store that always succeeds would, at `date`.
    mutating func commit(_ effects: [Effect], at date: Date = Date(timeIntervalSince1970: 5_000)) {
        for effect in effects {
            if case .persistRead(let ids, let read) = effect {
                _ = reduce(.readStateSaved(ids: ids, read: read, at: date))
            }
        }
    }
}

extension Effect {
    var isBookkeeping: Bool {
        switch self {
        case .loadPosition, .savePosition, .saveSetting: return true
        default: return false
        }
    }
}

final class ListNavigationTests: XCTestCase {
    func testDownAndJMoveTheSelectionAndPreviewWithoutMarking() {
        var state = makeState()
        XCTAssertEqual(state.press(.down), [])
        XCTAssertEqual(state.selection, 1)
        XCTAssertEqual(state.press(.character("j")), [])
        XCTAssertEqual(state.selection, 2)
        XCTAssertEqual(state.unreadCount, 10, "moving through the list never marks anything read")
        XCTAssertEqual(state.focus, .list)
    }

    func testUpAndKMoveBackAndStopAtTheTop() {
        var state = makeState()
        _ = state.press(.down, .down, .up)
        XCTAssertEqual(state.selection, 1)
        _ = state.press(.character("k"), .character("k"), .up)
        XCTAssertEqual(state.selection, 0)
    }

    func testDownStopsAtTheLastPost() {
        var state = makeState(count: 3)
        _ = state.press(.down, .down, .down, .down)
        XCTAssertEqual(state.selection, 2)
    }

    func testHomeEndAndGJump() {
        var state = makeState(count: 50)
        _ = state.press(.end)
        XCTAssertEqual(state.selection, 49)
        _ = state.press(.home)
        XCTAssertEqual(state.selection, 0)
        _ = state.press(.character("G"))
        XCTAssertEqual(state.selection, 49)
        _ = state.press(.character("g"))
        XCTAssertEqual(state.selection, 0)
    }

    func testPageDownMovesByAScreenfulMinusOneAndScrollsTheList() {
        var state = makeState(count: 50, listRows: 5)
        _ = state.press(.pageDown)
        XCTAssertEqual(state.selection, 4)
        _ = state.press(.pageDown)
        XCTAssertEqual(state.selection, 8)
        XCTAssertEqual(state.listTop, 4, "the selected row stays visible")
        _ = state.press(.pageUp, .pageUp)
        XCTAssertEqual(state.selection, 0)
        XCTAssertEqual(state.listTop, 0)
    }

    func testListScrollsToKeepTheSelectionVisible() {
        var state = makeState(count: 20, listRows: 5)
        for _ in 0..<7 { _ = state.press(.down) }
        XCTAssertEqual(state.selection, 7)
        XCTAssertEqual(state.listTop, 3)
        _ = state.press(.end)
        XCTAssertEqual(state.listTop, 15)
        _ = state.press(.home)
        XCTAssertEqual(state.listTop, 0)
    }

    func testChangingPostStartsItsArticleAtTheTop() {
        var state = makeState()
        _ = state.press(.enter, .pageDown)
        XCTAssertGreaterThan(state.readingTop, 0)
        _ = state.press(.escape, .down)
        XCTAssertEqual(state.readingTop, 0)
    }
}

final class OpeningAndReadingTests: XCTestCase {
    func testEnterOpensMovesFocusAndAsksToPersistTheMark() {
        var state = makeState()
        _ = state.press(.down)
        let effects = state.press(.enter)
        XCTAssertEqual(state.focus, .reading)
        XCTAssertEqual(effects, [.persistRead(ids: [PostID(rawValue: 1001)], read: true)])
        XCTAssertEqual(state.unreadCount, 10, "not marked until the store confirms")
        state.commit(effects)
        XCTAssertTrue(state.isRead(state.posts[1]))
        XCTAssertEqual(state.unreadCount, 9)
    }

    func testRightAndLOpenToo() {
        for key in [Key.right, .character("l")] {
            var state = makeState()
            XCTAssertEqual(state.press(key), [.persistRead(ids: [PostID(rawValue: 1000)], read: true)])
            XCTAssertEqual(state.focus, .reading)
        }
    }

    func testOpeningAReadPostPersistsNothing() {
        var state = makeState(read: [0])
        XCTAssertEqual(state.press(.enter), [])
        XCTAssertEqual(state.focus, .reading)
    }

    func testFailedSaveLeavesThePostUnreadAndShowsTheError() {
        var state = makeState()
        _ = state.press(.enter)
        _ = state.reduce(.readStateFailed(message: "state.sqlite3: disk is full"))
        XCTAssertFalse(state.isRead(state.posts[0]))
        XCTAssertEqual(state.status, StatusMessage("state.sqlite3: disk is full", isError: true))
        _ = state.press(.down)
        XCTAssertNil(state.status, "the next key clears the message")
    }

    func testReadingFocusScrollsByLineAndPageAndClamps() {
        var state = makeState(readingRows: 10, articleLines: 30)
        _ = state.press(.enter)
        _ = state.press(.down, .character("j"))
        XCTAssertEqual(state.readingTop, 2)
        _ = state.press(.up)
        XCTAssertEqual(state.readingTop, 1)
        _ = state.press(.character("k"), .character("k"))
        XCTAssertEqual(state.readingTop, 0)
        _ = state.press(.pageDown)
        XCTAssertEqual(state.readingTop, 9)
        _ = state.press(.character(" "))
        XCTAssertEqual(state.readingTop, 18)
        _ = state.press(.pageDown)
        XCTAssertEqual(state.readingTop, 20, "the last line stays on the pane's last row")
        _ = state.press(.character("b"))
        XCTAssertEqual(state.readingTop, 11)
        _ = state.press(.pageUp, .pageUp)
        XCTAssertEqual(state.readingTop, 0)
        _ = state.press(.end)
        XCTAssertEqual(state.readingTop, 20)
        _ = state.press(.home)
        XCTAssertEqual(state.readingTop, 0)
        XCTAssertEqual(state.selection, 0, "scrolling never changes the post")
    }

    func testShortArticleDoesNotScroll() {
        var state = makeState(readingRows: 10, articleLines: 4)
        _ = state.press(.enter, .down, .pageDown)
        XCTAssertEqual(state.readingTop, 0)
    }

    func testLeftHEscAndQReturnToTheList() {
        for key in [Key.left, .character("h"), .escape, .character("q")] {
            var state = makeState()
            _ = state.press(.enter)
            XCTAssertEqual(state.press(key), [], "\(key) must not quit from the reading pane")
            XCTAssertEqual(state.focus, .list)
        }
    }

    func testTabSwitchesFocusBothWaysWithoutMarking() {
        var state = makeState()
        XCTAssertEqual(state.press(.tab), [])
        XCTAssertEqual(state.focus, .reading)
        XCTAssertEqual(state.press(.backTab), [])
        XCTAssertEqual(state.focus, .list)
        XCTAssertEqual(state.unreadCount, 10)
    }
}

final class MarkingTests: XCTestCase {
    func testMTogglesReadAndUnreadInEitherFocus() {
        var state = makeState()
        var effects = state.press(.character("m"))
        XCTAssertEqual(effects, [.persistRead(ids: [PostID(rawValue: 1000)], read: true)])
        state.commit(effects)
        XCTAssertEqual(state.unreadCount, 9)
        _ = state.press(.tab)
        effects = state.press(.character("m"))
        XCTAssertEqual(effects, [.persistRead(ids: [PostID(rawValue: 1000)], read: false)])
        state.commit(effects)
        XCTAssertEqual(state.unreadCount, 10)
    }

    func testNextAndPreviousUnreadSkipReadPosts() {
        var state = makeState(count: 6, read: [1, 2, 4])
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selection, 3)
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selection, 5)
        _ = state.press(.character("p"))
        XCTAssertEqual(state.selection, 3)
        _ = state.press(.character("p"))
        XCTAssertEqual(state.selection, 0)
    }

    func testNextUnreadWrapsAndSaysSo() {
        var state = makeState(count: 4, read: [1, 2, 3])
        _ = state.press(.end, .character("n"))
        XCTAssertEqual(state.selection, 0)
        XCTAssertEqual(state.status?.text, "Wrapped to the top")
    }

    func testNextUnreadWithNothingLeftStaysAndSaysSo() {
        var state = makeState(count: 3, read: [0, 1, 2])
        _ = state.press(.character("n"))
        XCTAssertEqual(state.selection, 0)
        XCTAssertEqual(state.status?.text, "No other unread posts")
    }

    func testNextUnreadInTheReadingPaneOpensAndMarksIt() {
        var state = makeState(count: 4, read: [0, 1])
        _ = state.press(.enter)
        let effects = state.press(.character("n"))
        XCTAssertEqual(state.selection, 2)
        XCTAssertEqual(effects, [.persistRead(ids: [PostID(rawValue: 1002)], read: true)])
    }

    func testTheSamePostInTwoFilesIsReadOnceForBoth() {
        let a = Post(id: PostID(rawValue: 7), title: "Same", bodyRange: 0..<0, archiveIndex: 0)
        let b = Post(id: PostID(rawValue: 7), title: "Same", bodyRange: 0..<0, archiveIndex: 1)
        let c = Post(id: PostID(rawValue: 8), title: "Other", bodyRange: 0..<0)
        var state = AppState(title: "T", posts: [a, b, c])
        XCTAssertEqual(state.unreadCount, 3)
        state.commit(state.press(.enter))
        XCTAssertEqual(state.unreadCount, 1)
        XCTAssertTrue(state.isRead(state.posts[1]))
    }
}

final class GlobalKeyTests: XCTestCase {
    func testQuitKeys() {
        var state = makeState()
        XCTAssertEqual(state.press(.character("q")), [.quit])
        state = makeState()
        _ = state.press(.enter)
        XCTAssertEqual(state.press(.character("Q")), [.quit], "Q quits from the reading pane too")
    }

    func testHelpOverlayOpensAndAnyKeyClosesIt() {
        var state = makeState()
        _ = state.press(.character("?"))
        XCTAssertTrue(state.showingHelp)
        XCTAssertEqual(state.press(.down), [])
        XCTAssertFalse(state.showingHelp)
        XCTAssertEqual(state.selection, 0, "the key that closes help does nothing else")
        _ = state.press(.character("?"))
        _ = state.press(.character("x"))
        XCTAssertFalse(state.showingHelp, "even an unbound key closes it")
        _ = state.press(.character("?"))
        XCTAssertEqual(state.press(.character("Q")), [.quit])
    }

    func testUnboundKeysDoNothing() {
        var state = makeState()
        let before = state
        XCTAssertEqual(state.press(.character("x"), .function(5)), [])
        XCTAssertEqual(state, before)
    }

    func testEmptyArchiveIsSafe() {
        var state = AppState(title: "empty", posts: [])
        state.measure()
        XCTAssertEqual(state.press(.down, .up, .end, .pageDown, .enter, .character("m"), .character("n")), [])
        XCTAssertNil(state.selectedPost)
    }
}

final class ViewportTests: XCTestCase {
    func testResizeKeepsTheSameBlockAtTheTop() {
        var state = makeState(readingRows: 5, articleLines: 40)
        state.measure(listRows: 5, readingRows: 5, articleLines: 40, width: 60, blockStarts: [0, 3, 10, 17, 30])
        _ = state.press(.enter)
        for _ in 0..<12 { _ = state.reduce(key: .down) }
        XCTAssertEqual(state.readingTop, 12, "inside the block starting at line 10")
        // Narrower: the same blocks wrap to more lines.
        state.measure(listRows: 5, readingRows: 5, articleLines: 70, width: 30, blockStarts: [0, 5, 18, 31, 55])
        XCTAssertEqual(state.readingTop, 18, "the block that was on top is on top again")
    }

    func testShrinkingTheListKeepsTheSelectionVisible() {
        var state = makeState(count: 30, listRows: 20)
        for _ in 0..<15 { _ = state.reduce(key: .down) }
        XCTAssertEqual(state.listTop, 0)
        state.measure(listRows: 5)
        XCTAssertTrue((state.listTop..<state.listTop + 5).contains(state.selection))
    }
}

final class KeymapTests: XCTestCase {
    func testPaneBindingsWinOverGlobalOnes() {
        let keymap = Keymap.standard
        XCTAssertEqual(keymap.command(for: .character("q"), in: .list), .quit)
        XCTAssertEqual(keymap.command(for: .character("q"), in: .reading), .back)
        XCTAssertEqual(keymap.command(for: .character("m"), in: .reading), .toggleRead)
        XCTAssertNil(keymap.command(for: .character("x"), in: .list))
    }

    func testEveryCommandHasAKeyAndHelpText() {
        let bound = Set(Keymap.standard.bindings.map(\.command))
        XCTAssertEqual(bound, Set(Command.allCases))
        XCTAssertFalse(Keymap.standard.bindings.contains { $0.help.isEmpty })
    }

    func testHelpRowsJoinKeysOfTheSameEntry() {
        let rows = Keymap.standard.helpRows
        XCTAssertTrue(rows.contains { $0.context == .list && $0.keys == "Down j" && $0.help == "next headline" })
        XCTAssertTrue(rows.contains { $0.context == .reading && $0.keys == "Left h Esc q" })
    }

    func testKeyNames() {
        XCTAssertEqual(Key.control("d").displayName, "^D")
        XCTAssertEqual(Key.meta("x").displayName, "M-x")
        XCTAssertEqual(Key.character(" ").displayName, "Space")
        XCTAssertEqual(Key.function(1).displayName, "F1")
        XCTAssertEqual(Key.pageDown.displayName, "PgDn")
    }
}
