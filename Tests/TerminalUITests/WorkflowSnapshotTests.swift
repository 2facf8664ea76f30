import Catalog
import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

/// Screens of the reading workflow (issue 4), on the sample archive.
final class WorkflowSnapshotTests: XCTestCase {
    var library: Library!

    override func setUpWithError() throws {
        DisplayWidth.prepareLocale()
        library = try Library.load(paths: [packageRoot.appendingPathComponent("seeds").path])
    }

    func render(_ state: inout AppState, _ columns: Int = 100, _ rows: Int = 24) -> Frame {
        let lib = library!
        return Renderer { lib.body(of: $0) }.frame(for: &state, size: Size(columns: columns, rows: rows))
    }

    func sampleState() -> AppState {
        var state = AppState(title: library.title, posts: library.posts,
                             now: Date(timeIntervalSince1970: 1_700_000_000))
        _ = render(&state)
        return state
    }

    func testUnreadFilterKeepsPostsReadThisSessionDimmed() {
        var state = sampleState()
        _ = state.reduce(.readStateSaved(ids: [library.posts[0].id], read: true, at: state.now))
        _ = state.reduce(key: .character("f"))
        _ = state.reduce(key: .enter)
        _ = state.reduce(.readStateSaved(ids: [state.selectedPost!.id], read: true,
                                         at: state.now.addingTimeInterval(-2 * 86_400)))
        let frame = render(&state)
        assertSnapshot(frame, named: "filter-unread-100x24")
        let list = ScreenLayout(size: frame.size).list
        XCTAssertTrue(frame[list.x + 5, list.y].style.attributes.contains(.dim), "read this session: dimmed, still listed")
        XCTAssertTrue(frame.text.contains("read 2 days ago"))
    }

    func testSearchLineThenHighlightedMatches() {
        var state = sampleState()
        _ = state.reduce(key: .character("/"))
        for scalar in "hospital".unicodeScalars { _ = state.reduce(key: .character(scalar)) }
        _ = state.reduce(.searchResults(query: "hospital", matches: [4, 7]))
        assertSnapshot(render(&state), named: "search-typing-100x24")
        _ = state.reduce(key: .enter)
        _ = state.reduce(key: .down)
        let frame = render(&state)
        assertSnapshot(frame, named: "search-kept-100x24")
        let highlighted = frame.cells.filter { $0.style.tint == .highlight }.map(\.text).joined()
        XCTAssertTrue(highlighted.lowercased().contains("hospital"), highlighted)
    }

    func testConfirmationQuestionReplacesTheStatusBar() {
        var state = sampleState()
        _ = state.reduce(key: .character("A"))
        let frame = render(&state, 80, 24)
        XCTAssertEqual(frame.rowText(23), " Mark 10 posts read? (y/n)")
    }

    /// Presses `keys`, drawing a frame after each as the run loop does, and returns the last frame.
    func press(_ state: inout AppState, _ keys: Key...) -> Frame {
        var frame = render(&state)
        for key in keys {
            _ = state.reduce(key: key)
            frame = render(&state)
        }
        return frame
    }

    func testZoomAndStackedArrangements() {
        var state = sampleState()
        assertSnapshot(press(&state, .character("z")), named: "zoomed-100x24")
        assertSnapshot(press(&state, .character("z"), .character("L")), named: "stacked-forced-100x24")
        let frame = press(&state, .character("L"), .character(">"), .character(">"))
        XCTAssertEqual(ScreenLayout(size: frame.size, preferences: state.layout).list.width, 43)
        XCTAssertTrue(frame.rowText(1).contains("│"))
    }

    func testNewPostsAreMarkedAndCounted() {
        var state = sampleState()
        state.newPosts = [library.posts[2].id, library.posts[5].id]
        let frame = render(&state)
        XCTAssertEqual(frame[1, 3].text, "N")
        XCTAssertEqual(frame[1, 2].text, "●")
        XCTAssertTrue(frame.rowText(23).contains("2 new"), frame.rowText(23))
    }
}
