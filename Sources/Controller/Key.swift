/// A key press, decoded from the terminal into our own vocabulary.
///
/// The curses module turns raw input into these values; everything after that point
/// (keymap, reducer, tests) works without a terminal.
public enum Key: Hashable, Sendable {
    /// A printable character (a Unicode scalar as typed, e.g. `j`, `G`, `?`, `/`).
    case character(Unicode.Scalar)
    /// Ctrl plus a letter, e.g. `.control("d")` for ^D.
    case control(Unicode.Scalar)
    /// Meta (Alt) plus a character, e.g. `.meta("x")` for M-x.
    case meta(Unicode.Scalar)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    case function(Int)
}
