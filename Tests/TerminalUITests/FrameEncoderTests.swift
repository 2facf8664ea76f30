import SeededRandom
import TerminalUI
import TextCells
import XCTest

/// The bytes `FrameEncoder` sends, played on a model of an ANSI terminal: whatever two frames, the screen after
/// the update must show the second one, cell for cell and style for style, and an update must send only what
/// changed.
final class FrameEncoderTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        DisplayWidth.prepareLocale()
    }

    // MARK: A terminal model

    /// The SGR parameters each style is sent as, so the model can tell styles apart.
    static func sgr(_ style: Style) -> [UInt8] {
        var text = "\u{1B}[0"
        if style.attributes.contains(.bold) { text += ";1" }
        if style.attributes.contains(.dim) { text += ";2" }
        if style.attributes.contains(.italic) { text += ";3" }
        if style.attributes.contains(.underline) { text += ";4" }
        if style.attributes.contains(.reverse) { text += ";7" }
        if style.tint != .normal { text += ";38;5;\(style.tint.rawValue)" }
        return Array((text + "m").utf8)
    }

    static func capabilities(el: Bool = true, bottomRightIsSafe: Bool = true,
                             plainIsDefault: Bool = true, scrolling: Bool = true) -> TerminalCapabilities {
        TerminalCapabilities(
            moveCursor: TerminalCapabilities.ansiMove, selectStyle: sgr, resetStyle: Array("\u{1B}[m".utf8),
            clearToEndOfLine: el ? Array("\u{1B}[K".utf8) : nil, plainIsDefault: plainIsDefault,
            bottomRightIsSafe: bottomRightIsSafe, scalarWidth: { DisplayWidth.scalarWidth($0) },
            scrolling: scrolling ? TerminalCapabilities.Scrolling(
                setRegion: { top, bottom, out in out += Array("\u{1B}[\(top + 1);\(bottom + 1)r".utf8) },
                up: [0x0A], down: [0x1B, UInt8(ascii: "M")]) : nil)
    }

    /// A terminal with auto margins and the xenl glitch (as xterm and tmux): cursor addressing, erase to end of
    /// line, SGR, UTF-8 text measured per scalar (zero-width scalars join the cell before).
    struct Screen {
        struct Slot: Equatable { var text: String; var sgr: String }
        let columns: Int, rows: Int
        var slots: [Slot]
        var row = 0, column = 0
        var pendingWrap = false
        var sgr = "0"
        var top = 0, bottom: Int
        private(set) var scrolled = false

        init(columns: Int, rows: Int) {
            self.columns = columns
            self.rows = rows
            bottom = rows - 1
            slots = Array(repeating: Slot(text: " ", sgr: "0"), count: columns * rows)
        }

        mutating func play(_ bytes: [UInt8]) {
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x0A {  // line feed: down a line, scrolling the region at its bottom
                    if row == bottom { scroll(up: true) } else { row += 1 }
                    pendingWrap = false
                    i += 1
                    continue
                }
                if bytes[i] == 0x1B && bytes[i + 1] == UInt8(ascii: "M") {  // reverse index
                    if row == top { scroll(up: false) } else { row -= 1 }
                    pendingWrap = false
                    i += 2
                    continue
                }
                if bytes[i] == 0x1B {
                    precondition(bytes[i + 1] == UInt8(ascii: "["), "only CSI sequences are expected")
                    var j = i + 2
                    while !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                    let parameters = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                    switch bytes[j] {
                    case UInt8(ascii: "H"):
                        let parts = parameters.split(separator: ";").map { Int($0)! }
                        row = parts[0] - 1
                        column = parts[1] - 1
                        pendingWrap = false
                    case UInt8(ascii: "r"):
                        let parts = parameters.split(separator: ";").map { Int($0)! }
                        top = parts[0] - 1
                        bottom = parts[1] - 1
                        (row, column) = (0, 0)
                    case UInt8(ascii: "K"):
                        for x in column..<columns { slots[row * columns + x] = Slot(text: " ", sgr: "0") }
                    case UInt8(ascii: "m"):
                        sgr = parameters.isEmpty ? "0" : parameters
                    default:
                        XCTFail("unexpected sequence \(parameters)")
                    }
                    i = j + 1
                    continue
                }
                let (scalar, length) = bytes.withUnsafeBufferPointer { DisplayWidth.decode($0, at: i) }
                i += length
                put(scalar)
            }
        }

        private mutating func scroll(up: Bool) {
            let blank = Array(repeating: Slot(text: " ", sgr: "0"), count: columns)
            let band = (top * columns)..<((bottom + 1) * columns)
            let lines = Array(slots[band])
            slots.replaceSubrange(band, with: up ? Array(lines.dropFirst(columns)) + blank
                                                 : blank + Array(lines.dropLast(columns)))
        }

        private mutating func put(_ scalar: UInt32) {
            let text = String(Character(Unicode.Scalar(scalar)!))
            let width = DisplayWidth.scalarWidth(scalar)
            if width == 0 {
                // Joins the cell before the cursor.
                let x = pendingWrap ? column : column - 1
                if x >= 0 { slots[row * columns + x].text += text }
                return
            }
            if pendingWrap || column + width > columns {
                column = 0
                row += 1
                pendingWrap = false
                if row == rows {
                    scrolled = true
                    row = rows - 1
                }
            }
            slots[row * columns + column] = Slot(text: text, sgr: sgr)
            if width == 2 { slots[row * columns + column + 1] = Slot(text: "", sgr: sgr) }
            if column + width == columns {
                column = columns - 1
                pendingWrap = true
            } else {
                column += width
            }
        }

        /// Whether the screen shows `frame`: every cell's text and style.
        func mismatch(_ frame: Frame) -> String? {
            for y in 0..<rows {
                for x in 0..<columns {
                    let cell = frame[x, y]
                    let slot = slots[y * columns + x]
                    let expected = String(decoding: FrameEncoderTests.sgr(cell.style).dropFirst(2).dropLast(),
                                          as: UTF8.self)
                    // A cluster the terminal takes as two one-column scalars (a flag) fills the cell and the next.
                    let split = cell.width == 2 && x + 1 < columns && slot.text + slots[y * columns + x + 1].text == cell.text
                    let continuesSplit = cell.width == 0 && x > 0 && frame[x - 1, y].width == 2
                        && slots[y * columns + x - 1].text + slot.text == frame[x - 1, y].text
                    // A cluster the terminal would measure otherwise is drawn as its first scalar, or `?`.
                    let standIn = cell.text.unicodeScalars.count > 1
                        && (slot.text == String(cell.text.unicodeScalars.first!) || slot.text == "?")
                    if (slot.text != cell.text && !split && !continuesSplit && !standIn) || (cell.text != "" && slot.sgr != expected) {
                        return "(\(x), \(y)): screen \(slot) frame \(cell.text.debugDescription) \(expected)"
                    }
                }
            }
            return nil
        }
    }

    // MARK: Frames

    static let words = ["the", "North", "Korea", "said", "“zero”", "virus", "—", "김정은", "北朝鮮", "café",
                        "cafe\u{301}", "🇰🇷", "👍🏽", "a", "to", "of", "…", "Kim Jong Un", "missile"]
    static let styles = [Style.plain, Style([.bold]), Style([.dim], tint: .muted), Style([.reverse], tint: .selection),
                         Style(tint: .accent), Style([.underline, .bold], tint: .highlight)]

    static func randomFrame(_ size: Size, _ random: inout SplitMix64) -> Frame {
        var frame = Frame(size: size)
        for y in 0..<size.rows where random.chance(80) {
            var x = random.int(0...3)
            let stop = random.int(0...size.columns)
            while x < stop {
                let word = random.pick(words)
                x += frame.put(word, x: x, y: y, maxWidth: stop - x, style: random.pick(styles)) + 1
            }
            if random.chance(10) { frame.fill(Rect(x: 0, y: y, width: size.columns, height: 1), style: Style([.reverse])) }
        }
        return frame
    }

    /// `frame` with a band of lines moved up or down a line (a list scrolling), and a few other changes.
    static func shifted(_ frame: Frame, _ random: inout SplitMix64) -> Frame {
        let size = frame.size
        guard size.rows >= 3 else { return frame }
        var next = Frame(size: size)
        let top = random.int(0...(size.rows - 3)), bottom = random.int((top + 2)...(size.rows - 1))
        let up = random.chance(50)
        for y in 0..<size.rows {
            var source = y
            if y >= top && y <= bottom { source = up ? y + 1 : y - 1 }
            guard source >= top || y < top, source <= bottom || y > bottom else { continue }  // comes in blank
            var x = 0
            while x < size.columns {
                let cell = frame[x, source]
                if !cell.isContinuation { next.put(cell.text, x: x, y: y, style: cell.style) }
                x += max(1, Int(cell.width))
            }
        }
        for _ in 0..<random.int(0...3) {
            next.put(random.pick(words), x: random.int(0...(size.columns - 1)), y: random.int(0...(size.rows - 1)),
                     style: random.pick(styles))
        }
        return next
    }

    // MARK: Tests

    func testAListScrollingByALineIsScrolledNotRewritten() {
        var random = SplitMix64(seed: 99)
        let size = Size(columns: 60, rows: 20)
        var before = Frame(size: size)
        for y in 0..<size.rows { before.put("row \(y) " + (0..<8).map { _ in random.pick(Self.words) }.joined(separator: " "), x: 0, y: y) }
        var after = Frame(size: size)
        for y in 0..<(size.rows - 2) { after.put(before.rowText(y + 1), x: 0, y: y) }
        after.put("the new last row", x: 0, y: size.rows - 2)
        after.put(before.rowText(size.rows - 1), x: 0, y: size.rows - 1)
        var encoder = FrameEncoder(capabilities: Self.capabilities())
        let bytes = encoder.encode(from: before, to: after)
        var screen = Screen(columns: 60, rows: 20)
        var painter = FrameEncoder(capabilities: Self.capabilities())
        screen.play(painter.encode(from: nil, to: before))
        screen.play(bytes)
        XCTAssertNil(screen.mismatch(after))
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasPrefix("\u{1B}[1;19r\u{1B}[19;1H\n\u{1B}[1;20r"),
                      String(decoding: bytes, as: UTF8.self).debugDescription)
        var rewriting = FrameEncoder(capabilities: Self.capabilities(scrolling: false))
        XCTAssertLessThan(bytes.count * 5, rewriting.encode(from: before, to: after).count,
                          "scrolling sends a fifth of the bytes of rewriting every line")
    }

    func testAnyUpdateLeavesTheScreenShowingTheNewFrame() {
        var random = SplitMix64(seed: 20_261_127)
        for round in 0..<150 {
            let size = Size(columns: random.int(1...50), rows: random.int(1...12))
            var encoder = FrameEncoder(capabilities: Self.capabilities(el: round % 3 != 0))
            var screen = Screen(columns: size.columns, rows: size.rows)
            var shown: Frame? = nil
            for _ in 0..<4 {
                var next = random.chance(20) && shown != nil ? shown! : Self.randomFrame(size, &random)
                if let shown, random.chance(40) { next = Self.shifted(shown, &random) }
                screen.play(encoder.encode(from: shown, to: next))
                if let problem = screen.mismatch(next) {
                    return XCTFail("round \(round), \(size.columns)x\(size.rows): \(problem)")
                }
                XCTAssertFalse(screen.scrolled, "round \(round): the screen scrolled")
                shown = next
            }
        }
    }

    func testAnUnchangedFrameSendsNothing() {
        var random = SplitMix64(seed: 7)
        let frame = Self.randomFrame(Size(columns: 80, rows: 24), &random)
        var encoder = FrameEncoder(capabilities: Self.capabilities())
        XCTAssertEqual(encoder.encode(from: frame, to: frame), [])
    }

    func testOneChangedCellSendsAMoveAndTheCell() {
        var before = Frame(size: Size(columns: 80, rows: 24))
        before.put("Still a zero virus claim", x: 2, y: 5)
        var after = before
        after.put("z", x: 10, y: 5, style: Style([.bold]))
        var encoder = FrameEncoder(capabilities: Self.capabilities())
        let bytes = String(decoding: encoder.encode(from: before, to: after), as: UTF8.self)
        XCTAssertEqual(bytes, "\u{1B}[6;11H\u{1B}[0;1mz\u{1B}[m")
    }

    func testALineThatEmptiesIsErasedNotOverwritten() {
        var before = Frame(size: Size(columns: 80, rows: 3))
        before.put(String(repeating: "long line of text ", count: 4), x: 0, y: 1)
        var after = before
        after.fill(Rect(x: 10, y: 1, width: 70, height: 1))
        var encoder = FrameEncoder(capabilities: Self.capabilities())
        let bytes = String(decoding: encoder.encode(from: before, to: after), as: UTF8.self)
        XCTAssertEqual(bytes, "\u{1B}[2;10H\u{1B}[K", "from the blank after “line”")
        // Without `el`, the blanks are written (up to the end of the old text).
        var plain = FrameEncoder(capabilities: Self.capabilities(el: false))
        XCTAssertEqual(String(decoding: plain.encode(from: before, to: after), as: UTF8.self),
                       "\u{1B}[2;11H" + String(repeating: " ", count: 61))
    }

    func testAShortUnchangedStretchIsRewrittenRatherThanSkipped() {
        var before = Frame(size: Size(columns: 40, rows: 2))
        before.put("abcdefghij", x: 0, y: 0)
        var after = before
        after.put("X", x: 2, y: 0)
        after.put("Y", x: 5, y: 0)
        var encoder = FrameEncoder(capabilities: Self.capabilities())
        XCTAssertEqual(String(decoding: encoder.encode(from: before, to: after), as: UTF8.self),
                       "\u{1B}[1;3HXdeY")
    }

    func testTheBottomRightCellIsLeftAloneWhereWritingItWouldScroll() {
        let size = Size(columns: 10, rows: 3)
        var next = Frame(size: size)
        next.put("0123456789", x: 0, y: 2)
        var encoder = FrameEncoder(capabilities: Self.capabilities(bottomRightIsSafe: false))
        var screen = Screen(columns: 10, rows: 3)
        screen.play(encoder.encode(from: nil, to: next))
        XCTAssertEqual(screen.slots[29].text, " ")
        XCTAssertEqual(screen.slots[28].text, "8")
        XCTAssertFalse(screen.scrolled)
        var safe = FrameEncoder(capabilities: Self.capabilities())
        var full = Screen(columns: 10, rows: 3)
        full.play(safe.encode(from: nil, to: next))
        XCTAssertNil(full.mismatch(next))
    }

    func testAfterAWideClusterTheCursorIsPlacedAgain() {
        var next = Frame(size: Size(columns: 20, rows: 1))
        next.put("北朝鮮 ok", x: 0, y: 0)
        var encoder = FrameEncoder(capabilities: Self.capabilities())
        let text = String(decoding: encoder.encode(from: nil, to: next), as: UTF8.self)
        // Each wide cluster is followed by an explicit move: a terminal measuring it otherwise cannot shift the rest.
        XCTAssertEqual(text, "\u{1B}[1;1H\u{1B}[0m北\u{1B}[1;3H朝\u{1B}[1;5H鮮\u{1B}[1;8Hok")
    }

    func testWhenPlainTextHasAThemeColourBlanksAreWrittenOnAFreshScreen() {
        var next = Frame(size: Size(columns: 5, rows: 1))
        next.put("ab", x: 0, y: 0)
        var encoder = FrameEncoder(capabilities: Self.capabilities(plainIsDefault: false))
        XCTAssertEqual(String(decoding: encoder.encode(from: nil, to: next), as: UTF8.self),
                       "\u{1B}[1;1H\u{1B}[0mab   \u{1B}[m")
    }
}
