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
func runInteractiveReader(paths: [String], statePath: String?) throws {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw CommandLineError(problem: "the reader needs a terminal (standard input and output are not both terminals)",
                               advice: "run it in a terminal, or use 'gazette list' and 'gazette show' in scripts",
                               status: .unavailable)
    }
    let library = try ArchivePaths.load(paths, usage: "PATH")
    let session = ReaderSession.open(statePath: statePath)

    var state = AppState(title: library.displayTitle, posts: library.posts, readMarks: session.marks)
    state.readOnlyReason = session.readOnlyReason

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

/// The store as the reader uses it: marks committed one effect at a time, and a read-only mode when the
/// store cannot be written (the archive still opens; nothing pretends to be saved).
final class ReaderSession {
    let store: ReadStateStore?
    let marks: [PostID: Date]
    let readOnlyReason: String?

    private init(store: ReadStateStore?, marks: [PostID: Date], readOnlyReason: String?) {
        self.store = store
        self.marks = marks
        self.readOnlyReason = readOnlyReason
    }

    static func open(statePath: String?) -> ReaderSession {
        let environment = ProcessInfo.processInfo.environment
        let location: StoreLocation
        do {
            location = try StoreLocation.resolve(explicitPath: statePath, environment: environment)
        } catch {
            return ReaderSession(store: nil, marks: [:], readOnlyReason: "\(error)")
        }
        do {
            let store = try SQLiteReadStateStore(location: location)
            return ReaderSession(store: store, marks: try store.readMarks(), readOnlyReason: nil)
        } catch let writeError {
            // Show what was read before, if the file can at least be read.
            if let store = try? SQLiteReadStateStore(path: location.path, readOnly: true),
               let marks = try? store.readMarks() {
                return ReaderSession(store: nil, marks: marks, readOnlyReason: "\(writeError)")
            }
            return ReaderSession(store: nil, marks: [:], readOnlyReason: "\(writeError)")
        }
    }

    /// Performs an effect of the reducer and reports its result.
    func perform(_ effect: Effect) -> Action? {
        switch effect {
        case .persistRead(let ids, let read):
            guard let store else {
                return .readStateFailed(message: "Not saved: \(readOnlyReason ?? "no state file")")
            }
            let now = Date()
            do {
                try store.setRead(ids, read: read, at: now)
                return .readStateSaved(ids: ids, read: read, at: now)
            } catch {
                return .readStateFailed(message: "Not saved: \(error)")
            }
        case .quit:
            return nil
        }
    }

    /// Picks up marks another instance saved, so a key never acts on a stale view.
    func refresh() -> Action? {
        guard let store, (try? store.hasExternalChanges()) == true, let marks = try? store.readMarks() else {
            return nil
        }
        return .marksReloaded(marks)
    }
}

extension Library {
    /// The title line's text: the archive's own title, or how many archives are open.
    var displayTitle: String {
        archives.count == 1 ? archives[0].title : "\(archives.count) archives"
    }
}
