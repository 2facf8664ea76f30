import Posts

/// Work the reducer asks the outside world to do. The run loop performs effects and feeds
/// their results back as actions; the reducer itself never touches a store or a terminal.
public enum Effect: Hashable, Sendable {
    /// Commit these posts' read state to the store, then report `readStateSaved` or `readStateFailed`.
    case persistRead(ids: [PostID], read: Bool)
    /// Undo the store's latest read-state change, then report `readStateRestored` (or a status).
    case undo
    /// Find the posts among `candidates` (indices into `posts`; `nil`: all) that match
    /// `SearchQuery.parse(query, typing: typing)`: its text and every filter but `is:unread` and `is:read` (negated
    /// or not), which the reducer applies itself with the marks it keeps; report `searchResults` (ascending).
    /// `typing`: the user is still typing (the last word is a prefix); Enter asks again without it when that
    /// changes the query.
    case search(query: String, candidates: [Int]?, typing: Bool = true)
    /// Find every post that matches saved query `query` (parsed with `typing: false`), as `search` does: its text
    /// and every filter but the read state; report `savedSearchResults` (ascending indices into `posts`). Asked
    /// for when the saved searches are given and again whenever the posts change; answer each one, in order
    /// (only the answer to the last one asked is taken, the posts having changed since the others).
    case runSavedSearch(query: String)
    /// Keep a search saved with `S`: append `set search NAME QUERY` to the configuration file; report a
    /// `showStatus` (an error) only when that fails.
    case saveSearch(name: String, query: String)
    /// Load the saved reading position of a post; report `positionLoaded`.
    case loadPosition(PostID)
    /// Save where the reader left a post (the block at the top of the pane; 0 forgets it).
    case savePosition(PostID, block: Int)
    /// Save a session setting (`last-selection`, `layout`).
    case saveSetting(key: String, value: String)
    /// Open a link of the post in the browser, with the terminal suspended: link `[number]` of the article, or
    /// (`nil`) the post's own link (a text archive's: the first http(s) link in its text, `LinkFinder`); report a
    /// status (no such link, a link that may not be opened, or the browser failed).
    case openLink(PostID, number: Int?)
    /// Show the post as plain text in the pager, with the terminal suspended.
    case pipeToPager(PostID)
    /// Read the archives again from disk and fetch every subscription; report `postsReloaded` (or a status), and
    /// for the fetch `fetchProgress`, `postsArrived` and `sourcesChanged`.
    case reload
    /// Fetch these sources (by `Post.archiveIndex`); report `fetchProgress`, `postsArrived` and `sourcesChanged`.
    case fetch(sources: [Int])
    /// Walk this subscription's history (archived and paged feeds); report as `fetch` does.
    case backfill(source: Int)
    /// Leave the reader.
    case quit
}
