import Foundation
import Posts

/// The stored read state of one post: read or unread, and when it was last changed.
///
/// A post that was never marked has no `ReadMark` at all (it is unread). Marking a read post unread keeps a
/// mark with `isRead == false` and the time of that change, so the time of every change is kept.
public struct ReadMark: Hashable, Sendable {
    public var isRead: Bool
    /// When the post was marked (read or unread). Stored with millisecond precision.
    public var changedAt: Date

    public init(isRead: Bool, changedAt: Date) {
        self.isRead = isRead
        self.changedAt = changedAt
    }
}

/// Where a reader left a post: the block at the top of the reading pane and the wrapped line inside it.
public struct ReadingPosition: Hashable, Sendable {
    public var block: Int
    public var line: Int

    public init(block: Int, line: Int = 0) {
        self.block = block
        self.line = line
    }
}

/// What `undoLast()` restored: one earlier `setRead` call, as a whole.
public struct UndoneChange: Hashable, Sendable {
    /// The `date` that the undone `setRead` call was given.
    public var madeAt: Date
    /// Every post whose state was restored, in the order of the original call.
    public var postIDs: [PostID]
    /// The restored marks; a post in `postIDs` that is missing here has no mark any more (never marked: unread).
    public var marks: [PostID: ReadMark]

    public init(madeAt: Date, postIDs: [PostID], marks: [PostID: ReadMark]) {
        self.madeAt = madeAt
        self.postIDs = postIDs
        self.marks = marks
    }
}

/// Times are stored as whole milliseconds since 1970 in both stores, so that a mark reads back equal
/// to what the same store (or its twin) returns, whichever of the two wrote it.
enum StoreTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func normalized(_ date: Date) -> Date { self.date(milliseconds(date)) }
}
