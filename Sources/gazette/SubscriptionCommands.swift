import ArgumentParser
import Foundation
import ReadState
import Subscriptions
import TextCells
import Updater

/// `gazette add URL [TAG ...]`: subscribe (finding the feed of a web page).
struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Subscribe to a feed, or to the feed a web page links to; its items are fetched at once.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var urls: SubscriptionOptions

    @Option(help: ArgumentHelp("The name to show instead of the feed's title.", valueName: "name"))
    var name: String?

    @Argument(help: ArgumentHelp("The feed's or the page's URL (http or https).", valueName: "url"))
    var url: String

    @Argument(help: ArgumentHelp("Tags for the subscription.", valueName: "tag"))
    var tags: [String] = []

    func validate() throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw ValidationError("the URL must start with http:// or https://, not '\(url)'")
        }
    }

    func run() throws {
        let configuration = try config.load()
        var file = try urls.load()
        if let existing = file.subscriptions.first(where: { $0.url == url }) {
            print("Already subscribed to \(Sanitizer.clean(existing.name ?? url)) (\(file.path):\(existing.line))")
            return
        }
        let location = try store.location()
        try location.createDirectoryIfNeeded()
        let adder = FeedAdder(storePath: location.path, settings: configuration.value.fetching.updateSettings(force: true))
        let outcome: FeedAdder.Outcome
        do {
            outcome = try adder.add(url)
        } catch let failure as FeedAdder.Failure {
            throw CommandLineError.dataError(failure.description, "check the URL, or add the feed's own URL")
        }
        switch outcome {
        case .choices(let feeds):
            for feed in feeds {
                print("\(Sanitizer.clean(feed.url))\t\(Sanitizer.clean(feed.title ?? ""))\t\(feed.type)")
            }
            throw CommandLineError.dataError("\(url) links to \(feeds.count) feeds", "add the one you want: gazette add FEED-URL")
        case .subscribed(let feedURL, let title, _, let new, let page):
            if file.subscriptions.contains(where: { $0.url == feedURL }) {
                print("Already subscribed to \(Sanitizer.clean(feedURL))")
                return
            }
            _ = file.file.add(url: feedURL, tags: tags, name: name)
            try file.save()
            let shown = Sanitizer.clean(name ?? title ?? feedURL)
            let found = page.map { _ in " (the page's feed: \(Sanitizer.clean(feedURL)))" } ?? ""
            print("Subscribed to \(shown)\(found): \(new) item\(new == 1 ? "" : "s")")
        }
    }
}

/// `gazette remove URL|NAME`.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Unsubscribe: the line leaves the urls file and the items leave the store (read marks stay).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var urls: SubscriptionOptions

    @Argument(help: ArgumentHelp("The subscription's URL or name.", valueName: "url-or-name"))
    var subscription: String

    func run() throws {
        var file = try urls.load()
        let location = try store.location()
        let states = try StoreStates.read(path: location.path)
        var key = subscription
        // A title from the store names it too.
        if !file.subscriptions.contains(where: { $0.url == key || $0.name?.lowercased() == key.lowercased() }),
           let match = file.subscriptions.first(where: { states[$0.url]?.title?.lowercased() == key.lowercased() }) {
            key = match.url
        }
        guard let removed = file.file.remove(key) else {
            throw CommandLineError.usage("no subscription is called '\(subscription)'", "gazette feeds lists them")
        }
        try file.save()
        var forgotten = 0
        if let state = states[removed.url] {
            forgotten = state.itemCount
            try ItemStore(path: location.path).removeFeed(id: state.id)
        }
        let name = FeedUpdater.name(of: removed, state: states[removed.url])
        print("Removed \(Sanitizer.clean(name)): \(forgotten) item\(forgotten == 1 ? "" : "s") forgotten, read marks kept")
    }
}

