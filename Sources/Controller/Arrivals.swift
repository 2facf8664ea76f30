import Posts

/// How far a fetch (or a backfill) has come, reported by the run loop while it works.
public struct FetchProgress: Hashable, Sendable {
    /// Feeds (or pages) done, of `total` (0 when not known).
    public var done: Int
    public var total: Int
    /// Posts that were not in the store before.
    public var newPosts: Int
    /// Feeds (or pages) that failed.
    public var failed: Int
    /// True with the last report.
    public var finished: Bool
    /// `fetching`, or `backfilling NAME`.
    public var label: String

    public init(done: Int, total: Int, newPosts: Int = 0, failed: Int = 0, finished: Bool = false,
                label: String = "fetching") {
        self.done = done
        self.total = total
        self.newPosts = newPosts
        self.failed = failed
        self.finished = finished
        self.label = label
    }

    /// The status bar's text while it runs: `fetching 37/120 · 12 new · 2 failed`.
    public var runningText: String {
        var text = label + (total > 0 ? " \(done)/\(total)" : " \(done)")
        text += " · \(newPosts) new"
        if failed > 0 { text += " · \(failed) failed" }
        return text
    }

    /// The message once it is done: `Fetched 120 feeds: 12 new · 2 failed` (`Backfilled NAME: 40 new`).
    public var finishedText: String {
        var text: String
        if label.hasPrefix("backfilling ") {
            text = "Backfilled \(label.dropFirst("backfilling ".count)): \(newPosts) new"
        } else {
            text = "Fetched \(total) feed\(total == 1 ? "" : "s"): \(newPosts) new"
        }
        if failed > 0 { text += " · \(failed) failed" }
        return text
    }

    /// A finished fetch is an error only when nothing succeeded; one failing feed among many is news, not an alarm
    /// (the sources view marks it).
    public var finishedInError: Bool { failed > 0 && failed >= total }
}

/// Posts a fetch brought: new ones, and stored ones whose title or content changed.
public struct ArrivedPosts: Hashable, Sendable {
    /// Posts not listed before.
    public var posts: [Post]
    /// Posts listed before (same id and source) with new contents: they replace them where they are.
    public var changed: [Post]
    /// Names of sources, by `Post.archiveIndex` (for sources that had no posts before).
    public var sourceNames: [Int: String]

    public init(posts: [Post], changed: [Post] = [], sourceNames: [Int: String] = [:]) {
        self.posts = posts
        self.changed = changed
        self.sourceNames = sourceNames
    }
}

/// The list's order, as `Catalog.PostOrder` makes it: newest first by a feed item's moment, else the start of an
/// archive post's day (UTC); posts without a date after those with one.
enum ListOrder {
    static func moment(_ post: Post) -> Int64? {
        if let timestamp = post.timestamp { return timestamp }
        guard let date = post.date else { return nil }
        let y = date.month <= 2 ? date.year - 1 : date.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = date.month + (date.month > 2 ? -3 : 9)
        let dayOfYear = (153 * m + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era * 146_097 + dayOfEra - 719_468) * 86_400
    }

    /// Whether a new post with moment `new` goes above a listed post with moment `listed` (ties: below).
    static func goesAbove(_ new: Int64?, _ listed: Int64?) -> Bool {
        guard let new else { return false }
        guard let listed else { return true }
        return new > listed
    }
}

extension AppState {
    /// Merges fetched posts into the list. New posts go where their date puts them among the listed ones (which
    /// keep their order), unread and counted as new; the selected post stays selected on the same screen row, and
    /// the article keeps its scroll position. O(listed + new log new): one pass over the list, no re-sort.
    ///
    /// While the first indexing still runs, arrivals wait for it (its last batch reorders the list by indices).
    mutating func arrive(_ arrived: ArrivedPosts) -> [Effect] {
        if indexing != nil {
            pendingArrivals.append(arrived)
            return []
        }
        var touched = false
        if arrived.sourceNames.contains(where: { sourceNames[$0.key] != $0.value }) {
            sourceNames.merge(arrived.sourceNames) { $1 }
            touched = true
        }

        // Posts already listed from the same source are replaced where they are; the rest are new.
        var fresh: [Post] = []
        struct Entry: Hashable { var id: PostID; var source: Int }
        var seen = Set<Entry>()
        for post in arrived.changed + arrived.posts where seen.insert(Entry(id: post.id, source: post.archiveIndex)).inserted {
            if let index = listedIndex(of: post) {
                replace(at: index, with: post)
                touched = true
            } else {
                fresh.append(post)
            }
        }
        guard !fresh.isEmpty else {
            if touched { generation += 1 }
            return touched ? rerunSavedSearches() : []
        }
        generation += 1
        insert(fresh)
        // The saved searches followed their posts; the new ones may match too.
        return rerunSavedSearches()
    }

    /// Where `post` (its id, from its source) is listed.
    private func listedIndex(of post: Post) -> Int? {
        guard let first = firstIndex[post.id] else { return nil }
        if posts[first].archiveIndex == post.archiveIndex { return first }
        return duplicates[post.id]?.first { posts[$0].archiveIndex == post.archiveIndex }
    }

