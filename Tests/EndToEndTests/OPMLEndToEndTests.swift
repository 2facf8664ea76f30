import Foundation
import TestServers
import XCTest

/// OPML in and out with the gazette binary: another reader's export imported (problems reported with their lines,
/// nothing fetched, `--dry-run` writing nothing), exported, imported into a fresh configuration with the same
/// result, and read by the real newsboat when it is installed.
final class OPMLEndToEndTests: XCTestCase {
    private var nginx: NginxServer?

    override func tearDown() {
        nginx?.stop()
        super.tearDown()
    }

    /// A Feedly-like export with nested folders, a duplicate in two folders, a Liferea command, an outline without
    /// a URL, a URL with a space, and a category path.
    static let feedly = """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="1.0">
          <head><title>Alice subscriptions in feedly Cloud</title></head>
          <body>
            <outline text="Tech" title="Tech">
              <outline type="rss" text="LWN" title="LWN" xmlUrl="https://lwn.example/headlines/rss" htmlUrl="https://lwn.example/"/>
              <outline text="Linux" title="Linux">
                <outline type="rss" text="Kernel &amp; Friends" title="Kernel &amp; Friends" xmlUrl="https://kernel.example/feed?a=1&amp;b=2"/>
              </outline>
            </outline>
            <outline text="News" title="News">
              <outline type="rss" text="LWN" title="LWN" xmlUrl="https://lwn.example/headlines/rss"/>
              <outline type="rss" text="Fortune" title="Fortune" xmlUrl="|touch PWNED"/>
              <outline type="rss" text="No URL" title="No URL"/>
              <outline type="rss" text="Spaced" title="Spaced" xmlUrl="https://spaced.example/a feed"/>
            </outline>
            <outline type="rss" text="Podcast" xmlUrl="https://podcast.example/rss" category="/Audio/Talk,two words"/>
            <outline type="rss" xmlUrl="https://untitled.example/atom"/>
          </body>
        </opml>
        """

    private func write(_ text: String, to name: String, in gazette: GazetteHarness) throws -> String {
        let path = gazette.dataHome + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testImportExportAndImportIntoAFreshConfigurationGiveTheSameFeeds() throws {
        let gazette = try GazetteHarness(test: self)
        // Already subscribed to LWN with another tag: the OPML's tags join it.
        try gazette.writeURLs("https://lwn.example/headlines/rss mine \"~My LWN\"\n")
        let opml = try write(Self.feedly, to: "feedly.opml", in: gazette)

        let dry = try gazette.run(["import", "--dry-run", opml])
        XCTAssertEqual(dry.status, 0, dry.output)
        XCTAssertTrue(dry.output.contains("would add https://kernel.example/feed?a=1&b=2 \"Kernel & Friends\" (tags: Tech, Linux)"),
                      dry.output)
        XCTAssertTrue(dry.output.contains("would add tags Tech, News to https://lwn.example/headlines/rss"), dry.output)
        XCTAssertTrue(dry.output.contains("nothing written (--dry-run)"), dry.output)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8),
                       "https://lwn.example/headlines/rss mine \"~My LWN\"\n", "--dry-run writes nothing")

