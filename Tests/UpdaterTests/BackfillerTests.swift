import Foundation
import Posts
import ReadState
import Subscriptions
import TestServers
import XCTest
@testable import Updater

/// Walking feeds' histories against the fault server: each paging scheme, where it stops, and resuming.
final class BackfillerTests: XCTestCase {
    private func atom(_ title: String, ids: ClosedRange<Int>, links: [(rel: String, href: String)], archive: Bool = false) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0">
            <title>\(title)</title><id>urn:feed:\(title)</id><updated>2020-04-30T00:00:00Z</updated>
            \(archive ? "<fh:archive/>" : "")

            """
        for (rel, href) in links { xml += "<link rel=\"\(rel)\" href=\"\(href)\"/>\n" }
        for i in ids.reversed() {
            xml += "<entry><id>urn:entry:\(i)</id><title>Entry \(i)</title>"
                + "<updated>2020-04-\(String(format: "%02d", i))T08:00:00Z</updated><content>Text \(i)</content></entry>\n"
        }
        return xml + "</feed>\n"
    }

    private func backfiller(_ fixture: UpdaterFixture, pages: Int = 1000) -> Backfiller {
        var settings = UpdateSettings(force: true)
        settings.fetch.totalTimeout = 5
        return Backfiller(storePath: fixture.storePath, settings: settings, pageLimit: pages, delay: 0)
    }

    func testRFC5005ArchivesAreWalkedBackToTheFirst() throws {
        let fixture = try UpdaterFixture()
        let server = try FaultServer(routes: [:])
        defer { server.stop() }
        let type = "application/atom+xml"
        server.setRoute("/feed", .feed(atom("Arch", ids: 7...9, links: [("prev-archive", "/archive/2")]), type: type))
        server.setRoute("/archive/2", .feed(atom("Arch", ids: 4...6, links: [("prev-archive", "/archive/1")], archive: true), type: type))
        server.setRoute("/archive/1", .feed(atom("Arch", ids: 1...3, links: [], archive: true), type: type))
        let outcome = try backfiller(fixture).run(Subscription(url: server.url("/feed")))
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.newIDs.count, 9)
        XCTAssertEqual(outcome.state?.strategy, .archived)
        XCTAssertEqual(try fixture.store().itemCount(), 9)
        XCTAssertEqual(["/feed", "/archive/2", "/archive/1"].map(server.requestCount), [1, 1, 1])
    }

    func testJSONFeedNextURLIsFollowedUntilAPageHasNothingNew() throws {
        let fixture = try UpdaterFixture()
        func page(_ ids: [Int], next: String?) -> FaultBehaviour {
            let items = ids.map { "{\"id\":\"j\($0)\",\"title\":\"Note \($0)\",\"content_text\":\"n\($0)\",\"date_published\":\"2020-04-\(String(format: "%02d", $0))T00:00:00Z\"}" }
            let nextField = next.map { ",\"next_url\":\"\($0)\"" } ?? ""
            return .feed("{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Notes\"\(nextField),\"items\":[\(items.joined(separator: ","))]}",
                         type: "application/feed+json")
        }
        let server = try FaultServer(routes: [:])
        defer { server.stop() }
        server.setRoute("/feed.json", page([9, 8, 7], next: server.url("/feed.json?page=2")))
        server.setRoute("/feed.json?page=2", page([6, 5, 4], next: server.url("/feed.json?page=3")))
        // The last page repeats what is stored: the walk stops there.
        server.setRoute("/feed.json?page=3", page([6, 5], next: server.url("/feed.json?page=4")))
        let outcome = try backfiller(fixture).run(Subscription(url: server.url("/feed.json")))
        XCTAssertEqual(outcome.state?.strategy, .jsonNext)
        XCTAssertEqual(try fixture.store().itemCount(), 6)
        XCTAssertTrue(outcome.summary.contains("no new items"), outcome.summary)
        XCTAssertEqual(server.requestCount("/feed.json?page=4"), 0)
    }

    func testAnInterruptedWalkResumesWhereItStopped() throws {
        let fixture = try UpdaterFixture()
        let wordpress = "https://wordpress.org/?v=6.4"
        func page(_ range: ClosedRange<Int>) -> FaultBehaviour {
            var xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>WP</title><generator>\(wordpress)</generator>"
            for i in range.reversed() {
                xml += "<item><title>P\(i)</title><guid>wp-\(i)</guid><pubDate>\(String(format: "%02d", i)) Apr 2020 08:00:00 GMT</pubDate></item>"
            }
            return .feed(xml + "</channel></rss>")
        }
        let server = try FaultServer(routes: ["/feed/": page(7...9), "/feed/?paged=2": page(4...6),
                                              "/feed/?paged=3": .respond(status: 503), "/feed/?paged=4": .respond(status: 404)])
        defer { server.stop() }
        let subscription = Subscription(url: server.url("/feed/"))
        let first = try backfiller(fixture).run(subscription)
        XCTAssertNotNil(first.error, "a 503 stops the walk with an error")
        XCTAssertTrue(first.summary.contains("run backfill again to resume"), first.summary)
        XCTAssertEqual(try fixture.store().itemCount(), 6)

        server.setRoute("/feed/?paged=3", page(1...3))
        let second = try backfiller(fixture).run(subscription)
        XCTAssertNil(second.error, second.summary)
        XCTAssertEqual(try fixture.store().itemCount(), 9)
        XCTAssertEqual(server.requestCount("/feed/"), 1, "the first page is not fetched again")
        XCTAssertEqual(server.requestCount("/feed/?paged=2"), 1, "nor the second")
        XCTAssertEqual(server.requestCount("/feed/?paged=3"), 2)
        XCTAssertEqual(server.requestCount("/feed/?paged=4"), 1)
    }

    func testTheFaultsOfOneFeedNeverStopTheOthers() throws {
        let fixture = try UpdaterFixture()
        let ok = rss("Fine", items: numbered("f", 2))
        let server = try FaultServer(routes: [
            "/ok.xml": .feed(ok),
            "/bomb.xml": .gzipBomb(decodedSize: 8 << 20),
            "/loop.xml": .redirect(302, to: "/loop2.xml"),
            "/loop2.xml": .redirect(302, to: "/loop.xml"),
            "/reset.xml": .resetAfter(bytes: 100, claimed: 5000),
            "/wrong-type.xml": .feed(rss("Typed", items: numbered("t", 2)), type: "text/html"),
        ])
        defer { server.stop() }
        let updater = fixture.updater { $0.fetch.maxBytes = 1 << 20 }
        let results = try UpdaterTests.run(updater, ["/ok.xml", "/bomb.xml", "/loop.xml", "/reset.xml", "/wrong-type.xml"]
            .map { Subscription(url: server.url($0)) })
        XCTAssertEqual(results[server.url("/ok.xml")]?.result, .fetched(new: 2, changed: 0))
        XCTAssertEqual(results[server.url("/wrong-type.xml")]?.result, .fetched(new: 2, changed: 0),
                       "the content says what it is, not the Content-Type")
        for (path, words) in [("/bomb.xml", "size limit"), ("/loop.xml", "loop"), ("/reset.xml", "reset")] {
            guard case .failed(let reason) = results[server.url(path)]?.result else {
                XCTFail("\(path) did not fail: \(String(describing: results[server.url(path)]?.result))")
                continue
            }
            XCTAssertTrue(reason.lowercased().contains(words), "\(path): \(reason)")
        }
        XCTAssertEqual(server.requestCount("/loop.xml"), 1, "a loop is noticed, not walked")
    }
}
