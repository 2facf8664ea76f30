import Catalog
import Controller
import Foundation
import Posts
import Synchronization
import TerminalUI

/// `R`: reads the sources again on another thread (keys stay live), then hands every post to the run loop at
/// once, and from then on bodies are read from the new sources.
final class Reloader: BackgroundWork, @unchecked Sendable {
    private let paths: [String]
    /// The subscriptions as they are now (read again at each reload: new subscriptions appear).
    private let stored: (@Sendable () throws -> DefaultSources.Setup?)?
    private let bodies: CurrentBodies
    private let mailbox = Mutex<(running: Bool, result: Result<(ReloadedPosts, SourceBodies, Reloaded), Error>?)>((false, nil))
    /// What else a reload learnt: the subscriptions' slots and every source by slot, for the fetcher and the
    /// sources view (on the run loop's thread; returns actions to take).
    struct Reloaded: Sendable {
        var storedSlots: [Int64: Int]
        var sourcesBySlot: [Int: Source]
        var setup: DefaultSources.Setup?
    }
    var onReloaded: ((Reloaded) -> [Action])?
    /// Run once after the next reload (`R`: fetch every subscription once the files are read again).
    private var then: (() -> Void)?

    init(paths: [String], stored: (@Sendable () throws -> DefaultSources.Setup?)? = nil, bodies: CurrentBodies) {
        self.paths = paths
        self.stored = stored
        self.bodies = bodies
    }

    func start() {}

    var isActive: Bool { mailbox.withLock { $0.running || $0.result != nil } }

    /// Starts reading the sources again, unless that is already going on; `then` runs (on the run loop's thread)
    /// once the posts were handed over.
    func reload(then: (() -> Void)? = nil) {
        if let then { self.then = then }
        let started = mailbox.withLock { box -> Bool in
            guard !box.running else { return false }
            box.running = true
            return true
        }
        guard started else { return }
        let paths = self.paths
        let stored = self.stored
        guard !paths.contains(StandardInput.path) else {
            mailbox.withLock { $0 = (false, .failure(ReloadError.standardInput)) }
            return
        }
        Thread.detachNewThread { [self] in
            let result = Result { () -> (ReloadedPosts, SourceBodies, Reloaded) in
                let setup = try stored?()
                let library = try Library.load(paths: paths, stored: setup?.library)
                var names: [Int: String] = [:]
                for post in library.posts where names[post.archiveIndex] == nil {
                    names[post.archiveIndex] = library.sourceName(of: post)
                }
                return (ReloadedPosts(posts: library.posts, sourceNames: names, title: library.title,
                                      warnings: library.warnings), library.bodies,
                        Reloaded(storedSlots: library.storedSlots, sourcesBySlot: library.sourcesBySlot, setup: setup))
            }
            mailbox.withLock { $0 = (false, result) }
        }
    }

    /// On the run loop's thread: the new posts (and from now on, their bodies).
    func takeResults() -> [Action] {
        guard let result = mailbox.withLock({ box -> Result<(ReloadedPosts, SourceBodies, Reloaded), Error>? in
            defer { box.result = nil }
            return box.result
        }) else { return [] }
        let next = then
        then = nil
        defer { next?() }
        switch result {
        case .success(let (posts, sources, reloaded)):
            bodies.current = sources
            return [.postsReloaded(posts)] + (onReloaded?(reloaded) ?? [])
        case .failure(let error):
            return [.showStatus(StatusMessage("Not reloaded: \(error)", isError: true))]
        }
    }
}

private enum ReloadError: Error, CustomStringConvertible {
    case standardInput
    var description: String { "standard input cannot be read again" }
}

/// The bodies the reader shows: those of the sources as loaded at start, then as reloaded (`R`).
final class CurrentBodies: PostBodies, @unchecked Sendable {
    private let lock = Mutex<PostBodies>(EmptyBodies())

    init(_ bodies: PostBodies) {
        current = bodies
    }

    var current: PostBodies {
        get { lock.withLock { $0 } }
        set { lock.withLock { $0 = newValue } }
    }

    func body(of post: Post) -> PostBody { current.body(of: post) }
    func bodyText(of post: Post) -> String { current.bodyText(of: post) }
    func sourceName(of post: Post) -> String? { current.sourceName(of: post) }
    func details(of post: Post) -> PostDetails? { current.details(of: post) }
}

/// No bodies at all.
private struct EmptyBodies: PostBodies {
    func body(of post: Post) -> PostBody { .empty }
    func bodyText(of post: Post) -> String { "" }
    func sourceName(of post: Post) -> String? { nil }
    func details(of post: Post) -> PostDetails? { nil }
}
