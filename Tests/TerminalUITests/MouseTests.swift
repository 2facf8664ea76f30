import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

final class MouseTests: XCTestCase {
    let posts = (1...30).map { Post(id: PostID(rawValue: UInt64($0)), title: "Headline \($0)", bodyRange: 0..<0) }
    let size = Size(columns: 120, rows: 40)
    var layout: ScreenLayout { ScreenLayout(size: size) }

    func state() -> AppState { AppState(title: "Mouse", posts: posts) }

    func press(_ x: Int, _ y: Int) -> MouseEvent { MouseEvent(.press, column: x, row: y) }

    // MARK: ClickTracker

    func testDoubleClickNeedsTheSameRowAndLittleTime() {
        var tracker = ClickTracker()
        let t0 = Date(timeIntervalSince1970: 100)
        XCTAssertEqual(tracker.register(press(5, 3), at: t0), 1)
        XCTAssertEqual(tracker.register(press(6, 3), at: t0.addingTimeInterval(0.2)), 2)
        XCTAssertEqual(tracker.register(press(6, 3), at: t0.addingTimeInterval(0.3)), 1, "a third click starts over")
        XCTAssertEqual(tracker.register(press(6, 4), at: t0.addingTimeInterval(0.4)), 1, "another row")
        XCTAssertEqual(tracker.register(press(6, 4), at: t0.addingTimeInterval(1.4)), 1, "too slow")
        XCTAssertEqual(tracker.register(press(20, 4), at: t0.addingTimeInterval(1.5)), 1, "too far")
        XCTAssertEqual(tracker.register(MouseEvent(.wheelDown, column: 20, row: 4), at: t0.addingTimeInterval(1.6)), 0)
        XCTAssertEqual(tracker.register(MouseEvent(.doubleClick, column: 1, row: 1), at: t0.addingTimeInterval(9)), 2,
                       "the terminal's own double click")
    }

    // MARK: Routing

    func testClickOnAHeadlineSelectsItAndFocusesTheList() {
        let list = layout.list
        XCTAssertEqual(MouseRouting.actions(for: press(list.x + 5, list.y + 4), clicks: 1, state: state(), layout: layout),
                       [.focus(.list), .selectRow(4)])
    }

    func testClickBelowTheLastHeadlineOnlyFocuses() {
        var few = AppState(title: "Few", posts: Array(posts.prefix(3)))
        _ = few.reduce(.focus(.reading))
        XCTAssertEqual(MouseRouting.actions(for: press(layout.list.x + 2, layout.list.y + 10), clicks: 1, state: few,
                                            layout: layout), [.focus(.list)])
    }

    func testTheListScrollOffsetCounts() {
        let many = (1...100).map { Post(id: PostID(rawValue: UInt64($0)), title: "Headline \($0)", bodyRange: 0..<0) }
        var scrolled = AppState(title: "Many", posts: many)
        _ = scrolled.reduce(.viewport(Viewport(listRows: layout.list.height, readingRows: 10, article: nil)))
        _ = scrolled.reduce(.selectRow(80))
        XCTAssertGreaterThan(scrolled.listTop, 0)
        let actions = MouseRouting.actions(for: press(2, layout.list.y), clicks: 1, state: scrolled, layout: layout)
        XCTAssertEqual(actions, [.focus(.list), .selectRow(scrolled.listTop)])
    }

    func testDoubleClickOpens() {
        let list = layout.list
        XCTAssertEqual(MouseRouting.actions(for: press(list.x + 5, list.y + 2), clicks: 2, state: state(), layout: layout),
                       [.focus(.list), .selectRow(2), .command(.open)])
    }

    func testClickInTheReadingPaneFocusesIt() {
        let reading = layout.reading
        XCTAssertEqual(MouseRouting.actions(for: press(reading.x + 3, reading.y + 3), clicks: 1, state: state(), layout: layout),
                       [.focus(.reading)])
    }

