import Catalog
import Dispatch
import Feeds
import Fetching
import Foundation
import Posts
import ReadState
import Subscriptions

/// How subscriptions are fetched: the HTTP engine's options and the politeness rules.
public struct UpdateSettings: Sendable {
    public var fetch: FetchOptions
    /// Seconds: a feed fetched less than this long ago is not fetched again unless forced.
    public var minInterval: Int
    /// `--force`: fetch even within `minInterval` or a `Cache-Control: max-age` (never past a `Retry-After`).
    public var force: Bool
    /// Delete items read more than this many days ago after fetching; `nil`: never.
    public var keepReadDays: Int?
    /// The reader fetches while keys are pressed: every thread of the fetch runs at a lower priority (nice 10), so
    /// that on a machine with few cores the keys get the processor first.
    public var lowPriority = false
    /// Feeds parsed at once (the reader uses one: a core stays free for the keys).
    public var parsers = 2

    public init(fetch: FetchOptions = FetchOptions(), minInterval: Int = 900, force: Bool = false, keepReadDays: Int? = nil) {
        self.fetch = fetch
        self.minInterval = minInterval
        self.force = force
        self.keepReadDays = keepReadDays
    }
}

/// What became of one subscription in an update.
public struct FeedUpdate: Sendable {
    public enum Result: Hashable, Sendable {
        /// Fetched and stored (`new` items not stored before, `changed` ones updated).
        case fetched(new: Int, changed: Int)
        /// 304: nothing changed (no parsing).
        case notModified
        /// Not fetched, and why (`fetched 3 minutes ago`); not a failure.
        case skipped(String)
        /// The one line to show (`HTTP 404 Not Found`, `timed out after 10 s while connecting`).
        case failed(String)
    }

    public var subscription: Subscription
    public var feedID: Int64
    /// The display name: the urls file's, else the feed's title, else its URL.
    public var name: String
    public var result: Result
    /// The ids of the new and changed items.
    public var newIDs: [PostID]
    public var changedIDs: [PostID]
    /// A permanent redirect: the URL the feed is fetched from now on (the urls file should say so).
    public var movedTo: String?
    /// Something the user should hear about even when it worked (`moved permanently to …`, `gone (410)`).
    public var notice: String?

    public var failed: Bool {
        if case .failed = result { return true }
        return false
    }
}

/// Fetches subscriptions and keeps their items in the store: conditional GETs, politeness, one failure never
/// stopping the others. Fetching runs libcurl on the calling thread; parsing runs on up to two other threads and
/// writing on one more, so the transfers never wait for the parser or the disk.
public final class FeedUpdater: @unchecked Sendable {
    public let storePath: String
    public let settings: UpdateSettings
    private let lock = NSLock()
    private var fetcher: Fetcher?
    private var cancelled = false

    public init(storePath: String, settings: UpdateSettings) {
        self.storePath = storePath
        self.settings = settings
    }

    /// Stops an update soon (thread-safe): transfers in flight are abandoned, what was stored stays.
    public func cancel() {
        lock.withLock {
            cancelled = true
            fetcher?.cancel()
        }
    }

    /// The display name of a subscription: its `~name`, else the stored title, else the URL.
    public static func name(of subscription: Subscription, state: FeedState?) -> String {
        if let name = subscription.name, !name.isEmpty { return name }
        if let title = state?.title, !title.isEmpty { return title }
        return subscription.url
    }

