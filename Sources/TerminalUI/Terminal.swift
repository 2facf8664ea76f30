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
}
