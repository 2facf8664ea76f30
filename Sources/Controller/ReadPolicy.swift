/// When a post becomes read. Moving through the list never marks anything, under any policy.
public enum ReadPolicy: Hashable, Sendable, CustomStringConvertible {
    /// Opening a post (Enter) marks it read. The default.
    case onOpen
    /// Only `m` (and the bulk marks) change read state.
    case manual
    /// A post marks itself read after it has been open in the reading pane for this many seconds.
    /// Switching to another post first cancels it: the mark always goes to the post that was shown.
    case delay(seconds: Double)
    /// A post is read once its end has been on screen in the reading pane.
    case atEnd

    /// Parses `on-open`, `manual`, `at-end` or `delay=N` (N seconds, 0 to 3600).
    public init?(_ text: String) {
        switch text.lowercased() {
        case "on-open", "open": self = .onOpen
        case "manual": self = .manual
        case "at-end", "end": self = .atEnd
        default:
            let parts = text.lowercased().split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "delay", let seconds = Double(parts[1]),
                  seconds.isFinite, seconds >= 0, seconds <= 3600 else { return nil }
            self = .delay(seconds: seconds)
        }
    }

    public var description: String {
        switch self {
        case .onOpen: return "on-open"
        case .manual: return "manual"
        case .atEnd: return "at-end"
        case .delay(let seconds):
            return seconds == seconds.rounded() ? "delay=\(Int(seconds))" : "delay=\(seconds)"
        }
    }
}
