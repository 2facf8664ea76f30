import Catalog
import Controller
import Foundation
import Posts
import ReadState
import Synchronization
import TerminalUI
import Updater

/// Keeps the search index up to date while the reader runs: once the archives are read (never before the first
/// frame, never while the archive indexer still works), on a thread of its own at nice 10, only new or changed
/// posts, a batch per transaction. Whenever the posts change (arrivals, `R`), it goes over them again (cheap when
/// nothing changed: one comparison of versions per source). Searches meanwhile scan what is not covered yet.
///
/// Only for people who search: a reader that only reads never pays for an index (building one costs memory and
/// a core for a while). The index is made the first time a search is typed (or `gazette search` runs, or the
/// configuration has saved searches); from then on, since its file exists, every session keeps it up to date.
final class SearchIndexWork: BackgroundWork, @unchecked Sendable {
    private struct Mailbox {
        var running = false
        var notices: [String] = []
        var finished = false
    }

    /// What the reader's state holds now; asked on the run loop's thread. `nil` while the archives are still read.
    typealias Snapshot = () -> (posts: [Post], sources: [SourceSummary])?

    let coverage = SearchCoverage()
    private let mailbox = Mutex(Mailbox())
    private let indexPath: String?
    private let storePath: String?
    private let bodies: PostBodies
    private let snapshot: Snapshot
    /// The posts last handed to the thread (count and ends): a change starts another pass.
    private var handed: PostsFingerprint?
    private var started = false
    /// Whether to keep an index at all: it exists already, the user searched, or saved searches need it.
    var wanted: Bool
    /// Say nothing when no index can be made (the reader is read-only, and says so).
    var quietWhenUnavailable = false
    private var unavailable: String?

    init(indexPath: String?, storePath: String?, bodies: PostBodies, snapshot: @escaping Snapshot) {
        self.indexPath = indexPath
        self.storePath = storePath
        self.bodies = bodies
        self.snapshot = snapshot
        wanted = indexPath.map { FileManager.default.fileExists(atPath: $0) } ?? false
        if indexPath == nil { unavailable = "no place for the search index" }
    }

    func start() { started = true }

    /// Active while a pass runs, notices wait, or the posts changed since the last pass (the loop polls only
    /// active work, so this is how a pass starts after the archives are read, arrivals or `R`).
    var isActive: Bool {
        if mailbox.withLock({ $0.running || !$0.notices.isEmpty }) { return true }
        guard started, wanted, unavailable == nil, let (posts, _) = snapshot() else { return false }
        return PostsFingerprint(posts) != handed
    }

    /// On the run loop's thread: hands a new snapshot to the thread when the posts changed, and passes on notices.
    func takeResults() -> [Action] {
        guard started, unavailable == nil else { return [] }
        let (running, notices) = mailbox.withLock { box -> (Bool, [String]) in
            defer { box.notices = [] }
            return (box.running, box.notices)
        }
        // Without a writable place for the index (the state directory is read-only), the status line already says
        // why nothing is saved: searching scans, quietly.
        let shown = notices.filter { !(quietWhenUnavailable && $0.hasPrefix("no search index")) }
        let actions = shown.map { Action.showStatus(StatusMessage($0, isError: true)) }
        if !running, wanted, let (posts, sources) = snapshot() {
            let fingerprint = PostsFingerprint(posts)
            if fingerprint != handed {
                handed = fingerprint
                begin(posts: posts, sources: sources)
            }
        }
        // No index can be made here: searches scan; do not try again.
        if let notice = notices.first(where: { $0.hasPrefix("no search index") }) { unavailable = notice }
        return actions
    }

    /// Asks for another pass at the next poll (after a reload or arrivals whose posts may have the same ends).
    func postsChanged() { handed = nil }

    private func begin(posts: [Post], sources: [SourceSummary]) {
        mailbox.withLock { $0.running = true }
        let bodies = self.bodies
        let storePath = self.storePath
        guard let indexPath else { return }
        Thread.detachNewThread { [self] in
            ThreadPriority.lower()
            var notices: [String] = []
            do {
                guard SearchIndex.isAvailable else {
                    throw SearchIndexError.unavailable("this system's SQLite has no FTS5")
                }
                let index = try Self.writer(path: indexPath)
                if let notice = index.notice { notices.append(notice) }
                coverage.markReady()
                var versions: [PostID: Int64] = [:]
                if let storePath, sources.contains(where: { $0.kind == .subscription }),
                   let items = try? ItemStore(path: storePath, readOnly: true).itemVersions() {
                    versions.reserveCapacity(items.count)
                    for item in items { versions[item.id] = item.changedAt }
                }
                let catalog = SearchCatalog(posts: posts, sources: sources, itemVersions: versions, bodies: bodies)
                try catalog.update(index, bodies: bodies, coverage: coverage,
                                   batchBytes: SearchCatalog.backgroundBatchBytes)
            } catch let error as SearchIndexError {
                notices.append(error.description)
            } catch {
                notices.append("the search index failed (\(error)); searching reads every post instead")
            }
            mailbox.withLock { box in
                box.running = false
                box.notices += notices
            }
        }
    }

    /// The thread's connection, kept between passes (only that thread uses it).
    nonisolated(unsafe) private static var openWriter: (path: String, index: SearchIndex)?

    private static func writer(path: String) throws -> SearchIndex {
        if let open = openWriter, open.path == path { return open.index }
        let index = try SearchIndex.open(path: path)
        index.limitCache(kilobytes: SearchCatalog.backgroundCacheKilobytes)
        openWriter = (path, index)
        return index
    }
}

/// Enough of a posts array to tell that it changed: its count and the ids at its ends and middle.
struct PostsFingerprint: Hashable {
    var count: Int
    var ids: [PostID]

    init(_ posts: [Post]) {
        count = posts.count
        ids = posts.isEmpty ? [] : [posts[0].id, posts[posts.count / 2].id, posts[posts.count - 1].id]
    }
}
