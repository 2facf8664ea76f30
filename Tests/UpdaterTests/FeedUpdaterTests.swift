import Foundation
import Posts
import ReadState
import Subscriptions
import TestServers
import XCTest
@testable import Updater

/// Fetching subscriptions from a real nginx on 127.0.0.1 (and the fault server for what nginx will not do).
final class FeedUpdaterTests: XCTestCase {
    func testFirstFetchStoresEveryItemAndTheSecondIsA304WithoutParsing() throws {
        try skipUnlessNginx()
        let fixture = try UpdaterFixture()
        try fixture.write("a.xml", rss("Alpha", items: numbered("a", 5)))
        try fixture.write("b.xml", rss("Beta", items: numbered("b", 3)))
        try fixture.write("c.xml", rss("Gamma", items: numbered("c", 2)))
        let nginx = try NginxServer(root: fixture.root)
        defer { nginx.stop() }
        let subscriptions = ["a", "b", "c"].map { Subscription(url: nginx.url("/\($0).xml")) }

        let first = try UpdaterTests.run(fixture.updater(), subscriptions)
        XCTAssertEqual(first.values.map { $0.result }.sorted { "\($0)" < "\($1)" },
                       [.fetched(new: 2, changed: 0), .fetched(new: 3, changed: 0), .fetched(new: 5, changed: 0)])
        XCTAssertEqual(try fixture.store().itemCount(), 10)
        let feeds = try fixture.store().feeds()
        XCTAssertEqual(feeds.map(\.title), ["Alpha", "Beta", "Gamma"], "titles from the feeds")
        XCTAssertTrue(feeds.allSatisfy { $0.etag != nil && $0.lastModified != nil }, "validators kept for the next fetch")

        let second = try UpdaterTests.run(fixture.updater(force: true), subscriptions)
        XCTAssertTrue(second.values.allSatisfy { $0.result == .notModified }, "\(second.values.map(\.result))")
        let log = nginx.accessLog()
        XCTAssertEqual(log.count, 6)
        XCTAssertEqual(log.suffix(3).map(\.status), [304, 304, 304], "the server answered 304 to the second round")
        XCTAssertTrue(log.suffix(3).allSatisfy { $0.ifNoneMatch != nil && $0.ifModifiedSince != nil })
        XCTAssertTrue(log.allSatisfy { $0.userAgent?.hasPrefix("Gazette") ?? false || $0.userAgent != nil })
        XCTAssertEqual(try fixture.store().itemCount(), 10)
    }

    func testMinIntervalSkipsAFeedFetchedRecentlyUnlessForced() throws {
        try skipUnlessNginx()
        let fixture = try UpdaterFixture()
        try fixture.write("a.xml", rss("Alpha", items: numbered("a", 2)))
        let nginx = try NginxServer(root: fixture.root)
        defer { nginx.stop() }
        let subscription = Subscription(url: nginx.url("/a.xml"))
        try UpdaterTests.run(fixture.updater(), [subscription])
        let again = try UpdaterTests.run(fixture.updater(), [subscription])[subscription.url]!
        guard case .skipped(let reason) = again.result else { return XCTFail("not skipped: \(again.result)") }
        XCTAssertTrue(reason.contains("min-interval"), reason)
        XCTAssertEqual(nginx.accessLog().count, 1, "no request within min-interval")
        try UpdaterTests.run(fixture.updater(force: true), [subscription])
        XCTAssertEqual(nginx.accessLog().count, 2, "--force fetches anyway")
    }

    func testGzipIsUsedOnTheWire() throws {
        try skipUnlessNginx()
        let fixture = try UpdaterFixture()
        let body = String(repeating: "Lorem ipsum dolor sit amet. ", count: 200)
        try fixture.write("big.xml", rss("Big", items: [("g1", "One", body)]))
        let nginx = try NginxServer(root: fixture.root)
        defer { nginx.stop() }
        let subscription = Subscription(url: nginx.url("/big.xml"))
        let update = try UpdaterTests.run(fixture.updater(), [subscription])[subscription.url]!
        XCTAssertEqual(update.result, .fetched(new: 1, changed: 0))
        let entry = try XCTUnwrap(nginx.accessLog().first)
        XCTAssertTrue(entry.acceptEncoding?.contains("gzip") ?? false, "asked for compression")
        XCTAssertLessThan(entry.bytes, body.utf8.count / 4, "nginx sent it compressed")
        let item = try XCTUnwrap(try fixture.store().item(update.newIDs[0]))
        XCTAssertTrue(item.content.contains("Lorem ipsum dolor sit amet. Lorem"), "decoded in full")
    }

