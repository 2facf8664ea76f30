import ArgumentParser
import Controller

/// `gazette [PATH ...]`: the interactive reader (the default command).
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read archives in the terminal (the default command)."
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("mark-read"), help: ArgumentHelp(
        "When a post becomes read: on-open (Enter marks it), manual (only m), delay=N (open for N seconds), at-end (scrolled to its end).",
        valueName: "policy"))
    var markRead: String = "on-open"

    @Argument(help: ArgumentHelp("Archive files or directories of archives.", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        guard ReadPolicy(markRead) != nil else {
            throw ValidationError("--mark-read must be on-open, manual, at-end or delay=SECONDS, not '\(markRead)'")
        }
    }

    func run() throws {
        try runInteractiveReader(paths: paths, statePath: store.state, policy: ReadPolicy(markRead) ?? .onOpen)
    }
}
