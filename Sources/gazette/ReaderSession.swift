import Configuration
import Controller
import Foundation
import Posts
import ReadState

/// The outside world of the interactive reader: performs the reducer's effects against the store and
/// the archives, and falls back to a read-only mode when the store cannot be written (the archive still
/// opens; nothing pretends to be saved).
final class ReaderSession {
    /// Where post bodies are read from (every archive, also while the rest is still being indexed).
    let bodies: PostBodies
    /// The posts indexed so far, and one of them by id: the run loop's state, once there is a loop.
    var posts: () -> [Post] = { [] }
    var post: (PostID) -> Post? = { _ in nil }
    /// Called when a search is typed (the search index is made from then on).
    var searching: () -> Void = {}
    /// The configuration file `S` appends saved searches to (the one read, else the default location).
    var configPath: String?
    /// The sources the reader lists (for the search's `feed:` and `tag:`).
    var sources: () -> [SourceSummary] = { [] }
    /// The store marks are written to; `nil` in read-only mode.
    let store: ReadStateStore?
    /// Where marks were read from (the writable store, or the same file opened read-only).
    let reader: ReadStateStore?
    let readOnlyReason: String?
    /// Runs the browser (`o`) and the pager (`|`) with the terminal suspended; set once curses is up.
    var external: ExternalPrograms?
    /// Body searches, off the run loop's thread.
    let searches = SearchWorker()
    /// Shown in the status bar at start (a damaged store was moved aside).
    var startNotice: String?
    /// Reads the sources again (`R`); set once there is a loop.
    var reloader: Reloader?
    /// Fetches subscriptions (`nil` when the reader was given paths, or there are none).
    var fetcher: ReaderFetcher?
    /// Syncs with the feed server (`nil` without `set sync`).
    var sync: ReaderSync?
    /// Which sources are a feed server's feeds (by `Post.archiveIndex`): `r` on them syncs.
    var syncedSources: () -> Set<Int> = { [] }

    private init(bodies: PostBodies, store: ReadStateStore?, reader: ReadStateStore?, readOnlyReason: String?) {
        self.bodies = bodies
        self.store = store
        self.reader = reader
        self.readOnlyReason = readOnlyReason
    }

    static func open(statePath: String?, bodies: PostBodies) -> ReaderSession {
        let environment = ProcessInfo.processInfo.environment
        do {
            let location = try StoreLocation.resolve(explicitPath: statePath, environment: environment)
            let (store, notice) = try ReaderStoreOpening.open(location)
            if store.isReadOnly {
                ErrorReport.printWarning("cannot write the state database \(location.path): reading without saving "
                                         + "marks (check the permissions of the file and its directory, or pass --state PATH)")
                return ReaderSession(bodies: bodies, store: nil, reader: store,
                                     readOnlyReason: "\(location.path) cannot be written; marks are not saved")
            }
            let session = ReaderSession(bodies: bodies, store: store, reader: store, readOnlyReason: nil)
            session.startNotice = notice
            return session
        } catch {
            // Printed before the screen is taken over, so it is still there after quitting.
            ErrorReport.printWarning("\(error); reading without saving marks")
            return ReaderSession(bodies: bodies, store: nil, reader: nil, readOnlyReason: "\(error)")
        }
    }

    /// The state to start from: saved marks, the last session's selection and layout (which
    /// `adjustLayout` may change: the configuration file's layout wins).
    /// `posts` are the posts indexed before the first frame; with `indexing` (the fraction done), the rest
    /// follows as `postsIndexed` batches (see `indexed(_:done:)`).
    func initialState(title: String, posts: [Post], indexing: Double? = nil, policy: ReadPolicy,
                      adjustLayout: (LayoutPreferences) -> LayoutPreferences = { $0 }) -> AppState {
        let marks = (try? reader?.readMarks()) ?? [:]
        let layout = (try? reader?.setting("layout")).flatMap { $0.flatMap(LayoutPreferences.init(serialized:)) }
        var selection = 0
        var restore: PostID?
        if let saved = try? reader?.setting("last-selection"), let id = PostID(hex: saved) {
            if let index = posts.firstIndex(where: { $0.id == id }) { selection = index } else { restore = id }
        }
        var state = AppState(title: title, posts: posts, readMarks: marks,
                             selection: selection, readPolicy: policy, layout: adjustLayout(layout ?? .standard),
                             now: Date())
        state.readOnlyReason = readOnlyReason
        if let startNotice { _ = state.reduce(.showStatus(StatusMessage(startNotice, isError: true))) }
        state.indexing = indexing
        if indexing != nil { state.restoreSelection = restore }
        // Which posts are new arrives from the background indexer (it reads the seen set: 100,000 ids).
        if let post = state.selectedPost, let action = perform(.loadPosition(post.id)) { _ = state.reduce(action) }
        return state
    }

    /// Reads the posts earlier sessions saw, on another thread (its own read-only connection to the store):
    /// `nil` when there is no store to read.
    func seenPostsReader() -> (@Sendable () -> SeenBefore)? {
        guard let sqlite = reader as? SQLiteReadStateStore else { return nil }
        let path = sqlite.path
        return { () -> SeenBefore in
            do {
                let seen = try SQLiteReadStateStore(path: path, readOnly: true).seenPosts()
                return seen.map(SeenBefore.some) ?? SeenBefore.none
            } catch {
                return SeenBefore.unavailable
            }
        }
    }

