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
    private var clicks = ClickTracker()
    /// Indexing still going on (started after the first frame): its batches are taken between events (set before
    /// `run`).
    public var background: BackgroundWork?
    /// Opt-in timings (`GAZETTE_TRACE`); `nil` costs nothing.
    public var trace: ReaderTrace?
    /// While `background` is active, the longest wait for a key (milliseconds) before taking its results.
    public static let backgroundPoll = 15
    /// Results waiting longer than this (milliseconds, keys arriving without a pause) are taken before the next key.
    static let backgroundOverdue = 100.0
    private var lastDelivery = Date()

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
        var started = false
        while true {
            redraw()
            trace?.frameFlushed()
            if !started {
                started = true
                background?.start()
            }
            if let background, background.isActive,
               clock().timeIntervalSince(lastDelivery) * 1000 > Self.backgroundOverdue {
                if takeBackgroundResults() == .quit { return }
                continue
            }
            // Wake up for a pending delayed mark even when no key comes, and for the indexer's next batch.
            var timeout = state.pendingRead.map { max(1, Int($0.due.timeIntervalSince(clock()) * 1000) + 1) }
            if let background, background.isActive { timeout = min(timeout ?? Self.backgroundPoll, Self.backgroundPoll) }
            let event = terminal.nextEvent(timeoutMilliseconds: timeout)
            trace?.received(event)
            if handle(state.reduce(.tick(clock()))) == .quit { return }
            guard let event else {
                if background != nil, takeBackgroundResults() == .quit { return }
                continue
            }
            switch event {
            case .key(let key):
                if let refresh = beforeKey() { _ = state.reduce(refresh) }
                if handle(state.reduce(key: key, keymap: keymap)) == .quit { return }
                trace?.handled()
            case .resize, .resumed:
                terminal.invalidate()
            case .hangup:
                return
            case .mouse(let mouse):
                let count = clicks.register(mouse, at: clock())
                let layout = renderer.layout(for: state, size: terminal.size)
                for action in MouseRouting.actions(for: mouse, clicks: count, state: state, layout: layout) {
                    if handle(state.reduce(action)) == .quit { return }
                }
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
        guard let trace else {
            terminal.draw(renderer.frame(for: &state, size: terminal.size))
            return
        }
        let start = ReaderTrace.now()
        let frame = renderer.frame(for: &state, size: terminal.size)
        let drawn = ReaderTrace.now()
        terminal.draw(frame)
        trace.phases(render: drawn - start, draw: ReaderTrace.now() - drawn)
    }

    private enum Outcome { case keepGoing, quit }

    /// Applies what the background work finished since last time. Work stays attached when idle: it may
    /// become active again (a new search).
    private func takeBackgroundResults() -> Outcome {
        guard let work = background else { return .keepGoing }
        lastDelivery = clock()
        for action in work.takeResults() where handle(state.reduce(action)) == .quit { return .quit }
        return .keepGoing
    }

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
