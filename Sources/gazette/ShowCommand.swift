import ArgumentParser
import Foundation
import Posts

/// `gazette show ID PATH ...`: one post as plain wrapped text.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one post as plain text, wrapped to $COLUMNS (default 80)."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The post's id, as printed by 'gazette list'.", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("Archive files or directories of archives.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        let id = try PostIDArgument.parse(self.id)
        let library = try ArchivePaths.load(paths, usage: "show ID PATH")
        guard let post = library.posts.first(where: { $0.id == id }) else {
            throw CommandLineError.dataError("no post \(id) in \(paths.joined(separator: ", "))",
                                             "check the id with 'gazette list PATH'")
        }
        let output = StandardOutput()
        for line in PlainPostText.lines(of: post, body: library.body(of: post), width: Self.width()) {
            try output.line(line)
        }
        try output.flush()
    }

    /// `$COLUMNS` when it is a sensible number, otherwise 80.
    static func width() -> Int {
        guard let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text),
              columns > 0 else { return 80 }
        return min(max(columns, 10), 1000)
    }
}