    func recordSeenPosts(_ seen: Set<PostID>) {
        try? store?.setSeenPosts(seen)
    }

    /// What to record as seen after a session that saw `ids` (`fresh`: those not seen before), or `nil` when
    /// nothing changed. (A pure function: the background indexer calls it on its own thread.)
    static func seenPosts(after seenBefore: Set<PostID>?, ids: [PostID], fresh: [PostID]) -> Set<PostID>? {
        guard let seenBefore else { return Set(ids) }
        return fresh.isEmpty ? nil : seenBefore.union(fresh)
    }

    /// Performs an effect of the reducer and reports its result.
    func perform(_ effect: Effect) -> Action? {
        switch effect {
        case .persistRead(let ids, let read):
            guard let store else { return .readStateFailed(message: "Not saved: \(readOnlyReason ?? "no state file")") }
            let now = Date()
            do {
                try store.setRead(ids, read: read, at: now)
                return .readStateSaved(ids: ids, read: read, at: now)
            } catch {
                return .readStateFailed(message: "Not saved: \(error)")
            }
        case .undo:
            guard let store else { return .readStateFailed(message: "Cannot undo: \(readOnlyReason ?? "no state file")") }
            do {
                guard let change = try store.undoLast() else { return .showStatus(StatusMessage("Nothing to undo")) }
                var read: [PostID: Date] = [:]
                var unread: [PostID] = []
                for id in change.postIDs {
                    if let mark = change.marks[id], mark.isRead { read[id] = mark.changedAt } else { unread.append(id) }
                }
                return .readStateRestored(read: read, unread: unread)
            } catch {
                return .readStateFailed(message: "Undo failed: \(error)")
            }
        case .search(let query, _, let typing):
            // On another thread: the results come back through the run loop's background work.
            searching()
            searches.search(query, typing: typing, in: posts(), sources: sources(), bodies: bodies)
            return nil
        case .runSavedSearch(let query):
            searches.runSaved(query, in: posts(), sources: sources(), bodies: bodies)
            return nil
        case .saveSearch(let name, let query):
            guard let configPath else {
                return .showStatus(StatusMessage("No configuration file to save the search in (set XDG_CONFIG_HOME "
                                                 + "or HOME)", isError: true))
            }
            do {
                try SavedSearchFile.append(SavedSearch(name: name, query: query), to: configPath)
                return nil
            } catch {
                return .showStatus(StatusMessage("\(error)", isError: true))
            }
        case .loadPosition(let id):
            guard let position = try? reader?.position(of: id) else { return nil }
            return .positionLoaded(id, block: position.block)
        case .savePosition(let id, let block):
            try? store?.setPosition(block > 0 ? ReadingPosition(block: block) : nil, of: id, at: Date())
            return nil
        case .saveSetting(let key, let value):
            try? store?.setSetting(key, value)
            return nil
        case .openLink(let id, let number):
            guard let post = post(id) else { return nil }
            return external?.openLink(in: post, number: number, library: bodies)
        case .reload:
            // The files first, then every subscription (new posts merged as they come); and the feed server.
            sync?.begin()
            if let fetcher, fetcher.hasSubscriptions {
                reloader?.reload(then: { fetcher.fetch(sources: nil, force: true) })
            } else {
                reloader?.reload()
            }
            return nil
        case .fetch(let sources):
            if let sync, !syncedSources().isDisjoint(with: sources) {
                sync.begin()
                let others = sources.filter { !syncedSources().contains($0) }
                if !others.isEmpty { _ = fetcher?.fetch(sources: others, force: true) }
                return nil
            }
            guard let fetcher, fetcher.fetch(sources: sources, force: true) else {
                // Files (or no subscription among them): read them again.
                reloader?.reload()
                return nil
            }
            return nil
        case .backfill(let source):
            guard let fetcher else {
                return .showStatus(StatusMessage("Only subscriptions have a history to backfill", isError: true))
            }
            return fetcher.backfill(source: source)
        case .pipeToPager(let id):
            guard let post = post(id) else { return nil }
            return external?.page(post, library: bodies)
        case .quit:
            fetcher?.cancel()
            sync?.cancel()
            // What was fetched during the session was seen: not new next time.
            if let arrived = fetcher?.arrivedIDs, !arrived.isEmpty, let store,
               let seen = try? store.seenPosts() {
                try? store.setSeenPosts(seen.union(arrived))
            }
            return nil
        }
    }

    /// Picks up marks another instance saved, so a key never acts on a stale view.
    func refresh() -> Action? {
        guard let reader, (try? reader.hasExternalChanges()) == true, let marks = try? reader.readMarks() else {
            return nil
        }
        return .marksReloaded(marks)
    }
}

/// The posts earlier sessions saw, as read from the store.
enum SeenBefore: Sendable {
    /// No session recorded any yet: nothing is new this time.
    case none
    case some(Set<PostID>)
    /// The store could not be read: nothing is new, and nothing is recorded.
    case unavailable
}
