import Posts
import Search

/// A search kept under a name (`set search "Korea unread" "korea is:unread"` in the configuration, or `S` in the
/// reader): a source of its own in the sources view, with its unread and total posts.
public struct SavedQuery: Hashable, Sendable {
    public var name: String
    public var query: String

    public init(name: String, query: String) {
        self.name = name
        self.query = query
    }
}

/// The read state a query asks for (`is:unread`, `is:read`, `-is:read`, `-is:unread`). The search worker leaves
/// it out, so that it is tested against the unread bits the controller keeps, at once and as marks change.
enum ReadCondition: Hashable, Sendable {
    case any
    case unread
    case read
    /// Both asked for: nothing matches.
    case nothing

    init(_ query: SearchQuery) {
        var unread = false, read = false
        for filter in query.filters {
            if filter == .unread { unread = true }
            if filter == .read { read = true }
        }
        for filter in query.excludedFilters {
            if filter == .unread { read = true }
            if filter == .read { unread = true }
        }
        switch (unread, read) {
        case (true, true): self = .nothing
        case (true, false): self = .unread
        case (false, true): self = .read
        case (false, false): self = .any
        }
    }

    func accepts(unread: Bool) -> Bool {
        switch self {
        case .any: true
        case .unread: unread
        case .read: !unread
        case .nothing: false
        }
    }
}

/// A saved search and what it found: the posts that match its text and filters (all but the read state), and how
/// many of them are unread, kept as marks change.
struct SavedSearchState: Hashable, Sendable {
    var saved: SavedQuery
    var condition: ReadCondition
    var problem: String?
    /// Indices into `posts`, ascending; `nil` until the first answer.
    var matches: [Int]?
    /// How many of `matches` are unread.
    var matchedUnread = 0

    init(_ saved: SavedQuery) {
        self.saved = saved
        let parsed = SearchQuery.parse(saved.query, typing: false)
        condition = ReadCondition(parsed)
        problem = parsed.problems.first
    }

    /// Unread and total posts, as its query asks for them; `nil` while they are being found.
    var counts: PostCounts? {
        guard let matches else { return nil }
        switch condition {
        case .any: return PostCounts(unread: matchedUnread, total: matches.count)
        case .unread: return PostCounts(unread: matchedUnread, total: matchedUnread)
        case .read: return PostCounts(unread: 0, total: matches.count - matchedUnread)
        case .nothing: return PostCounts()
        }
    }

    func contains(_ index: Int) -> Bool {
        guard let matches else { return false }
        var lo = 0, hi = matches.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if matches[mid] < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < matches.count && matches[lo] == index
    }
}

extension AppState {
    // MARK: - What the views show

    /// The saved searches, in the configuration's order (then those saved with `S`).
    public var savedSearches: [SavedQuery] { savedSearchStates.map(\.saved) }

    /// Unread and total posts of saved search number `index` (of `savedSearches`); `nil` while its posts are being
    /// found (the first time, or after the posts were read again).
    public func counts(ofSavedSearch index: Int) -> PostCounts? {
        index >= 0 && index < savedSearchStates.count ? savedSearchStates[index].counts : nil
    }

    /// What is wrong in saved search number `index`'s query (`after:yesterday`), if anything.
    public func problem(ofSavedSearch index: Int) -> String? {
        index >= 0 && index < savedSearchStates.count ? savedSearchStates[index].problem : nil
    }

    /// In the sources view, the selected saved search (its rows follow the sources').
    public var selectedSavedSearch: SavedQuery? {
        guard listMode == .sources else { return nil }
        let row = pickerSelection - listedSources.count
        return row >= 0 && row < savedSearchStates.count ? savedSearchStates[row].saved : nil
    }

    /// The index (into `savedSearches`) of the saved search called `name`.
    func savedSearchIndex(named name: String) -> Int? {
        savedSearchStates.firstIndex { $0.saved.name == name }
    }

    // MARK: - The list and its answers

    /// Takes the configuration's saved searches. Those whose query was already found keep their matches; the
    /// others are run.
    mutating func setSavedSearches(_ list: [SavedQuery]) -> [Effect] {
        var byName: [String: Int] = [:]
        var new: [SavedSearchState] = []
        for saved in list {
            // A second one with the same name replaces the first, as in the configuration file.
            if let at = byName[saved.name] { new[at] = SavedSearchState(saved); continue }
            byName[saved.name] = new.count
            new.append(SavedSearchState(saved))
        }
        for i in new.indices {
            if let old = savedSearchStates.first(where: { $0.saved.query == new[i].saved.query && $0.matches != nil }) {
                new[i].matches = old.matches
                new[i].matchedUnread = old.matchedUnread
            }
        }
        savedSearchStates = new
        var effects: [Effect] = []
        var asked = Set<String>()
        for state in new where state.matches == nil && asked.insert(state.saved.query).inserted {
            effects.append(.runSavedSearch(query: state.saved.query))
        }
        if listMode == .sources { selectPicker(pickerSelection) }
        if case .savedSearch(let name)? = scope {
            if savedSearchIndex(named: name) == nil { return effects + leaveScope() }
            effects += refreshSavedScope()
        }
        return effects
    }

