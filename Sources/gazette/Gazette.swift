import ArgumentParser
import Foundation
import TerminalUI

/// Gazette: a terminal reader for plain-text archives of news posts.
@main
struct Gazette: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazette",
        abstract: "A terminal reader for plain-text archives of news posts.",
        discussion: """
            PATH is an archive file or a directory (every archive in it). Read state is kept in \
            $XDG_DATA_HOME/gazette/state.sqlite3 (~/.local/share/gazette/ by default); --state PATH overrides it. \
            Settings, keys and colours come from $XDG_CONFIG_HOME/gazette/config (see 'gazette config' and gazette(1)).

            Exit status: 0 ok, 64 usage, 65 bad archive or unknown post, 66 missing or unreadable input, \
            69 unavailable, 74 state database or output failure.
            """,
        version: GazetteVersion.current,
        subcommands: [ReadCommand.self, ListCommand.self, ShowCommand.self, MarkCommand.self, ConfigCommand.self,
                      AddCommand.self, RemoveCommand.self, FeedsCommand.self, FetchCommand.self, BackfillCommand.self,
                      ImportCommand.self, ExportCommand.self, MarksCommand.self, SearchCommand.self, SyncCommand.self],
        defaultSubcommand: ReadCommand.self
    )

    /// Parses, runs, and turns every failure into one line on stderr and an exit status (see `ErrorReport`).
    static func main() {
        processStart = ReaderTrace.now()
        // A closed pipe (`gazette list | head -1`) must surface as EPIPE from write(2), not kill us.
        signal(SIGPIPE, SIG_IGN)
        // `--version --verbose` (argument-parser's --version takes no companions): the libraries too.
        if Set(CommandLine.arguments.dropFirst()) == ["--version", "--verbose"] {
            print(GazetteVersion.verbose)
            Foundation.exit(ExitStatus.success.rawValue)
        }
        if let paths = ReadCommand.plainPaths(CommandLine.arguments.dropFirst()) {
            do {
                try ReadCommand.read(paths: paths, statePath: nil, configPath: nil, strictConfig: false, policy: nil)
                Foundation.exit(ExitStatus.success.rawValue)
            } catch {
                Foundation.exit(ErrorReport.report(error))
            }
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(ExitStatus.success.rawValue)
        } catch {
            Foundation.exit(ErrorReport.report(error))
        }
    }
}
