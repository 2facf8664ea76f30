import Foundation
import XCTest

/// Feed files as a person uses them: a directory of one text archive and two feeds (RSS and JSON Feed), read in a
/// real terminal; the command line on the same directory.
final class FeedsEndToEndTests: XCTestCase {
    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel><title>Pyongyang Watch</title><link>https://watch.example/</link>
        <item><title>Rail link reopens &amp; freight resumes</title>
          <link>https://watch.example/rail</link><guid isPermaLink="false">watch-rail</guid>
          <pubDate>Tue, 14 Apr 2020 09:30:00 GMT</pubDate><dc:creator>Min-ji Park</dc:creator>
          <category>Transport</category>
          <content:encoded><![CDATA[<p>The <b>Sinuiju</b> line carried its first <a href="/trains">freight
          trains</a> since January.</p><ul><li>Twelve wagons</li><li>Two locomotives</li></ul>]]></content:encoded>
        </item>
        <item><title>Markets report rice prices</title><link>https://watch.example/rice</link>
          <pubDate>Mon, 13 Apr 2020 08:00:00 GMT</pubDate>
          <description>&lt;p&gt;Prices fell in &lt;i&gt;Hyesan&lt;/i&gt;.&lt;/p&gt;</description>
        </item>
        </channel></rss>
        """

    static let json = """
        {"version": "https://jsonfeed.org/version/1.1", "title": "Seoul Desk",
         "home_page_url": "https://desk.example/",
         "items": [
          {"id": "desk-1", "url": "https://desk.example/vote", "title": "Assembly passes the budget",
           "date_published": "2020-04-15T10:00:00Z", "authors": [{"name": "Ji-ho Kim"}],
           "content_html": "<p>The vote was <strong>176 to 80</strong>.</p><blockquote>A fair budget.</blockquote>"},
          {"id": "desk-2", "url": "https://desk.example/ferry", "title": "Ferry service extended",
           "date_published": "2020-04-12T07:00:00Z", "content_text": "Two more crossings a day."}
         ]}
        """

    /// The directory: the sample archive, the RSS file and the JSON file (named without telling extensions).
    private func library() throws -> String {
        let dir = try Fixtures.temporaryDirectory(for: self) + "/news"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.seedFile, toPath: dir + "/archive.txt")
        try Self.rss.write(toFile: dir + "/watch", atomically: true, encoding: .utf8)
        try Self.json.write(toFile: dir + "/desk.data", atomically: true, encoding: .utf8)
        return dir
    }

    func testTheListMergesSourcesNewestFirst() throws {
        let dir = try library()
        let gazette = try GazetteHarness(test: self, archive: dir)
        let posts = try gazette.list()
        XCTAssertEqual(posts.count, 14)
        XCTAssertEqual(Array(posts.prefix(4).map(\.title)), ["Assembly passes the budget",
                                                            "Rail link reopens & freight resumes",
                                                            "Markets report rice prices", "Ferry service extended"])
        XCTAssertEqual(Set(posts.map(\.id)).count, 14)
    }

    func testShowJSONCarriesTheFeedFields() throws {
        let dir = try library()
        let gazette = try GazetteHarness(test: self, archive: dir)
        let rail = try XCTUnwrap(try gazette.list().first { $0.title.hasPrefix("Rail link") })
        let result = try gazette.run(["show", "--json", rail.id, dir])
        XCTAssertEqual(result.status, 0, result.output)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        XCTAssertEqual(object["guid"] as? String, "watch-rail")
        XCTAssertEqual(object["link"] as? String, "https://watch.example/rail")
        XCTAssertEqual(object["feed"] as? String, "Pyongyang Watch")
        XCTAssertEqual(object["date"] as? String, "2020-04-14T09:30:00Z")
        XCTAssertEqual(object["authors"] as? [String], ["Min-ji Park"])
        XCTAssertEqual(object["categories"] as? [String], ["Transport"])
        XCTAssertEqual(object["links"] as? [String], ["https://watch.example/rail", "https://watch.example/trains"])
        let text = try XCTUnwrap(object["text"] as? String)
        XCTAssertTrue(text.contains("freight trains[2]"), text)
        XCTAssertTrue(text.contains("Twelve wagons"), text)
    }

    func testReadAPostOfEachSourceAndMarkIt() throws {
        let dir = try library()
        let gazette = try GazetteHarness(test: self, archive: dir)
        let posts = try gazette.list()
        let reader = try gazette.startReader()
        defer { reader.close() }
        try reader.waitFor(text: "3 sources")
        try reader.waitFor(text: "Seoul Desk")
        // The newest post (the JSON item) is selected: open it.
        try reader.send(keys: "Enter")
        try reader.waitFor(text: "176 to 80")
        try reader.waitFor(text: "Ji-ho Kim")
        // Back to the list, down to the RSS item: its HTML as the terminal shows it.
        try reader.send(keys: "Escape", "Down", "Enter")
        try reader.waitFor(text: "freight trains[2]")
        try reader.waitFor(text: "[2] https://watch.example/trains")
        // And a post of the text archive (after the dated feed items).
        let archivePost = try XCTUnwrap(posts.firstIndex { $0.title == posts[4].title })
        try reader.send(keys: "Escape")
        for _ in 1..<archivePost { try reader.send(keys: "Down") }
        try reader.send(keys: "Enter")
        try reader.waitFor(text: "\(archivePost + 1)/14")
        try reader.send(keys: "q", "q")
        XCTAssertEqual(reader.exitStatus(), 0)
        let read = try gazette.list().filter(\.read).map(\.title)
        XCTAssertEqual(Set(read), ["Assembly passes the budget", "Rail link reopens & freight resumes", posts[4].title])
    }

    func testAChangedFileIsNoticedAndRKeepsTheSelectionAndTheMarks() throws {
        let dir = try library()
        let gazette = try GazetteHarness(test: self, archive: dir)
        let reader = try gazette.startReader()
        defer { reader.close() }
        try reader.waitFor(text: "3 sources")
        // Read the newest post, then select the RSS item below it.
        try reader.send(keys: "Enter", "Escape", "Down")
        try reader.waitFor(text: "2/14 · 13 unread")
        // The RSS file is re-dumped with one more item (newer than every other post).
        let newer = Self.rss.replacingOccurrences(of: "<item><title>Rail", with: """
            <item><title>Border crossing opens</title><link>https://watch.example/border</link>
            <pubDate>Thu, 16 Apr 2020 06:00:00 GMT</pubDate><description>Trucks crossed.</description></item>
            <item><title>Rail
            """)
        try newer.write(toFile: dir + "/watch", atomically: false, encoding: .utf8)
        try reader.send(keys: "Down", "Up")
        try reader.waitFor(text: "changed on disk: press R to reload it")
        try reader.send(keys: "R")
        try reader.waitFor(text: "Reloaded: 15 posts, 1 new")
        // The same post is still selected (one row further down now), the read one still read.
        try reader.waitFor(text: "3/15 · 14 unread")
        XCTAssertTrue(try reader.capture().contains("Rail link reopens"))
        try reader.waitFor(text: "Border crossing opens")
        try reader.send(keys: "q", "q")
        XCTAssertEqual(reader.exitStatus(), 0)
        XCTAssertEqual(try gazette.list().filter(\.read).map(\.title), ["Assembly passes the budget"])
    }

    func testABrokenFeedShowsWhatItCanAndSaysWhereItBroke() throws {
        let dir = try Fixtures.temporaryDirectory(for: self)
        let cut = String(Self.rss[..<Self.rss.range(of: "<item><title>Markets")!.lowerBound]) + "<item><title>Markets"
        try cut.write(toFile: dir + "/cut.xml", atomically: true, encoding: .utf8)
        let gazette = try GazetteHarness(test: self, archive: dir + "/cut.xml")
        let result = try gazette.run(["list", dir + "/cut.xml"])
        XCTAssertEqual(result.status, 0, result.output)
        let lines = result.output.split(separator: "\n").map(String.init)
        let warning = try XCTUnwrap(lines.first { $0.hasPrefix("gazette: ") }, result.output)
        XCTAssertTrue(warning.hasPrefix("gazette: warning: \(dir)/cut.xml:12: "), warning)
        XCTAssertTrue(warning.hasSuffix("(showing 2 items)"), warning)
        XCTAssertTrue(lines.contains { $0.hasSuffix("\tMarkets") }, "the cut item is shown with what it has")

        let reader = try gazette.startReader()
        defer { reader.close() }
        try reader.waitFor(text: "cut.xml:12: unclosed element <title>")
        try reader.waitFor(text: "Rail link reopens")
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
    }

    func testAnHTMLPageIsRefusedNamingTheFile() throws {
        let dir = try Fixtures.temporaryDirectory(for: self)
        try "<!DOCTYPE html><html><head><title>Blog</title></head><body>Hi</body></html>"
            .write(toFile: dir + "/page.xml", atomically: true, encoding: .utf8)
        let gazette = try GazetteHarness(test: self, archive: dir + "/page.xml")
        let result = try gazette.run(["list", dir + "/page.xml"])
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.output, "gazette: \(dir)/page.xml: is an HTML page, not a feed\n")
    }
}
