// CONTRACT placeholder (issue 13): `gazette marks export|import`.
import ArgumentParser

/// `gazette marks export [FILE]`, `gazette marks import FILE`: read marks as JSON Lines, between machines.
struct MarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marks",
        abstract: "Export read marks as JSON Lines, or merge such a file in (the later change of each post wins).",
        subcommands: [])

    func run() throws {
        throw CommandLineError.usage("marks export/import is not there yet", "issue 13")
    }
}
