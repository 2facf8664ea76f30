import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

/// The run loop with work going on in the background (the indexer): started after the first frame, its results
/// taken between events (on timeouts), the status bar showing the progress until the last batch.
final class BackgroundWorkTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    /// Batches handed out one per call, as an indexer would; `startedAfterFrames` records when `start` came.
    final class Batches: BackgroundWork {
        var pending: [IndexedPosts]
        var startedAfterFrames: Int?
        let terminal: TimeoutTerminal
        init(_ batches: [IndexedPosts], terminal: TimeoutTerminal) {
            pending = batches
            self.terminal = terminal
        }
        func start() { startedAfterFrames = terminal.frames.count }
        var isActive: Bool { !pending.isEmpty }
        func takeResults() -> [Action] { pending.isEmpty ? [] : [.postsIndexed(pending.removeFirst())] }
    }

    /// Times out (nil) while there is background work, then replays its keys.
    final class TimeoutTerminal: Terminal {
        var size = Size(columns: 100, rows: 20)
        var frames: [Frame] = []
        var timeouts: [Int?] = []
        var keys: [TerminalEvent]
        var idleFirst: Int
        init(idleFirst: Int, keys: [TerminalEvent]) {
            self.idleFirst = idleFirst
            self.keys = keys
        }
        func draw(_ frame: Frame) { frames.append(frame) }
        func invalidate() {}
        func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
            timeouts.append(timeoutMilliseconds)
            if idleFirst > 0 {
                idleFirst -= 1
                return nil
            }
            return keys.isEmpty ? .hangup : keys.removeFirst()
        }
    }

    private func posts(_ range: Range<Int>) -> [Post] {
        range.map { Post(id: PostID(rawValue: UInt64(100 + $0)), title: "Headline \($0 + 1)", bodyRange: 0..<0) }
    }

    func testBatchesArriveBetweenEventsAndTheProgressShows() {
        let terminal = TimeoutTerminal(idleFirst: 3, keys: [.key(.end), .key(.character("Q"))])
        var state = AppState(title: "T", posts: posts(0..<3))
        state.indexing = 0.1
        let loop = ReaderLoop(state: state, terminal: terminal, renderer: Renderer { _ in [] }, perform: { _ in nil })
        let work = Batches([IndexedPosts(posts: posts(3..<6), progress: 0.5, done: false),
                            IndexedPosts(posts: posts(6..<9), progress: 1, done: true)], terminal: terminal)
        loop.background = work
        loop.run()
        XCTAssertEqual(work.startedAfterFrames, 1, "started once the first frame was drawn")
        XCTAssertEqual(terminal.timeouts.first, ReaderLoop.backgroundPoll, "waits briefly while work goes on")
        XCTAssertTrue(terminal.frames[0].text.contains("indexing 10%"))
        XCTAssertTrue(terminal.frames[1].text.contains("1/6") && terminal.frames[1].text.contains("indexing 50%"))
        XCTAssertEqual(loop.state.posts.count, 9)
        XCTAssertNil(loop.state.indexing)
        XCTAssertFalse(terminal.frames.last!.text.contains("indexing"))
        XCTAssertTrue(terminal.frames.last!.text.contains("9/9"), "End reaches the last post indexed")
        XCTAssertFalse(work.isActive, "done")
        XCTAssertNil(terminal.timeouts.last!, "no more polling once done (the work stays attached, idle)")
    }
}
