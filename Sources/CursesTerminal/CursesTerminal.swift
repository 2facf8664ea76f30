#if canImport(Glibc)
import Glibc
#endif
import CNcursesw
import Controller
import Synchronization
import TerminalUI

/// The `Terminal` of the interactive reader, on ncursesw.
///
/// Owns the whole screen from `init` until `shutdown` (or deinit): alternate screen, cbreak,
/// no echo, hidden cursor. `draw` sends only the cells that changed since the previous frame: on UTF-8
/// screens as bytes built by `FrameEncoder` from terminfo strings (curses keeps the modes, the input and the
/// clearing), on others through curses itself (its alternate character set draws the lines).
/// Signals and crashes restore the terminal (see `Signals.swift`). One instance at a time.
public final class CursesTerminal: Terminal {
    /// Whether the screen can show non-ASCII text (the user's locale is UTF-8). When `false`, pick
    /// ASCII glyphs: anything else is drawn as an ASCII stand-in or `?`.
    public let unicode: Bool
    /// Whether styles are drawn with colours (the terminal has them and they were not turned off).
    public let hasColors: Bool
    /// The terminal type from `TERM`.
    public let terminalName: String
    /// Whether mouse events are reported (asked for, and the terminal can).
    public let mouse: Bool

    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    private let palette: Palette
    private var shellModes: termios?
    private var previous: Frame?
    private var repaintAll = true
    private let wideBuffer: UnsafeMutablePointer<wchar_t>
    private let cchar: UnsafeMutablePointer<cchar_t>
    private let maxScalarsPerCell: Int
    /// Builds each update's bytes on UTF-8 screens (see `FrameEncoder`); nil: curses draws (ASCII screens, where
    /// its alternate character set gives the line drawing).
    private var encoder: FrameEncoder?

    /// Set while an instance owns the screen. An atomic so the exit hook can read it.
    private static let active = Atomic<Bool>(false)

    /// Takes over the terminal.
    ///
    /// - Throws: `CursesError` when standard input or output is not a terminal, when `TERM` is
    ///   unset, `dumb` or unknown to terminfo, or when another instance is active. Nothing has
    ///   been written to the terminal when it throws.
    public init(options: CursesOptions) throws {
        guard isatty(STDIN_FILENO) == 1 else { throw CursesError.standardInputNotATerminal }
        guard isatty(STDOUT_FILENO) == 1 else { throw CursesError.standardOutputNotATerminal }
        guard let rawName = getenv("TERM"), rawName.pointee != 0 else { throw CursesError.terminalTypeUnset }
        let name = CursesTerminal.printable(String(cString: rawName))
        guard name != "dumb" else { throw CursesError.terminalTooLimited(name) }
        guard CursesTerminal.active.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        else { throw CursesError.alreadyActive }

        terminalName = name
        unicode = CursesTerminal.prepareLocale() && !options.asciiOnly
        var modes = termios()
        shellModes = tcgetattr(STDOUT_FILENO, &modes) == 0 ? modes : nil

        if options.handleSignals { Signals.saveOriginals() }
        guard let screen = newterm(nil, gz_stdout(), gz_stdin()) else {
            CursesTerminal.active.store(false, ordering: .sequentiallyConsistent)
            if options.handleSignals { Signals.uninstall() }
            throw CursesError.unknownTerminalType(name)
        }
        set_term(screen)
        guard gz_tigetstr("cup") != nil, let window = gz_stdscr() else {
            endwin()
            delscreen(screen)
            CursesTerminal.restoreModes(shellModes)
            CursesTerminal.active.store(false, ordering: .sequentiallyConsistent)
            if options.handleSignals { Signals.uninstall() }
            throw CursesError.terminalTooLimited(name)
        }
        self.screen = screen
        self.window = window

        cbreak()
        noecho()
        nonl()
        intrflush(window, false)
        keypad(window, true)
        leaveok(window, true)
        curs_set(0)
        set_escdelay(Int32(clamping: options.escapeDelayMilliseconds))

        if options.colors, has_colors() {
            start_color()
            let defaults = use_default_colors() == gz_ok()
            palette = Palette(colors: true, defaultColors: defaults, colorCount: Int(gz_colors()), theme: options.theme)
            hasColors = true
        } else {
            palette = Palette(colors: false, defaultColors: false, theme: options.theme)
            hasColors = false
        }
        mouse = options.mouse && gz_mouse_on() != 0
        if unicode { encoder = CursesTerminal.makeEncoder(palette: palette, colors: hasColors) }

        maxScalarsPerCell = Int(gz_ccharw_max())
        wideBuffer = .allocate(capacity: maxScalarsPerCell + 1)
        wideBuffer.initialize(repeating: 0, count: maxScalarsPerCell + 1)
        cchar = .allocate(capacity: 1)
        cchar.initialize(to: cchar_t())

        CursesTerminal.registerExitHook()
        if options.handleSignals {
            Signals.install(restoreBytes: CursesTerminal.restoreSequence(), terminalFD: STDOUT_FILENO,
                            shellModes: shellModes)
        }
    }

