import Controller
import Foundation
import Posts
import ReadState

/// The outside world of the interactive reader: performs the reducer's effects against the store and
/// the archives, and falls back to a read-only mode when the store cannot be written (the archive still
/// opens; nothing pretends to be saved).
final class ReaderSession {
    let library: Library
    /// The store marks are written to; `nil` in read-only mode.
    let store: ReadStateStore?
    /// Where marks were read from (the writable store, or the same file opened read-only).
    let reader: ReadStateStore?
    let readOnlyReason: String?

    private init(library: Library, store: ReadStateStore?, reader: ReadStateStore?, readOnlyReason: String?) {
        self.library = library
        self.store = store
        self.reader = reader
        self.readOnlyReason = readOnlyReason
    }

    static func open(statePath: String?, library: Library) -> ReaderSession {
        let environment = ProcessInfo.processInfo.environment
        do {
            let location = try StoreLocation.resolve(explicitPath: statePath, environment: environment)
            let store = try SQLiteReadStateStore(location: location)
            if store.isReadOnly {
                return ReaderSession(library: library, store: nil, reader: store,
                                     readOnlyReason: "\(location.path) cannot be written; marks are not saved")
            }
            return ReaderSession(library: library, store: store, reader: store, readOnlyReason: nil)
        } catch {
            return ReaderSession(library: library, store: nil, reader: nil, readOnlyReason: "\(error)")
        }
    }

    /// The state to start from: saved marks, the last session's selection and layout.
    func initialState(policy: ReadPolicy) -> AppState {
        let marks = (try? reader?.readMarks()) ?? [:]
        let layout = (try? reader?.setting("layout")).flatMap { $0.flatMap(LayoutPreferences.init(serialized:)) }
        var selection = 0
        if let saved = try? reader?.setting("last-selection"), let id = PostID(hex: saved),
           let index = library.posts.firstIndex(where: { $0.id == id }) {
            selection = index
        }
        var state = AppState(title: library.displayTitle, posts: library.posts, readMarks: marks,
                             selection: selection, readPolicy: policy, layout: layout ?? .standard, now: Date())
        state.readOnlyReason = readOnlyReason
        state.newPosts = recordSeenPosts()
        if let post = state.selectedPost, let action = perform(.loadPosition(post.id)) { _ = state.reduce(action) }
        return state
    }

    /// The posts no earlier session saw (none on the very first session: then nothing is "new"), and
    /// records this session's posts as seen for the next one.
    private func recordSeenPosts() -> Set<PostID> {
        guard let reader else { return [] }
        let current = Set(library.posts.map(\.id))
        guard let previous = try? reader.seenPosts() else {
            try? store?.setSeenPosts(current)
            return []
        }
        let fresh = current.subtracting(previous)
        if !fresh.isEmpty { try? store?.setSeenPosts(previous.union(fresh)) }
        return fresh
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
        case .search(let query, let candidates):
            return .searchResults(query: query, matches: PostSearch.matches(of: query, in: library, among: candidates))
        case .loadPosition(let id):
            guard let position = try? reader?.position(of: id) else { return nil }
            return .positionLoaded(id, block: position.block)
        case .savePosition(let id, let block):
            try? store?.setPosition(block > 0 ? ReadingPosition(block: block) : nil, of: id, at: Date())
            return nil
        case .saveSetting(let key, let value):
            try? store?.setSetting(key, value)
            return nil
        case .quit:
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

extension Library {
    /// The title line's text: the archive's own title, or how many archives are open.
    var displayTitle: String {
        archives.count == 1 ? archives[0].title : "\(archives.count) archives"
    }
}
