import Foundation
import Posts
import ReadState
import Subscriptions
import TestServers
import XCTest
@testable import Updater

/// A temporary folder with a store, and feeds written as files for nginx to serve.
final class UpdaterFixture {
    let directory: String
    let root: String
    var storePath: String { directory + "/state.sqlite3" }

    init() throws {
        let base = FileManager.default.temporaryDirectory.path + "/gazette-updater-\(UUID().uuidString)"
        directory = base
        root = base + "/www"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func write(_ name: String, _ text: String) throws {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func updater(force: Bool = false, minInterval: Int = 900, configure: (inout UpdateSettings) -> Void = { _ in }) -> FeedUpdater {
        var settings = UpdateSettings(minInterval: minInterval, force: force)
        settings.fetch.connectTimeout = 5
        settings.fetch.totalTimeout = 10
        configure(&settings)
        return FeedUpdater(storePath: storePath, settings: settings)
    }

    func store() throws -> ItemStore { try ItemStore(path: storePath) }
}

/// An RSS 2.0 feed titled `title` with items `items` (guid, title, body), newest first.
func rss(_ title: String, items: [(guid: String, title: String, body: String)], extraChannel: String = "") -> String {
    var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>\(title)</title>
        <link>https://example.org/\(title.lowercased().replacingOccurrences(of: " ", with: "-"))/</link>
        \(extraChannel)
        """
    for (i, item) in items.enumerated() {
        xml += """
            <item><guid>\(item.guid)</guid><title>\(item.title)</title>
            <pubDate>Tue, \(String(format: "%02d", 28 - i % 27)) Apr 2020 09:00:00 GMT</pubDate>
            <description>&lt;p&gt;\(item.body)&lt;/p&gt;</description></item>

            """
    }
    return xml + "</channel></rss>\n"
}

/// `n` items `prefix-1` … `prefix-n`.
func numbered(_ prefix: String, _ n: Int, from first: Int = 1) -> [(guid: String, title: String, body: String)] {
    (first..<(first + n)).map { ("\(prefix)-\($0)", "\(prefix) post \($0)", "Body of \(prefix) post \($0).") }
}

/// Runs an update and returns the results by URL.
@discardableResult
func run(_ updater: FeedUpdater, _ subscriptions: [Subscription]) throws -> [String: FeedUpdate] {
    let updates = try updater.update(subscriptions) { _, _, _ in }
    return Dictionary(updates.map { ($0.subscription.url, $0) }, uniquingKeysWith: { a, _ in a })
}

func skipUnlessNginx() throws {
    guard NginxServer.isInstalled else { throw XCTSkip("nginx is not installed (apt-get install nginx-light; make test installs it)") }
}