    func testWheel() {
        let list = layout.list, reading = layout.reading
        XCTAssertEqual(MouseRouting.actions(for: MouseEvent(.wheelDown, column: list.x + 1, row: list.y + 1), clicks: 0,
                                            state: state(), layout: layout), [.focus(.list), .moveSelection(by: 3)])
        XCTAssertEqual(MouseRouting.actions(for: MouseEvent(.wheelUp, column: reading.x + 1, row: reading.y + 1), clicks: 0,
                                            state: state(), layout: layout), [.scrollReading(by: -3)])
        XCTAssertEqual(MouseRouting.actions(for: MouseEvent(.wheelDown, column: reading.x + 1, row: reading.y + 1), clicks: 0,
                                            state: state(), layout: layout), [.scrollReading(by: 3)])
    }

    func testTitleStatusAndSeparatorDoNothing() {
        for (x, y) in [(5, 0), (5, size.rows - 1), (layout.separator.x, layout.separator.y + 2)] {
            XCTAssertEqual(MouseRouting.actions(for: press(x, y), clicks: 1, state: state(), layout: layout), [], "\(x),\(y)")
        }
    }

    func testHelpAndQuestions() {
        var helping = state()
        _ = helping.reduce(key: .character("?"))
        XCTAssertEqual(MouseRouting.actions(for: press(5, 5), clicks: 1, state: helping, layout: layout), [.command(.help)])
        var asking = state()
        _ = asking.reduce(key: .character("A"))
        XCTAssertNotNil(asking.confirmation)
        XCTAssertEqual(MouseRouting.actions(for: press(5, 5), clicks: 1, state: asking, layout: layout), [])
    }

    func testZoomedReadingPaneCoversTheList() {
        var zoomed = state()
        _ = zoomed.reduce(key: .character("z"))
        let zoomedLayout = ScreenLayout(size: size, preferences: zoomed.layout)
        XCTAssertEqual(MouseRouting.actions(for: press(3, 5), clicks: 1, state: zoomed, layout: zoomedLayout),
                       [.focus(.reading)])
    }

    // MARK: In the run loop

    func testTheRunLoopSelectsOpensAndScrollsWithoutMarkingByWheel() {
        let list = layout.list, reading = layout.reading
        var persisted: [PostID] = []
        let terminal = FakeTerminal(size: size, events: [
            .mouse(press(list.x + 3, list.y + 2)),
            .mouse(MouseEvent(.wheelDown, column: list.x + 3, row: list.y + 2)),
            .mouse(MouseEvent(.wheelDown, column: reading.x + 3, row: reading.y + 2)),
            .mouse(press(reading.x + 3, reading.y + 2)),
            .mouse(MouseEvent(.doubleClick, column: list.x + 3, row: list.y + 7)),
            .key(.character("Q")),
        ])
        let renderer = Renderer { post in PostBody(blocks: (1...40).map { .paragraph("Body \($0) of \(post.title).") }) }
        let loop = ReaderLoop(state: state(), terminal: terminal, renderer: renderer) { effect in
            guard case .persistRead(let ids, let read) = effect else { return nil }
            persisted += ids
            return .readStateSaved(ids: ids, read: read, at: Date())
        }
        loop.run()
        XCTAssertEqual(persisted, [posts[7].id], "only the double-clicked post is read")
        XCTAssertEqual(loop.state.selection, 7)
        XCTAssertEqual(loop.state.focus, .reading)
    }

    // MARK: Measure

    func testMeasureLimitsTheReadingColumn() {
        let wide = Size(columns: 200, rows: 40)
        XCTAssertEqual(ScreenLayout(size: wide).readingText.width, 80)
        XCTAssertEqual(ScreenLayout(size: wide, measure: 60).readingText.width, 60)
        XCTAssertEqual(ScreenLayout(size: wide, measure: 5).readingText.width, ScreenLayout.measureRange.lowerBound)
        var state = state()
        let frame = Renderer(measure: 30) { _ in [.paragraph(String(repeating: "word ", count: 40))] }
            .frame(for: &state, size: wide)
        let reading = ScreenLayout(size: wide).readingText
        let line = frame.rowText(reading.y + 3)
        let text = line.dropFirst(reading.x).trimmingCharacters(in: .whitespaces)
        XCTAssertLessThanOrEqual(text.count, 30, line)
        XCTAssertGreaterThan(text.count, 20, line)
    }
}