    func testAPermanentRedirectMovesTheFeedAndATemporaryOneDoesNot() throws {
        try skipUnlessNginx()
        let fixture = try UpdaterFixture()
        try fixture.write("new.xml", rss("Moved", items: numbered("m", 2)))
        try fixture.write("here.xml", rss("Here", items: numbered("h", 1)))
        let nginx = try NginxServer(root: fixture.root, locations: """
            location = /old.xml { return 301 /new.xml; }
            location = /away.xml { return 302 /here.xml; }
            """)
        defer { nginx.stop() }
        let old = Subscription(url: nginx.url("/old.xml"))
        let away = Subscription(url: nginx.url("/away.xml"))
        let results = try UpdaterTests.run(fixture.updater(), [old, away])
        XCTAssertEqual(results[old.url]?.movedTo, nginx.url("/new.xml"))
        XCTAssertEqual(results[old.url]?.notice, "moved permanently to \(nginx.url("/new.xml"))")
        XCTAssertEqual(results[old.url]?.result, .fetched(new: 2, changed: 0))
        XCTAssertNil(results[away.url]?.movedTo, "302 is temporary")
        XCTAssertEqual(results[away.url]?.result, .fetched(new: 1, changed: 0))
        let urls = try fixture.store().feeds().map(\.url)
        XCTAssertTrue(urls.contains(nginx.url("/new.xml")) && !urls.contains(old.url), "\(urls)")
        XCTAssertTrue(urls.contains(away.url))
    }

    func testGoneStopsFetchingThatFeedAndSaysSo() throws {
        try skipUnlessNginx()
        let fixture = try UpdaterFixture()
        try fixture.write("ok.xml", rss("Fine", items: numbered("f", 1)))
        let nginx = try NginxServer(root: fixture.root, locations: "location = /gone.xml { return 410; }")
        defer { nginx.stop() }
        let gone = Subscription(url: nginx.url("/gone.xml"))
        let fine = Subscription(url: nginx.url("/ok.xml"))
        let first = try UpdaterTests.run(fixture.updater(), [gone, fine])
        guard case .failed(let reason) = first[gone.url]?.result else { return XCTFail("410 not a failure") }
        XCTAssertTrue(reason.contains("410"), reason)
        XCTAssertEqual(first[fine.url]?.result, .fetched(new: 1, changed: 0), "one failing feed never stops the others")
        XCTAssertEqual(try fixture.store().feed(url: gone.url)?.gone, true)
        let second = try UpdaterTests.run(fixture.updater(force: true), [gone])[gone.url]!
        guard case .skipped(let why) = second.result else { return XCTFail("fetched a gone feed: \(second.result)") }
        XCTAssertTrue(why.contains("410"), why)
        XCTAssertEqual(nginx.accessLog().filter { $0.uri == "/gone.xml" }.count, 1, "never asked again")
    }

    func testAnItemThatLeavesTheFeedStaysAndAChangedOneKeepsItsReadMark() throws {
        try skipUnlessNginx()
        let fixture = try UpdaterFixture()
        try fixture.write("a.xml", rss("Alpha", items: numbered("a", 3)))
        let nginx = try NginxServer(root: fixture.root)
        defer { nginx.stop() }
        let subscription = Subscription(url: nginx.url("/a.xml"))
        let first = try UpdaterTests.run(fixture.updater(), [subscription])[subscription.url]!
        XCTAssertEqual(first.newIDs.count, 3)
        let marks = try SQLiteReadStateStore(path: fixture.storePath)
        let headlines = try fixture.store().headlines(limit: 10)
        let a1 = try XCTUnwrap(headlines.first { $0.title == "a post 1" })
        _ = try marks.setRead([a1.id], read: true, at: Date())

        // a-3 leaves the feed, a-1 is rewritten, a-4 arrives.
        var items = numbered("a", 2)
        items[0].body = "A corrected body."
        items.append(("a-4", "a post 4", "New."))
        try fixture.write("a.xml", rss("Alpha", items: items))
        let second = try UpdaterTests.run(fixture.updater(force: true), [subscription])[subscription.url]!
        XCTAssertEqual(second.result, .fetched(new: 1, changed: 1))
        XCTAssertEqual(second.changedIDs, [a1.id])
        XCTAssertEqual(try fixture.store().itemCount(), 4, "a-3 left the feed and stays: this is an archive")
        XCTAssertTrue(try XCTUnwrap(try fixture.store().item(a1.id)).content.contains("A corrected body."))
        XCTAssertNotNil(try marks.readMarks()[a1.id], "the changed item is still read")
    }

