import ArgumentParser
import Foundation
import Catalog
import Posts
import TerminalUI

/// `gazette show ID PATH ...`: one post as plain wrapped text.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one post as plain text, wrapped to $COLUMNS or the terminal's width (default 80)."
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
        // The same layout as the reading pane, as plain text.
        let article = ArticleLayout(post: post, blocks: library.body(of: post).blocks, width: Self.width())
        for line in article.lines {
            try output.line(line.text)
        }
        try output.flush()
    }

    /// `$COLUMNS` when it is a sensible number, else the terminal's width when stdout is one, else 80.
    static func width() -> Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return min(max(columns, 10), 1000)
        }
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return min(max(Int(size.ws_col), 10), 1000)
        }
        return 80
    }
}
