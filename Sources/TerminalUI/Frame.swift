import TextCells

/// One cell of a frame: a grapheme cluster and how to draw it.
///
/// A cluster two cells wide occupies its cell and the next one; the next one is a
/// *continuation* cell (`width == 0`, empty text) that terminals must skip.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: UInt8
    public var style: Style

    public init(text: String, width: UInt8, style: Style) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell(text: " ", width: 1, style: .plain)
    public var isContinuation: Bool { width == 0 }
}

/// A grid of cells that widgets render into, then handed whole to a `Terminal`.
///
/// Frames are values: rendering is a pure function from state to frame, and tests compare
/// frames (or their text) without a terminal. All text enters through `put`, which passes it
/// through the one `Sanitizer` and measures it per grapheme cluster.
public struct Frame: Hashable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size) {
        let clamped = Size(columns: max(0, size.columns), rows: max(0, size.rows))
        self.size = clamped
        self.cells = Array(repeating: .blank, count: clamped.columns * clamped.rows)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.columns + x] }
    }

    /// Fills a rectangle with blanks in `style`.
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        let r = rect.clipped(to: Rect(x: 0, y: 0, width: size.columns, height: size.rows))
        guard r.width > 0, r.height > 0 else { return }
        let cell = Cell(text: " ", width: 1, style: style)
        for y in r.y..<(r.y + r.height) {
            let base = y * size.columns
            for x in r.x..<(r.x + r.width) { cells[base + x] = cell }
        }
    }

    /// Writes `text` at (`x`, `y`), clipped to `maxWidth` cells and to the frame.
    ///
    /// The text is sanitized first. A wide cluster that would straddle the limit is not drawn
    /// (the cell is left blank). Returns the number of cells written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, maxWidth: Int = .max, style: Style = .plain) -> Int {
        guard y >= 0, y < size.rows, x < size.columns else { return 0 }
        let limit = min(maxWidth, size.columns - max(x, 0))
        guard limit > 0 else { return 0 }
        let clean = Sanitizer.clean(String(text))
        var column = 0
        DisplayWidth.forEachCluster(clean) { bytes, w in
            if w == 0 {
                // A lone combining mark or similar: attach it to the previous cell when there is one.
                if column > 0, x + column - 1 >= 0 {
                    var i = y * size.columns + x + column - 1
                    if cells[i].isContinuation, i > 0 { i -= 1 }
                    cells[i].text.append(contentsOf: String(decoding: bytes, as: UTF8.self))
                }
                return true
            }
            if column + w > limit { return false }
            let cx = x + column
            if cx >= 0 {
                let i = y * size.columns + cx
                clearWide(at: cx, y: y)
                let text = bytes.count == 1 ? Self.ascii[Int(bytes[0] & 0x7F)] : String(decoding: bytes, as: UTF8.self)
                cells[i] = Cell(text: text, width: UInt8(w), style: style)
                if w == 2 {
                    if cx + 1 < size.columns {
                        clearWide(at: cx + 1, y: y)
                        cells[i + 1] = Cell(text: "", width: 0, style: style)
                    }
                }
            }
            column += w
            return true
        }
        return column
    }

    /// One-byte cell texts, made once.
    private static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// The cells of row `y` from column `x`, `count` of them (clipped to the frame), for `RowCache`.
    func row(_ y: Int, from x: Int, count: Int) -> [Cell] {
        guard y >= 0, y < size.rows, x >= 0, x < size.columns else { return [] }
        let start = y * size.columns + x
        return Array(cells[start..<(start + min(count, size.columns - x))])
    }

    /// Puts back cells taken with `row(_:from:count:)` at (`x`, `y`).
    mutating func blit(_ row: [Cell], x: Int, y: Int) {
        guard y >= 0, y < size.rows, x >= 0, x < size.columns else { return }
        let start = y * size.columns + x
        let n = min(row.count, size.columns - x)
        cells.replaceSubrange(start..<(start + n), with: row[0..<n])
    }

    /// Sets the style of a rectangle without changing its text (selection bars, highlights).
    public mutating func restyle(_ rect: Rect, _ transform: (inout Style) -> Void) {
        let r = rect.clipped(to: Rect(x: 0, y: 0, width: size.columns, height: size.rows))
        guard r.width > 0, r.height > 0 else { return }
        for y in r.y..<(r.y + r.height) {
            for x in r.x..<(r.x + r.width) { transform(&cells[y * size.columns + x].style) }
        }
    }

    /// Overwriting half of a wide cluster blanks its other half, so no stray half-glyph remains.
    @inline(__always)
    private mutating func clearWide(at x: Int, y: Int) {
        let i = y * size.columns + x
        let width = cells[i].width
        if width == 1 { return }  // nearly always
        let cell = cells[i]
        if cell.isContinuation, x > 0 {
            cells[i - 1] = Cell(text: " ", width: 1, style: cells[i - 1].style)
        } else if cell.width == 2, x + 1 < size.columns {
            cells[i + 1] = Cell(text: " ", width: 1, style: cells[i + 1].style)
        }
    }

    /// The text of row `y`, wide clusters once, trailing blanks trimmed (like `tmux capture-pane -p`).
    public func rowText(_ y: Int) -> String {
        var line = ""
        for x in 0..<size.columns {
            let cell = self[x, y]
            if cell.isContinuation { continue }
            line += cell.text
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// The whole frame as text, one line per row: the format of the snapshot files.
    public var text: String {
        (0..<size.rows).map(rowText).joined(separator: "\n")
    }
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    public func clipped(to other: Rect) -> Rect {
        let nx = max(x, other.x), ny = max(y, other.y)
        let mx = min(maxX, other.maxX), my = min(maxY, other.maxY)
        return Rect(x: nx, y: ny, width: max(0, mx - nx), height: max(0, my - ny))
    }
}