/// `gazette feeds [--json]`.
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "List the subscriptions: name, URL, tags, items, unread, last fetched, last result.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var urls: SubscriptionOptions

    @Flag(help: "Print a JSON array instead of lines.")
    var json = false

    func run() throws {
        let file = try urls.load()
        let states = try StoreStates.read(path: try store.location().path)
        let output = StandardOutput()
        var objects: [String] = []
        for subscription in file.subscriptions {
            let state = states[subscription.url]
            let name = FeedUpdater.name(of: subscription, state: state)
            if json {
                objects.append(FeedJSON.object(subscription: subscription, name: name, state: state))
            } else {
                let tags = subscription.tags.joined(separator: ",")
                let items = state.map { "\($0.itemCount) items, \($0.unreadCount) unread" } ?? "never fetched"
                try output.line([name, subscription.url, tags, items, FeedJSON.lastResult(state)]
                    .map(Sanitizer.clean).joined(separator: "\t"))
            }
        }
        if json { try output.line("[" + objects.joined(separator: ",\n") + "]") }
        try output.flush()
    }
}

/// `gazette backfill NAME`.
struct BackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Fetch a subscription's whole history: archived and paged feeds (RFC 5005), JSON Feed next_url, "
            + "WordPress pages.",
        discussion: "Pages are fetched one at a time, backfill-delay seconds apart (1 by default), at most backfill-pages "
            + "(1,000). An interrupted backfill resumes where it stopped.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var urls: SubscriptionOptions

    @Argument(help: ArgumentHelp("The subscription's name, URL or tag.", valueName: "name"))
    var name: String

    func run() throws {
        let configuration = try config.load()
        let file = try urls.load()
        let location = try store.location()
        try location.createDirectoryIfNeeded()
        let states = try StoreStates.read(path: location.path)
        let progress = ProgressLine()
        let settings = configuration.value.fetching
        var failed = false
        for subscription in try file.select([name], states: states) {
            let shown = FeedUpdater.name(of: subscription, state: states[subscription.url])
            let backfiller = Backfiller(storePath: location.path, settings: settings.updateSettings(force: true),
                                        pageLimit: settings.backfillPages, delay: Double(settings.backfillDelay))
            let outcome = try backfiller.run(subscription, progress: { state in
                progress.show("backfilling \(shown): page \(state.pages) · \(state.newItems) new")
            })
            progress.clear()
            print("\(Sanitizer.clean(shown)): \(Sanitizer.clean(outcome.summary))")
            if outcome.error != nil { failed = true }
        }
        if failed { throw ExitCode(ExitStatus.tempFail.rawValue) }
    }
}

/// `feeds --json` objects, and the last result in words.
enum FeedJSON {
    static func object(subscription: Subscription, name: String, state: FeedState?) -> String {
        var fields: [(String, String)] = [
            ("name", string(name)), ("url", string(subscription.url)),
            ("tags", "[" + subscription.tags.map(string).joined(separator: ",") + "]"),
            ("items", "\(state?.itemCount ?? 0)"), ("unread", "\(state?.unreadCount ?? 0)"),
            ("lastFetched", state?.fetchedAt.map { string(iso($0)) } ?? "null"),
            ("lastSucceeded", state?.succeededAt.map { string(iso($0)) } ?? "null"),
            ("status", state?.status.map(String.init) ?? "null"),
            ("error", state?.error.map(string) ?? "null"),
            ("errorSince", state?.errorSince.map { string(iso($0)) } ?? "null"),
            ("gone", state?.gone == true ? "true" : "false"),
        ]
        if let title = state?.title { fields.insert(("title", string(title)), at: 2) }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func lastResult(_ state: FeedState?) -> String {
        guard let state, let fetched = state.fetchedAt else { return "-" }
        let when = iso(fetched)
        if let error = state.error {
            let since = state.errorSince.map { " since \(iso($0))" } ?? ""
            return "failed \(when): \(error)\(since)"
        }
        return "ok \(when)" + (state.status.map { " (\($0))" } ?? "")
    }

    static func iso(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x2028...0x2029).contains(scalar.value) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
