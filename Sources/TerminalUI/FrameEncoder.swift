/// What a terminal understands, as bytes: the pieces `FrameEncoder` builds an update from. The curses terminal
/// fills it from terminfo; tests use a model of an ANSI terminal.
public struct TerminalCapabilities {
    /// The bytes that put the cursor at a row and column (both from 0): terminfo `cup`.
    public var moveCursor: (_ row: Int, _ column: Int, _ out: inout [UInt8]) -> Void
    /// The bytes that select a style from any state (attributes and colours reset first).
    public var selectStyle: (Style) -> [UInt8]
    /// The bytes that return to the terminal's default look (terminfo `sgr0`, and `op` with colours).
    public var resetStyle: [UInt8]
    /// Erases from the cursor to the end of the line in the default look (terminfo `el`), when the terminal has it.
    public var clearToEndOfLine: [UInt8]?
    /// Whether `.plain` looks like the terminal's default (no colour of the user's theme on plain text): only
    /// then may blanks in it be erased rather than written.
    public var plainIsDefault: Bool
    /// Whether writing the bottom-right cell is safe: false on a terminal that scrolls when the last column of
    /// the last line is written (auto margins without the "eat newline" glitch).
    public var bottomRightIsSafe: Bool
    /// How many columns the terminal gives a Unicode scalar (`wcwidth`; -1 when unprintable).
    public var scalarWidth: (UInt32) -> Int
    /// Scrolling a band of lines, when the terminal can: set the scroll region to rows `top...bottom` (terminfo
    /// `csr`; the cursor is then anywhere), scroll up at its bottom line (`ind`), scroll down at its top (`ri`).
    public var scrolling: Scrolling?

    public struct Scrolling {
        public var setRegion: (_ top: Int, _ bottom: Int, _ out: inout [UInt8]) -> Void
        public var up: [UInt8]
        public var down: [UInt8]

        public init(setRegion: @escaping (Int, Int, inout [UInt8]) -> Void, up: [UInt8], down: [UInt8]) {
            self.setRegion = setRegion
            self.up = up
            self.down = down
        }
    }

    public init(moveCursor: @escaping (Int, Int, inout [UInt8]) -> Void, selectStyle: @escaping (Style) -> [UInt8],
                resetStyle: [UInt8], clearToEndOfLine: [UInt8]?, plainIsDefault: Bool, bottomRightIsSafe: Bool,
                scalarWidth: @escaping (UInt32) -> Int, scrolling: Scrolling? = nil) {
        self.moveCursor = moveCursor
        self.selectStyle = selectStyle
        self.resetStyle = resetStyle
        self.clearToEndOfLine = clearToEndOfLine
        self.plainIsDefault = plainIsDefault
        self.bottomRightIsSafe = bottomRightIsSafe
        self.scalarWidth = scalarWidth
        self.scrolling = scrolling
    }