    /// The worker's answer for a saved query. While later runs of it are still to come (the posts changed since it
    /// was asked), it is left for the last one.
    mutating func takeSavedSearchResults(query: String, matches: [Int]) -> [Effect] {
        let waiting = savedSearchRuns[query] ?? 0
        if waiting > 1 {
            savedSearchRuns[query] = waiting - 1
            return []
        }
        savedSearchRuns[query] = nil
        var clean = matches.filter { $0 >= 0 && $0 < posts.count }
        if zip(clean, clean.dropFirst()).contains(where: { $0 >= $1 }) { clean = Array(Set(clean)).sorted() }
        var unread = 0
        for index in clean where unreadBits[index] { unread += 1 }
        var touched = false
        for i in savedSearchStates.indices where savedSearchStates[i].saved.query == query {
            savedSearchStates[i].matches = clean
            savedSearchStates[i].matchedUnread = unread
            if case .savedSearch(let name)? = scope, name == savedSearchStates[i].saved.name { touched = true }
        }
        return touched ? refreshSavedScope() : []
    }

    /// Runs every saved search again (the posts changed).
    func rerunSavedSearches() -> [Effect] {
        var asked = Set<String>()
        return savedSearchStates.compactMap { state in
            asked.insert(state.saved.query).inserted ? .runSavedSearch(query: state.saved.query) : nil
        }
    }

    /// Counts the runs asked for in `effects` (each query once per action), so that only the last answer is taken.
    mutating func countSavedSearchRuns(_ effects: [Effect]) -> [Effect] {
        var asked = Set<String>()
        return effects.filter { effect in
            guard case .runSavedSearch(let query) = effect else { return true }
            guard asked.insert(query).inserted else { return false }
            savedSearchRuns[query, default: 0] += 1
            return true
        }
    }

    // MARK: - Keeping the counts

    /// `posts[index]` became unread (or read): the saved searches that match it count it.
    mutating func savedSearchesChanged(at index: Int, unread: Bool) {
        for i in savedSearchStates.indices where savedSearchStates[i].contains(index) {
            savedSearchStates[i].matchedUnread += unread ? 1 : -1
        }
    }

    /// Counts the unread matches again (the marks were replaced).
    mutating func recountSavedSearches() {
        for i in savedSearchStates.indices {
            guard let matches = savedSearchStates[i].matches else { continue }
            var unread = 0
            for index in matches where index < unreadBits.count && unreadBits[index] { unread += 1 }
            savedSearchStates[i].matchedUnread = unread
        }
    }

    /// The posts moved (fetched ones merged in, `moved` ascending): the matches follow them.
    mutating func moveSavedSearches(_ moved: (Int) -> Int) {
        for i in savedSearchStates.indices {
            savedSearchStates[i].matches = savedSearchStates[i].matches?.map(moved)
        }
        if let matches = scopeMatchList { scopeMatches = PostBits(count: posts.count, setting: matches) }
    }

    /// The posts were replaced (read again, or merged in their final order): the matches follow their posts by
    /// id until the searches answer again.
    mutating func moveSavedSearches(from old: [Post]) {
        for i in savedSearchStates.indices {
            guard let matches = savedSearchStates[i].matches else { continue }
            var moved: [Int] = []
            moved.reserveCapacity(matches.count)
            for index in matches where index < old.count {
                if let now = firstIndex[old[index].id] { moved.append(now) }
            }
            savedSearchStates[i].matches = Array(Set(moved)).sorted()
        }
        recountSavedSearches()
        if let matches = scopeMatchList { scopeMatches = PostBits(count: posts.count, setting: matches) }
    }

    /// The matches of the saved search the list is narrowed to.
    var scopeMatchList: [Int]? {
        guard case .savedSearch(let name)? = scope, let index = savedSearchIndex(named: name) else { return nil }
        return savedSearchStates[index].matches ?? []
    }

    /// The saved search the list shows answered again: its rows follow, on the same post when it is still listed.
    mutating func refreshSavedScope() -> [Effect] {
        guard case .savedSearch(let name)? = scope, let index = savedSearchIndex(named: name) else { return [] }
        scopeMatches = PostBits(count: posts.count, setting: savedSearchStates[index].matches ?? [])
        scopeCondition = savedSearchStates[index].condition
        return rebuildRows()
    }

    // MARK: - S

    /// Saves the search typed (`S`): a source of its own in the sources view, and a `set search` line in the
    /// configuration file (`Effect.saveSearch`).
    mutating func saveSearch() -> [Effect] {
        guard let current = search, !current.query.allSatisfy(\.isWhitespace) else {
            status = StatusMessage("S saves the current search: type / first")
            return []
        }
        var effects: [Effect] = []
        if current.editing { effects = finishEditing() }
        let query = current.query.trimmingWhitespace
        if let same = savedSearchStates.first(where: { $0.saved.query == query }) {
            status = StatusMessage("Already saved as \"\(same.saved.name)\": s lists it with the sources")
            return effects
        }
        // The query is the name; one that another saved search has already gets a number.
        var name = query
        var number = 2
        while savedSearchIndex(named: name) != nil {
            name = "\(query) (\(number))"
            number += 1
        }
        savedSearchStates.append(SavedSearchState(SavedQuery(name: name, query: query)))
        status = StatusMessage("Saved search \"\(name)\": s lists it with the sources")
        return effects + [.saveSearch(name: name, query: query), .runSavedSearch(query: query)]
    }
}

extension String {
    /// Without spaces at either end.
    var trimmingWhitespace: String {
        var text = self[...]
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
