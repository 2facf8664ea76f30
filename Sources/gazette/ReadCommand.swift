import ArgumentParser
import Controller

/// `gazette [PATH ...]`: the interactive reader (the default command).
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read archives in the terminal (the default command)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var config: ConfigurationOptions

    @Flag(name: .customLong("strict-config"),
          help: "Refuse to start when the configuration file has a problem (instead of skipping its line).")
    var strictConfig = false

    @Option(name: .customLong("mark-read"), help: ArgumentHelp(
        "When a post becomes read: on-open (Enter marks it), manual (only m), delay=N (open for N seconds), at-end (scrolled to its end).",
        valueName: "policy"))
    var markRead: String?

    @Argument(help: ArgumentHelp("Archive or feed files, directories of them, or - (standard input).", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        guard let markRead else { return }
        guard ReadPolicy(markRead) != nil else {
            throw ValidationError("--mark-read must be on-open, manual, at-end or delay=SECONDS, not '\(markRead)'")
        }
    }

    func run() throws {
        try Self.read(paths: paths, statePath: store.state, configPath: config.path, strictConfig: strictConfig,
                      policy: markRead.flatMap(ReadPolicy.init))
    }

    static func read(paths: [String], statePath: String?, configPath: String?, strictConfig: Bool,
                     policy: ReadPolicy?) throws {
        // The file first: command-line flags win over it.
        let loaded = try ConfigurationOptions(path: configPath).load()
        for diagnostic in loaded.diagnostics { ErrorReport.printWarning(diagnostic.description) }
        if strictConfig, let file = loaded.path, !loaded.diagnostics.isEmpty {
            throw CommandLineError.dataError("the configuration file \(file) has \(loaded.diagnostics.count) problem"
                                             + (loaded.diagnostics.count == 1 ? "" : "s"),
                                             "fix it (gazette config check), or start without --strict-config")
        }
        try runInteractiveReader(paths: paths, statePath: statePath, policy: policy, configuration: loaded)
    }

    /// The paths of a command line that is only paths (`gazette archive.txt`, `gazette` alone): the reader with
    /// every default. `Gazette.main` then starts the reader without the argument parser, whose reflection costs
    /// about 3 ms, most of a start-up (BENCHMARKS.md). Anything else (an option, a subcommand) returns nil.
    static func plainPaths(_ arguments: ArraySlice<String>) -> [String]? {
        // Every subcommand's name (a new one can never be mistaken for a path), and help.
        let subcommands = Set(Gazette.configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
        if let first = arguments.first, subcommands.contains(first) { return nil }
        for argument in arguments where argument.isEmpty || argument.hasPrefix("-") { return nil }
        return Array(arguments)
    }
}
