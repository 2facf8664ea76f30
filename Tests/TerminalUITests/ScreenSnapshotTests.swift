import Catalog
import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

final class ScreenSnapshotTests: XCTestCase {
    var library: Library!

    override func setUpWithError() throws {
        DisplayWidth.prepareLocale()
        library = try Library.load(paths: [packageRoot.appendingPathComponent("seeds").path])
    }

    func sampleState() -> AppState {
        AppState(title: library.title, posts: library.posts)
    }

    func render(_ state: inout AppState, _ columns: Int, _ rows: Int) -> Frame {
        let lib = library!
        return Renderer { lib.body(of: $0) }.frame(for: &state, size: Size(columns: columns, rows: rows))
    }

    func testSampleAtEachSize() {
        for (columns, rows) in [(120, 40), (80, 24), (40, 12)] {
            var state = sampleState()
            _ = render(&state, columns, rows)
            assertSnapshot(render(&state, columns, rows), named: "list-\(columns)x\(rows)")

            _ = state.reduce(key: .down)
            _ = state.reduce(key: .down)
            assertSnapshot(render(&state, columns, rows), named: "preview-third-\(columns)x\(rows)")

            _ = state.reduce(key: .enter)
            _ = state.reduce(.readStateSaved(ids: [state.selectedPost!.id], read: true, at: Date()))
            _ = state.reduce(key: .pageDown)
            assertSnapshot(render(&state, columns, rows), named: "opened-paged-\(columns)x\(rows)")

            _ = state.reduce(key: .character("?"))
            assertSnapshot(render(&state, columns, rows), named: "help-\(columns)x\(rows)")
        }
    }

    func testHackersPostBulletsHangAndNest() {
        var state = sampleState()
        _ = render(&state, 120, 40)
        _ = state.reduce(key: .down)
        assertSnapshot(render(&state, 120, 40), named: "bullets-120x40")
    }

    func testSelectedRowIsReversedAndUnreadTitlesAreBold() {
        var state = sampleState()
        _ = state.reduce(.readStateSaved(ids: [library.posts[1].id], read: true, at: Date()))
        let frame = render(&state, 120, 40)
        let list = ScreenLayout(size: Size(columns: 120, rows: 40)).list
        XCTAssertTrue(frame[list.x + 5, list.y].style.attributes.contains(.reverse))
        XCTAssertFalse(frame[list.x + 5, list.y + 1].style.attributes.contains(.reverse))
        XCTAssertFalse(frame[list.x + 5, list.y + 1].style.attributes.contains(.bold), "read post")
        XCTAssertTrue(frame[list.x + 5, list.y + 2].style.attributes.contains(.bold), "unread post")
        XCTAssertEqual(frame[list.x + 1, list.y + 1].text, " ", "no unread marker on a read post")
        XCTAssertEqual(frame[list.x + 1, list.y + 2].text, "●")
    }

    func testEverySizeDownToOneByOneRendersWithoutCrashing() {
        var state = sampleState()
        for columns in [1, 2, 5, 19, 20, 21, 39, 40, 99, 100, 101, 300] {
            for rows in [1, 2, 5, 6, 7, 12, 100] {
                let frame = render(&state, columns, rows)
                XCTAssertEqual(frame.size, Size(columns: columns, rows: rows))
            }
        }
        let tiny = render(&state, 10, 3)
        XCTAssertEqual(tiny.rowText(0), "Terminal t")
    }
}

final class WideTextRenderingTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    func makeState(title: String) -> AppState {
        AppState(title: "Wide", posts: [Post(id: PostID(rawValue: 1), title: title, bodyRange: 0..<0),
                                        Post(id: PostID(rawValue: 2), title: "Second", bodyRange: 0..<0)])
    }

    func testLongAndWideTitlesAreCutByCellsWithAnEllipsis() {
        let title = "북한, 순항미사일 추정 발사체 여러 발 발사 — 北朝鮮が巡航ミサイル発射 and a very long English tail"
        var state = makeState(title: title)
        let body: [Block] = [.paragraph("Hangul 한국어 and emoji 👨‍👩‍👧 in the body, with no\u{A0}break spaces kept together.")]
        let frame = Renderer { _ in PostBody(blocks: body) }.frame(for: &state, size: Size(columns: 80, rows: 24))
        assertSnapshot(frame, named: "wide-80x24")
        let list = ScreenLayout(size: Size(columns: 80, rows: 24)).list
        let row = frame.rowText(list.y)
        XCTAssertTrue(row.hasSuffix("…"), row)
        XCTAssertLessThanOrEqual(DisplayWidth.of(row), 80)
    }

    func testHostileTitlesAreSanitizedOnTheWayToTheFrame() {
        var state = makeState(title: "Evil\u{1B}]0;pwned\u{07}\u{1B}[2J title \u{202E}reversed")
        let frame = Renderer { _ in [.paragraph("body\u{1B}[31m red\r\u{8}")] }.frame(for: &state, size: Size(columns: 80, rows: 24))
        for cell in frame.cells {
            XCTAssertFalse(cell.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0 == "\u{202E}" }, "cell \(cell.text.debugDescription)")
        }
    }
}