    /// Fetches `subscriptions` (each one's row is made when missing), stores what changed, and reports each as it
    /// completes (`progress(update, done, total)`, on one thread, in completion order). Throws only when the store
    /// cannot be opened or libcurl cannot be loaded.
    @discardableResult
    public func update(_ subscriptions: [Subscription], now: @escaping @Sendable () -> Date = Date.init,
                       progress: @escaping @Sendable (FeedUpdate, _ done: Int, _ total: Int) -> Void) throws -> [FeedUpdate] {
        let store = try ItemStore(path: storePath)
        // One read for every row; a write only for subscriptions never seen before.
        var states = Dictionary(try store.feedRows().map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        for subscription in subscriptions where states[subscription.url] == nil {
            let id = try store.addFeed(url: subscription.url)
            states[subscription.url] = try store.feed(url: subscription.url) ?? FeedState(id: id, url: subscription.url)
        }
        let total = subscriptions.count
        let results = Results(total: total, progress: progress)
        let writer = DispatchQueue(label: "gazette.store-writer")
        let parsers = DispatchQueue(label: "gazette.parsers", attributes: .concurrent)
        let parseSlots = DispatchSemaphore(value: max(1, settings.parsers))
        let group = DispatchGroup()

        var requests: [FetchRequest] = []
        for (i, subscription) in subscriptions.enumerated() {
            let state = states[subscription.url]!
            if let reason = skipReason(state, now: now()) {
                results.add(FeedUpdate(subscription: subscription, feedID: state.id,
                                       name: Self.name(of: subscription, state: state), result: .skipped(reason),
                                       newIDs: [], changedIDs: []))
                continue
            }
            requests.append(FetchRequest(url: state.url, etag: state.etag, lastModified: state.lastModified, tag: i))
        }
        guard !requests.isEmpty, !lock.withLock({ cancelled }) else { return results.all }

        let fetcher = try Fetcher(options: settings.fetch)
        lock.withLock { self.fetcher = fetcher }
        defer { lock.withLock { self.fetcher = nil } }
        let lowPriority = settings.lowPriority
        if lowPriority { ThreadPriority.lower() }
        // The writer's own connection: the store is not shared between threads.
        let writeStore = WriteStore(path: storePath)
        fetcher.run(requests) { response in
            let subscription = subscriptions[response.request.tag]
            let state = states[subscription.url]!
            let at = now()
            group.enter()
            // Parse on a parser thread (at most two at once), then write on the writer's.
            parseSlots.wait()
            parsers.async {
                if lowPriority { ThreadPriority.lower() }
                let parsed = Self.interpret(response, at: at)
                parseSlots.signal()
                writer.async {
                    if lowPriority { ThreadPriority.lower() }
                    defer { group.leave() }
                    let update = writeStore.apply(parsed, subscription: subscription, state: state, at: at)
                    results.add(update)
                }
            }
        }
        group.wait()
        writer.sync { writeStore.finish() }
        if let days = settings.keepReadDays {
            _ = try? store.pruneRead(before: now().addingTimeInterval(-Double(days) * 86400))
        }
        return results.all
    }

    /// Why a feed is not fetched now; `nil` to fetch it.
    func skipReason(_ state: FeedState, now: Date) -> String? {
        if state.gone { return "gone (the server answered 410): remove it, or add it again to retry" }
        if let notBefore = state.notBefore, notBefore > now {
            let serverAsked = state.status == 429 || state.status == 503
            if serverAsked || !settings.force {
                return "the server asked to wait until \(Self.clock(notBefore))"
                    + (serverAsked ? "" : " (Cache-Control max-age; --force fetches anyway)")
            }
        }
        if !settings.force, let fetched = state.fetchedAt, state.error == nil,
           now.timeIntervalSince(fetched) < Double(settings.minInterval) {
            return "fetched \(Self.ago(now.timeIntervalSince(fetched))) ago (min-interval; --force fetches anyway)"
        }
        return nil
    }

    static func ago(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s) second\(s == 1 ? "" : "s")" }
        let m = s / 60
        if m < 60 { return "\(m) minute\(m == 1 ? "" : "s")" }
        let h = m / 60
        return "\(h) hour\(h == 1 ? "" : "s")"
    }

