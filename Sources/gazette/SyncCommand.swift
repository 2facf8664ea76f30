import ArgumentParser
import Configuration
import Foundation
import TextCells
import ReadState
import Sync

/// `gazette sync [--status]`: follows the feed server the configuration names (Tiny Tiny RSS).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync feeds, articles and read marks with the feed server the configuration names (Tiny Tiny RSS).",
        discussion: "Needs set sync ttrss, ttrss-url, ttrss-login and ttrss-password-command or ttrss-password-file. "
            + "Exit status 0 after a sync, 75 when the server cannot be reached (marks made here stay queued), "
            + "76 when it answers with something else than its API, 78 when the configuration or the login is wrong."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var config: ConfigurationOptions

    @Flag(help: "Print the server, the last sync, the marks waiting to be sent and the last error.")
    var status = false

    /// sysexits.h: EX_PROTOCOL and EX_CONFIG.
    static let protocolStatus: Int32 = 76
    static let configStatus: Int32 = 78

    func run() throws {
        let configuration = try config.load()
        for diagnostic in configuration.diagnostics { ErrorReport.printWarning(diagnostic.description) }
        let location = try store.location()
        if status {
            try printStatus(settings: configuration.value.sync, storePath: location.path)
            return
        }
        try location.createDirectoryIfNeeded()
        try Self.sync(configuration.value, storePath: location.path)
    }

    /// One sync in the foreground, with a progress line on a terminal and the summary after it; failures are
    /// printed as one line and thrown as the exit status they deserve.
    static func sync(_ settings: Configuration, storePath: String) throws {
        let account: TTRSSAccount
        do throws(SyncError) {
            account = try Self.account(settings.sync)
        } catch {
            ErrorReport.printLine("gazette: sync: \(error)")
            throw ExitCode(Self.configStatus)
        }
        var options = TTRSSClient.defaultOptions
        options.caFile = settings.fetching.caFile
        options.connectTimeout = Double(settings.fetching.connectTimeout)
        let syncer = Syncer(storePath: storePath, account: account, options: options)
        let progress = ProgressLine()
        let report: SyncReport
        do throws(SyncError) {
            report = try syncer.sync(progress: { stage in progress.show("sync: " + Self.describe(stage)) })
        } catch {
            progress.clear()
            ErrorReport.printLine("gazette: sync: \(error)")
            throw ExitCode(Self.exitStatus(error))
        }
        progress.clear()
        if isatty(STDERR_FILENO) == 1 {
            var parts = ["\(report.newArticles) new articles"]
            if report.marksSent > 0 { parts.append("\(report.marksSent) marks sent") }
            if report.marksApplied > 0 { parts.append("\(report.marksApplied) marks from the server") }
            if report.conflicts > 0 { parts.append("\(report.conflicts) marked on both sides (kept this one's)") }
            ErrorReport.printLine("synced with \(syncer.client.serverName): " + parts.joined(separator: ", "))
        }
    }

    static func exitStatus(_ error: SyncError) -> Int32 {
        switch error {
        case .configuration, .refused: configStatus
        case .unreachable, .cancelled: ExitStatus.tempFail.rawValue
        case .protocolError: protocolStatus
        case .store: ExitStatus.ioError.rawValue
        }
    }

    /// The account the configuration names, or what is missing.
    static func account(_ settings: SyncSettings) throws(SyncError) -> TTRSSAccount {
        guard settings.service == .ttrss else {
            throw .configuration("sync is off: add 'set sync ttrss', 'set ttrss-url URL', 'set ttrss-login NAME' and "
                                 + "'set ttrss-password-command COMMAND' (or ttrss-password-file) to the configuration")
        }
        guard let url = settings.ttrssURL, !url.isEmpty else { throw .configuration("set ttrss-url to the Tiny Tiny RSS address") }
        guard let login = settings.ttrssLogin, !login.isEmpty else { throw .configuration("set ttrss-login to your Tiny Tiny RSS login") }
        let password: PasswordSource
        if let command = settings.ttrssPasswordCommand, !command.isEmpty {
            password = .command(command)
        } else if let file = settings.ttrssPasswordFile {
            password = .file(file)
        } else {
            throw .configuration("set ttrss-password-command (or ttrss-password-file) to give the password")
        }
        return TTRSSAccount(url: url, login: login, password: password)
    }

    static func describe(_ stage: SyncProgress) -> String {
        switch stage {
        case .connecting: "logging in"
        case .feeds: "feeds and categories"
        case .articles(let count): "\(count) new articles"
        case .serverMarks(let feeds): "marks made elsewhere (\(feeds) feeds)"
        case .sendingMarks(let count): "sending \(count) marks"
        case .applying: "storing"
        }
    }

    private func printStatus(settings: SyncSettings, storePath: String) throws {
        let state: SyncStatus?
        do throws(SyncError) {
            state = try Syncer.status(storePath: storePath)
        } catch {
            ErrorReport.printLine("gazette: sync: \(error)")
            throw ExitCode(ExitStatus.ioError.rawValue)
        }
        var lines: [String] = []
        if settings.service == .ttrss {
            lines.append("server: \(settings.ttrssURL ?? "(ttrss-url not set)") (Tiny Tiny RSS)")
            lines.append("login: \(settings.ttrssLogin ?? "(ttrss-login not set)")")
        } else {
            lines.append("sync: off (set sync ttrss)")
        }
        if let state {
            if settings.service != .ttrss || state.url != settings.ttrssURL || state.login != settings.ttrssLogin {
                lines.append("store follows: \(state.url) as \(state.login)")
            }
            lines.append("last sync: \(state.syncedAt.map(Self.format) ?? "never")")
            if let attempt = state.attemptedAt, attempt != state.syncedAt { lines.append("last attempt: \(Self.format(attempt))") }
            lines.append("queued marks: \(state.queuedMarks)")
            lines.append("articles: \(state.articles) in \(state.feeds) feeds")
            lines.append("last error: \(state.error ?? "none")")
        } else {
            lines.append("last sync: never")
        }
        let output = StandardOutput()
        for line in lines { try output.line(Sanitizer.clean(line)) }
        try output.flush()
    }

    private static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }
}
