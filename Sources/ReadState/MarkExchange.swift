import Foundation
import Posts

/// What `mergeMarks` did (or, in a dry run, would do), post by post.
public struct MarkMergeResult: Hashable, Sendable {
    /// Posts whose mark was taken from the input (it was later than the one here, or there was none here).
    public var applied = 0
    /// Posts whose mark here is later than the input's: kept.
    public var keptNewerHere = 0
    /// Posts whose mark here is the same as the input's.
    public var unchanged = 0
    /// Input marks whose id is not a stored item here while their feed and guid are (the feed's identity changed
    /// on one machine): also compared with, and applied to, that item's mark.
    public var foundByGuid = 0
    /// Input marks dated after the merge's `now`: taken as made at `now`, or they would win over every later change.
    public var fromTheFuture = 0
    /// Input marks of a post that had another, later mark earlier in the input.
    public var duplicates = 0

    public init() {}

    /// Every post compared: applied, kept or unchanged.
    public var total: Int { applied + keptNewerHere + unchanged }
}

extension SQLiteReadStateStore {
    // MARK: Export

    /// Every mark ever made (read and marked-unread alike), by post id, with what the store knows to find the post
    /// again: a stored feed item's feed URL, guid, link and title. One read transaction: one consistent snapshot.
    public func exportMarks(_ body: (ExchangedMark) throws -> Void) throws {
        try storeErrors {
            try database.readTransaction {
                // Ordered as the ids print (unsigned): the ids with the top bit set are the negative ones.
                let select = try database.prepare("""
                    SELECT m.post_id, m.read, m.changed_at, f.url, i.guid, i.link, i.title
                    FROM read_mark m LEFT JOIN item i ON i.post_id = m.post_id LEFT JOIN feed f ON f.id = i.feed_id
                    ORDER BY m.post_id < 0, m.post_id
                    """)
                while try select.step() {
                    func text(_ column: Int32) -> String? { select.text(column).flatMap { $0.isEmpty ? nil : $0 } }
                    try body(ExchangedMark(id: PostID(rawValue: UInt64(bitPattern: select.int64(0))),
                                           isRead: select.int64(1) != 0, changedAt: StoreTime.date(select.int64(2)),
                                           feed: text(3), guid: text(4), link: text(5), title: text(6)))
                }
            }
        }
    }

    // MARK: Merge

    /// Merges marks made elsewhere: for each post the later change wins (at the same millisecond, read wins over
    /// unread), so two stores importing each other's export in either order end up with the same marks, and
    /// merging the same marks twice changes nothing the second time.
    ///
    /// - Each post counts once: of several input marks for one post, the latest is taken.
    /// - A mark dated after `now` is taken as made at `now` (it would otherwise win over every change to come).
    /// - A mark for a post this store does not know is stored as it is: ids are derived from the posts' content, so
    ///   it applies when the post arrives (a fetched item takes its read flag from the marks).
    /// - A mark whose id is not a stored item here, but whose `feed` and `guid` name one, is also merged into that
    ///   item's mark.
    /// - Everything is one transaction and one undo group (dated `now`): `undoLast()` takes the whole merge back.
    /// - `dryRun`: the same comparison in a read transaction; nothing is written (works on a read-only store).
    @discardableResult
    public func mergeMarks(_ marks: [ExchangedMark], now: Date = Date(), dryRun: Bool = false) throws
        -> MarkMergeResult {
        var result = MarkMergeResult()
        let nowMilliseconds = StoreTime.milliseconds(now)

        // The latest input mark of each post, times clamped to now.
        var latest: [PostID: ExchangedMark] = [:]
        latest.reserveCapacity(marks.count)
        for var mark in marks {
            if StoreTime.milliseconds(mark.changedAt) > nowMilliseconds {
                mark.changedAt = StoreTime.date(nowMilliseconds)
                result.fromTheFuture += 1
            }
            if let earlier = latest[mark.id] {
                result.duplicates += 1
                if mark.rank <= earlier.rank { continue }
            }
            latest[mark.id] = mark
        }

        return try storeErrors {
            let body = {
                let targets = try self.mergeTargets(latest, result: &result)
                try self.apply(targets, at: nowMilliseconds, dryRun: dryRun, result: &result)
                return result
            }
            return dryRun ? try database.readTransaction(body) : try database.writeTransaction(body)
        }
    }

