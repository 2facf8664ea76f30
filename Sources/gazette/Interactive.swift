import Controller
import CursesTerminal
import Foundation
import Posts
import ReadState
import TerminalUI
import TextCells

/// The interactive reader: loads the archives, opens the store, takes over the terminal and runs the loop.
///
/// Everything that can fail for a reason the user can fix (no terminal, a bad path, a damaged store) is
/// reported before curses starts, so the message lands on a normal screen.
func runInteractiveReader(paths: [String], statePath: String?, policy: ReadPolicy) throws {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw CommandLineError(problem: "the reader needs a terminal on standard input and output",
                               advice: "in scripts use 'gazette list' or 'gazette show'",
                               status: .unavailable)
    }
    let library = try ArchivePaths.load(paths, usage: "PATH")
    let session = ReaderSession.open(statePath: statePath, library: library)
    let state = session.initialState(policy: policy)

    let terminal: CursesTerminal
    do {
        terminal = try CursesTerminal(options: .fromEnvironment())
    } catch let error as CursesError {
        throw CommandLineError(problem: error.description, advice: "Gazette draws in a full-screen terminal",
                               status: .unavailable)
    }
    defer { terminal.shutdown() }

    let renderer = Renderer(glyphs: terminal.unicode ? .unicode : .ascii) { library.body(of: $0) }
    let loop = ReaderLoop(state: state, terminal: terminal, renderer: renderer,
                          perform: session.perform, beforeKey: session.refresh)
    loop.run()
}
