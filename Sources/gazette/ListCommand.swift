import ArgumentParser
import Foundation
import Catalog
import Posts
import ReadState
import TextCells

/// `gazette list PATH ... [--unread] [--json]`: one line per post.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the posts: id, read or unread, and title, separated by tabs.",
        discussion: "With --json, a JSON array of objects with id, title, author, authors, date, updated, source, feed, "
            + "guid, link, categories, enclosures, read and readAt (see gazette(1))."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Only the posts not read yet.")
    var unread = false

    @Flag(help: "Print a JSON array instead of lines.")
    var json = false

    @Argument(help: ArgumentHelp("Archive or feed files, directories of them, or - (standard input).", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        let library = try ArchivePaths.loadDefaulting(paths, usage: "list PATH", statePath: store.state)
        let marks = try store.openForReading().readMarks()
        let posts = library.posts.filter { !unread || marks[$0.id] == nil }
        let output = StandardOutput()
        if json {
            try PostJSON.write(posts, marks: marks, bodies: library, to: output)
        } else {
            for post in posts {
                try output.line("\(post.id)\t\(marks[post.id] == nil ? "unread" : "read")\t\(Sanitizer.clean(post.title))")
            }
        }
        try output.flush()
    }
}
