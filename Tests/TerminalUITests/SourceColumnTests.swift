import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

/// Posts from several sources: each list row names its source; from one source, no such column.
final class SourceColumnTests: XCTestCase {
    override func setUp() {
        DisplayWidth.prepareLocale()
    }

    private func state(sources: [Int: String], layout: LayoutPreferences = .standard) -> AppState {
        let posts = (0..<4).map {
            Post(id: PostID(rawValue: UInt64(9000 + $0)), title: "Headline number \($0)",
                 date: PostDate(year: 2020, month: 4, day: 14 - $0), bodyRange: 0..<0, archiveIndex: $0 % 2)
        }
        var state = AppState(title: "T", posts: posts, layout: layout)
        state.sourceNames = sources
        return state
    }

    private func listRows(_ state: AppState, columns: Int) -> [String] {
        var state = state
        let frame = Renderer { _ in [.paragraph("Body.")] }.frame(for: &state, size: Size(columns: columns, rows: 12))
        return (1...4).map { frame.rowText($0) }
    }

    func testSeveralSourcesAreNamedOnEachRow() {
        let rows = listRows(state(sources: [0: "Daily NK", 1: "Korea Herald"]), columns: 160)
        XCTAssertTrue(rows[0].contains("Daily NK"), rows[0])
        XCTAssertTrue(rows[1].contains("Korea Herald"), rows[1])
        XCTAssertTrue(rows[0].contains("2020-04-14"), "dates stay when there is room: \(rows[0])")
    }

    func testOneSourceHasNoSourceColumn() {
        let rows = listRows(state(sources: [0: "Daily NK"]), columns: 160)
        XCTAssertFalse(rows.contains { $0.contains("Daily NK") }, "\(rows)")
    }

    func testANarrowListKeepsTheSourceAndLetsTheDateGo() {
        let narrow = state(sources: [0: "Daily NK", 1: "Korea Herald"],
                           layout: LayoutPreferences(arrangement: .stacked, listPercent: 33, zoomed: false))
        let rows = listRows(narrow, columns: 36)
        XCTAssertTrue(rows[0].contains("Daily"), rows[0])
        XCTAssertFalse(rows[0].contains("2020-04-14"), rows[0])
    }
}
