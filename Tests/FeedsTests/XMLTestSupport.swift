import Feeds
import Foundation
import XCTest

/// A feed read to the end: what a user would see of it.
struct ReadFeed {
    var info: FeedInfo
    var items: [FeedItem]
    var diagnostics: [FeedDiagnostic]
}

/// Reads `bytes` as a feed, `chunk` bytes per `read` call.
func readFeed(bytes: [UInt8], url: String? = "https://example.com/feed.xml", chunk: Int = 1 << 20) throws -> ReadFeed {
    let reader = try XMLFeedReader(input: FeedInput(bytes: bytes, documentURL: url))
    var items: [FeedItem] = []
    var rounds = 0
    while !reader.isFinished {
        items += try reader.read(maxBytes: chunk)
        rounds += 1
        precondition(rounds < 1_000_000)
    }
    return ReadFeed(info: reader.info, items: items, diagnostics: reader.diagnostics)
}

func readFeed(_ xml: String, url: String? = "https://example.com/feed.xml") throws -> ReadFeed {
    try readFeed(bytes: Array(xml.utf8), url: url)
}

/// An RSS 2.0 feed around `items` (the channel's own elements first).
func rss(_ items: String, channel: String = "<title>T</title><link>https://example.com/</link>",
         namespaces: String = "") -> String {
    """
    <?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0" \(namespaces)><channel>\(channel)
    \(items)
    </channel></rss>
    """
}

/// An Atom 1.0 feed around `entries`.
func atom(_ entries: String, feed: String = "<title>T</title><id>urn:feed</id>", attributes: String = "") -> String {
    """
    <?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" \(attributes)>\(feed)
    \(entries)
    </feed>
    """
}

/// The one item of a feed (fails the test when there is not exactly one).
func onlyItem(_ feed: ReadFeed, file: StaticString = #filePath, line: UInt = #line) -> FeedItem {
    XCTAssertEqual(feed.items.count, 1, "items", file: file, line: line)
    return feed.items.first ?? FeedItem()
}

/// The bytes of `Tests/FeedsTests/Fixtures/xml/NAME`.
func xmlFixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/xml/\(name)")
    return Array(try Data(contentsOf: url))
}

/// The error reading `bytes` throws (fails the test when it throws none).
func feedError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> FeedError? {
    do {
        _ = try readFeed(bytes: bytes)
        XCTFail("no error", file: file, line: line)
        return nil
    } catch let error as FeedError {
        return error
    } catch {
        XCTFail("\(error)", file: file, line: line)
        return nil
    }
}
