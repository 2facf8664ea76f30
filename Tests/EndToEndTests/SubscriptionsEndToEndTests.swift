import Foundation
import TestServers
import XCTest

/// Subscriptions as a person uses them: feeds served by a real nginx on 127.0.0.1 (and the fault server for a
/// WordPress archive), subscribed with `gazette add` or a newsboat-style urls file, fetched by `gazette fetch` and
/// by `R` in the reader, read offline afterwards.
final class SubscriptionsEndToEndTests: XCTestCase {
    private var nginx: NginxServer?

    override func tearDown() {
        nginx?.stop()
        super.tearDown()
    }

    static func rss(_ title: String, _ slug: String, items: Int, from first: Int = 1) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>\(title)</title><link>https://\(slug).example/</link>

            """
        for i in (first..<(first + items)).reversed() {
            xml += """
                <item><title>\(title) story \(i)</title><link>https://\(slug).example/\(i)</link>
                <guid>\(slug)-\(i)</guid><pubDate>\(day(i)) Apr 2020 0\(i % 10):00:00 GMT</pubDate>
                <description>&lt;p&gt;Body of \(slug) story \(i): lorem ipsum.&lt;/p&gt;</description></item>

                """
        }
        return xml + "</channel></rss>\n"
    }

    private static func day(_ i: Int) -> String { String(format: "Tue, %02d", 1 + i % 28) }

    /// Three feeds and a web page that links to the third, served by nginx.
    private func serve() throws -> (NginxServer, String) {
        guard NginxServer.isInstalled else {
            throw XCTSkip("nginx is not installed (apt-get install nginx-light; make test installs it)")
        }
        let root = try Fixtures.temporaryDirectory(for: self) + "/www"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Self.rss("Pyongyang Watch", "watch", items: 3).write(toFile: root + "/watch.xml", atomically: true, encoding: .utf8)
        try Self.rss("Seoul Desk", "desk", items: 2).write(toFile: root + "/desk.xml", atomically: true, encoding: .utf8)
        try Self.rss("Border Notes", "border", items: 4).write(toFile: root + "/border.rss", atomically: true, encoding: .utf8)
        try """
            <!doctype html><html><head><title>Border Notes</title>
            <link rel="alternate" type="application/rss+xml" title="Border Notes" href="/border.rss">
            </head><body><p>Welcome</p></body></html>
            """.write(toFile: root + "/border.html", atomically: true, encoding: .utf8)
        let server = try NginxServer(root: root, locations: "location = /gone.xml { return 410; }")
        nginx = server
        return (server, root)
    }

    func testSubscribeFetchReadMarkAndReadItAllAgainOffline() throws {
        let (server, _) = try serve()
        let gazette = try GazetteHarness(test: self)
        // A newsboat user's urls file: a comment, tags, a display name, a query feed Gazette does not run.
        try gazette.writeURLs("""
            # my feeds
            \(server.url("/watch.xml")) korea "~The Watch"
            \(server.url("/desk.xml")) korea seoul
            "query:Unread:unread = \\"yes\\""

