import Foundation
import TextCells
import XCTest

extension TmuxSession {
    /// Asserts that the reader's screen has its frame: still on the alternate screen, the title bar on the first
    /// row, the status bar on the last, every row within the pane, and the border between the panes (`border`,
    /// side by side) at the same column on every row between the two bars. `mustShow` must be on screen too
    /// (something content could have wiped). Call `DisplayWidth.prepareLocale()` first.
    func assertSaneReaderScreen(columns: Int, rows: Int, border: Character = "│", mustShow: String? = nil,
                                step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let lines = try self.lines()
        let screen = lines.joined(separator: "\n")
        XCTAssertEqual(try display("#{alternate_on}"), "1", "\(step): left the alternate screen", file: file, line: line)
        XCTAssertTrue(lines.first?.hasPrefix(" Gazette") ?? false, "\(step): the title bar moved:\n\(screen)",
                      file: file, line: line)
        XCTAssertEqual(lines.count, rows, "\(step): the status bar is not on the last row:\n\(screen)", file: file, line: line)
        XCTAssertTrue(lines.last?.contains("unread") ?? false, "\(step): no status bar:\n\(screen)", file: file, line: line)
        for (index, text) in lines.enumerated() {
            XCTAssertLessThanOrEqual(DisplayWidth.of(text), columns, "\(step): row \(index) overflows: \(text)",
                                     file: file, line: line)
        }
        if let mustShow {
            XCTAssertTrue(screen.contains(mustShow), "\(step): \"\(mustShow)\" is gone:\n\(screen)", file: file, line: line)
        }
        guard lines.count == rows else { return }
        guard let column = Self.column(of: border, in: lines[1]) else {
            return XCTFail("\(step): no border on row 1:\n\(screen)", file: file, line: line)
        }
        for index in 1..<(rows - 1) where Self.cell(at: column, in: lines[index]) != border {
            return XCTFail("\(step): border broken on row \(index):\n\(screen)", file: file, line: line)
        }
    }

    /// The column (in cells) where `character` first appears in a captured row.
    static func column(of character: Character, in row: String) -> Int? {
        var column = 0
        for cluster in row {
            if cluster == character { return column }
            column += DisplayWidth.of(cluster)
        }
        return nil
    }

    /// The cluster drawn at `column` of a captured row (`nil` past its end or inside a wide one).
    static func cell(at column: Int, in row: String) -> Character? {
        var current = 0
        for cluster in row {
            if current == column { return cluster }
            current += DisplayWidth.of(cluster)
            if current > column { return nil }
        }
        return nil
    }
}
