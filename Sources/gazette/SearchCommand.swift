// CONTRACT (issue 14): `gazette search QUERY [PATH…] [--json]`.
import ArgumentParser
import Foundation

/// `gazette search QUERY [PATH…] [--json]`: the posts that match, printed like `list`, through the index.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "List the posts that match a query (the reader's / syntax), like list does."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print a JSON array instead of lines.")
    var json = false

    @Argument(help: "The query, quoted as one argument (words, \"phrases\", -word, title:, author:, is:unread, …).")
    var query: String

    @Argument(help: ArgumentHelp("Archive or feed files, directories of them, or - (standard input).", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        throw ValidationError("gazette search is not built yet")
    }
}
