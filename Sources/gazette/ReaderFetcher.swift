import Catalog
import Configuration
import Controller
import Foundation
import Posts
import ReadState
import Subscriptions
import Synchronization
import TerminalUI
import Updater

/// `r`, `R`, `B` and `set fetch-on-start`: fetches subscriptions (or walks one's history) on another thread while
/// the keys stay live, and hands the run loop the progress, the new posts (merged into the list where they belong)
/// and the sources' last results.
final class ReaderFetcher: BackgroundWork, @unchecked Sendable {
    /// Which subscription each slot (`Post.archiveIndex`) is, and the other way round; replaced after a reload.
    struct Slots: Sendable {
        var subscriptions: [Int: Subscription] = [:]
        var byFeedID: [Int64: Int] = [:]
        var names: [Int: String] = [:]
    }

    private struct Mailbox {
        var running = false
        var progress: FetchProgress?
        var arrived: [Post] = []
        var changed: [Post] = []
        var failures: [Int: String?] = [:]
        /// The fetch touched subscriptions without a slot (new since the start): a reload shows them.
        var needsReload = false
    }

    private let storePath: String
    private let settings: FetchSettings
    private let mailbox = Mutex(Mailbox())
    private let slots: Mutex<Slots>
    private let worker = Mutex<Cancellable?>(nil)
    /// Sources as the sources view shows them; failures updated as fetches end.
    private var summaries: [SourceSummary]
    /// Asked for when a fetch brought subscriptions the list has no slot for.
    var reload: (() -> Void)?
    /// The posts fetched during this session (run loop's thread): they are seen, not new, next time.
    private(set) var arrivedIDs: [PostID] = []

    init(storePath: String, settings: FetchSettings, slots: Slots, summaries: [SourceSummary]) {
        self.storePath = storePath
        self.settings = settings
        self.slots = Mutex(slots)
        self.summaries = summaries
    }

    /// After a reload: the subscriptions' new slots.
    func replaceSlots(_ new: Slots) { slots.withLock { $0 = new } }

    var hasSubscriptions: Bool { slots.withLock { !$0.subscriptions.isEmpty } }

    /// `set fetch-on-start`: fetch once the first frame is up (politely: min-interval applies).
    var fetchOnStart = false

    func start() {
        if fetchOnStart { fetch(sources: nil, force: false) }
    }

    var isActive: Bool {
        mailbox.withLock { $0.running || $0.progress != nil || !$0.arrived.isEmpty || !$0.changed.isEmpty }
    }

    /// Stops a fetch or backfill in flight (quitting).
    func cancel() { worker.withLock { $0?.cancel() } }

    /// Fetches the subscriptions in `sources` (slots), or all of them. Returns false when one is running already.
    @discardableResult
    func fetch(sources: [Int]?, force: Bool) -> Bool {
        let current = slots.withLock { $0 }
        let chosen: [Subscription]
        if let sources {
            chosen = sources.compactMap { current.subscriptions[$0] }
        } else {
            chosen = current.subscriptions.sorted { $0.key < $1.key }.map(\.value)
        }
        guard !chosen.isEmpty, begin(label: "fetching", total: chosen.count) else { return false }
        var updateSettings = settings.updateSettings(force: force)
        updateSettings.lowPriority = true
        // One parser: on two cores the other one is the keys'.
        updateSettings.parsers = 1
        let updater = FeedUpdater(storePath: storePath, settings: updateSettings)
        worker.withLock { $0 = Cancellable(updater.cancel) }
        Thread.detachNewThread { [self] in
            let tally = Tally(reader: try? ItemStore(path: storePath, readOnly: true))
            do {
                try updater.update(chosen) { [self] update, done, total in
                    let (fresh, changed, slotless) = tally.withReader { posts(of: update, reader: $0) }
                    let (newPosts, failed) = tally.add(new: fresh.count, failed: update.failed)
                    // The feed's title, learnt by this fetch, names its posts from now on.
                    let slot = slots.withLock { slots -> Int? in
                        guard let slot = slots.byFeedID[update.feedID] else { return nil }
                        slots.names[slot] = update.name
                        return slot
                    }
                    mailbox.withLock { box in
                        box.arrived += fresh
                        box.changed += changed
                        if slotless { box.needsReload = true }
                        if let slot {
                            if case .failed(let reason) = update.result { box.failures[slot] = reason } else { box.failures[slot] = .some(nil) }
                        }
                        box.progress = FetchProgress(done: done, total: total, newPosts: newPosts, failed: failed,
                                                     finished: false, label: "fetching")
                    }
                }
                let (newPosts, failed) = tally.add(new: 0, failed: false)
                finish(FetchProgress(done: chosen.count, total: chosen.count, newPosts: newPosts, failed: failed,
                                     finished: true, label: "fetching"))
            } catch {
                let (newPosts, _) = tally.add(new: 0, failed: false)
                finish(FetchProgress(done: 0, total: chosen.count, newPosts: newPosts, failed: chosen.count,
                                     finished: true, label: "fetching: \(error)"))
            }
        }
        return true
    }

