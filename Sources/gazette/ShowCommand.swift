import ArgumentParser
import Foundation
import Catalog
import Posts
import TerminalUI
import TextCells

/// `gazette show ID PATH ...`: one post as plain wrapped text.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one post as plain text, wrapped to $COLUMNS or the terminal's width (default 80)."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the post as a JSON object (list --json's fields, and text and links).")
    var json = false

    @Argument(help: ArgumentHelp("The post's id, as printed by 'gazette list'.", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("Archive or feed files, directories of them, or - (standard input).", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        let id = try PostIDArgument.parse(self.id)
        let library = try ArchivePaths.loadDefaulting(paths, usage: "show ID PATH", statePath: store.state)
        guard let post = library.posts.first(where: { $0.id == id }) else {
            throw CommandLineError.dataError("no post \(id) in \(paths.joined(separator: ", "))",
                                             "check the id with 'gazette list PATH'")
        }
        let output = StandardOutput()
        let body = library.body(of: post)
        if let notice = body.notice { ErrorReport.printWarning(notice) }
        // The same layout as the reading pane, as plain text.
        let article = ArticleLayout(post: post, blocks: body.blocks, width: Self.width(), byline: body.byline)
        if json {
            let marks = try store.openForReading().readMarks()
            let text = article.lines.map(\.text).joined(separator: "\n")
            try output.line(PostJSON.object(post, readAt: marks[post.id], bodies: library, extra: [
                "\"text\":" + PostJSON.string(text),
                "\"links\":" + PostJSON.array(body.links.map { PostJSON.string(Sanitizer.clean($0)) }),
            ]))
            return try output.flush()
        }
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
