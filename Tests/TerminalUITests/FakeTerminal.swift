import Controller
import TerminalUI

/// A terminal that replays scripted events and records every frame it is asked to draw.
final class FakeTerminal: Terminal {
    var size: Size
    private(set) var frames: [Frame] = []
    private(set) var invalidations = 0
    private var events: [TerminalEvent]

    init(size: Size, events: [TerminalEvent]) {
        self.size = size
        self.events = events
    }

    var lastFrame: Frame? { frames.last }

    func draw(_ frame: Frame) { frames.append(frame) }
    func invalidate() { invalidations += 1 }

    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        guard !events.isEmpty else { return .hangup }
        let event = events.removeFirst()
        if case .resize(let newSize) = event { size = newSize }
        return event
    }
}
