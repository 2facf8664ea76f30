import Foundation
import XCTest

/// The `gazette` binary driven from tests: its non-interactive commands run directly (output
/// to a file, no terminal), the reader in a `TmuxSession`. Each instance has its own
/// `XDG_DATA_HOME` (read state starts empty and never touches the user's) and `XDG_CONFIG_HOME` (no
/// configuration file unless the test writes one there, at `configFile`).
struct GazetteHarness {
    struct Post: Equatable {
        var id: String
        var read: Bool
        var title: String
    }

    let binary: String
    let dataHome: String
    let archive: String

    init(test: XCTestCase, archive: String = Fixtures.seeds) throws {
        binary = try Fixtures.gazette()
        dataHome = try Fixtures.temporaryDirectory(for: test)
        self.archive = archive
    }

    /// Where the reader looks for its configuration file (`$XDG_CONFIG_HOME/gazette/config`).
    var configHome: String { dataHome + "/config-home" }
    var configFile: String { configHome + "/gazette/config" }

    /// Writes the configuration file the reader reads by default.
    func writeConfiguration(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: configHome + "/gazette", withIntermediateDirectories: true)
        try text.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    /// The environment every run gets.
    var environment: [String: String] {
        ["XDG_DATA_HOME": dataHome, "XDG_CONFIG_HOME": configHome]
    }

    /// Runs `gazette ARGS` without a terminal and returns its status and output.
    func run(_ arguments: [String]) throws -> Spawn.Result {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        env["COLUMNS"] = "80"
        return try Spawn.run([binary] + arguments, environment: env)
    }

    /// `gazette list ARCHIVE`, parsed (id, read, title per tab-separated line).
    func list() throws -> [Post] {
        let result = try run(["list", archive])
        guard result.status == 0 else {
            throw Spawn.Failure(description: "gazette list failed (\(result.status)): \(result.output)")
        }
        return result.output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { return nil }
            return Post(id: String(fields[0]), read: fields[1] == "read", title: String(fields[2]))
        }
    }

    /// A few words from the start of the post's body, as `gazette show` prints it: something
    /// that is on screen when the reading pane shows that post, whatever the pane's width.
    func bodyProbe(of post: Post) throws -> String {
        let result = try run(["show", post.id, archive])
        guard result.status == 0 else {
            throw Spawn.Failure(description: "gazette show failed (\(result.status)): \(result.output)")
        }
        // The header (title, byline) ends at the first blank line; the body follows.
        let lines = result.output.components(separatedBy: "\n")
        guard let blank = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }),
              let first = lines[(blank + 1)...].first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        else {
            throw Spawn.Failure(description: "no body in gazette show \(post.id): \(result.output)")
        }
        return Self.leadingWords(first.trimmingCharacters(in: .whitespaces), maxLength: 24)
    }

    /// The reader on the archive, in a tmux pane.
    func startReader(size: (columns: Int, rows: Int) = TmuxSession.defaultSize,
                     extraEnvironment: [String: String] = [:]) throws -> TmuxSession {
        try TmuxSession(command: [binary, archive], environment: environment.merging(extraEnvironment) { _, new in new },
                        size: size)
    }

    /// The reader with these arguments (none: the configured archives and the subscriptions), in a tmux pane.
    func startReader(arguments: [String], size: (columns: Int, rows: Int) = TmuxSession.defaultSize) throws -> TmuxSession {
        try TmuxSession(command: [binary] + arguments, environment: environment, size: size)
    }

    /// Where the subscriptions are (`$XDG_CONFIG_HOME/gazette/urls`).
    var urlsFile: String { configHome + "/gazette/urls" }

    /// Writes the urls file the reader and `fetch` read by default.
    func writeURLs(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: configHome + "/gazette", withIntermediateDirectories: true)
        try text.write(toFile: urlsFile, atomically: true, encoding: .utf8)
    }

    /// `gazette list` with no path (the subscriptions and configured archives), parsed.
    func listAll(_ extra: [String] = []) throws -> [Post] {
        let result = try run(["list"] + extra)
        guard result.status == 0 else {
            throw Spawn.Failure(description: "gazette list failed (\(result.status)): \(result.output)")
        }
        return result.output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { return nil }
            return Post(id: String(fields[0]), read: fields[1] == "read", title: String(fields[2]))
        }
    }

    /// The first words of `text` that fit in `maxLength` characters (at least one word).
    static func leadingWords(_ text: String, maxLength: Int) -> String {
        var result = ""
        for word in text.split(separator: " ") {
            let candidate = result.isEmpty ? String(word) : result + " " + word
            if candidate.count > maxLength, !result.isEmpty { break }
            result = candidate
        }
        return result
    }
}
