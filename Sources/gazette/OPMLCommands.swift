// CONTRACT placeholder (issue 13): OPML import and `gazette export`.
import ArgumentParser

enum OPMLImport {
    static func run(file: String, dryRun: Bool, store: StoreOptions, urls: SubscriptionOptions) throws {
        throw CommandLineError.usage("OPML import is not there yet", "issue 13")
    }
}

/// `gazette export [FILE]`: the subscriptions as OPML 2.0.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export",
                                                    abstract: "Write the subscriptions as OPML 2.0 (tags as categories and folders).")
    @OptionGroup var urls: SubscriptionOptions
    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Where to write it (default: standard output).", valueName: "file"))
    var file: String?

    func run() throws {
        throw CommandLineError.usage("OPML export is not there yet", "issue 13")
    }
}