    static func clock(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min))"
    }

    /// A response, read: what to record, and the feed when there is one.
    struct Interpreted: Sendable {
        var record: FetchRecord
        var feed: FetchedFeed?
        var failure: String?
        var movedTo: String?
        var notice: String?
        var notModified = false
    }

    static func interpret(_ response: FetchResponse, at: Date) -> Interpreted {
        var record = FetchRecord(at: at, status: response.status)
        var result = Interpreted(record: record)
        if let moved = response.permanentURL, response.status / 100 == 2 || response.status == 304 {
            result.movedTo = moved
            result.notice = "moved permanently to \(moved)"
        }
        let maxAge = response.headers.maxAge.map { at.addingTimeInterval(Double($0)) }
        if let error = response.error {
            record.error = error.description
            result.failure = error.description
        } else {
            switch response.status {
            case 304:
                record.etag = response.headers.etag ?? response.request.etag
                record.lastModified = response.headers.lastModified ?? response.request.lastModified
                record.notBefore = maxAge
                result.notModified = true
            case 200..<300:
                do {
                    let feed = try FetchedFeed.parse(response.body, url: response.finalURL)
                    record.etag = response.headers.etag
                    record.lastModified = response.headers.lastModified
                    record.title = feed.title
                    record.siteLink = feed.info.siteLink
                    record.notBefore = maxAge
                    result.feed = feed
                    if let first = feed.diagnostics.first, feed.items.isEmpty {
                        record.error = first
                        result.failure = first
                    }
                } catch {
                    let type = response.headers.contentType.map { " (\($0))" } ?? ""
                    record.error = "\(error.message)\(type)"
                    result.failure = record.error
                }
            case 410:
                record.gone = true
                record.error = "gone (410): the feed was removed; it will not be fetched again"
                result.failure = record.error
            case 429, 503:
                let wait = response.headers.retryAfter ?? 3600
                let until = at.addingTimeInterval(Double(max(wait, 60)))
                record.notBefore = until
                record.error = "HTTP \(response.status) \(HTTPStatus.reason(response.status)): retrying after \(clock(until))"
                result.failure = record.error
            default:
                record.error = "HTTP \(response.status) \(HTTPStatus.reason(response.status))"
                result.failure = record.error
            }
        }
        result.record = record
        return result
    }

    /// Results in completion order, with the progress callback (guarded: parsers and the writer both add).
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [FeedUpdate] = []
        let total: Int
        let progress: @Sendable (FeedUpdate, Int, Int) -> Void

        init(total: Int, progress: @escaping @Sendable (FeedUpdate, Int, Int) -> Void) {
            self.total = total
            self.progress = progress
        }

        func add(_ update: FeedUpdate) {
            let done = lock.withLock {
                list.append(update)
                return list.count
            }
            progress(update, done, total)
        }

        var all: [FeedUpdate] { lock.withLock { list } }
    }
}

/// The writer thread's connection to the store, opened at the first write.
final class WriteStore: @unchecked Sendable {
    private let path: String
    private var store: ItemStore?
    private var openError: String?

    init(path: String) { self.path = path }

    func apply(_ parsed: FeedUpdater.Interpreted, subscription: Subscription, state: FeedState, at: Date) -> FeedUpdate {
        var update = FeedUpdate(subscription: subscription, feedID: state.id,
                                name: FeedUpdater.name(of: subscription, state: state), result: .notModified,
                                newIDs: [], changedIDs: [], movedTo: parsed.movedTo, notice: parsed.notice)
        do {
            if store == nil {
                let opened = try ItemStore(path: path)
                try? opened.deferCheckpoints()
                store = opened
            }
            guard let store else { throw StoreUnavailable() }
            if let feed = parsed.feed {
                // The items and the validators in one transaction: a crash never keeps an ETag without its items.
                let result = try store.storeFetch(feedID: state.id, parsed.record, items: feed.items, now: at)
                update.newIDs = result.new
                update.changedIDs = result.changed
                update.result = .fetched(new: result.new.count, changed: result.changed.count)
                if subscription.name == nil, let title = feed.title { update.name = title }
            } else {
                if parsed.notModified { update.result = .notModified }
                try store.recordFetch(feedID: state.id, parsed.record)
            }
            if let failure = parsed.failure { update.result = .failed(failure) }
            if let moved = parsed.movedTo {
                do {
                    try store.moveFeed(id: state.id, to: moved)
                } catch {
                    update.notice = "moved permanently to \(moved), but the store could not follow: \(error)"
                }
            }
        } catch {
            update.result = .failed("the store: \(error)")
        }
        return update
    }

    /// One checkpoint for the whole fetch.
    func finish() {
        try? store?.checkpoint()
        store = nil
    }

    struct StoreUnavailable: Error, CustomStringConvertible {
        var description: String { "cannot be opened" }
    }
}

/// Lowering the priority of the calling thread (Linux: a thread is a task with its own nice value).
public enum ThreadPriority {
    /// Nice 10 for this thread. It cannot be raised back without privileges: call it on threads that only do
    /// background work (a pool thread keeps it, and runs only background work of ours).
    public static func lower() {
        // `who` 0 is the calling task: on Linux (NPTL) the calling thread alone, not the whole process.
        if getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) < 10 {
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        }
    }
}

/// Reason phrases for the statuses a feed server gives.
enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: status >= 500 ? "server error" : status >= 400 ? "client error" : ""
        }
    }
}
