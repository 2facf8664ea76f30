import Catalog
import Controller
import ReadState
import Subscriptions

/// The sources view's rows: every source by slot, with the subscriptions' tags and last results.
enum SourceSummaries {
    static func make(sources: [Int: Source], subscriptions: [Subscription], states: [String: FeedState]) -> [SourceSummary] {
        let byURL = Dictionary(subscriptions.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        return sources.sorted { $0.key < $1.key }.map { slot, source in
            switch source.kind {
            case .subscription:
                return SourceSummary(index: slot, name: source.title, kind: .subscription,
                                     tags: byURL[source.path]?.tags ?? [], failure: states[source.path]?.error,
                                     location: source.path)
            case .textArchive:
                return SourceSummary(index: slot, name: source.title, kind: .archive, location: source.displayPath)
            default:
                return SourceSummary(index: slot, name: source.title, kind: .feedFile, location: source.displayPath)
            }
        }
    }

    /// The fetcher's slots from the loader's.
    static func slots(stored: [Int64: Int], sources: [Int: Source], subscriptions: [Subscription]) -> ReaderFetcher.Slots {
        let byURL = Dictionary(subscriptions.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        var slots = ReaderFetcher.Slots()
        slots.byFeedID = stored
        for (slot, source) in sources where source.kind == .subscription {
            // A feed server's feeds are synced (gazette sync), never fetched over HTTP.
            if let subscription = byURL[source.path], !DefaultSources.isSynced(subscription.url) {
                slots.subscriptions[slot] = subscription
            }
            slots.names[slot] = source.title
        }
        return slots
    }
}
