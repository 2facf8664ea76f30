#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerminalUI

/// How `CursesTerminal` sets up the terminal.
public struct CursesOptions: Hashable, Sendable {
    /// Use colours when the terminal has them. Pass `false` when `NO_COLOR` is set: styles then
    /// rely on attributes alone (bold, dim, reverse, underline).
    public var colors: Bool
    /// Draw only ASCII even when the locale is UTF-8 (non-ASCII clusters become `?`).
    public var asciiOnly: Bool
    /// How long an ESC waits for the rest of an escape sequence, in milliseconds.
    public var escapeDelayMilliseconds: Int
    /// Install the handlers that restore the terminal on SIGINT, SIGTERM, SIGHUP, SIGQUIT and on
    /// crashes. Only tests that drive curses in-process would turn this off.
    public var handleSignals: Bool
    /// The user's colours (`color` lines); tints without one keep the built-in look.
    public var theme: Theme
    /// Report mouse clicks and the wheel (`set mouse yes`). Off by default: the terminal's own text
    /// selection keeps working.
    public var mouse: Bool

    public init(colors: Bool = true, asciiOnly: Bool = false, escapeDelayMilliseconds: Int = 25,
                handleSignals: Bool = true, theme: Theme = .standard, mouse: Bool = false) {
        self.colors = colors
        self.asciiOnly = asciiOnly
        self.escapeDelayMilliseconds = escapeDelayMilliseconds
        self.handleSignals = handleSignals
        self.theme = theme
        self.mouse = mouse
    }

    /// The defaults for this process: colours unless `NO_COLOR` is set to a non-empty value
    /// (https://no-color.org).
    public static func fromEnvironment() -> CursesOptions {
        var options = CursesOptions()
        if let value = getenv("NO_COLOR"), value.pointee != 0 { options.colors = false }
        return options
    }
}
