// CONTRACT (issue 15): `gazette sync [--status]`. The sync helper owns this file.
import ArgumentParser
import Foundation

/// `gazette sync [--status]`: follows the feed server the configuration names (Tiny Tiny RSS).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync feeds, articles and read marks with the feed server the configuration names (Tiny Tiny RSS)."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the server, the last sync, the marks waiting to be sent and the last error.")
    var status = false

    func run() throws {
        throw ValidationError("gazette sync is not built yet")
    }
}
