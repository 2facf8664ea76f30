import Controller
import Foundation
import Posts

/// The interactive loop: draw, wait for an event, reduce, perform effects, repeat.
///
/// Effects are performed before the next frame is drawn, so a mark is on screen only once the
/// store has committed it. Nothing here knows about curses or SQLite: the terminal and the
/// effect performer are injected.
public final class ReaderLoop {
    public private(set) var state: AppState
    public let keymap: Keymap
    private let terminal: Terminal
    private let renderer: Renderer
    private let perform: (Effect) -> Action?
    private let beforeKey: () -> Action?
    private let clock: () -> Date

    /// - Parameters:
    ///   - perform: carries out an effect (other than `.quit`) and returns the action reporting its result.
    ///   - beforeKey: called before each key is handled; may return an action (e.g. marks another
    ///     instance saved) so the key acts on fresh state.
    public init(state: AppState, terminal: Terminal, renderer: Renderer, keymap: Keymap = .standard,
                perform: @escaping (Effect) -> Action?, beforeKey: @escaping () -> Action? = { nil },
                clock: @escaping () -> Date = Date.init) {
        self.clock = clock
        self.state = state
        self.terminal = terminal
        self.renderer = renderer
        self.keymap = keymap
        self.perform = perform
        self.beforeKey = beforeKey
    }

    /// Runs until the user quits or the terminal goes away.
    public func run() {
        if handle(state.reduce(.tick(clock()))) == .quit { return }
        while true {
            redraw()
            // Wake up for a pending delayed mark even when no key comes.
            let timeout = state.pendingRead.map { max(1, Int($0.due.timeIntervalSince(clock()) * 1000) + 1) }
            let event = terminal.nextEvent(timeoutMilliseconds: timeout)
            if handle(state.reduce(.tick(clock()))) == .quit { return }
            guard let event else { continue }
            switch event {
            case .key(let key):
                if let refresh = beforeKey() { _ = state.reduce(refresh) }
                if handle(state.reduce(key: key, keymap: keymap)) == .quit { return }
            case .resize, .resumed:
                terminal.invalidate()
            case .hangup:
                return
            }
        }
    }

    /// Applies an action from outside the keyboard (tests, timers) and performs its effects.
    @discardableResult
    public func send(_ action: Action) -> Bool {
        handle(state.reduce(action)) != .quit
    }

    /// Draws the current state at the terminal's current size.
    public func redraw() {
        terminal.draw(renderer.frame(for: &state, size: terminal.size))
    }

    private enum Outcome { case keepGoing, quit }

    private func handle(_ effects: [Effect]) -> Outcome {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            if effect == .quit { return .quit }
            if let result = perform(effect) { pending += state.reduce(result) }
        }
        return .keepGoing
    }
}
