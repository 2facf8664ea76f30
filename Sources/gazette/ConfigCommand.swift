import ArgumentParser
import Configuration
import Controller
import Foundation
import TextCells

/// `gazette config check|dump`: the configuration file, validated or written out in full.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration file, or print the effective configuration.",
        subcommands: [Check.self, Dump.self, Keys.self]
    )

    /// `gazette config check [PATH]`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a configuration file: each problem as FILE:LINE: message; exit status 65 when there is one.")

        @Argument(help: ArgumentHelp("The file to check (default: $XDG_CONFIG_HOME/gazette/config).", valueName: "path"),
                  completion: .file())
        var path: String?

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let loaded = try LoadedConfiguration.load(explicitPath: path, environment: environment)
            let output = StandardOutput()
            guard let file = loaded.path else {
                let where_ = ConfigurationLocation.defaultPath(environment: environment) ?? "~/.config/gazette/config"
                try output.line("No configuration file at \(Sanitizer.clean(where_)): the defaults apply.")
                return try output.flush()
            }
            guard loaded.diagnostics.isEmpty else {
                for diagnostic in loaded.diagnostics {
                    FileHandle.standardError.write(Data((Sanitizer.clean(diagnostic.description) + "\n").utf8))
                }
                let count = loaded.diagnostics.count
                ErrorReport.printError("\(count) problem\(count == 1 ? "" : "s") in \(file)",
                                       "the reader skips those lines; fix them or see gazette(1)")
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
            try output.line("\(Sanitizer.clean(file)): no problems")
            try output.flush()
        }
    }

    /// `gazette config dump [--config PATH]`.
    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration, defaults and every key binding included, in the file's syntax.")

        @OptionGroup var config: ConfigurationOptions

        func run() throws {
            let loaded = try config.load()
            for diagnostic in loaded.diagnostics { ErrorReport.printWarning(diagnostic.description) }
            let output = StandardOutput()
            try output.write(loaded.value.dump)
            try output.flush()
        }
    }

    /// `gazette config keys --markdown|--man [--update FILE]`: the key tables of README.md and gazette(1)
    /// (`make docs`). Hidden: it is for the build.
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the standard key table as Markdown or roff, or splice it into a file.",
            shouldDisplay: false)

        enum Format: String, EnumerableFlag {
            case markdown, man
        }

        @Flag var format: Format = .markdown

        @Option(help: ArgumentHelp("Replace the table between the markers in this file.", valueName: "file"))
        var update: String?

        func run() throws {
            let keymap = Keymap.standard
            let table = format == .markdown ? KeyTable.markdown(keymap) : KeyTable.man(keymap)
            guard let update else {
                let output = StandardOutput()
                try output.write(table)
                return try output.flush()
            }
            let (begin, end) = format == .markdown ? (KeyTable.markdownBegin, KeyTable.markdownEnd)
                                                   : (KeyTable.manBegin, KeyTable.manEnd)
            guard let document = try? String(contentsOfFile: update, encoding: .utf8) else {
                throw CommandLineError.noInput("cannot read \(update)", "run make docs from the repository's root")
            }
            guard let spliced = KeyTable.splice(table, into: document, begin: begin, end: end) else {
                throw CommandLineError.dataError("no '\(begin)' / '\(end)' lines in \(update)",
                                                 "add them around the key table")
            }
            if spliced != document {
                try Data(spliced.utf8).write(to: URL(fileURLWithPath: update))
            }
        }
    }
}