    deinit {
        shutdown()
        wideBuffer.deallocate()
        cchar.deallocate()
    }

    // MARK: Terminal

    public var size: Size {
        guard screen != nil else { return Size(columns: 0, rows: 0) }
        return Size(columns: Int(gz_maxx(window)), rows: Int(gz_maxy(window)))
    }

    public func draw(_ frame: Frame) {
        guard screen != nil else { return }
        if encoder != nil, frame.size == size {
            drawDirectly(frame)
            return
        }
        // Send each frame whole, in one write(2). Checking for typed-ahead keys made ncurses flush and poll after
        // every line; and until the screen has been through one endwin/refresh cycle, ncurses 6.4 flushes after
        // every cursor movement (its state is still "initial"): about 45 writes a frame, 0.15 ms of a key.
        // Nothing is on the screen before the first frame, so leaving and re-entering it there costs nothing.
        typeahead(-1)
        if previous == nil { endwin() }
        let rows = min(frame.size.rows, Int(gz_maxy(window)))
        let columns = min(frame.size.columns, Int(gz_maxx(window)))
        let full = repaintAll || previous?.size != frame.size
        if full { werase(window) }
        let stride = frame.size.columns
        /// The byte of a one-cell printable ASCII cell (most cells), else nil.
        @inline(__always) func plainByte(_ cell: Cell) -> UInt8? {
            guard cell.width == 1, cell.text.utf8.count == 1, let b = cell.text.utf8.first, b >= 0x20, b < 0x7F
            else { return nil }
            return b
        }
        /// `==` on cells, field by field where the compiler can inline it (this loop looks at every cell).
        @inline(__always) func same(_ a: Cell, _ b: Cell) -> Bool {
            a.width == b.width && a.style.attributes.rawValue == b.style.attributes.rawValue
                && a.style.tint.rawValue == b.style.tint.rawValue && a.text == b.text
        }
        frame.cells.withUnsafeBufferPointer { cells in
            (full ? [] : previous?.cells ?? []).withUnsafeBufferPointer { old in
                withUnsafeTemporaryAllocation(of: cchar_t.self, capacity: max(1, columns)) { run in
                    for y in 0..<rows {
                        var x = 0
                        while x < columns {
                            let i = y * stride + x
                            if cells[i].isContinuation || (!full && same(cells[i], old[i])) {
                                x += 1
                                continue
                            }
                            guard var byte = plainByte(cells[i]) else {
                                put(cells[i], y: y, x: x, columns: columns)
                                x += 1
                                continue
                            }
                            // A run of changed printable ASCII cells in one style goes into the window in one call
                            // (the same cells `mvwaddch` would make, without its per-character work).
                            let style = cells[i].style
                            let (attributes, pair) = palette.curses(style)
                            let attr = attributes | attr_t(gz_color_pair(Int32(pair)))
                            var n = 0
                            while true {
                                run[n] = cchar_t()
                                run[n].attr = attr
                                run[n].chars.0 = wchar_t(byte)
                                run[n].ext_color = Int32(pair)
                                n += 1
                                guard x + n < columns else { break }
                                let j = i + n
                                guard cells[j].style == style, full || !same(cells[j], old[j]),
                                      let b = plainByte(cells[j]) else { break }
                                byte = b
                            }
                            mvwadd_wchnstr(window, Int32(y), Int32(x), run.baseAddress, Int32(n))
                            x += n
                        }
                    }
                }
            }
        }
        wnoutrefresh(window)
        doupdate()
        previous = frame
        repaintAll = false
    }

