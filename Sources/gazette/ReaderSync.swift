import Controller
import Fetching
import Foundation
import Synchronization
import Sync
import TerminalUI
import Updater

/// Syncs with the feed server while the reader runs (`R`, `r` on a synced feed, `set sync-on-start`): on a thread
/// of its own at nice 10, so keys never wait for the server; progress and the outcome in the status bar, one line;
/// new articles and marks made elsewhere shown by reading the sources again once the sync is stored.
final class ReaderSync: BackgroundWork, @unchecked Sendable {
    private struct Mailbox {
        var running = false
        var messages: [StatusMessage] = []
        var changed = false
        var finished = false
    }

    private let storePath: String
    private let settings: SyncSettingsForReader
    private let mailbox = Mutex(Mailbox())
    private let syncer = Mutex<Syncer?>(nil)
    /// Reads the sources again once a sync brought something, then runs its argument (set once there is a loop).
    var reload: ((@escaping () -> Void) -> Void)?
    /// The marks as the store has them now, when another writer changed them (the sync applied the server's).
    var refreshMarks: (() -> Action?)?
    var syncOnStart = false

    struct SyncSettingsForReader: Sendable {
        var account: Result<TTRSSAccount, SyncError>
        var options: FetchOptions
    }

    init(storePath: String, account: Result<TTRSSAccount, SyncError>, options: FetchOptions) {
        self.storePath = storePath
        self.settings = SyncSettingsForReader(account: account, options: options)
    }

    func start() {
        if syncOnStart { _ = begin() }
    }

    var isActive: Bool {
        mailbox.withLock { $0.running || !$0.messages.isEmpty || $0.changed || $0.finished }
    }

    /// Starts a sync unless one runs; the status line says which.
    @discardableResult
    func begin() -> Bool {
        let account: TTRSSAccount
        switch settings.account {
        case .success(let value): account = value
        case .failure(let error):
            mailbox.withLock { $0.messages.append(StatusMessage("Sync: \(error)", isError: true)) }
            return false
        }
        let already = mailbox.withLock { box -> Bool in
            if box.running { return true }
            box.running = true
            box.messages.append(StatusMessage("Syncing with \(Self.host(account.url))…"))
            return false
        }
        if already {
            mailbox.withLock { $0.messages.append(StatusMessage("A sync is already under way")) }
            return false
        }
        let storePath = self.storePath
        let options = settings.options
        Thread.detachNewThread { [self] in
            ThreadPriority.lower()
            let syncer = Syncer(storePath: storePath, account: account, options: options)
            self.syncer.withLock { $0 = syncer }
            var last = Date.distantPast
            let outcome: Result<SyncReport, SyncError>
            do throws(SyncError) {
                let report = try syncer.sync(progress: { stage in
                    // At most a few lines a second: the status bar is for people.
                    let now = Date()
                    guard now.timeIntervalSince(last) > 0.25 else { return }
                    last = now
                    let line = "Syncing with \(Self.host(account.url)): \(SyncCommand.describe(stage))…"
                    mailbox.withLock { $0.messages.append(StatusMessage(line)) }
                })
                outcome = .success(report)
            } catch {
                outcome = .failure(error)
            }
            self.syncer.withLock { $0 = nil }
            mailbox.withLock { box in
                box.running = false
                box.finished = true
                switch outcome {
                case .success(let report):
                    box.messages.append(StatusMessage(Self.summary(report, server: Self.host(account.url))))
                    if report.newArticles > 0 || report.changedArticles > 0 || report.feeds > 0 { box.changed = true }
                case .failure(let error):
                    box.messages.append(StatusMessage("Sync failed: \(error)", isError: true))
                }
            }
        }
        return true
    }

    func cancel() { syncer.withLock { $0?.cancel() } }

    /// On the run loop's thread.
    func takeResults() -> [Action] {
        let (messages, changed, finished) = mailbox.withLock { box -> ([StatusMessage], Bool, Bool) in
            defer {
                box.messages = []
                box.changed = false
                box.finished = false
            }
            return (box.messages, box.changed, box.finished)
        }
        var actions: [Action] = []
        // Marks the server made, applied to the store by the sync: on screen now, not at the next key.
        if finished, let refresh = refreshMarks?() { actions.append(refresh) }
        // Only the latest line matters: a status bar shows one. When the sync brought articles, the sources are
        // read again first and the sync's line comes after the reload's.
        if changed, let reload {
            let last = messages.last
            reload { [weak self] in
                if let last { self?.mailbox.withLock { $0.messages.append(last) } }
            }
        } else if let last = messages.last {
            actions.append(.showStatus(last))
        }
        return actions
    }

    static func summary(_ report: SyncReport, server: String) -> String {
        var parts = ["\(report.newArticles) new"]
        if report.marksSent > 0 { parts.append("\(report.marksSent) marks sent") }
        if report.marksApplied > 0 { parts.append("\(report.marksApplied) marks from the server") }
        if report.conflicts > 0 { parts.append("\(report.conflicts) marked on both sides (kept yours)") }
        return "Synced with \(server): " + parts.joined(separator: " · ")
    }

    /// The host of a URL, for messages (never the path, which could hold a token).
    static func host(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "the server" }
        return components.port.map { "\(host):\($0)" } ?? host
    }
}