        let imported = try gazette.run(["import", opml])
        XCTAssertEqual(imported.status, 0, imported.output)
        XCTAssertTrue(imported.output.contains("\(opml):13: outline \"Fortune\": xmlUrl is a command (|touch PWNED), "
            + "and commands are never run; skipped"), imported.output)
        XCTAssertTrue(imported.output.contains("\(opml):14: outline \"No URL\" (type rss) has no xmlUrl; skipped"), imported.output)
        XCTAssertTrue(imported.output.contains("\(opml):15: outline \"Spaced\": xmlUrl has a space in it"), imported.output)
        XCTAssertTrue(imported.output.contains(
            "Imported 4 subscriptions (3 new, 1 already there, tags added to 1); 3 outlines skipped; run gazette fetch to fetch them"),
                      imported.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/PWNED"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: gazette.dataHome + "/PWNED"))
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8), """
            https://lwn.example/headlines/rss mine "~My LWN" Tech News
            https://kernel.example/feed?a=1&b=2 Tech Linux "~Kernel & Friends"
            https://podcast.example/rss Audio Talk "two words" "~Podcast"
            https://untitled.example/atom

            """)
        let again = try gazette.run(["import", opml])
        XCTAssertTrue(again.output.contains("Imported 4 subscriptions (0 new, 4 already there, tags added to 0)"), again.output)

        let feeds = try gazette.run(["feeds", "--json"])
        XCTAssertEqual(feeds.status, 0, feeds.output)
        let exported = gazette.dataHome + "/exported.opml"
        let export = try gazette.run(["export", exported])
        XCTAssertEqual(export.status, 0, export.output)
        XCTAssertEqual(export.output, "Exported 4 subscriptions to \(exported)\n")
        let text = try String(contentsOfFile: exported, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"), text)
        XCTAssertTrue(text.contains("<outline text=\"mine\" title=\"mine\">"), text)
        XCTAssertTrue(text.contains("category=\"mine,Tech,News\""), text)

        // A fresh configuration imports the export, from standard input.
        let fresh = try GazetteHarness(test: self)
        var env = ProcessInfo.processInfo.environment
        env.merge(fresh.environment) { _, new in new }
        let piped = try Spawn.run(["/bin/sh", "-c", "exec \"$0\" import - < \"$1\"", fresh.binary, exported], environment: env)
        XCTAssertEqual(piped.status, 0, piped.output)
        XCTAssertTrue(piped.output.contains("Imported 4 subscriptions (4 new, 0 already there, tags added to 0)"), piped.output)
        let freshFeeds = try fresh.run(["feeds", "--json"])
        XCTAssertEqual(freshFeeds.output, feeds.output, "the same names, URLs and tags")
    }

    func testAFileThatIsNotOPMLIsRefusedWith65AndChangesNothing() throws {
        let gazette = try GazetteHarness(test: self)
        try gazette.writeURLs("https://a.example/feed\n")
        let rss = try write("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title></channel></rss>",
                            to: "feed.xml", in: gazette)
        let refused = try gazette.run(["import", rss])
        XCTAssertEqual(refused.status, 65, refused.output)
        XCTAssertEqual(refused.output, "gazette: \(rss) is a feed, not OPML (its root element is <rss>): subscribe to it "
            + "with gazette add URL (gazette import takes an OPML file)\n")
        let html = try write("<!DOCTYPE html><html><body>hi</body></html>", to: "page.html", in: gazette)
        let page = try gazette.run(["import", html])
        XCTAssertEqual(page.status, 65, page.output)
        XCTAssertTrue(page.output.contains("is an HTML page, not OPML"), page.output)
        let missing = try gazette.run(["import", gazette.dataHome + "/nothing.opml"])
        XCTAssertEqual(missing.status, 66, missing.output)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8), "https://a.example/feed\n")
    }

    func testACutShortFileImportsWhatCameBeforeTheCut() throws {
        let gazette = try GazetteHarness(test: self)
        let cut = try write(String(Self.feedly.prefix(upTo: Self.feedly.range(of: "feed?a=1")!.lowerBound)),
                            to: "cut.opml", in: gazette)
        let imported = try gazette.run(["import", cut])
        XCTAssertEqual(imported.status, 0, imported.output)
        XCTAssertTrue(imported.output.contains("\(cut):8: outline \"Kernel & Friends\" is damaged"), imported.output)
        XCTAssertTrue(imported.output.contains("unclosed <outline> (opened on line 5) at end of file"), imported.output)
        XCTAssertEqual(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8),
                       "https://lwn.example/headlines/rss Tech \"~LWN\"\n")
    }

    func testExportNamesFeedsByTheirTitlesOnceFetched() throws {
        guard NginxServer.isInstalled else {
            throw XCTSkip("nginx is not installed (apt-get install nginx-light; make test installs it)")
        }
        let root = try Fixtures.temporaryDirectory(for: self) + "/www"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try SubscriptionsEndToEndTests.rss("Pyongyang Watch", "watch", items: 2)
            .write(toFile: root + "/watch.xml", atomically: true, encoding: .utf8)
        let server = try NginxServer(root: root)
        nginx = server
        let gazette = try GazetteHarness(test: self)
        try gazette.writeURLs("\(server.url("/watch.xml")) korea\n")
        let fetched = try gazette.run(["fetch"])
        XCTAssertEqual(fetched.status, 0, fetched.output)
        let export = try gazette.run(["export"])
        XCTAssertEqual(export.status, 0, export.output)
        XCTAssertTrue(export.output.contains("<outline type=\"rss\" text=\"Pyongyang Watch\" title=\"Pyongyang Watch\" "
            + "xmlUrl=\"\(server.url("/watch.xml"))\" htmlUrl=\"https://watch.example/\" category=\"korea\"/>"), export.output)
    }

    /// newsboat's own import of our export: the same URLs, and the same tags as far as that newsboat reads them
    /// (before 2.33 it reads only the folder, the first tag; from 2.33 on also `category`, every tag).
    func testNewsboatImportsTheExportWithTheSameTags() throws {
        let newsboat = "/usr/bin/newsboat"
        guard FileManager.default.isExecutableFile(atPath: newsboat) else {
            throw XCTSkip("newsboat is not installed (apt-get install newsboat): its import of our OPML is not checked")
        }
        let gazette = try GazetteHarness(test: self)
        let ours: [(url: String, tags: [String])] = [
            ("https://lwn.example/headlines/rss", ["Tech", "News"]),
            ("https://untagged.example/feed", []),
            ("https://kernel.example/feed?a=1&b=2", ["Tech", "two words"]),
            ("https://unicode.example/", ["newsboat/style", "Ünï"]),
            ("https://podcast.example/rss", ["Audio"]),
        ]
        try gazette.writeURLs("""
            https://lwn.example/headlines/rss Tech News "~LWN dot net"
            https://untagged.example/feed
            https://kernel.example/feed?a=1&b=2 Tech "two words"
            https://unicode.example/ newsboat/style Ünï "~Unicode & Co"
            https://podcast.example/rss Audio

            """)
        let exported = gazette.dataHome + "/exported.opml"
        let export = try gazette.run(["export", exported])
        XCTAssertEqual(export.status, 0, export.output)

        let home = gazette.dataHome + "/newsboat-home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let urls = home + "/urls"
        _ = FileManager.default.createFile(atPath: urls, contents: Data())
        let environment = ["HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        let version = try Spawn.run([newsboat, "-v"], environment: environment).output
        let imported = try Spawn.run([newsboat, "-i", exported, "-u", urls, "-c", home + "/cache.db", "-C", "/dev/null"],
                                     environment: environment)
        XCTAssertEqual(imported.status, 0, imported.output)
        let theirs = try Self.newsboatURLs(String(contentsOfFile: urls, encoding: .utf8))
        XCTAssertEqual(theirs.map(\.url).sorted(), ours.map(\.url).sorted(), "the same subscriptions")
        let readsCategories = Self.versionAtLeast(2, 33, in: version)
        for (url, tags) in ours {
            let got = theirs.first { $0.url == url }?.tags ?? []
            if readsCategories {
                XCTAssertEqual(Set(got), Set(tags), url)
            } else {
                XCTAssertEqual(got, Array(tags.prefix(1)), "\(url): this newsboat reads folders only (\(version.prefix(20)))")
            }
        }
    }

    /// newsboat's urls lines: URL, then tags (quoted or not); `~name` tokens left out.
    static func newsboatURLs(_ text: String) throws -> [(url: String, tags: [String])] {
        var result: [(url: String, tags: [String])] = []
        for line in text.split(separator: "\n") {
            var tokens: [String] = []
            var current = ""
            var inQuotes = false
            var started = false
            var escaped = false
            for c in line {
                if escaped {
                    current.append(c)
                    escaped = false
                } else if c == "\\" && inQuotes {
                    escaped = true
                } else if c == "\"" {
                    inQuotes.toggle()
                    started = true
                } else if (c == " " || c == "\t") && !inQuotes {
                    if started { tokens.append(current) }
                    current = ""
                    started = false
                } else {
                    current.append(c)
                    started = true
                }
            }
            if started { tokens.append(current) }
            guard let url = tokens.first, !url.hasPrefix("#") else { continue }
            result.append((url, tokens.dropFirst().filter { !$0.hasPrefix("~") }))
        }
        return result
    }

    /// Whether `newsboat -v`'s first line names a version at least `major.minor`.
    static func versionAtLeast(_ major: Int, _ minor: Int, in version: String) -> Bool {
        let words = version.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let number = words.dropFirst().first else { return false }
        let parts = number.drop(while: { !$0.isNumber }).split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return false }
        return parts[0] > major || parts[0] == major && parts[1] >= minor
    }
}
