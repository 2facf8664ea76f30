import Foundation
import XCTest
@testable import Interop

/// OPML 2.0 out, and back in unchanged.
final class OPMLWriteTests: XCTestCase {
    private let date = Date(timeIntervalSince1970: 1_738_404_000)  // Sat, 01 Feb 2025 10:00:00 GMT

    func testTheDocumentFoldersByFirstTagAndCategories() {
        let text = OPML.write([
            OPMLFeed(url: "https://lwn.net/headlines/rss", name: "LWN.net", siteURL: "https://lwn.net/", tags: ["Tech", "News"]),
            OPMLFeed(url: "https://untagged.example/feed", name: nil),
            OPMLFeed(url: "https://kernel.example/feed", name: "Kernel", tags: ["Tech"]),
        ], title: "Mine", date: date)
        XCTAssertEqual(text, """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head>
                <title>Mine</title>
                <dateCreated>Sat, 01 Feb 2025 10:00:00 GMT</dateCreated>
              </head>
              <body>
                <outline text="Tech" title="Tech">
                  <outline type="rss" text="LWN.net" title="LWN.net" xmlUrl="https://lwn.net/headlines/rss" htmlUrl="https://lwn.net/" category="Tech,News"/>
                  <outline type="rss" text="Kernel" title="Kernel" xmlUrl="https://kernel.example/feed" category="Tech"/>
                </outline>
                <outline type="rss" text="https://untagged.example/feed" title="https://untagged.example/feed" xmlUrl="https://untagged.example/feed"/>
              </body>
            </opml>

            """)
    }

    func testAttributesAreEscapedAndControlCharactersDropped() {
        let text = OPML.write([
            OPMLFeed(url: "https://x.example/?a=1&b=<2>", name: "Tom \"&\" Jerry's <b>\u{1}\u{7F}\u{9C}", tags: []),
        ], title: "A & B <c>", date: date)
        XCTAssertTrue(text.contains("<title>A &amp; B &lt;c&gt;</title>"), text)
        XCTAssertTrue(text.contains("text=\"Tom &quot;&amp;&quot; Jerry's &lt;b&gt;\""), text)
        XCTAssertTrue(text.contains("xmlUrl=\"https://x.example/?a=1&amp;b=&lt;2&gt;\""), text)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F || $0.value == 0x9C })
    }

    func testACommaInATagIsAnUnderscoreInTheCategoryButNotInTheFolder() {
        let text = OPML.write([OPMLFeed(url: "https://c.example/", name: "C", tags: ["a,b", "c,d"])], title: "t", date: date)
        XCTAssertTrue(text.contains("<outline text=\"a,b\" title=\"a,b\">"), text)
        XCTAssertTrue(text.contains("category=\"c_d\""), text)
    }

    func testRoundTripGivesTheSameSubscriptionsNamesAndTags() throws {
        let feeds = [
            OPMLFeed(url: "https://lwn.net/headlines/rss", name: "LWN.net", siteURL: "https://lwn.net/", tags: ["Tech", "News"]),
            OPMLFeed(url: "https://untagged.example/feed"),
            OPMLFeed(url: "https://kernel.example/feed?a=1&b=2", name: "Kernel \"quoted\" & <angled>", tags: ["Tech"]),
            OPMLFeed(url: "https://unicode.example/", name: "Zürich 日本 🎉", tags: ["two words", "newsboat/style", "Ünï"]),
            OPMLFeed(url: "https://hidden.example/", name: "Hidden", tags: ["!hidden", "News"]),
            OPMLFeed(url: "https://comma.example/", name: "Comma", tags: ["x,y", "z"]),
        ]
        let (back, problems) = try OPML.read(Array(OPML.write(feeds).utf8))
        XCTAssertEqual(problems, [])
        XCTAssertEqual(Set(back.map(\.url)), Set(feeds.map(\.url)))
        for feed in feeds {
            let read = try XCTUnwrap(back.first { $0.url == feed.url })
            XCTAssertEqual(read.name, feed.name, feed.url)
            XCTAssertEqual(read.tags, feed.tags, feed.url)
            XCTAssertEqual(read.siteURL, feed.siteURL, feed.url)
        }
    }

    func testALargeExportReadsBack() throws {
        let feeds = (0..<30_000).map { i in
            OPMLFeed(url: "https://f\(i % 97).example/\(i).xml", name: "Feed \(i)", tags: i % 3 == 0 ? [] : ["T\(i % 7)", "U\(i % 5)"])
        }
        let (back, problems) = try OPML.read(Array(OPML.write(feeds).utf8))
        XCTAssertEqual(problems, [])
        XCTAssertEqual(back.count, feeds.count)
        let byURL = Dictionary(uniqueKeysWithValues: back.map { ($0.url, $0) })
        for feed in feeds.prefix(1_000) {
            XCTAssertEqual(byURL[feed.url]?.tags, feed.tags)
            XCTAssertEqual(byURL[feed.url]?.name, feed.name)
        }
    }
}
