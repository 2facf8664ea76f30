/// Why the terminal could not be set up. Each description is one line, meant for stderr.
public enum CursesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Standard input is not a terminal (a pipe or a file).
    case standardInputNotATerminal
    /// Standard output is not a terminal: curses would write escape codes into the file.
    case standardOutputNotATerminal
    /// `TERM` is unset or empty.
    case terminalTypeUnset
    /// `TERM` names a terminal that cannot address the cursor, such as `dumb`.
    case terminalTooLimited(String)
    /// `TERM` names a terminal that terminfo does not know.
    case unknownTerminalType(String)
    /// Another `CursesTerminal` is active in this process.
    case alreadyActive

    public var description: String {
        switch self {
        case .standardInputNotATerminal:
            return "standard input is not a terminal"
        case .standardOutputNotATerminal:
            return "standard output is not a terminal"
        case .terminalTypeUnset:
            return "TERM is not set (try TERM=xterm-256color)"
        case .terminalTooLimited(let name):
            return "terminal type '\(name)' cannot move the cursor (try TERM=xterm-256color)"
        case .unknownTerminalType(let name):
            return "unknown terminal type '\(name)' (no terminfo entry; try TERM=xterm-256color)"
        case .alreadyActive:
            return "the terminal is already in use by another screen in this process"
        }
    }
}
