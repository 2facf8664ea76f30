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
    case saveSearch = "save-search"
    case previousMatch = "previous-match"
    case zoom
    case narrowerList = "narrower-list"
    case widerList = "wider-list"
    case toggleArrangement = "toggle-arrangement"
    case openLink = "open-link"
    case pipeToPager = "pipe-to-pager"
    case sources
    case filterTag = "tag"
    case fetch
    case backfill
    case reload
    case help
    case quit
}

extension Command {
    /// What the command does, for the help of a key bound to it in a configuration file (the standard
    /// bindings carry their own, pane-specific, text).
    public var summary: String {
        switch self {
        case .up: "up"
        case .down: "down"
        case .pageUp: "page up"
        case .pageDown: "page down"
        case .home: "first headline / top of the article"
        case .end: "last headline / end of the article"
        case .open: "open the post (marks it read)"
        case .back: "back to the list / clear the search or filter"
        case .toggleFocus: "switch pane"
        case .toggleRead: "toggle read / unread"
        case .nextUnread: "next unread post (next match, searching)"
        case .previousUnread: "previous unread post"
        case .markAllRead: "mark all in view read (asks)"
        case .markAboveRead: "mark all above read"
        case .undo: "undo the last mark change"
        case .toggleFilter: "show all posts / only unread"
        case .search: "search titles and bodies"
        case .saveSearch: "save the search: a source of its own (s)"
        case .previousMatch: "previous match in the article"
        case .zoom: "zoom the reading pane"
        case .narrowerList: "narrower list"
        case .widerList: "wider list"
        case .toggleArrangement: "side by side / stacked"
        case .openLink: "open the post's link in the browser (N o: link [N])"
        case .pipeToPager: "read the article in the pager"
        case .sources: "sources, with counts (again: back to posts)"
        case .filterTag: "filter by tag (again: back to posts)"
        case .fetch: "fetch the selected post's feed (or source)"
        case .backfill: "backfill the selected feed's archive (sources)"
        case .reload: "reload the archives and fetch every subscription"
        case .help: "show / hide this help"
        case .quit: "quit"
        }
    }
}