    /// The cursor movement of ANSI terminals (`ESC [ row ; column H`, from 1), without a terminfo call.
    public static func ansiMove(_ row: Int, _ column: Int, _ out: inout [UInt8]) {
        out.append(0x1B)
        out.append(UInt8(ascii: "["))
        appendDecimal(row + 1, to: &out)
        out.append(UInt8(ascii: ";"))
        appendDecimal(column + 1, to: &out)
        out.append(UInt8(ascii: "H"))
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

/// Turns the difference between the frame on screen and the next one into the bytes that update the terminal:
/// only the cells that changed, in runs, the cursor moved only where a run does not continue the previous one,
/// a style selected only when it changes, blank line ends erased rather than written.
///
/// This replaces curses' own screen update for UTF-8 terminals: curses compared the two screens again, cell by
/// cell as wide-character structures, and converted every character back to multibyte: three quarters of the cost
/// of a list move, for output no smaller. The frames are already compared here, so the bytes follow directly.
///
/// Clusters the terminal may measure differently from the frame (wide, or several scalars) are written, then the
/// cursor is placed again explicitly, so a disagreement never shifts the rest of a line.
public struct FrameEncoder {
    private let capabilities: TerminalCapabilities
    private var styleBytes: [[UInt8]?]

    public init(capabilities: TerminalCapabilities) {
        self.capabilities = capabilities
        styleBytes = Array(repeating: nil, count: FrameEncoder.styleSlots)
    }

    private static let styleSlots = (Int(Tint.allCases.map(\.rawValue).max() ?? 0) + 1) << 5

    /// The bytes that turn a screen showing `previous` (nil: a blank screen in the default look) into `next`.
    /// The frames have the same size (a resize repaints from a blank screen). Ends in the default look.
    public mutating func encode(from previous: Frame?, to next: Frame) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        let columns = next.size.columns, rows = next.size.rows
        guard columns > 0, rows > 0 else { return out }
        let old = previous.flatMap { $0.size == next.size ? $0 : nil }
        // Locals, so the loop below touches no property of `self` (which would copy the closures in it).
        let moveCursor = capabilities.moveCursor
        let scalarWidth = capabilities.scalarWidth
        let clearToEndOfLine = capabilities.clearToEndOfLine
        let resetStyle = capabilities.resetStyle
        let plainIsDefault = capabilities.plainIsDefault
        let bottomRightIsSafe = capabilities.bottomRightIsSafe
        var styles = StyleTable(select: capabilities.selectStyle, known: styleBytes)
        defer { styleBytes = styles.known }
        // On a blank screen, blanks in `.plain` need writing only when `.plain` is not the default look.
        let everything = old == nil && !plainIsDefault
        var cursorRow = -1, cursorColumn = -1  // -1: unknown
        // Every update ends in the default look; a repaint follows curses' clearing, also in it, but say unknown.
        var current: Style? = old != nil && plainIsDefault ? .plain : nil

        // When a band of lines moved up or down by one (the list scrolled: in the list pane, or whole rows where
        // the reading pane did not change), the terminal scrolls the band and only the rest is written.
        // `oldRow[y]`: the row of the old frame now under row y (-1: a line scrolled in, blank).
        var oldRow = Array(0..<rows)
        if let old, let scrolling = capabilities.scrolling, rows >= 3, plainIsDefault,
           let shift = Self.bestShift(from: old, to: next) {
            if current != .plain {
                out += resetStyle  // the line scrolled in takes the current background on some terminals
                current = .plain
            }
            scrolling.setRegion(shift.top, shift.bottom, &out)
            if shift.up {
                moveCursor(shift.bottom, 0, &out)
                out += scrolling.up
                for y in shift.top..<shift.bottom { oldRow[y] = y + 1 }
                oldRow[shift.bottom] = -1
            } else {
                moveCursor(shift.top, 0, &out)
                out += scrolling.down
                for y in (shift.top + 1)...shift.bottom { oldRow[y] = y - 1 }
                oldRow[shift.top] = -1
            }
            scrolling.setRegion(0, rows - 1, &out)
        }

        next.cells.withUnsafeBufferPointer { cells in
            (old?.cells ?? []).withUnsafeBufferPointer { before in
                let fresh = before.isEmpty
                let newBytes = UnsafeRawPointer(cells.baseAddress!)
                let oldBytes = fresh ? nil : before.baseAddress.map { UnsafeRawPointer($0) }
                var base = 0, oldBase = 0  // the row being written, and the old row under it (-1: blank)
                /// Whether cell `i` (of the row being written) is unchanged. Most cells are: compared as the bits
                /// of their fields (equal bits are equal cells; equal cells with other bits, rare, are only written
                /// again). Then as values.
                @inline(__always) func unchanged(_ i: Int) -> Bool {
                    if everything { return false }
                    guard let oldBytes, oldBase >= 0 else { return Self.same(cells[i], .blank) }
                    let j = oldBase + (i - base)
                    if Self.sameBits(newBytes, oldBytes, i, j) { return true }
                    return Self.same(cells[i], before[j])
                }
                for y in 0..<rows {
                    base = y * columns
                    oldBase = oldRow[y] < 0 ? -1 : oldRow[y] * columns
                    // Past `end` the new line is blank in the default look: erased with one `el` when any of it
                    // changed (and the terminal has `el`).
                    var end = columns
                    if clearToEndOfLine != nil && plainIsDefault {
                        while end > 0 && Self.isDefaultBlank(cells[base + end - 1]) { end -= 1 }
                        if columns - end < 4 { end = columns }  // `el` is no shorter than a few blanks
                    }
                    var x = 0
                    // `known`: cell x is already known to have changed.
                    var known = false
                    while x < end {
                        let i = base + x
                        if !known && (cells[i].isContinuation || unchanged(i)) {
                            x += 1
                            continue
                        }
                        known = false
                        if y == rows - 1 && x + Int(cells[i].width) >= columns && !bottomRightIsSafe { break }
                        if cursorRow != y || cursorColumn != x { moveCursor(y, x, &out) }
                        let style = cells[i].style
                        if current != style {
                            out += styles.bytes(for: style)
                            current = style
                        }
                        // A run in one style: changed cells, and short unchanged stretches between them when
                        // rewriting those (one-column ASCII) is shorter than moving the cursor over them.
                        while true {
                            let placed = Self.write(cells[base + x], at: x, columns: columns, scalarWidth: scalarWidth,
                                                    into: &out)
                            x += max(1, Int(cells[base + x].width))
                            guard placed && x < end else {
                                (cursorRow, cursorColumn) = placed && x < columns ? (y, x) : (-1, -1)
                                break
                            }
                            (cursorRow, cursorColumn) = (y, x)
                            var gap = 0
                            var next = base + x
                            while gap < 6 && x + gap < end {
                                next = base + x + gap
                                if !cells[next].isContinuation && !unchanged(next) { break }
                                guard cells[next].style == style, Self.plainByte(cells[next]) != nil else {
                                    gap = 6
                                    break
                                }
                                gap += 1
                            }
                            guard gap < 6 && x + gap < end else { break }
                            // cells[next] changed. Same style, and not the bottom-right cell: go on with the run.
                            if cells[next].style != style
                                || (y == rows - 1 && x + gap + Int(cells[next].width) >= columns && !bottomRightIsSafe) {
                                if gap == 0 { known = true }
                                break
                            }
                            for k in 0..<gap { out.append(Self.plainByte(cells[base + x + k])!) }
                            x += gap
                            cursorColumn = x
                        }
                    }
                    if end < columns && !fresh, let el = clearToEndOfLine {
                        var dirty = false
                        for k in end..<columns where !unchanged(base + k) {
                            dirty = true
                            break
                        }
                        if dirty {
                            if cursorRow != y || cursorColumn != end { moveCursor(y, end, &out) }
                            if current != .plain {
                                out += resetStyle
                                current = .plain
                            }
                            out += el
                            (cursorRow, cursorColumn) = (y, end)
                        }
                    }
                }
            }
        }
        if let current, current != .plain || !plainIsDefault { out += resetStyle }
        return out
    }

    /// The band of lines to scroll by one before writing `next` over `old`, when it saves enough: rows
    /// `top...bottom`, `up` (their text moves up a line, the bottom one comes in blank) or down. Judged by the
    /// stretches of 8 cells that differ per row before and after the scroll, compared by hashes of their bits (the
    /// best band is the best-sum run of per-row savings): a few tens of thousands of instructions a frame.
    static func bestShift(from old: Frame, to next: Frame) -> (top: Int, bottom: Int, up: Bool)? {
        guard fieldBytes == 19 else { return nil }  // the layout `chunkHashes` reads (64-bit platforms)
        let columns = next.size.columns, rows = next.size.rows
        let chunks = (columns + 7) / 8
        let newHashes = chunkHashes(next, chunks: chunks), oldHashes = chunkHashes(old, chunks: chunks)
        let blankHashes = chunkHashes(Frame(size: Size(columns: columns, rows: 1)), chunks: chunks)
        /// Stretches of new row `y` to write over old row `z` (z = -1: a blank line): those that differ, but for
        /// blank ones (erased at the end of a line, or left).
        func differing(_ y: Int, _ z: Int) -> Int {
            var n = 0
            for c in 0..<chunks {
                let h = newHashes[y * chunks + c]
                if h != blankHashes[c] && h != (z < 0 ? blankHashes[c] : oldHashes[z * chunks + c]) { n += 1 }
            }
            return n
        }
        var unshifted = [Int](repeating: 0, count: rows)
        for y in 0..<rows { unshifted[y] = differing(y, y) }
        var best: (top: Int, bottom: Int, up: Bool, gain: Int)? = nil
        for up in [true, false] {
            // Row y's saving when it shows old row y+1 (up) or y-1 (down) instead of old row y.
            var run = 0, runStart = 0
            var y = up ? 0 : rows - 1
            while up ? y < rows - 1 : y > 0 {
                defer { y += up ? 1 : -1 }
                if run <= 0 { run = 0; runStart = y }
                run += unshifted[y] - differing(y, up ? y + 1 : y - 1)
                guard run > 0 else { continue }
                // The band ends one row further: the row that comes in blank.
                let edge = up ? y + 1 : y - 1
                let gain = run + unshifted[edge] - differing(edge, -1)
                if gain > (best?.gain ?? max(3, chunks / 2)) {
                    best = up ? (runStart, edge, true, gain) : (edge, runStart, false, gain)
                }
            }
        }
        return best.map { ($0.top, $0.bottom, $0.up) }
    }

    /// A hash of the bits of each stretch of 8 cells of each row.
    private static func chunkHashes(_ frame: Frame, chunks: Int) -> [UInt64] {
        let columns = frame.size.columns, rows = frame.size.rows
        var hashes = [UInt64](repeating: 0, count: rows * chunks)
        hashes.withUnsafeMutableBufferPointer { out in
            frame.cells.withUnsafeBytes { raw in
                guard var p = raw.baseAddress else { return }
                for y in 0..<rows {
                    for c in 0..<chunks {
                        var h: UInt64 = 0
                        for _ in 0..<min(8, columns - c * 8) {
                            // The fields' 19 bytes: the text's two words, the width and the style.
                            let w0 = p.loadUnaligned(as: UInt64.self)
                            let w1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                            let w2 = UInt64(p.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                                | UInt64(p.load(fromByteOffset: 18, as: UInt8.self)) << 16
                            h = (h ^ w0) &* 0x9E37_79B9_7F4A_7C15
                            h = (h ^ w1 ^ (w2 << 40) ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
                            p += cellStride
                        }
                        out[y * chunks + c] = h
                    }
                }
            }
        }
        return hashes
    }

    /// The bytes selecting each style, asked for once.
    private struct StyleTable {
        let select: (Style) -> [UInt8]
        var known: [[UInt8]?]

        mutating func bytes(for style: Style) -> [UInt8] {
            let slot = Int(style.tint.rawValue) << 5 | Int(style.attributes.rawValue & 0x1F)
            if let bytes = known[slot] { return bytes }
            let bytes = select(style)
            known[slot] = bytes
            return bytes
        }
    }

    /// The bytes of a cell that hold its fields: the text's two words, the width and the style.
    private static let fieldBytes = MemoryLayout<Cell>.offset(of: \Cell.style)! + MemoryLayout<Style>.size
    private static let cellStride = MemoryLayout<Cell>.stride

    @inline(__always)
    private static func sameBits(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ i: Int, _ j: Int) -> Bool {
        let offset = i * cellStride, other = j * cellStride
        if fieldBytes == 19 {
            return a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: other, as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: other + 8, as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: offset + 16, as: UInt16.self)
                == b.loadUnaligned(fromByteOffset: other + 16, as: UInt16.self)
                && a.load(fromByteOffset: offset + 18, as: UInt8.self) == b.load(fromByteOffset: other + 18, as: UInt8.self)
        }
        var k = 0
        while k + 8 <= fieldBytes {
            if a.loadUnaligned(fromByteOffset: offset + k, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: other + k, as: UInt64.self) { return false }
            k += 8
        }
        while k < fieldBytes {
            if a.load(fromByteOffset: offset + k, as: UInt8.self) != b.load(fromByteOffset: other + k, as: UInt8.self) {
                return false
            }
            k += 1
        }
        return true
    }

    @inline(__always)
    private static func same(_ a: Cell, _ b: Cell) -> Bool {
        a.width == b.width && a.style == b.style && a.text == b.text
    }

    @inline(__always)
    private static func isDefaultBlank(_ c: Cell) -> Bool {
        c.width == 1 && c.style == .plain && c.text == " "
    }

    /// The byte of a one-column printable ASCII cell (most cells), else nil.
    @inline(__always)
    private static func plainByte(_ cell: Cell) -> UInt8? {
        guard cell.width == 1 else { return nil }
        let utf8 = cell.text.utf8
        guard utf8.count == 1, let b = utf8.first, b >= 0x20, b < 0x7F else { return nil }
        return b
    }

    /// Writes one cell. Returns whether the cursor is known to be just after it (one-column text, the common
    /// case); after anything else the next run places the cursor again.
    private static func write(_ cell: Cell, at x: Int, columns: Int, scalarWidth: (UInt32) -> Int,
                              into out: inout [UInt8]) -> Bool {
        if let byte = plainByte(cell) {
            out.append(byte)
            return true
        }
        let width = Int(cell.width)
        if x + width > columns {
            // Wider than the room left (a frame being resized): never half a wide glyph.
            out.append(UInt8(ascii: " "))
            return false
        }
        let scalars = cell.text.unicodeScalars
        // As one cluster when the terminal measures it as the frame does: a spacing scalar of the cell's width,
        // then only zero-width ones.
        var fits = true
        var count = 0
        for scalar in scalars {
            let w = scalarWidth(scalar.value)
            if count == 0 ? w != width : w != 0 { fits = false; break }
            count += 1
            if count > 5 { fits = false; break }
        }
        if fits && count > 0 {
            out += cell.text.utf8
            return count == 1 && width == 1
        }
        // Scalars that each take cells adding up to the width (a flag: two regional indicators) go one by one;
        // else the first scalar when it has the width; else `?` padded to the width.
        var total = 0
        var valid = true
        for scalar in scalars {
            let w = scalarWidth(scalar.value)
            if w < 0 { valid = false; break }
            total += w
        }
        if valid && total == width && total > 0 {
            out += cell.text.utf8
        } else if let first = scalars.first, scalarWidth(first.value) == width, width > 0 {
            out += String(first).utf8
        } else {
            out.append(UInt8(ascii: "?"))
            for _ in 1..<max(1, width) { out.append(UInt8(ascii: " ")) }
        }
        return false
    }
}
