import Foundation
import Posts

/// The in-memory twin of `SQLiteReadStateStore`, with the same semantics (see `ReadStateStore`), for tests of
/// other modules and for running without a writable store. Nothing survives the object.
public final class InMemoryReadStateStore: ReadStateStore {
    private struct Group {
        var madeAt: Date
        var previous: [(id: PostID, mark: ReadMark?)]
    }

    private var marks: [PostID: ReadMark] = [:]
    private var journal: [Group] = []
    private var positions: [PostID: ReadingPosition] = [:]
    private var settings: [String: String] = [:]
    private var seen: Set<PostID>?

    /// When set, every call throws it (to test how callers handle a failing store).
    public var failure: StoreError?

    public init() {}

    public func readMarks() throws -> [PostID: Date] {
        try checkFailure()
        return marks.compactMapValues { $0.isRead ? $0.changedAt : nil }
    }

    public func mark(of id: PostID) throws -> ReadMark? {
        try checkFailure()
        return marks[id]
    }

    @discardableResult
    public func setRead(_ ids: [PostID], read: Bool, at date: Date) throws -> Int {
        try checkFailure()
        let date = StoreTime.normalized(date)
        var seen = Set<PostID>()
        var previous: [(id: PostID, mark: ReadMark?)] = []
        for id in ids where seen.insert(id).inserted && (marks[id]?.isRead ?? false) != read {
            previous.append((id, marks[id]))
            marks[id] = ReadMark(isRead: read, changedAt: date)
        }
        if !previous.isEmpty {
            journal.append(Group(madeAt: date, previous: previous))
            if journal.count > UndoJournal.depth { journal.removeFirst(journal.count - UndoJournal.depth) }
        }
        return previous.count
    }

    @discardableResult
    public func undoLast() throws -> UndoneChange? {
        try checkFailure()
        guard let group = journal.popLast() else { return nil }
        var restored: [PostID: ReadMark] = [:]
        for (id, mark) in group.previous {
            marks[id] = mark
            restored[id] = mark
        }
        return UndoneChange(madeAt: group.madeAt, postIDs: group.previous.map(\.id), marks: restored)
    }

    public func position(of id: PostID) throws -> ReadingPosition? {
        try checkFailure()
        return positions[id]
    }

    public func setPosition(_ position: ReadingPosition?, of id: PostID, at date: Date) throws {
        try checkFailure()
        positions[id] = position
    }

    public func seenPosts() throws -> Set<PostID>? {
        if let failure { throw failure }
        return seen
    }

    public func setSeenPosts(_ ids: Set<PostID>) throws {
        if let failure { throw failure }
        seen = ids
    }

    public func setting(_ key: String) throws -> String? {
        try checkFailure()
        return settings[key]
    }

    public func setSetting(_ key: String, _ value: String?) throws {
        try checkFailure()
        settings[key] = value
    }

    public func hasExternalChanges() throws -> Bool {
        try checkFailure()
        return false
    }

    private func checkFailure() throws {
        if let failure { throw failure }
    }
}
