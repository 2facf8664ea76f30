import ArgumentParser
import Fetching
import Foundation
import Posts
import ReadState
import TextCells

/// Turns any error into one sanitized line on stderr and an exit status.
enum ErrorReport {
    /// Prints what `error` calls for and returns the exit status.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case is OutputClosed:
            return ExitStatus.success.rawValue
        case let error as CommandLineError:
            printError(error.problem, error.advice)
            return error.status.rawValue
        case let error as StoreError:
            printError(error.problem, error.advice)
            return ExitStatus.ioError.rawValue
        case let error as FetchError:
            // Only libcurl missing reaches here: every other fetch error is one feed's, reported with its name.
            printError("cannot fetch: \(error)", "install libcurl (Debian: apt-get install libcurl4)")
            return ExitStatus.unavailable.rawValue
        case let error as ArchiveError:
            // Its description already reads `<path>: <problem> (<advice>)`.
            printLine("gazette: \(error)")
            return status(of: error).rawValue
        default:
            return reportParserError(error)
        }
    }

    /// A path that cannot be read is missing input (66); an archive without posts, or a file that is neither an
    /// archive nor a feed, is bad data (65).
    static func status(of error: ArchiveError) -> ExitStatus {
        switch error {
        case .noPosts, .notAnArchiveOrFeed: .dataError
        case .noPaths: .usage
        case .notFound, .permissionDenied, .notARegularFile, .isADirectory, .emptyDirectory, .tooManyOpenFiles,
             .readFailed, .standardInputIsATerminal: .noInput
        }
    }

    /// ArgumentParser's errors: help and version go to stdout (status 0), usage errors become one line, 64.
    private static func reportParserError(_ error: any Error) -> Int32 {
        let code = Gazette.exitCode(for: error)
        if code == .success {
            let text = Gazette.fullMessage(for: error)
            FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
            return 0
        }
        if let exit = error as? ExitCode { return exit.rawValue }
        let message = Gazette.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        printError(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message,
                   "see '\(helpCommand())'")
        return ExitStatus.usage.rawValue
    }

    /// `gazette SUBCOMMAND --help` when the command line named a subcommand, `gazette --help` otherwise.
    private static func helpCommand() -> String {
        let names = Gazette.configuration.subcommands.compactMap { $0.configuration.commandName }
        let arguments = CommandLine.arguments.dropFirst()
        if let name = arguments.first(where: { names.contains($0) }) { return "gazette \(name) --help" }
        return "gazette --help"
    }

    /// `gazette: <problem> (<advice>)` on stderr, sanitized (paths and messages may hold control characters).
    static func printError(_ problem: String, _ advice: String) {
        printLine("gazette: \(problem) (\(advice))")
    }

    /// `gazette: warning: <text>` on stderr.
    static func printWarning(_ text: String) {
        printLine("gazette: warning: \(text)")
    }

    static func printLine(_ line: String) {
        FileHandle.standardError.write(Data((Sanitizer.clean(line) + "\n").utf8))
    }
}
