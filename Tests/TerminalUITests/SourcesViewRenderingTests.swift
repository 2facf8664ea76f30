import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

/// The sources and tags views, a source's posts, the fetch progress, and the help scrolling at 80x24, as drawn.
final class SourcesViewRenderingTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    private let summaries = [
        SourceSummary(index: 0, name: "Author Archives for Grant Montgomery", kind: .archive,
                      location: "/home/reader/archives/grant-montgomery.txt"),
        SourceSummary(index: 1, name: "Tech Feed", kind: .subscription, tags: ["tech", "news"],
                      location: "https://tech.example/feed.xml"),
        SourceSummary(index: 2, name: "World News Daily", kind: .subscription, tags: ["news"],
                      failure: "HTTP 404 Not Found (since 2026-12-01 08:00)", location: "https://world.example/rss"),
        SourceSummary(index: 3, name: "Notes", kind: .feedFile, location: "/home/reader/notes.json"),
    ]

    private func state() -> AppState {
        let titles = ["Kim Jong Un orders construction", "A faster parser for feeds", "Floods in the south",
                      "North Korea fires missiles", "Swift 6.3 released", "Markets close higher"]
        let posts = (0..<18).map { n in
            Post(id: PostID(rawValue: UInt64(5000 + n)), title: "\(titles[n % titles.count]) (\(n))",
                 bodyRange: 0..<0, archiveIndex: [0, 1, 2][n % 3], kind: .feedItem,
                 timestamp: 1_780_000_000 - Int64(n) * 7200)
        }
        var marks: [PostID: Date] = [:]
        for n in [0, 3, 4, 7] { marks[posts[n].id] = Date(timeIntervalSince1970: 1_779_000_000) }
        var state = AppState(title: "4 sources", posts: posts, readMarks: marks)
        state.sourceNames = [0: "Author Archives for Grant Montgomery", 1: "Tech Feed", 2: "World News Daily"]
        _ = state.reduce(.sourcesChanged(summaries))
        return state
    }

    private func render(_ state: inout AppState, _ columns: Int, _ rows: Int, keymap: Keymap = .standard) -> Frame {
        let renderer = Renderer(keymap: keymap) { _ in PostBody(blocks: [.paragraph("Body of the post.")]) }
        _ = renderer.frame(for: &state, size: Size(columns: columns, rows: rows))
        return renderer.frame(for: &state, size: Size(columns: columns, rows: rows))
    }

    func testTheSourcesViewAtEachSize() {
        for (columns, rows) in [(80, 24), (120, 40)] {
            var state = state()
            _ = state.reduce(key: .character("s"))
            // Tech Feed at 80x24; World News Daily, whose last fetch failed, at 120x40.
            for _ in 0..<(columns == 80 ? 1 : 2) { _ = state.reduce(key: .down) }
            let frame = render(&state, columns, rows)
            assertSnapshot(frame, named: "sources-\(columns)x\(rows)")
        }
    }

    func testAFailingFeedIsMarkedInTheErrorTint() {
        var state = state()
        _ = state.reduce(key: .character("s"))
        let frame = render(&state, 120, 40)
        let list = ScreenLayout(size: Size(columns: 120, rows: 40)).list
        XCTAssertEqual(frame[list.x + 1, list.y + 2].text, "!")
        XCTAssertEqual(frame[list.x + 1, list.y + 2].style.tint, .error)
        XCTAssertEqual(frame[list.x + 1, list.y + 3].text, " ", "Notes has no posts and no failure")
        let world = frame.rowText(list.y + 2).prefix(list.width)
        XCTAssertTrue(world.contains("World News Daily") && world.hasSuffix("news      6/6 "), String(world))
    }

    func testTheTagsViewAndATagsPosts() {
        var state = state()
        _ = state.reduce(key: .character("t"))
        assertSnapshot(render(&state, 120, 40), named: "tags-120x40")
        _ = state.reduce(key: .enter)
        _ = state.reduce(.fetchProgress(FetchProgress(done: 37, total: 120, newPosts: 12, failed: 2)))
        let frame = render(&state, 120, 40)
        XCTAssertEqual(frame.rowText(0), " Gazette · Only tag news · Esc shows every source")
        XCTAssertTrue(frame.rowText(39).contains("fetching 37/120 · 12 new · 2 failed"), frame.rowText(39))
    }

    func testASourcesPostsAfterFetchedOnesArrived() {
        var state = state()
        _ = state.reduce(key: .character("s"))
        _ = state.reduce(key: .character("j"))
        _ = state.reduce(key: .enter)
        _ = state.reduce(key: .down)
        let arrived = (0..<2).map { n in
            Post(id: PostID(rawValue: UInt64(6000 + n)), title: "Fetched just now (\(n))", bodyRange: 0..<0,
                 archiveIndex: 1, kind: .feedItem, timestamp: 1_780_000_000 + Int64(n + 1) * 60)
        }
        _ = state.reduce(.postsArrived(ArrivedPosts(posts: arrived)))
        _ = state.reduce(.fetchProgress(FetchProgress(done: 3, total: 3, newPosts: 2, finished: true)))
        assertSnapshot(render(&state, 120, 40), named: "source-posts-arrived-120x40")
    }

    func testTheHelpScrollsAt80x24() {
        var state = state()
        _ = render(&state, 80, 24)
        _ = state.reduce(key: .character("?"))
        _ = render(&state, 80, 24)
        XCTAssertEqual(state.viewport.helpRows, 18)
        XCTAssertGreaterThan(state.viewport.helpLines, 18)
        _ = state.reduce(key: .pageDown)
        _ = state.reduce(key: .pageDown)
        _ = state.reduce(key: .pageDown)
        let frame = render(&state, 80, 24)
        assertSnapshot(frame, named: "help-scrolled-80x24")
        XCTAssertTrue(frame.text.contains("backfill the selected feed's archive (sources)"), frame.text)
        XCTAssertTrue(frame.text.contains(" Q "), "the last binding is on screen at the end")
    }

    func testEveryBindingIsReachableInTheHelpAt80x24() {
        var state = state()
        _ = render(&state, 80, 24)
        _ = state.reduce(key: .character("?"))
        var seen = ""
        for _ in 0..<10 {
            seen += render(&state, 80, 24).text
            _ = state.reduce(key: .pageDown)
        }
        for row in Keymap.standard.helpRows {
            XCTAssertTrue(seen.contains(row.help), row.help)
        }
    }

    func testAWideHelpShowsEverythingAtOnce() {
        var state = state()
        _ = state.reduce(key: .character("?"))
        let frame = render(&state, 220, 60)
        assertSnapshot(frame, named: "help-220x60")
        XCTAssertFalse(frame.text.contains("PgDn PgUp scroll"), "nothing to scroll")
        _ = state.reduce(key: .down)
        XCTAssertFalse(state.showingHelp, "with nothing to scroll, any key closes the help")
    }

    func testTheMouseWorksInTheSourcesViewAndScrollsTheHelp() {
        var state = state()
        _ = state.reduce(key: .character("s"))
        let layout = ScreenLayout(size: Size(columns: 120, rows: 40))
        let click = MouseEvent(.press, column: 5, row: layout.list.y + 2)
        for action in MouseRouting.actions(for: click, clicks: 2, state: state, layout: layout) {
            _ = state.reduce(action)
        }
        XCTAssertEqual(state.scope, .source(2), "a double click on World News Daily shows its posts")

        _ = render(&state, 80, 24)
        _ = state.reduce(key: .character("?"))
        _ = render(&state, 80, 24)
        let small = ScreenLayout(size: Size(columns: 80, rows: 24))
        let wheel = MouseRouting.actions(for: MouseEvent(.wheelDown, column: 40, row: 10), clicks: 0, state: state,
                                         layout: small)
        XCTAssertEqual(wheel, [.scrollHelp(by: MouseRouting.wheelStep)])
        for action in wheel { _ = state.reduce(action) }
        XCTAssertEqual(state.helpTop, MouseRouting.wheelStep)
        XCTAssertTrue(state.showingHelp)
    }

    func testASourceWithoutPostsSaysSo() {
        var state = state()
        _ = state.reduce(key: .character("s"))
        _ = state.reduce(key: .end)
        XCTAssertEqual(state.selectedSource?.name, "Notes")
        _ = state.reduce(key: .enter)
        let frame = render(&state, 120, 40)
        XCTAssertEqual(frame.rowText(1).prefix(31), "  No posts from this source yet")
        XCTAssertTrue(frame.rowText(39).hasPrefix(" 0/0 · 14 unread"), frame.rowText(39))
    }
}
