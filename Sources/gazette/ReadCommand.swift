import ArgumentParser

/// `gazette [PATH ...]`: the interactive reader (the default command).
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read archives in the terminal (the default command)."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Archive files or directories of archives.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        try runInteractiveReader(paths: paths, statePath: store.state)
    }
}
