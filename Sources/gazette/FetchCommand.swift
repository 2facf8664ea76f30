import ArgumentParser
import Foundation
import ReadState
import Subscriptions
import Updater

/// `gazette fetch [NAME|TAG ...]`: for scripts and timers. Silent when all is well, one line per failing feed on
/// stderr, a progress line when stderr is a terminal; exit 0 when every feed was fetched, 75 when some failed.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch the subscriptions (all, or those named or tagged) into the store.",
        discussion: "A feed fetched within min-interval (15 minutes by default) is skipped unless --force. "
            + "Exit status 0 when every feed was fetched or skipped, 75 when some failed."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var urls: SubscriptionOptions

    @Flag(help: "Fetch even feeds fetched within min-interval or a Cache-Control max-age.")
    var force = false

    @Argument(help: ArgumentHelp("Subscription names, URLs or tags (default: every subscription).", valueName: "name"))
    var names: [String] = []

    func run() throws {
        let configuration = try config.load()
        for diagnostic in configuration.diagnostics { ErrorReport.printWarning(diagnostic.description) }
        var file = try urls.load()
        guard !file.subscriptions.isEmpty else {
            throw CommandLineError.usage("no subscriptions in \(file.path)", "subscribe with: gazette add URL")
        }
        let location = try store.location()
        try location.createDirectoryIfNeeded()
        let states = try StoreStates.read(path: location.path)
        let chosen = try file.select(names, states: states)
        let updater = FeedUpdater(storePath: location.path,
                                  settings: configuration.value.fetching.updateSettings(force: force))
        let progress = ProgressLine()
        let counts = Counts()
        let updates = try updater.update(chosen) { update, done, total in
            counts.add(update)
            progress.show("fetching \(done)/\(total) · \(counts.new) new" + (counts.failed > 0 ? " · \(counts.failed) failed" : ""))
        }
        progress.clear()
        var failed = 0
        for update in updates {
            if let notice = update.notice { ErrorReport.printWarning("\(update.name): \(notice)") }
            if let moved = update.movedTo {
                // The new URL already subscribed on its own line: the old line goes.
                if file.file.replaceURL(update.subscription.url, with: moved) || file.file.remove(update.subscription.url) != nil {
                    try file.save()
                }
            }
            if case .failed(let reason) = update.result {
                failed += 1
                ErrorReport.printLine("gazette: \(update.name) (\(update.subscription.url)): \(reason)")
            }
        }
        if failed > 0 { throw ExitCode(ExitStatus.tempFail.rawValue) }
    }

    /// Tallies for the progress line (the updater reports from its writer thread).
    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var newCount = 0
        private var failedCount = 0
        func add(_ update: FeedUpdate) {
            lock.withLock {
                newCount += update.newIDs.count
                if update.failed { failedCount += 1 }
            }
        }
        var new: Int { lock.withLock { newCount } }
        var failed: Int { lock.withLock { failedCount } }
    }
}

/// The store's feed rows by URL (empty when there is no store yet).
enum StoreStates {
    static func read(path: String) throws -> [String: FeedState] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let store = try ItemStore(path: path)
        return Dictionary(try store.feeds().map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

/// A line on stderr that rewrites itself (`\r`), only when stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled = isatty(STDERR_FILENO) == 1
    private var shown = false

    func show(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            shown = true
        }
    }

    func clear() {
        lock.withLock {
            guard shown else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            shown = false
        }
    }
}
