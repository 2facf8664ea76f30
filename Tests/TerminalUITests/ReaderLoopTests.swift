import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

final class ReaderLoopTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    let posts = (1...5).map { Post(id: PostID(rawValue: UInt64($0)), title: "Headline \($0)", bodyRange: 0..<0) }

    func makeLoop(_ events: [TerminalEvent], size: Size = Size(columns: 120, rows: 40),
                  perform: @escaping (Effect) -> Action?) -> (ReaderLoop, FakeTerminal) {
        let terminal = FakeTerminal(size: size, events: events)
        let renderer = Renderer { post in [.paragraph("Body of \(post.title).")] }
        let loop = ReaderLoop(state: AppState(title: "Loop", posts: posts), terminal: terminal,
                              renderer: renderer, perform: perform)
        return (loop, terminal)
    }

    func testMarkIsCommittedBeforeTheFrameThatShowsIt() {
        var committed: [PostID] = []
        var frameCountAtCommit = -1
        var terminalRef: FakeTerminal?
        let (loop, terminal) = makeLoop([.key(.down), .key(.enter), .key(.character("Q"))]) { effect in
            guard case .persistRead(let ids, let read) = effect else { return nil }
            committed += ids
            frameCountAtCommit = terminalRef?.frames.count ?? -1
            return .readStateSaved(ids: ids, read: read, at: Date())
        }
        terminalRef = terminal
        loop.run()
        XCTAssertEqual(committed, [PostID(rawValue: 2)])
        XCTAssertEqual(frameCountAtCommit, 2, "committed after two frames, before the third")
        let list = ScreenLayout(size: terminal.size).list
        XCTAssertEqual(terminal.frames[1][list.x + 1, list.y + 1].text, "●", "unread before opening")
        XCTAssertEqual(terminal.frames[2][list.x + 1, list.y + 1].text, " ", "read once committed")
        XCTAssertTrue(terminal.frames[2].text.contains("Body of Headline 2."))
    }

    func testStoreFailureShowsAnErrorAndKeepsThePostUnread() {
        let (loop, terminal) = makeLoop([.key(.enter), .key(.character("Q"))]) { _ in
            .readStateFailed(message: "cannot save: disk is full")
        }
        loop.run()
        let frame = terminal.frames.last!
        XCTAssertTrue(frame.rowText(frame.size.rows - 1).contains("cannot save: disk is full"))
        XCTAssertEqual(loop.state.unreadCount, 5)
        XCTAssertEqual(frame[1, 1].text, "●")
    }

    func testResizeRedrawsAtTheNewSizeAndKeepsTheSelection() {
        let (loop, terminal) = makeLoop([.key(.down), .key(.down), .resize(Size(columns: 60, rows: 20)),
                                         .resize(Size(columns: 1, rows: 1)), .resize(Size(columns: 150, rows: 50)),
                                         .key(.character("q"))]) { _ in nil }
        loop.run()
        XCTAssertEqual(terminal.frames.map(\.size).suffix(3),
                       [Size(columns: 60, rows: 20), Size(columns: 1, rows: 1), Size(columns: 150, rows: 50)])
        XCTAssertEqual(loop.state.selection, 2)
        XCTAssertTrue(terminal.frames.last!.text.contains("Body of Headline 3."))
        XCTAssertEqual(terminal.invalidations, 3)
    }

    func testHangupEndsTheLoop() {
        let (loop, terminal) = makeLoop([.key(.down), .hangup, .key(.down)]) { _ in nil }
        loop.run()
        XCTAssertEqual(loop.state.selection, 1)
        XCTAssertEqual(terminal.frames.count, 2)
    }
}
