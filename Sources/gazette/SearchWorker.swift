import Controller
import Foundation
import Posts
import Synchronization
import TerminalUI

/// Runs body searches on another thread, so typing in the search line never waits for the archive to be read:
/// a new query cancels the one before it, and only the latest query's matches are handed to the run loop
/// (the reducer also ignores results for a query that is no longer typed).
final class SearchWorker: BackgroundWork, @unchecked Sendable {
    private struct Mailbox {
        var generation = 0
        var running = 0
        var results: [Action] = []
    }

    private let mailbox = Mutex(Mailbox())
    private let queue = DispatchQueue(label: "gazette.search", qos: .userInitiated)
    /// Posts scanned between two looks at whether the query is still wanted.
    static let chunk = 256

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

    /// Starts searching `posts` (or `candidates` among them) for `query`; cancels any search still running.
    func search(_ query: String, in posts: [Post], bodies: PostBodies, among candidates: [Int]?) {
        let generation = mailbox.withLock { box -> Int in
            box.generation += 1
            box.running += 1
            return box.generation
        }
        queue.async { [self] in
            let stillWanted = { self.mailbox.withLock { $0.generation == generation } }
            let matches = PostSearch.matches(of: query, in: posts, bodies: bodies, among: candidates,
                                             every: Self.chunk, stillWanted: stillWanted)
            mailbox.withLock { box in
                box.running -= 1
                if let matches, box.generation == generation {
                    box.results.append(.searchResults(query: query, matches: matches))
                }
            }
        }
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