    /// Walks the history of the subscription in `source`.
    func backfill(source: Int) -> Action? {
        let current = slots.withLock { $0 }
        guard let subscription = current.subscriptions[source] else {
            return .showStatus(StatusMessage("Only subscriptions have a history to backfill", isError: true))
        }
        let name = current.names[source] ?? subscription.url
        let label = "backfilling \(name)"
        guard begin(label: label, total: 0) else {
            return .showStatus(StatusMessage("A fetch is running: backfill when it is done", isError: true))
        }
        let backfiller = Backfiller(storePath: storePath, settings: settings.updateSettings(force: true),
                                    pageLimit: settings.backfillPages, delay: Double(settings.backfillDelay))
        worker.withLock { $0 = Cancellable(backfiller.cancel) }
        Thread.detachNewThread { [self] in
            let reader = try? ItemStore(path: storePath, readOnly: true)
            do {
                let outcome = try backfiller.run(subscription, progress: { [self] state in
                    mailbox.withLock {
                        $0.progress = FetchProgress(done: state.pages, total: 0, newPosts: state.newItems, failed: 0,
                                                    finished: false, label: label)
                    }
                })
                let feedID = current.byFeedID.first(where: { $0.value == source })?.key ?? 0
                let (fresh, _, _) = posts(feedID: feedID, new: outcome.newIDs, changed: [], reader: reader)
                mailbox.withLock { $0.arrived += fresh }
                finish(FetchProgress(done: outcome.state?.pages ?? 0, total: outcome.state?.pages ?? 0,
                                     newPosts: fresh.count, failed: outcome.error == nil ? 0 : 1, finished: true,
                                     label: "\(label): \(outcome.summary)"))
            } catch {
                finish(FetchProgress(done: 0, total: 0, newPosts: 0, failed: 1, finished: true, label: "\(label): \(error)"))
            }
        }
        return nil
    }

    private func begin(label: String, total: Int) -> Bool {
        mailbox.withLock { box in
            guard !box.running else { return false }
            box.running = true
            box.progress = FetchProgress(done: 0, total: total, newPosts: 0, failed: 0, finished: false, label: label)
            return true
        }
    }

    private func finish(_ progress: FetchProgress) {
        worker.withLock { $0 = nil }
        mailbox.withLock { box in
            box.progress = progress
            box.running = false
        }
    }

    /// The new and changed items of `update` as posts of their slot; whether the feed has no slot (yet).
    private func posts(of update: FeedUpdate, reader: ItemStore?) -> ([Post], [Post], Bool) {
        posts(feedID: update.feedID, new: update.newIDs, changed: update.changedIDs, reader: reader)
    }

    private func posts(feedID: Int64, new: [PostID], changed changedIDs: [PostID], reader: ItemStore?) -> ([Post], [Post], Bool) {
        guard !new.isEmpty || !changedIDs.isEmpty else { return ([], [], false) }
        let byFeedID = slots.withLock { $0.byFeedID }
        guard byFeedID[feedID] != nil else { return ([], [], true) }
        guard let reader else { return ([], [], false) }
        let fresh = (try? reader.headlines(ids: new)) ?? []
        let changed = (try? reader.headlines(ids: changedIDs)) ?? []
        return (StoredLibrary.posts(fresh, slots: byFeedID), StoredLibrary.posts(changed, slots: byFeedID), false)
    }

    /// When posts were last handed over: arrivals are merged at most every `batchInterval` (each merge costs a few
    /// milliseconds at 100,000 posts), and at the end.
    private var lastDelivery = DispatchTime(uptimeNanoseconds: 0)
    private static let batchInterval: UInt64 = 100_000_000

    /// On the run loop's thread.
    func takeResults() -> [Action] {
        let now = DispatchTime.now()
        let due = now.uptimeNanoseconds >= lastDelivery.uptimeNanoseconds + Self.batchInterval
        let box = mailbox.withLock { box -> Mailbox in
            let finished = box.progress?.finished == true
            guard due || finished else {
                // Progress now, posts with the next batch.
                var early = Mailbox(running: box.running)
                early.progress = box.progress
                box.progress = nil
                return early
            }
            let taken = box
            box = Mailbox(running: box.running)
            if !finished { box.needsReload = taken.needsReload }
            return taken
        }
        if !box.arrived.isEmpty || !box.changed.isEmpty { lastDelivery = now }
        arrivedIDs += box.arrived.map(\.id)
        var actions: [Action] = []
        if !box.arrived.isEmpty || !box.changed.isEmpty {
            let names = slots.withLock { $0.names }
            actions.append(.postsArrived(ArrivedPosts(posts: box.arrived, changed: box.changed, sourceNames: names)))
        }
        if !box.failures.isEmpty {
            let names = slots.withLock { $0.names }
            for i in summaries.indices {
                if let failure = box.failures[summaries[i].index] { summaries[i].failure = failure }
                if summaries[i].kind == .subscription, let name = names[summaries[i].index] { summaries[i].name = name }
            }
            actions.append(.sourcesChanged(summaries))
        }
        if let progress = box.progress { actions.append(.fetchProgress(progress)) }
        if box.needsReload, box.progress?.finished == true { reload?() }
        return actions
    }

    /// After a reload: the sources as they are now.
    func replaceSummaries(_ new: [SourceSummary]) { summaries = new }
}

/// The fetch thread's counts and its read connection (the updater reports from its writer thread).
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var newPosts = 0
    private var failed = 0
    private let reader: ItemStore?

    init(reader: ItemStore?) { self.reader = reader }

    func add(new: Int, failed isFailure: Bool) -> (Int, Int) {
        lock.withLock {
            newPosts += new
            if isFailure { failed += 1 }
            return (newPosts, failed)
        }
    }

    func withReader<T>(_ body: (ItemStore?) -> T) -> T { lock.withLock { body(reader) } }
}

/// A stop button for whatever runs on the fetch thread.
final class Cancellable: Sendable {
    private let action: @Sendable () -> Void
    init(_ action: @escaping @Sendable () -> Void) { self.action = action }
    func cancel() { action() }
}
