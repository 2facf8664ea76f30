import Controller

/// The size of a terminal or a region of it, in cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    public var description: String { "\(columns)x\(rows)" }
}

/// What a terminal reports to the run loop.
public enum TerminalEvent: Hashable, Sendable {
    /// A key press.
    case key(Key)
    /// The terminal changed size (SIGWINCH / KEY_RESIZE).
    case resize(Size)
    /// The program came back from a suspend (Ctrl-Z, then `fg`): everything must be redrawn.
    case resumed
    /// The terminal went away (input closed, hangup): the run loop must stop.
    case hangup
    /// A mouse button or wheel (only when mouse reporting was asked for, `set mouse yes`).
    case mouse(MouseEvent)
}

/// A mouse event at a cell (0-based column and row from the top left of the screen).
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A left click. Two in a row at one place are a double click for the run loop (`ClickTracker`)
        /// when the terminal did not already say so.
        case press
        /// A left double click, as the terminal recognised it.
        case doubleClick
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var column: Int
    public var row: Int

    public init(_ kind: Kind, column: Int, row: Int) {
        self.kind = kind
        self.column = column
        self.row = row
    }
}

/// The small surface the run loop needs from a terminal.
///
/// `CursesTerminal` implements it on ncursesw; tests use a fake that replays events and records frames.
public protocol Terminal: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Shows `frame` on screen. Implementations send only what changed since the last frame.
    func draw(_ frame: Frame)
    /// Forgets what is on screen, so the next `draw` repaints every cell (after a resume or a resize).
    func invalidate()
    /// Waits for the next event. With a timeout in milliseconds, returns `nil` when it passes first.
    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent?
    /// Gives the terminal to another program (a pager, a browser): main screen, the shell's tty modes,
    /// cursor visible, mouse reporting off.
    func suspend()
    /// Takes the terminal back after `suspend` and repaints everything on the next `draw`.
    func resume()
}

extension Terminal {
    /// Terminals that never hand the screen over (test fakes) need not implement these.
    public func suspend() {}
    public func resume() { invalidate() }
}