    /// Sends the frame's changes as bytes of our own (`FrameEncoder`), in one write. Curses keeps the modes, the
    /// input and the clearing of the screen: on a repaint it clears, and then believes the screen blank, as the
    /// encoder does; it is given nothing to draw, so it never sends anything between frames.
    private func drawDirectly(_ frame: Frame) {
        let full = repaintAll || previous?.size != frame.size
        if full {
            typeahead(-1)
            if previous == nil { endwin() }
            werase(window)
            clearok(gz_curscr(), true)
            wnoutrefresh(window)
            doupdate()
        }
        let bytes = encoder!.encode(from: full ? nil : previous, to: frame)
        CursesTerminal.writeAll(bytes)
        previous = frame
        repaintAll = false
    }

    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && (errno == EINTR || errno == EAGAIN) {
                    continue
                } else {
                    return  // the terminal is gone; the next read reports the hangup
                }
            }
        }
    }

    /// The encoder's terminal, from terminfo and the palette.
    private static func makeEncoder(palette: Palette, colors: Bool) -> FrameEncoder {
        // An ANSI reset (`ESC [ m`, `ESC [ 0 m`) resets the colours too; otherwise `op` follows it.
        let sgr0 = capability("sgr0")
        let ansiReset = sgr0.starts(with: [0x1B, 0x5B, 0x6D]) || sgr0.starts(with: [0x1B, 0x5B, 0x30, 0x6D])
        let reset = sgr0 + (colors && !ansiReset ? capability("op") : [])
        // Italic (an article's `em`) where the terminal has it, else underline so the emphasis still shows.
        let italic = capability("sitm").isEmpty ? capability("smul") : capability("sitm")
        let attributeCaps: [(attr_t, [UInt8])] = [
            (gz_a_bold(), capability("bold")), (gz_a_dim(), capability("dim")), (gz_a_reverse(), capability("rev")),
            (gz_a_underline(), capability("smul")), (gz_a_italic(), italic),
        ]
        let cup = gz_tigetstr("cup").map { String(cString: $0) } ?? ""
        let ansiCup = cup == "\u{1B}[%i%p1%d;%p2%dH"
        let plain = palette.curses(.plain)
        let plainColors = palette.colors(.plain)
        let move: (Int, Int, inout [UInt8]) -> Void
        if ansiCup {
            move = TerminalCapabilities.ansiMove
        } else {
            move = { row, column, out in out += parameterised("cup", Int32(row), Int32(column)) }
        }
        let capabilities = TerminalCapabilities(
            moveCursor: move,
            selectStyle: { style in
                var bytes: [UInt8] = []
                let (attributes, _) = palette.curses(style)
                // One `sgr` sets every attribute from any state (`ESC [ 0 ; 1 m`), when it starts by resetting as
                // sgr0 does; else sgr0 and one capability per attribute.
                if ansiReset, let combined = gz_sgr(attributes & gz_a_underline() != 0 ? 1 : 0,
                                                    attributes & gz_a_reverse() != 0 ? 1 : 0,
                                                    attributes & gz_a_dim() != 0 ? 1 : 0,
                                                    attributes & gz_a_bold() != 0 ? 1 : 0),
                   case let sgr = stripPadding(Array(String(cString: combined).utf8)),
                   sgr.starts(with: [0x1B, 0x5B, 0x30]) || sgr.starts(with: [0x1B, 0x5B, 0x6D]) {
                    bytes = sgr
                    if attributes & gz_a_italic() != 0 { bytes += italic }
                } else {
                    bytes = reset
                    for (bit, cap) in attributeCaps where attributes & bit != 0 { bytes += cap }
                }
                let (fg, bg) = palette.colors(style)
                if fg >= 0 { bytes += parameterised("setaf", Int32(fg), 0) }
                if bg >= 0 { bytes += parameterised("setab", Int32(bg), 0) }
                return bytes
            },
            resetStyle: reset,
            clearToEndOfLine: gz_tigetstr("el") == nil ? nil : capability("el"),
            plainIsDefault: plain.attributes == gz_a_normal() && plainColors.foreground < 0
                && plainColors.background < 0,
            bottomRightIsSafe: gz_tigetflag("am") == 0 || gz_tigetflag("xenl") != 0,
            scalarWidth: { Int(wcwidth(wchar_t(bitPattern: $0))) },
            scrolling: scrolling())
        return FrameEncoder(capabilities: capabilities)
    }

    /// Scrolling a band of lines (`csr`, `ind`, `ri`), when the terminal has all three.
    private static func scrolling() -> TerminalCapabilities.Scrolling? {
        guard gz_tigetstr("csr") != nil, gz_tigetstr("ind") != nil, gz_tigetstr("ri") != nil else { return nil }
        return TerminalCapabilities.Scrolling(
            setRegion: { top, bottom, out in out += parameterised("csr", Int32(top), Int32(bottom)) },
            up: capability("ind"), down: capability("ri"))
    }

    /// A terminfo string with two parameters, without padding; empty when the terminal lacks it.
    private static func parameterised(_ name: String, _ a: Int32, _ b: Int32) -> [UInt8] {
        guard let raw = gz_tigetstr(name), let done = gz_tiparm2(raw, a, b) else { return [] }
        return stripPadding(Array(String(cString: done).utf8))
    }

    public func invalidate() {
        guard screen != nil else { return }
        clearok(gz_curscr(), true)
        repaintAll = true
    }

    public func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        guard screen != nil else { return .hangup }
        if Signals.resumed.exchange(false, ordering: .relaxed) { return resumed() }
        let deadline = timeoutMilliseconds.map { CursesTerminal.now() + max(0, $0) }
        var spuriousErrors = 0
        while true {
            let wait = deadline.map { max(0, $0 - CursesTerminal.now()) }
            wtimeout(window, wait.map { Int32(clamping: $0) } ?? -1)
            var code: wint_t = 0
            errno = 0
            let result = wget_wch(window, &code)
            if result == gz_err() {
                let failure = errno
                if Signals.resumed.exchange(false, ordering: .relaxed) { return resumed() }
                if failure == EIO || CursesTerminal.inputHungUp() { return .hangup }
                if let deadline, CursesTerminal.now() >= deadline { return nil }
                if failure != EINTR {
                    // Blocking reads only fail like this when the input is gone; do not spin.
                    spuriousErrors += 1
                    if spuriousErrors > 100 { return .hangup }
                }
                continue
            }
            if result == gz_key_code_yes() {
                let key = Int32(bitPattern: code)
                if key == gz_key_resize() {
                    repaintAll = true
                    return .resize(size)
                }
                if key == gz_key_mouse() {
                    var event = MEVENT()
                    guard getmouse(&event) == gz_ok(), mouse else { continue }
                    let kind: MouseEvent.Kind
                    switch gz_mouse_kind(event.bstate) {
                    case 1: kind = .press
                    case 2: kind = .doubleClick
                    case 4: kind = .wheelUp
                    case 5: kind = .wheelDown
                    default: continue
                    }
                    return .mouse(MouseEvent(kind, column: Int(event.x), row: Int(event.y)))
                }
                if let decoded = KeyDecoder.functionKey(key) { return .key(decoded) }
                continue
            }
            if code == 27 { return .key(escapeOrMeta()) }
            if let decoded = KeyDecoder.character(code) { return .key(decoded) }
        }
    }

    /// Back from Ctrl-Z / `fg` (or SIGSTOP / SIGCONT): program tty modes again, and the real size,
    /// which may have changed while stopped without ncurses hearing of it (resizeterm then
    /// queues a KEY_RESIZE, so a `.resize` follows).
    private func resumed() -> TerminalEvent {
        reset_prog_mode()
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0,
           Int(ws.ws_row) != Int(gz_maxy(window)) || Int(ws.ws_col) != Int(gz_maxx(window)) {
            resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        invalidate()
        return .resumed
    }

    // MARK: Handing the terminal to another program

    /// Leaves curses mode for a pager or a browser: main screen, the shell's tty modes, cursor
    /// visible, mouse reporting off (endwin does all of it; the signal handlers stay, so a signal
    /// while the other program runs still restores the terminal).
    public func suspend() {
        guard screen != nil else { return }
        def_prog_mode()
        curs_set(1)
        endwin()
        CursesTerminal.restoreModes(shellModes)
    }

    /// Back from `suspend`: program modes, alternate screen, mouse (ncurses resumes it on the next
    /// update), the size the terminal has now, and a full repaint on the next `draw`.
    public func resume() {
        guard screen != nil else { return }
        _ = resumed()
        curs_set(0)
        doupdate()
    }

    /// The ncurses library's version (`ncurses 6.4.20221231`), for `gazette --version --verbose`.
    public static var libraryVersion: String {
        String(cString: gz_curses_version())
    }

    // MARK: Teardown

    /// Gives the terminal back: mouse reporting off, attributes reset, cursor visible, main
    /// screen, the shell's tty modes (echo on, canonical input). Idempotent.
    public func shutdown() {
        guard let screen else { return }
        gz_mouse_off()
        curs_set(1)
        endwin()
        CursesTerminal.restoreModes(shellModes)
        // Only now: a signal during endwin still finds a handler that restores the terminal.
        Signals.uninstall()
        delscreen(screen)
        self.screen = nil
        previous = nil
        CursesTerminal.active.store(false, ordering: .sequentiallyConsistent)
    }

    // MARK: Drawing

    /// Draws one cell (`cell.width` columns) at (`x`, `y`).
    private func put(_ cell: Cell, y: Int, x: Int, columns: Int) {
        let (attributes, pair) = palette.curses(cell.style)
        let y32 = Int32(y), x32 = Int32(x)
        let width = Int(cell.width)
        let pairBits = gz_color_pair(Int32(pair))
        if x + width > columns {
            // The frame is wider than the screen (a resize in flight): never half a wide glyph.
            mvwaddch(window, y32, x32, chtype(UInt8(ascii: " ")) | attributes | pairBits)
            return
        }
        let utf8 = cell.text.utf8
        if utf8.count == 1, let byte = utf8.first, byte >= 0x20, byte < 0x7F {
            mvwaddch(window, y32, x32, chtype(byte) | attributes | pairBits)
            return
        }
        if !unicode {
            if let acs = CursesTerminal.lineDrawing(cell.text) {
                mvwaddch(window, y32, x32, gz_acs(acs) | attributes | pairBits)
            } else {
                let substitute = CursesTerminal.asciiSubstitute(cell.text)
                mvwaddch(window, y32, x32, chtype(substitute) | attributes | pairBits)
                for i in 1..<max(1, width) {
                    mvwaddch(window, y32, x32 + Int32(i), chtype(UInt8(ascii: " ")) | attributes | pairBits)
                }
            }
            return
        }
        if putCluster(Substring(cell.text).unicodeScalars, width: width, y: y32, x: x32,
                      attributes: attributes, pair: pair) {
            return
        }
        // Not one curses cell of this width. A cluster whose scalars each draw as cells that add
        // up to its width (a flag: two regional indicators) goes as those cells, so curses and
        // the terminal agree on every column.
        var groups: [Substring.UnicodeScalarView] = []
        var total = 0
        var start = cell.text.unicodeScalars.startIndex
        var index = start
        var valid = true
        for scalar in cell.text.unicodeScalars {
            let w = Int(wcwidth(wchar_t(bitPattern: scalar.value)))
            if w < 0 { valid = false; break }
            if w > 0, index != start {
                groups.append(Substring(cell.text).unicodeScalars[start..<index])
                start = index
            }
            total += w
            index = cell.text.unicodeScalars.index(after: index)
        }
        if valid, total == width, index != start {
            groups.append(Substring(cell.text).unicodeScalars[start..<index])
            var column = x32
            var drawn = true
            for group in groups {
                guard let first = group.first else { continue }
                let w = Int32(wcwidth(wchar_t(bitPattern: first.value)))
                drawn = putCluster(group, width: Int(w), y: y32, x: column, attributes: attributes, pair: pair)
                if !drawn { break }
                column += w
            }
            if drawn { return }
        }
        // Otherwise (an emoji ZWJ sequence: curses would give it a width of its own): draw its
        // first scalar when that has the cluster's width, else `?`, padded to the width.
        if let first = cell.text.unicodeScalars.first,
           Int(wcwidth(wchar_t(bitPattern: first.value))) == width,
           putCluster(Substring(String(first)).unicodeScalars, width: width, y: y32, x: x32,
                      attributes: attributes, pair: pair) {
            return
        }
        for i in 0..<max(1, width) {
            let ch = i == 0 ? UInt8(ascii: "?") : UInt8(ascii: " ")
            mvwaddch(window, y32, x32 + Int32(i), chtype(ch) | attributes | pairBits)
        }
    }

    /// Draws `scalars` as one curses cell when curses sees it as one cluster `width` columns wide:
    /// a spacing character of that width followed by at most CCHARW_MAX-1 zero-width ones.
    private func putCluster(_ scalars: Substring.UnicodeScalarView, width: Int, y: Int32, x: Int32,
                            attributes: attr_t, pair: Int16) -> Bool {
        var count = 0
        for scalar in scalars {
            guard count < maxScalarsPerCell else { return false }
            let w = Int(wcwidth(wchar_t(bitPattern: scalar.value)))
            if count == 0 ? w != width : w != 0 { return false }
            wideBuffer[count] = wchar_t(bitPattern: scalar.value)
            count += 1
        }
        guard count > 0 else { return false }
        wideBuffer[count] = 0
        guard setcchar(cchar, wideBuffer, attributes, pair, nil) == gz_ok() else { return false }
        mvwadd_wch(window, y, x, cchar)  // ERR in the bottom-right cell, which is still drawn
        return true
    }

    /// Line-drawing characters as the terminal's alternate character set (non-UTF-8 screens).
    private static func lineDrawing(_ text: String) -> CChar? {
        switch text {
        case "─", "━": return CChar(UInt8(ascii: "q"))
        case "│", "┃": return CChar(UInt8(ascii: "x"))
        case "┌", "╭": return CChar(UInt8(ascii: "l"))
        case "┐", "╮": return CChar(UInt8(ascii: "k"))
        case "└", "╰": return CChar(UInt8(ascii: "m"))
        case "┘", "╯": return CChar(UInt8(ascii: "j"))
        case "├": return CChar(UInt8(ascii: "t"))
        case "┤": return CChar(UInt8(ascii: "u"))
        case "┬": return CChar(UInt8(ascii: "w"))
        case "┴": return CChar(UInt8(ascii: "v"))
        case "┼": return CChar(UInt8(ascii: "n"))
        default: return nil
        }
    }

    /// A readable ASCII stand-in for a cluster on a screen without UTF-8: `?` unless an obvious
    /// one exists.
    private static func asciiSubstitute(_ text: String) -> UInt8 {
        switch text {
        case "…", "·": return UInt8(ascii: ".")
        case "–", "—", "‐", "−": return UInt8(ascii: "-")
        case "‘", "’", "‚", "′": return UInt8(ascii: "'")
        case "“", "”", "„", "″", "«", "»": return UInt8(ascii: "\"")
        case "•", "●", "◦", "○": return UInt8(ascii: "*")
        case "\u{A0}", "\u{202F}": return UInt8(ascii: " ")
        default:
            // A cluster made of one printable ASCII character plus marks (é decomposed): keep the base.
            if let first = text.unicodeScalars.first, first.value >= 0x20, first.value < 0x7F,
               text.unicodeScalars.dropFirst().allSatisfy({ wcwidth(wchar_t(bitPattern: $0.value)) == 0 }) {
                return UInt8(first.value)
            }
            return UInt8(ascii: "?")
        }
    }

    // MARK: Input

    /// After ESC: another key already waiting means Alt/Meta was held (terminals send ESC then
    /// the key, and ncurses has waited `escapeDelay` for it); nothing waiting means a lone ESC.
    private func escapeOrMeta() -> Key {
        wtimeout(window, 0)
        var code: wint_t = 0
        let result = wget_wch(window, &code)
        if result == gz_ok() {
            if let meta = KeyDecoder.meta(code) { return meta }
            unget_wch(wchar_t(bitPattern: code))
        } else if result == gz_key_code_yes() {
            ungetch(Int32(bitPattern: code))
        }
        return .escape
    }

    /// Whether standard input has hung up (the terminal closed).
    private static func inputHungUp() -> Bool {
        var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, 0) >= 0 else { return false }
        return fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Milliseconds on the monotonic clock.
    private static func now() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }

    // MARK: Setup helpers

    /// `setlocale(LC_ALL, "")`, then C.UTF-8 for LC_CTYPE when the user's codeset is not UTF-8.
    /// Returns whether the user's own locale is UTF-8. When it is not (`LANG=C`, `POSIX`, Latin-1), the
    /// terminal's character set is unknown and the screen gets ASCII only; C.UTF-8 is still set, so that
    /// widths are measured and typed characters decoded as in UTF-8.
    private static func prepareLocale() -> Bool {
        setlocale(LC_ALL, "")
        if codesetIsUTF8() { return true }
        for fallback in ["C.UTF-8", "C.utf8"] where setlocale(LC_CTYPE, fallback) != nil {
            if codesetIsUTF8() { break }
        }
        return false
    }

    private static func codesetIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// The bytes the signal handlers write to undo the screen, from terminfo: attributes off,
    /// default colours, keypad off, mouse off, main screen, cursor visible.
    private static func restoreSequence() -> [UInt8] {
        var bytes: [UInt8] = []
        for cap in ["sgr0", "op", "rmkx"] { bytes += capability(cap) }
        if gz_tigetstr("kmous") != nil {
            bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l".utf8)
        }
        bytes += capability("rmcup")
        bytes += capability("cnorm")
        return bytes
    }

    /// A terminfo string without its `$<…>` padding (it is only for slow terminals).
    private static func capability(_ name: String) -> [UInt8] {
        guard let raw = gz_tigetstr(name) else { return [] }
        return stripPadding(Array(String(cString: raw).utf8))
    }

    private static func stripPadding(_ all: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = all[...]
        while let b = bytes.first {
            if b == UInt8(ascii: "$"), bytes.dropFirst().first == UInt8(ascii: "<"),
               let close = bytes.firstIndex(of: UInt8(ascii: ">")) {
                bytes = bytes[(close + 1)...]
                continue
            }
            out.append(b)
            bytes = bytes.dropFirst()
        }
        return out
    }

    private static func restoreModes(_ modes: termios?) {
        guard var modes else { return }
        tcsetattr(STDOUT_FILENO, TCSADRAIN, &modes)
    }

    /// `TERM` as it may appear in a message: control characters replaced.
    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(64).map {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : $0
        }))
    }

    /// If the program calls `exit` while the screen is up, give the terminal back first.
    private static func registerExitHook() {
        guard !exitHookRegistered.exchange(true, ordering: .sequentiallyConsistent) else { return }
        atexit {
            guard CursesTerminal.active.load(ordering: .sequentiallyConsistent) else { return }
            endwin()
        }
    }

    private static let exitHookRegistered = Atomic<Bool>(false)
}
