import ArgumentParser
import Foundation
import Posts
import ReadState

/// `gazette mark ID ... [PATH ...] [--unread]` and `gazette mark --all PATH ... [--unread]`.
struct MarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Mark posts read (or unread) from scripts.",
        discussion: """
            Arguments of 16 hex digits are post ids; the others are archive paths. With paths, every id must \
            be in them. --all marks every post of the given archives. One run is one change for undo.
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Mark unread instead of read.")
    var unread = false

    @Flag(help: "Mark every post in the given archives.")
    var all = false

    @Argument(help: ArgumentHelp("Post ids, then archive files or directories.", valueName: "id-or-path"))
    var arguments: [String] = []

    func run() throws {
        let (ids, paths) = try Self.split(arguments)
        let targets: [PostID]
        if all {
            guard ids.isEmpty else {
                throw CommandLineError.usage("--all and post ids given together", "pass either ids or --all")
            }
            targets = try ArchivePaths.loadDefaulting(paths, usage: "mark --all PATH", statePath: store.state).posts.map(\.id)
        } else {
            guard !ids.isEmpty else {
                throw CommandLineError.usage("no post id given", "pass ids from 'gazette list PATH', or --all PATH")
            }
            if !paths.isEmpty {
                let known = Set(try ArchivePaths.load(paths, usage: "mark ID PATH").posts.map(\.id))
                if let missing = ids.first(where: { !known.contains($0) }) {
                    throw CommandLineError.dataError("no post \(missing) in \(paths.joined(separator: ", "))",
                                                     "check the id with 'gazette list PATH'")
                }
            }
            targets = ids
        }
        try store.openForWriting().setRead(targets, read: !unread, at: Date())
    }

    /// Ids (16 hex digits) and paths (everything else that exists, or has a slash or a dot in it: a missing
    /// path is then reported by the loader). An argument of hex digits of the wrong length is a bad id; any
    /// other argument is neither.
    static func split(_ arguments: [String]) throws -> (ids: [PostID], paths: [String]) {
        var ids: [PostID] = []
        var paths: [String] = []
        for argument in arguments {
            if PostIDArgument.isPostID(argument) {
                ids.append(try PostIDArgument.parse(argument))
            } else if FileManager.default.fileExists(atPath: argument) || argument.contains("/")
                        || argument.contains(".") {
                paths.append(argument)
            } else if !argument.isEmpty, argument.allSatisfy(\.isHexDigit) {
                _ = try PostIDArgument.parse(argument)  // throws: not a post id
            } else {
                throw CommandLineError.usage("'\(argument)' is neither a post id nor an existing file",
                                             "pass ids as printed by 'gazette list PATH', then archive paths")
            }
        }
        return (ids, paths)
    }
}
