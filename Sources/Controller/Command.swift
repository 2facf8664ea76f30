/// A named thing the user can ask for with a key.
///
/// The raw value is the name used in the key table, the help overlay and `bind-key`.
/// What a command does can depend on the focused pane: `down` moves the selection in the list
/// and scrolls the article in the reading pane.
public enum Command: String, CaseIterable, Hashable, Sendable {
    case up
    case down
    case pageUp = "page-up"
    case pageDown = "page-down"
    case home
    case end
    case open
    case back
    case toggleFocus = "toggle-focus"
    case toggleRead = "toggle-read"
    case nextUnread = "next-unread"
    case previousUnread = "previous-unread"
    case markAllRead = "mark-all-read"
    case markAboveRead = "mark-all-above-read"
    case undo
    case toggleFilter = "toggle-filter"
    case search
    case previousMatch = "previous-match"
    case zoom
    case narrowerList = "narrower-list"
    case widerList = "wider-list"
    case toggleArrangement = "toggle-arrangement"
    case help
    case quit
}