    func testEachFailureIsRecordedWithItsTimeAndTheOthersGoOn() throws {
        try skipUnlessNginx()
        let fixture = try UpdaterFixture()
        try fixture.write("ok.xml", rss("Fine", items: numbered("f", 2)))
        try fixture.write("page.html", "<!doctype html><html><head><title>x</title></head><body>hello</body></html>")
        let nginx = try NginxServer(root: fixture.root)
        defer { nginx.stop() }
        let missing = Subscription(url: nginx.url("/missing.xml"))
        let html = Subscription(url: nginx.url("/page.html"))
        let refused = Subscription(url: "http://127.0.0.1:1/feed.xml")
        let fine = Subscription(url: nginx.url("/ok.xml"))
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let updates = try fixture.updater().update([missing, html, refused, fine], now: { at }) { _, _, _ in }
        let byURL = Dictionary(updates.map { ($0.subscription.url, $0.result) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byURL[missing.url], .failed("HTTP 404 Not Found"))
        guard case .failed(let htmlReason) = byURL[html.url] else { return XCTFail("an HTML page is not a feed") }
        XCTAssertTrue(htmlReason.contains("HTML page"), htmlReason)
        guard case .failed(let refusedReason) = byURL[refused.url] else { return XCTFail("port 1 answered?") }
        XCTAssertFalse(refusedReason.isEmpty)
        XCTAssertEqual(byURL[fine.url], .fetched(new: 2, changed: 0))
        let state = try XCTUnwrap(try fixture.store().feed(url: missing.url))
        XCTAssertEqual(state.status, 404)
        XCTAssertEqual(state.error, "HTTP 404 Not Found")
        XCTAssertEqual(state.fetchedAt, at)
        XCTAssertEqual(state.errorSince, at)
    }

    func testRetryAfterIsHonouredAndRemembered() throws {
        let fixture = try UpdaterFixture()
        let server = try FaultServer(routes: ["/busy.xml": .respond(status: 429, headers: ["Retry-After": "3600"])])
        defer { server.stop() }
        let busy = Subscription(url: server.url("/busy.xml"))
        let now = Date()
        let first = try fixture.updater().update([busy], now: { now }) { _, _, _ in }
        guard case .failed(let reason) = first[0].result else { return XCTFail("429 is a failure") }
        XCTAssertTrue(reason.hasPrefix("HTTP 429 Too Many Requests: retrying after"), reason)
        let notBefore = try XCTUnwrap(try fixture.store().feed(url: busy.url)?.notBefore)
        XCTAssertEqual(notBefore.timeIntervalSince(now), 3600, accuracy: 1)
        let second = try fixture.updater(force: true).update([busy]) { _, _, _ in }
        guard case .skipped(let why) = second[0].result else { return XCTFail("asked again: \(second[0].result)") }
        XCTAssertTrue(why.contains("asked to wait"), why)
        XCTAssertEqual(server.requestCount("/busy.xml"), 1, "even --force waits for Retry-After")
    }

    func testTheTwoTransfersPerHostLimitHolds() throws {
        let fixture = try UpdaterFixture()
        var routes: [String: FaultBehaviour] = [:]
        for i in 0..<8 {
            routes["/f\(i).xml"] = .delay(seconds: 0.2, then: .feed(rss("F\(i)", items: numbered("f\(i)", 1))))
        }
        let server = try FaultServer(routes: routes)
        defer { server.stop() }
        let subscriptions = (0..<8).map { Subscription(url: server.url("/f\($0).xml")) }
        let results = try UpdaterTests.run(fixture.updater(), subscriptions)
        XCTAssertEqual(results.count, 8)
        XCTAssertTrue(results.values.allSatisfy { $0.result == .fetched(new: 1, changed: 0) })
        XCTAssertLessThanOrEqual(server.maxConcurrentRequests, 2, "at most 2 transfers to one host")
    }
}
