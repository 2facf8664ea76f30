import Foundation
import Posts

/// Everything about reading that must survive a restart: read marks with their times, an undo journal of
/// read-state changes, reading positions, and small session settings.
///
/// Semantics shared by `SQLiteReadStateStore` and its in-memory twin `InMemoryReadStateStore`:
/// - Every mutating call is one transaction, durable when it returns; nothing is batched in memory.
/// - `setRead` changes only the posts whose flag differs (re-marking a read post keeps its first read time),
///   and records the previous state of each changed post in the undo journal as one group per call.
/// - Marking unread keeps a mark with `isRead == false` (the time of the change is kept too); a post that
///   was never marked has no mark. Both count as unread.
/// - `undoLast()` restores the most recent group as a whole and removes it from the journal; repeated calls
///   go further back. The journal keeps the last `UndoJournal.depth` groups and is shared by every process using the
///   store (it is the store's history, not one window's).
/// - Times are kept to the millisecond.
public protocol ReadStateStore: AnyObject {
    /// Every post that is currently read, with the time it was marked read. One query, for start-up.
    func readMarks() throws -> [PostID: Date]

    /// The stored mark of one post, or `nil` when it was never marked.
    func mark(of id: PostID) throws -> ReadMark?

    /// Marks `ids` read or unread at `date` in one transaction, committed before it returns, and records it
    /// as one undo group. Returns how many posts actually changed (0 records no undo group).
    @discardableResult
    func setRead(_ ids: [PostID], read: Bool, at date: Date) throws -> Int

    /// Restores the state from before the most recent `setRead` that changed something; `nil` when the
    /// journal is empty.
    @discardableResult
    func undoLast() throws -> UndoneChange?

    /// The saved reading position of a post.
    func position(of id: PostID) throws -> ReadingPosition?

    /// Saves (or with `nil`, forgets) the reading position of a post.
    func setPosition(_ position: ReadingPosition?, of id: PostID, at date: Date) throws

    /// A session setting (`last-selection`, `layout`, ...), or `nil` when unset.
    func setting(_ key: String) throws -> String?

    /// Saves a session setting; `nil` removes it.
    func setSetting(_ key: String, _ value: String?) throws

    /// The ids of every post seen by earlier sessions, or `nil` when no session has recorded any yet.
    func seenPosts() throws -> Set<PostID>?

    /// Replaces the set of seen posts (callers pass the union of the old set and this session's posts).
    func setSeenPosts(_ ids: Set<PostID>) throws

    /// True when another connection (another process or window) changed the store since the previous call;
    /// a cheap check to decide whether to reload marks before a redraw.
    func hasExternalChanges() throws -> Bool
}

/// Limits of the undo journal, the same in every store.
public enum UndoJournal {
    /// How many undo groups a store keeps; the oldest is dropped when a new one is recorded.
    public static let depth = 100
}
