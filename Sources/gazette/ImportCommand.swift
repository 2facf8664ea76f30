import ArgumentParser

/// `gazette import FILE.opml|-` and `gazette import newsboat [DIR]` (issue 13).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import subscriptions from an OPML file (or - for standard input), or everything from newsboat.",
        discussion: "gazette import newsboat [DIR] reads newsboat's urls and cache.db (read-only: newsboat may be "
            + "running) and brings over every subscription, stored item and read mark. A file called newsboat: "
            + "./newsboat. --dry-run shows what would change and changes nothing.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var urls: SubscriptionOptions

    @Flag(name: .customLong("dry-run"), help: "Show what would change; change nothing.")
    var dryRun = false

    @Argument(help: ArgumentHelp("An OPML file, - (standard input), or newsboat.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("newsboat's folder (default: its XDG folders, else ~/.newsboat).", valueName: "dir"))
    var directory: String?

    func run() throws {
        if source == "newsboat" {
            try NewsboatImport.run(directory: directory, dryRun: dryRun, store: store, urls: urls)
        } else {
            guard directory == nil else {
                throw CommandLineError.usage("import takes one OPML file", "gazette import FILE.opml")
            }
            try OPMLImport.run(file: source, dryRun: dryRun, store: store, urls: urls)
        }
    }
}
