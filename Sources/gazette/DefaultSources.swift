import Catalog
import Foundation
import ReadState
import Subscriptions
import Updater

/// What the reader and `list`, `show` and `mark` read when no PATH is given: the configured archives (`set
/// archives`) and the stored posts of every subscription.
enum DefaultSources {
    /// The subscriptions as the reader needs them: what to load, and for the sources view their tags and last results.
    struct Setup: Sendable {
        var library: StoredLibrary
        var subscriptions: [Subscription]
        var states: [String: FeedState]
    }

    /// The subscriptions' stored items: every subscription of the urls file that has a row in the store (one that
    /// was never fetched has no items yet). `nil` when there are none. Problems in the urls file are printed.
    /// `quiet`: print nothing (the screen belongs to curses). `makeRows` (the reader): every subscription gets its
    /// row now (creating the store when needed), so that what `R` fetches for a subscription never fetched before
    /// has its place in the list; the commands that only read leave the store as it is.
    static func stored(statePath: String?, urls: SubscriptionOptions = SubscriptionOptions(path: nil),
                       quiet: Bool = false, makeRows: Bool = false) throws -> StoredLibrary? {
        try setup(statePath: statePath, urls: urls, quiet: quiet, makeRows: makeRows)?.library
    }

    /// `stored`, with the subscriptions and their rows.
    static func setup(statePath: String?, urls: SubscriptionOptions = SubscriptionOptions(path: nil),
                      quiet: Bool = false, makeRows: Bool = false) throws -> Setup? {
        let file = try urls.load(quiet: quiet)
        let location = try StoreLocation.resolve(explicitPath: statePath, environment: ProcessInfo.processInfo.environment)
        let storeExists = FileManager.default.fileExists(atPath: location.path)
        // The feeds of a feed server (gazette sync): sources like subscriptions, their category as their tag.
        let synced = storeExists ? ((try? SyncStore.syncedFeeds(path: location.path)) ?? []) : []
        guard !file.subscriptions.isEmpty || !synced.isEmpty else { return nil }
        if !storeExists {
            guard makeRows else { return nil }
            try location.createDirectoryIfNeeded()
        }
        var store = try ItemStore(path: location.path, readOnly: !makeRows)
        var states = Dictionary(try store.feedRows().map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        if makeRows, file.subscriptions.contains(where: { states[$0.url] == nil }) {
            for subscription in file.subscriptions where states[subscription.url] == nil {
                try store.addFeed(url: subscription.url)
            }
            store = try ItemStore(path: location.path, readOnly: true)
            states = Dictionary(try store.feedRows().map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        }
        var feeds = file.subscriptions.compactMap { subscription -> StoredFeed? in
            guard let state = states[subscription.url] else { return nil }
            return StoredFeed(feedID: state.id, name: FeedUpdater.name(of: subscription, state: state), url: subscription.url)
        }
        var subscriptions = file.subscriptions
        for feed in synced where !subscriptions.contains(where: { $0.url == feed.url }) {
            let name = feed.title ?? feed.feedURL ?? feed.url
            feeds.append(StoredFeed(feedID: feed.feedID, name: name, url: feed.url))
            subscriptions.append(Subscription(url: feed.url, tags: feed.category.map { [$0] } ?? [], name: name))
        }
        guard !feeds.isEmpty else { return nil }
        return Setup(library: StoredLibrary(storePath: location.path, feeds: feeds), subscriptions: subscriptions,
                     states: states)
    }

    /// Whether a source's URL is a feed server's feed (`ttrss:ID@SERVER`): synced, never fetched over HTTP.
    static func isSynced(_ url: String) -> Bool { url.hasPrefix("ttrss:") }

    /// `paths`, or when there are none the configured archives; and the stored subscriptions when no path was given.
    static func resolve(paths: [String], archives: [String], statePath: String?) throws -> ([String], StoredLibrary?) {
        guard paths.isEmpty else { return (paths, nil) }
        return (archives, try stored(statePath: statePath))
    }
}
