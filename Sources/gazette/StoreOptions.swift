import ArgumentParser
import Foundation
import ReadState

/// `--state PATH`, shared by every command, and opening the store it names.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The read-state database (default: $XDG_DATA_HOME/gazette/state.sqlite3).", valueName: "path"))
    var state: String?

    func location() throws -> StoreLocation {
        try StoreLocation.resolve(explicitPath: state, environment: ProcessInfo.processInfo.environment)
    }

    /// The store for a command that only reads marks. A store that does not exist yet is empty: reading
    /// creates no file and no directory.
    func openForReading() throws -> ReadStateStore {
        let location = try location()
        if !FileManager.default.fileExists(atPath: location.path) { return InMemoryReadStateStore() }
        return try SQLiteReadStateStore(path: location.path)
    }

    /// The store for a command that writes marks, created (with its default directory) when missing.
    func openForWriting() throws -> ReadStateStore {
        try SQLiteReadStateStore(location: location())
    }
}
