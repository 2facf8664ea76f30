import Catalog
import Controller
import Foundation
import Posts
import Synchronization
import TerminalUI

/// Indexes the rest of the archives on another thread while the reader runs, and hands the posts to the run loop
/// in batches (`BackgroundWork`): the first screen is drawn from the first few hundred posts, keys work meanwhile,
/// and the status bar shows the progress.
///
/// Everything proportional to the archive happens on the indexing thread: reading and scanning, telling which
/// posts are new, the set of seen posts for the next session. The run loop's thread only appends each batch to
/// its state (through `postsIndexed`) and, once, writes the seen set to the store.
final class BackgroundIndexer: BackgroundWork, @unchecked Sendable {
    /// Bytes indexed between two hand-overs (a few milliseconds of work).
    static let batchBytes = 4 << 20

    private struct Mailbox {
        var posts: [Post] = []
        var newPosts: [PostID] = []
        var warnings: [String] = []
        var progress = 0.0
        var done = false
        var title: String?
        var seen: Set<PostID>?
        var sourceNames: [Int: String] = [:]
        var order: [Int]?
    }

    // Only the indexing thread touches these once `start` was called.
    private let loader: LibraryLoader
    private let readSeen: (@Sendable () -> SeenBefore)?
    private let first: [PostID]
    /// Each post's moment, in the order the posts came (for merging several sources newest first at the end).
    private let firstMoments: [Int64?]

    private let mailbox = Mutex(Mailbox())
    // The run loop's thread.
    private let session: ReaderSession
    private let trace: ReaderTrace?
    private var delivered = false

    /// `first`: the posts indexed before the first frame (the loader may be finished already: then only which
    /// posts are new remains to be found).
    init(loader: LibraryLoader, first: [Post], session: ReaderSession, trace: ReaderTrace?) {
        self.loader = loader
        self.session = session
        self.trace = trace
        self.readSeen = session.seenPostsReader()
        self.first = first.map(\.id)
        self.firstMoments = first.map(PostOrder.moment)
    }

    func start() {
        Thread.detachNewThread { [self] in run() }
    }

    /// On the indexing thread.
    private func run() {
        let seenBefore = readSeen?() ?? .unavailable
        func new(_ ids: [PostID]) -> [PostID] {
            guard case .some(let seen) = seenBefore else { return [] }
            return ids.filter { !seen.contains($0) }
        }
        var ids = first
        var fresh = new(first)
        let total = max(1, loader.totalBytes)
        var posts: [Post] = []
        var newPosts = fresh
        // Several files are merged newest first at the end: only then are the posts' moments needed.
        let merging = loader.fileCount > 1
        var moments = merging ? firstMoments : []
        var namesSent: [Int: String] = [:]
        while true {
            let finished = loader.isFinished
            var seen: Set<PostID>?
            if finished {
                switch seenBefore {
                case .none: seen = ReaderSession.seenPosts(after: nil, ids: ids, fresh: fresh)
                case .some(let before): seen = ReaderSession.seenPosts(after: before, ids: ids, fresh: fresh)
                case .unavailable: seen = nil
                }
            }
            let warnings = loader.takeWarnings()
            let progress = min(1, Double(loader.bytesRead) / Double(total))
            let title = finished ? loader.title : nil
            let names = loader.sourceNames.filter { namesSent[$0.key] != $0.value }
            namesSent.merge(names) { $1 }
            // Several sources: the list is merged newest first once all are read (a source's own order otherwise).
            let order = finished && namesSent.count > 1 ? PostOrder.newestFirstPermutation(moments: moments) : nil
            mailbox.withLock { box in
                box.posts += posts
                box.newPosts += newPosts
                box.warnings += warnings
                box.progress = progress
                box.title = title
                box.seen = seen
                box.done = finished
                box.sourceNames.merge(names) { $1 }
                box.order = order
            }
            if finished { return }
            posts = loader.index(maxBytes: Self.batchBytes)
            if merging { moments += posts.map(PostOrder.moment) }
            let batch = posts.map(\.id)
            newPosts = new(batch)
            ids += batch
            fresh += newPosts
        }
    }

    var isActive: Bool {
        !delivered
    }

    /// On the run loop's thread.
    func takeResults() -> [Action] {
        guard !delivered else { return [] }
        let box = mailbox.withLock { box -> Mailbox in
            let taken = box
            box = Mailbox(progress: box.progress, done: box.done)
            return taken
        }
        var actions: [Action] = []
        if !box.posts.isEmpty || !box.newPosts.isEmpty || box.done {
            actions.append(.postsIndexed(IndexedPosts(posts: box.posts, newPosts: box.newPosts, progress: box.progress,
                                                      done: box.done, title: box.title, sourceNames: box.sourceNames,
                                                      order: box.order)))
        }
        for warning in box.warnings { actions.append(.showStatus(StatusMessage(warning, isError: true))) }
        if box.done {
            delivered = true
            if let seen = box.seen { session.recordSeenPosts(seen) }
            trace?.note("indexed \(loader.postCount)")
        }
        return actions
    }
}
