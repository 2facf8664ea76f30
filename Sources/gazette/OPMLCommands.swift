import ArgumentParser
import Foundation
import Interop
import ReadState
import Subscriptions
import TextCells

/// `gazette import FILE.opml|-`: the OPML file's feeds into the urls file (new ones added with their tags and
/// names, tags merged into the ones already there). Nothing is fetched, nothing in the file is ever run.
enum OPMLImport {
    /// Larger than any subscription list (100,000 outlines take about 15 MB).
    static let sizeLimit = 256 << 20

    static func run(file: String, dryRun: Bool, store: StoreOptions, urls: SubscriptionOptions) throws {
        let (bytes, shown) = try read(file)
        let feeds: [OPMLFeed]
        let problems: [OPMLProblem]
        do {
            (feeds, problems) = try OPML.read(bytes)
        } catch {
            throw CommandLineError.dataError("\(shown) \(error.message)", "gazette import takes an OPML file")
        }
        for problem in problems { ErrorReport.printWarning("\(shown):\(problem.line): \(problem.message)") }

        var subscriptions = try urls.load()
        let existing = Dictionary(subscriptions.subscriptions.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        var new: [Subscription] = []
        var tagChanges: [String: [String]] = [:]
        for feed in feeds {
            if let there = existing[feed.url] {
                let missing = feed.tags.filter { !there.tags.contains($0) }
                if !missing.isEmpty { tagChanges[feed.url] = missing }
            } else {
                new.append(Subscription(url: feed.url, tags: feed.tags, name: feed.name, line: feed.line))
            }
        }
        let output = StandardOutput()
        if dryRun {
            for subscription in new {
                var line = "would add \(subscription.url)"
                if let name = subscription.name { line += " \"\(name)\"" }
                if !subscription.tags.isEmpty { line += " (tags: \(subscription.tags.joined(separator: ", ")))" }
                try output.line(Sanitizer.clean(line))
            }
            for feed in feeds {
                guard let tags = tagChanges[feed.url] else { continue }
                try output.line(Sanitizer.clean("would add tags \(tags.joined(separator: ", ")) to \(feed.url)"))
            }
        } else if !new.isEmpty || !tagChanges.isEmpty {
            _ = subscriptions.file.add(new)
            _ = subscriptions.file.addTags(tagChanges)
            try subscriptions.save()
        }
        let already = feeds.count - new.count
        let skipped = problems.filter(\.isSkippedOutline).count
        var summary = "\(dryRun ? "Would import" : "Imported") \(feeds.count) subscription\(feeds.count == 1 ? "" : "s")"
        summary += " (\(new.count) new, \(already) already there, tags added to \(tagChanges.count))"
        if skipped > 0 { summary += "; \(skipped) outline\(skipped == 1 ? "" : "s") skipped" }
        if dryRun {
            summary += "; nothing written (--dry-run)"
        } else if !new.isEmpty {
            summary += "; run gazette fetch to fetch them"
        }
        try output.line(Sanitizer.clean(summary))
        try output.flush()
    }

    /// The file's bytes (`-`: standard input) and how to name it in messages.
    private static func read(_ file: String) throws -> ([UInt8], String) {
        if file == "-" {
            guard isatty(STDIN_FILENO) == 0 else {
                throw CommandLineError.usage("standard input is a terminal", "pipe an OPML file in: gazette import - < FILE")
            }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard data.count <= sizeLimit else {
                throw CommandLineError.dataError("standard input is larger than 256 MB", "is it an OPML file?")
            }
            return ([UInt8](data), "-")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw CommandLineError.noInput("cannot read \(file): no such file", "check the path")
        }
        guard !isDirectory.boolValue else {
            throw CommandLineError.noInput("\(file) is a folder", "give the OPML file")
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            defer { try? handle.close() }
            data = try handle.read(upToCount: sizeLimit + 1) ?? Data()
        } catch {
            throw CommandLineError.noInput("cannot read \(file): \(error.localizedDescription)", "check its permissions")
        }
        guard data.count <= sizeLimit else {
            throw CommandLineError.dataError("\(file) is larger than 256 MB", "is it an OPML file?")
        }
        return ([UInt8](data), file)
    }
}

extension OPMLProblem {
    /// An outline left out (rather than a note on the file).
    var isSkippedOutline: Bool { message.hasSuffix("; skipped") }
}

/// `gazette export [FILE]`: the subscriptions as OPML 2.0.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the subscriptions as OPML 2.0 (tags as categories and folders).",
        discussion: "Each feed sits in a folder named after its first tag (untagged ones at the top level), every tag "
            + "is in its category attribute, and its name is the urls file's ~name, else the feed's own title. "
            + "gazette import reads it back as it was; so does newsboat -i.")
    @OptionGroup var urls: SubscriptionOptions
    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Where to write it (default: standard output).", valueName: "file"))
    var file: String?

    func run() throws {
        let subscriptions = try urls.load()
        // Titles and site links from the store; without them (no store, a damaged one) the export goes on.
        var rows: [String: FeedState] = [:]
        let path = try store.location().path
        if FileManager.default.fileExists(atPath: path) {
            do {
                let itemStore = try ItemStore(path: path, readOnly: true)
                for row in try itemStore.feedRows() where rows[row.url] == nil { rows[row.url] = row }
            } catch {
                ErrorReport.printWarning("cannot read the feeds' titles from \(path) (\(error)): names are the urls "
                    + "file's, else the URLs")
            }
        }
        let feeds = subscriptions.subscriptions.map { subscription in
            let row = rows[subscription.url]
            return OPMLFeed(url: subscription.url, name: subscription.name ?? row?.title, siteURL: row?.siteLink,
                            tags: subscription.tags, line: subscription.line)
        }
        let text = OPML.write(feeds)
        guard let file, file != "-" else {
            let output = StandardOutput()
            try output.write(text)
            try output.flush()
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw CommandLineError.ioError("cannot write \(file): \(error.localizedDescription)",
                                           "check the folder and its permissions")
        }
        print(Sanitizer.clean("Exported \(feeds.count) subscription\(feeds.count == 1 ? "" : "s") to \(file)"))
    }
}
