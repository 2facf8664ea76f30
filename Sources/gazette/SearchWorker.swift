import Catalog
import Controller
import Foundation
import Posts
import ReadState
import Search
import Synchronization
import TerminalUI

/// Runs searches on another thread, so typing in the search line never waits: a new query cancels the one before
/// it, and only the latest query's matches are handed to the run loop (the reducer also ignores results for a
/// query that is no longer typed). Posts the search index covers are looked up in it; the rest (before the index
/// is built, a source it cannot hold) are read and scanned.
final class SearchWorker: BackgroundWork, @unchecked Sendable {
    private struct Mailbox {
        var generation = 0
        var running = 0
        var results: [Action] = []
    }

    private let mailbox = Mutex(Mailbox())
    private let queue = DispatchQueue(label: "gazette.search", qos: .userInitiated)
    /// Where the index is (`nil`: none, always scan) and what it covers (shared with the indexing thread).
    var indexPath: String?
    var coverage: SearchCoverage?

    // The search queue's own.
    private var index: SearchIndex? {
        didSet { interruptible.withLock { $0 = index } }
    }
    /// The same index, for `interrupt()` from the run loop's thread: a keystroke stops the query of the last one.
    private let interruptible = Mutex<SearchIndex?>(nil)
    private var indexFailed = false
    private var catalog: (fingerprint: PostsFingerprint, sources: [SourceSummary], catalog: SearchCatalog)?

    func start() {}

    var isActive: Bool {
        mailbox.withLock { $0.running > 0 || !$0.results.isEmpty }
    }

    func takeResults() -> [Action] {
        mailbox.withLock { box in
            defer { box.results = [] }
            return box.results
        }
    }

    /// Starts searching `posts` for `query` (the text and every filter but `is:read`/`is:unread`, which the
    /// controller applies with its marks); cancels any search still running.
    func search(_ query: String, typing: Bool = true, in posts: [Post], sources: [SourceSummary], bodies: PostBodies) {
        let generation = mailbox.withLock { box -> Int in
            box.generation += 1
            box.running += 1
            return box.generation
        }
        // The query under way answers a query no longer typed: stop it (the index throws `interrupted`).
        interruptible.withLock { $0?.interrupt() }
        queue.async { [self] in
            let stillWanted = { self.mailbox.withLock { $0.generation == generation } }
            let matches = matches(of: SearchQuery.parse(query, typing: typing), in: posts, sources: sources,
                                  bodies: bodies, stillWanted: stillWanted)
            mailbox.withLock { box in
                box.running -= 1
                if let matches, box.generation == generation {
                    box.results.append(.searchResults(query: query, matches: matches))
                }
            }
        }
    }

    /// Runs a saved search (never cancelled: the controller counts on one answer per run, in order).
    func runSaved(_ query: String, in posts: [Post], sources: [SourceSummary], bodies: PostBodies) {
        mailbox.withLock { $0.running += 1 }
        queue.async { [self] in
            // A keystroke's interrupt may land on this query: run it again (it is never unwanted).
            let parsed = SearchQuery.parse(query, typing: false)
            var matches: [Int]?
            for _ in 0..<8 where matches == nil {
                matches = self.matches(of: parsed, in: posts, sources: sources, bodies: bodies, stillWanted: { true })
            }
            mailbox.withLock { box in
                box.running -= 1
                box.results.append(.savedSearchResults(query: query, matches: matches ?? []))
            }
        }
    }

    /// On the search queue.
    private func matches(of query: SearchQuery, in posts: [Post], sources: [SourceSummary], bodies: PostBodies,
                         stillWanted: () -> Bool) -> [Int]? {
        if query.isEmpty { return Array(posts.indices) }
        let fingerprint = PostsFingerprint(posts)
        let current: SearchCatalog
        if let catalog, catalog.fingerprint == fingerprint, catalog.sources == sources {
            current = catalog.catalog
        } else {
            current = SearchCatalog(posts: posts, sources: sources, itemVersions: [:], bodies: bodies)
            catalog = (fingerprint, sources, current)
        }
        return current.matches(query, index: openIndex(), coverage: coverage, bodies: bodies, stillWanted: stillWanted)
    }

    private func openIndex() -> SearchIndex? {
        if let index { return index }
        guard !indexFailed, let indexPath, coverage?.isReady == true else { return nil }
        do {
            index = try SearchIndex.open(path: indexPath)
        } catch {
            indexFailed = true
        }
        return index
    }
}

/// Background work of several kinds, polled by the run loop as one.
final class BackgroundWorks: BackgroundWork {
    private let works: [BackgroundWork]

    init(_ works: [BackgroundWork]) { self.works = works }

    func start() { works.forEach { $0.start() } }
    var isActive: Bool { works.contains { $0.isActive } }
    func takeResults() -> [Action] { works.flatMap { $0.takeResults() } }
}
