import ArgumentParser
import Configuration
import Foundation
import ReadState
import Subscriptions
import Updater

/// `--urls PATH`, and reading and writing the urls file it (or the default location) names.
struct SubscriptionOptions: ParsableArguments {
    @Option(name: .customLong("urls"), help: ArgumentHelp(
        "The subscriptions file, in newsboat's urls syntax (default: $XDG_CONFIG_HOME/gazette/urls).", valueName: "path"),
            completion: .file())
    var path: String?

    init() {}

    init(path: String?) { self.path = path }

    /// The file's path: the one given, else beside the configuration file.
    func resolvedPath() throws -> String {
        if let path { return path }
        guard let config = ConfigurationLocation.defaultPath(environment: ProcessInfo.processInfo.environment) else {
            throw CommandLineError.usage("no home directory to keep the subscriptions in", "set HOME or pass --urls PATH")
        }
        return (config as NSString).deletingLastPathComponent + "/urls"
    }

    /// The urls file (empty when there is none), its problems printed as warnings (`FILE:LINE: message`) unless
    /// `quiet`.
    func load(quiet: Bool = false) throws -> SubscriptionsFile {
        let path = try resolvedPath()
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            if self.path != nil {
                throw CommandLineError.noInput("cannot read the subscriptions file \(path): no such file",
                                               "check the path given to --urls")
            }
            return SubscriptionsFile(path: path, file: UrlsFile(text: ""), exists: false)
        } catch {
            throw CommandLineError.noInput("cannot read the subscriptions file \(path): \(error.localizedDescription)",
                                           "check its permissions")
        }
        guard data.count <= 16 << 20 else {
            throw CommandLineError.dataError("the subscriptions file \(path) is larger than 16 MB", "is it the right file?")
        }
        let file = UrlsFile(text: String(decoding: data, as: UTF8.self))
        if !quiet {
            for problem in file.problems { ErrorReport.printWarning("\(path):\(problem)") }
        }
        return SubscriptionsFile(path: path, file: file, exists: true)
    }
}

/// The urls file as read, and writing it back (atomically: a new file renamed over the old one).
struct SubscriptionsFile {
    var path: String
    var file: UrlsFile
    var exists: Bool

    var subscriptions: [Subscription] { file.subscriptions }

    func save() throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandLineError.ioError("cannot write the subscriptions file \(path): \(error.localizedDescription)",
                                           "check the folder's permissions")
        }
    }

    /// The subscriptions `names` selects: each name is a display name or title (any case), a URL, or a tag. No
    /// names: all of them. An unknown name is a usage error that lists what there is.
    func select(_ names: [String], states: [String: FeedState]) throws -> [Subscription] {
        guard !names.isEmpty else { return subscriptions }
        var chosen: [Subscription] = []
        for name in names {
            let lower = name.lowercased()
            let matches = subscriptions.filter { subscription in
                subscription.url == name || subscription.tags.contains(name)
                    || FeedUpdater.name(of: subscription, state: states[subscription.url]).lowercased() == lower
            }
            guard !matches.isEmpty else {
                throw CommandLineError.usage("no subscription, title or tag is called '\(name)'",
                                             "gazette feeds lists them")
            }
            for match in matches where !chosen.contains(where: { $0.url == match.url }) { chosen.append(match) }
        }
        return chosen
    }
}
