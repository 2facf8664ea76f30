import Controller
import Foundation

/// Tells single clicks from double clicks: a press on the same row, within a column of the previous
/// one and soon after it, is a double click. The clock is the caller's (the run loop's), so tests
/// decide what "soon" was.
public struct ClickTracker: Sendable {
    /// The longest pause between the two presses of a double click.
    public static let doubleClickInterval: TimeInterval = 0.4

    private var last: (column: Int, row: Int, time: Date)?

    public init() {}

    /// 2 when `event` is or completes a double click, 1 for any other click, 0 for the wheel.
    public mutating func register(_ event: MouseEvent, at time: Date) -> Int {
        if event.kind == .doubleClick {
            last = nil
            return 2
        }
        guard event.kind == .press else { return 0 }
        if let last, last.row == event.row, abs(last.column - event.column) <= 1,
           time.timeIntervalSince(last.time) >= 0, time.timeIntervalSince(last.time) <= Self.doubleClickInterval {
            self.last = nil  // a third press starts over
            return 2
        }
        last = (event.column, event.row, time)
        return 1
    }
}

/// What a mouse event asks of the reader, as actions. Pure: the layout says what is under the pointer.
///
/// - A click on a headline selects it (and gives the list the keys); a double click opens it, as Enter.
/// - A click in the reading pane gives it the keys (marking nothing, as Tab).
/// - The wheel over the list moves the selection (the list gets the keys: the article only previews);
///   over the reading pane it scrolls the article without moving the keys. Neither opens a post, so the
///   wheel marks nothing read under any policy.
/// - In the sources and tags views, the same over their rows.
/// - While the help is shown a click closes it and the wheel scrolls it; while a question waits for y/n the mouse
///   does nothing.
public enum MouseRouting {
    /// Lines (or headlines) per wheel step.
    public static let wheelStep = 3

    public static func actions(for event: MouseEvent, clicks: Int, state: AppState, layout: ScreenLayout) -> [Action] {
        guard state.confirmation == nil, layout.arrangement != .tooSmall else { return [] }
        if state.showingHelp {
            switch event.kind {
            case .press, .doubleClick: return [.command(.help)]
            case .wheelUp: return [.scrollHelp(by: -wheelStep)]
            case .wheelDown: return [.scrollHelp(by: wheelStep)]
            }
        }
        let point = (x: event.column, y: event.row)
        if layout.arrangement != .zoomed, contains(layout.list, point) {
            switch event.kind {
            case .press, .doubleClick:
                let row = state.shownListTop + (point.y - layout.list.y)
                guard row < state.shownRowCount else { return [.focus(.list)] }
                return [.focus(.list), .selectRow(row)] + (clicks >= 2 ? [.command(.open)] : [])
            case .wheelUp:
                return [.focus(.list), .moveSelection(by: -wheelStep)]
            case .wheelDown:
                return [.focus(.list), .moveSelection(by: wheelStep)]
            }
        }
        if contains(layout.reading, point) {
            switch event.kind {
            case .press, .doubleClick: return [.focus(.reading)]
            case .wheelUp: return [.scrollReading(by: -wheelStep)]
            case .wheelDown: return [.scrollReading(by: wheelStep)]
            }
        }
        return []
    }

    private static func contains(_ rect: Rect, _ point: (x: Int, y: Int)) -> Bool {
        point.x >= rect.x && point.x < rect.maxX && point.y >= rect.y && point.y < rect.maxY
    }
}