            """)
        let added = try gazette.run(["add", server.url("/border.html"), "border"])
        XCTAssertEqual(added.status, 0, added.output)
        XCTAssertTrue(added.output.contains("Subscribed to Border Notes"), added.output)
        XCTAssertTrue(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8)
                        .contains("\(server.url("/border.rss")) border"), "the page's feed is what is subscribed")

        let reader = try gazette.startReader(arguments: [])
        defer { reader.close() }
        try reader.waitFor(text: "Border Notes story 4")
        try reader.send(keys: "R")
        try reader.waitFor(text: "Fetched 3 feeds")
        try reader.waitFor(text: "Pyongyang Watch story 3")
        let screen = try reader.capture()
        XCTAssertTrue(screen.contains("Seoul Desk story 2"), screen)
        XCTAssertTrue(screen.contains("5 new"), "the status counts the new posts:\n\(screen)")
        // Read the newest post: Enter marks it read.
        try reader.send(keys: "g", "Enter")
        try reader.waitFor(text: "lorem ipsum")
        try reader.send(keys: "Tab", "q")
        XCTAssertEqual(reader.exitStatus(), 0)

        server.stop()
        let offline = try gazette.listAll()
        XCTAssertEqual(offline.count, 9, "every post fetched is there without the network")
        XCTAssertEqual(offline.filter(\.read).count, 1, "and the mark made in the reader")

        let again = try gazette.startReader(arguments: [])
        defer { again.close() }
        try again.waitFor(text: "Seoul Desk story 2")
        try again.send(keys: "q")
    }

    func testFetchIsSilentWhenAllIsWellAndSaysWhichFeedFailed() throws {
        let (server, _) = try serve()
        let gazette = try GazetteHarness(test: self)
        try gazette.writeURLs("\(server.url("/watch.xml"))\n\(server.url("/desk.xml")) seoul\n")
        let quiet = try gazette.run(["fetch"])
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.output, "", "silent when all is well")
        XCTAssertEqual(try gazette.listAll().count, 5)

        try gazette.writeURLs("\(server.url("/watch.xml"))\n\(server.url("/missing.xml")) \"~Lost\"\n\(server.url("/gone.xml"))\n")
        let failing = try gazette.run(["fetch", "--force"])
        XCTAssertEqual(failing.status, 75, failing.output)
        let lines = failing.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, failing.output)
        XCTAssertTrue(lines.contains("gazette: Lost (\(server.url("/missing.xml"))): HTTP 404 Not Found"), failing.output)
        XCTAssertTrue(lines.contains { $0.contains("gone.xml") && $0.contains("410") }, failing.output)

        let feeds = try gazette.run(["feeds", "--json"])
        XCTAssertEqual(feeds.status, 0, feeds.output)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(feeds.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.count, 3)
        let lost = try XCTUnwrap(objects.first { $0["name"] as? String == "Lost" })
        XCTAssertEqual(lost["status"] as? Int, 404)
        XCTAssertEqual(lost["error"] as? String, "HTTP 404 Not Found")
        XCTAssertNotNil(lost["errorSince"] as? String)
        let watch = try XCTUnwrap(objects.first { $0["url"] as? String == server.url("/watch.xml") })
        XCTAssertEqual(watch["items"] as? Int, 3)
        XCTAssertEqual(watch["name"] as? String, "Pyongyang Watch")
        XCTAssertEqual(objects.first { $0["url"] as? String == server.url("/gone.xml") }?["gone"] as? Bool, true)
    }

    func testAPageWithSeveralFeedsListsThemAndRemoveForgetsTheItems() throws {
        let (server, root) = try serve()
        try """
            <html><head>
            <link rel="alternate" type="application/rss+xml" title="Watch" href="watch.xml">
            <link rel="alternate" type="application/rss+xml" title="Desk" href="desk.xml">
            </head></html>
            """.write(toFile: root + "/both.html", atomically: true, encoding: .utf8)
        let gazette = try GazetteHarness(test: self)
        let both = try gazette.run(["add", server.url("/both.html")])
        XCTAssertEqual(both.status, 65, both.output)
        XCTAssertTrue(both.output.contains(server.url("/watch.xml")) && both.output.contains(server.url("/desk.xml")),
                      both.output)
        XCTAssertTrue(both.output.contains("add the one you want"), both.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: gazette.urlsFile), "nothing subscribed")

        XCTAssertEqual(try gazette.run(["add", server.url("/desk.xml"), "--name", "Desk"]).status, 0)
        XCTAssertEqual(try gazette.run(["add", server.url("/watch.xml")]).status, 0)
        XCTAssertEqual(try gazette.listAll().count, 5)
        let removed = try gazette.run(["remove", "Desk"])
        XCTAssertEqual(removed.status, 0, removed.output)
        XCTAssertTrue(removed.output.contains("2 items forgotten"), removed.output)
        XCTAssertEqual(try gazette.listAll().count, 3)
        XCTAssertFalse(try String(contentsOfFile: gazette.urlsFile, encoding: .utf8).contains("desk.xml"))
    }

    func testBackfillBringsBackAWordPressAuthorsWholeArchive() throws {
        // A WordPress author feed of 10 posts a page, 3 pages, then 404 (as WordPress answers past the last page).
        func page(_ n: Int) -> FaultBehaviour {
            let newest = 30 - (n - 1) * 10
            var xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Grant Montgomery, Author at Example News</title>
                <link>https://news.example/author/grant-montgomery/</link>
                <generator>https://wordpress.org/?v=6.4.2</generator>

                """
            for i in stride(from: newest, to: newest - 10, by: -1) {
                xml += "<item><title>Dispatch \(i)</title><guid>https://news.example/?p=\(i)</guid>"
                    + "<pubDate>\(String(format: "%02d", i)) Mar 2020 08:00:00 GMT</pubDate>"
                    + "<description>Dispatch number \(i).</description></item>\n"
            }
            return .feed(xml + "</channel></rss>\n")
        }
        let feedPath = "/author/grant-montgomery/feed/"
        let server = try FaultServer(routes: [
            feedPath: page(1), feedPath + "?paged=2": page(2), feedPath + "?paged=3": page(3),
            feedPath + "?paged=4": .respond(status: 404),
        ])
        defer { server.stop() }
        let gazette = try GazetteHarness(test: self)
        try gazette.writeConfiguration("set backfill-delay 0\n")
        XCTAssertEqual(try gazette.run(["add", server.url(feedPath), "--name", "Grant"]).status, 0)
        XCTAssertEqual(try gazette.listAll().count, 10, "the feed itself: the last ten posts")
        let backfill = try gazette.run(["backfill", "Grant"])
        XCTAssertEqual(backfill.status, 0, backfill.output)
        XCTAssertTrue(backfill.output.contains("Grant: 20 new items"), backfill.output)
        let all = try gazette.listAll()
        XCTAssertEqual(all.count, 30, "the whole archive")
        XCTAssertEqual(all.first?.title, "Dispatch 30")
        XCTAssertEqual(server.requestCount(feedPath + "?paged=4"), 1, "stopped at the 404")
        XCTAssertEqual(server.requestCount(feedPath + "?paged=5"), 0)
    }
}