    /// The rank each post should end up with at least: the input's own, and for an input mark whose id is not a
    /// stored item, the same rank for the item found by its feed and guid.
    private func mergeTargets(_ latest: [PostID: ExchangedMark], result: inout MarkMergeResult) throws
        -> [PostID: MarkRank] {
        var targets = latest.mapValues(\.rank)
        let isItem = try database.prepare("SELECT 1 FROM item WHERE post_id = ?")
        var byGuid: [String: [String: PostID]]?
        for mark in latest.values {
            guard let feed = mark.feed, let guid = mark.guid else { continue }
            try isItem.reset()
            try isItem.bind(Int64(bitPattern: mark.id.rawValue), at: 1)
            let known = try isItem.step()
            try isItem.reset()
            if known { continue }
            if byGuid == nil { byGuid = try itemsByGuid() }
            guard let other = byGuid?[feed]?[guid], other != mark.id else { continue }
            result.foundByGuid += 1
            if let rank = targets[other], rank >= mark.rank { continue }
            targets[other] = mark.rank
        }
        return targets
    }

    /// Every stored item with a guid, by feed URL and guid: one pass over the table, only when an input mark
    /// needs it (a query per mark would read a feed's items each time).
    private func itemsByGuid() throws -> [String: [String: PostID]] {
        let select = try database.prepare("""
            SELECT f.url, i.guid, i.post_id FROM item i JOIN feed f ON f.id = i.feed_id WHERE i.guid IS NOT NULL
            """)
        var map: [String: [String: PostID]] = [:]
        while try select.step() {
            guard let url = select.text(0), let guid = select.text(1) else { continue }
            map[url, default: [:]][guid] = PostID(rawValue: UInt64(bitPattern: select.int64(2)))
        }
        return map
    }

    /// Compares each target with the mark here and writes the later ones, journalled as one undo group.
    private func apply(_ targets: [PostID: MarkRank], at nowMilliseconds: Int64, dryRun: Bool,
                       result: inout MarkMergeResult) throws {
        let select = try database.prepare("SELECT read, changed_at FROM read_mark WHERE post_id = ?")
        let upsert = try database.prepare("""
            INSERT INTO read_mark (post_id, read, changed_at) VALUES (?, ?, ?)
            ON CONFLICT (post_id) DO UPDATE SET read = excluded.read, changed_at = excluded.changed_at
            """)
        let journal = try database.prepare("""
            INSERT INTO undo_entry (group_id, seq, post_id, prev_read, prev_changed_at) VALUES (?, ?, ?, ?, ?)
            """)
        var group: Int64?
        var sequence: Int64 = 0
        // In id order, so that the journal (and an undo) goes through the posts in a stable order.
        for id in targets.keys.sorted() {
            guard let incoming = targets[id] else { continue }
            let key = Int64(bitPattern: id.rawValue)
            try select.reset()
            try select.bind(key, at: 1)
            var here: MarkRank?
            if try select.step() { here = MarkRank(milliseconds: select.int64(1), isRead: select.int64(0) != 0) }
            try select.reset()
            if let here {
                if here == incoming {
                    result.unchanged += 1
                    continue
                }
                if incoming < here {
                    result.keptNewerHere += 1
                    continue
                }
            }
            result.applied += 1
            if dryRun { continue }
            if group == nil {
                try database.prepare("INSERT INTO undo_group (made_at) VALUES (?)").run(nowMilliseconds)
                group = database.lastInsertRowID
            }
            try journal.run(group, sequence, key, here.map { $0.isRead ? 1 : 0 }, here?.milliseconds)
            try upsert.run(key, incoming.isRead ? 1 : 0, incoming.milliseconds)
            sequence += 1
        }
        if group != nil { try trimJournal() }
    }

    /// Runs `body`, turning SQLite failures into `StoreError`.
    private func storeErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw StoreError(error)
        }
    }
}