    /// Puts new contents in place: the position, the mark and the counts stay (moved to another source if it did).
    private mutating func replace(at index: Int, with post: Post) {
        let old = posts[index].archiveIndex
        if old != post.archiveIndex {
            let unread = unreadBits[index]
            sourceCounts.add(old, unread: unread, total: -1)
            sourceCounts.add(post.archiveIndex, unread: unread)
        }
        posts[index] = post
        postSources[index] = Int32(clamping: post.archiveIndex)
    }

    /// Merges `fresh` (none of them listed from its source) into the list.
    private mutating func insert(_ incoming: [Post]) {
        let n = posts.count
        // The new posts newest first among themselves (ties in the order they came).
        let moments = incoming.map(ListOrder.moment)
        let order = incoming.indices.sorted { a, b in
            switch (moments[a], moments[b]) {
            case let (x?, y?): return x != y ? x > y : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        let fresh = order.map { incoming[$0] }
        let freshMoments = order.map { moments[$0] }
        let k = fresh.count

        // `above[j]`: how many listed posts stay above new post j (non-decreasing in j).
        var above = [Int](repeating: n, count: k)
        var j = 0
        var i = 0
        while j < k && i < n {
            let listed = ListOrder.moment(posts[i])
            while j < k && ListOrder.goesAbove(freshMoments[j], listed) {
                above[j] = i
                j += 1
            }
            i += 1
        }
        // Where listed post `i` goes: below every new post placed above it.
        func shifted(_ i: Int) -> Int {
            var lo = 0, hi = k
            while lo < hi {
                let mid = (lo + hi) / 2
                if above[mid] <= i { lo = mid + 1 } else { hi = mid }
            }
            return i + lo
        }
        let freshIndex = (0..<k).map { above[$0] + $0 }

        // The posts: merged in place from the end. Listed posts move in runs (memmove: no copies, no reference
        // counting); the gap between the moved part and the rest holds exactly the new posts still to place.
        posts.append(contentsOf: fresh)
        posts.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            (base + n).deinitialize(count: k)
            var write = n + k - 1
            var i = n - 1
            var j = k - 1
            while j >= 0 {
                let run = i - above[j] + 1
                if run > 0 {
                    (base + write - run + 1).moveInitialize(from: base + i - run + 1, count: run)
                    write -= run
                    i -= run
                }
                (base + write).initialize(to: fresh[j])
                write -= 1
                j -= 1
            }
        }

        // Unread bits and sources, in the new order.
        var bits = PostBits()
        var sources: [Int32] = []
        sources.reserveCapacity(n + k)
        var next = 0
        var old = 0
        var freshUnread: [Bool] = []
        freshUnread.reserveCapacity(k)
        for p in 0..<(n + k) {
            if next < k && freshIndex[next] == p {
                let unread = readMarks[fresh[next].id] == nil
                bits.append(unread)
                sources.append(Int32(clamping: fresh[next].archiveIndex))
                freshUnread.append(unread)
                next += 1
            } else {
                bits.append(unreadBits[old])
                sources.append(postSources[old])
                old += 1
            }
        }
        unreadBits = bits
        postSources = sources

        // Indices into `posts`, moved.
        firstIndex = firstIndex.mapValues(shifted)
        duplicates = duplicates.mapValues { $0.map(shifted) }
        for (j, post) in fresh.enumerated() {
            if firstIndex[post.id] == nil {
                firstIndex[post.id] = freshIndex[j]
            } else {
                duplicates[post.id, default: []].append(freshIndex[j])
            }
            sourceCounts.add(post.archiveIndex, unread: freshUnread[j])
            if freshUnread[j] { unreadCount += 1 }
            newPosts.insert(post.id)
        }
        searchMatches = searchMatches?.map(shifted)
        moveSavedSearches(shifted)
        if let saved = search?.savedSelection { search?.savedSelection = shifted(saved) }

        // The rows: the listed ones moved, the new ones that the view shows merged in (a search covers the posts
        // that were there when it was typed). The selected post keeps its screen row.
        guard let shown = rows else {
            let before = selection
            selection = n == 0 ? 0 : shifted(selection)
            listTop += selection - before
            keepSelectionVisible()
            return
        }
        var taken: [Int] = []
        if search == nil {
            for (j, index) in freshIndex.enumerated() where inScope(at: index) && (filter == .all || freshUnread[j]) {
                taken.append(index)
            }
        }
        var merged: [Int] = []
        merged.reserveCapacity(shown.count + taken.count)
        var t = 0
        var newSelection = selection
        for (row, index) in shown.enumerated() {
            let moved = shifted(index)
            while t < taken.count && taken[t] < moved {
                merged.append(taken[t])
                t += 1
            }
            if row == selection { newSelection = merged.count }
            merged.append(moved)
        }
        merged += taken[t...]
        rows = merged
        if shown.isEmpty { newSelection = 0 }
        listTop += newSelection - selection
        selection = newSelection
        keepSelectionVisible()
    }

    /// Arrivals held back while the first indexing ran.
    mutating func takePendingArrivals() -> [Effect] {
        let waiting = pendingArrivals
        pendingArrivals = []
        return waiting.flatMap { arrive($0) }
    }
}
