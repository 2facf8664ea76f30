import Foundation
import XCTest
@testable import Feeds

/// JSON Feed files in the shapes of the specification and of real feeds, read into `FeedInfo` and `FeedItem`s.
/// Expected timestamps come from Python's `calendar.timegm`.
final class JSONFeedReaderTests: XCTestCase {
    func testSpecificationExample() throws {
        let feed = try JSONFeedSupport.read(JSONFeedSupport.fixture("spec-1.1-simple.json"))
        XCTAssertEqual(feed.info.format, .jsonFeed11)
        XCTAssertEqual(feed.info.title, "My Example Feed")
        XCTAssertEqual(feed.info.siteLink, "https://example.org/")
        XCTAssertEqual(feed.info.selfLink, "https://example.org/feed.json")
        XCTAssertEqual(feed.items.map(\.guid), ["2", "1"])
        XCTAssertEqual(feed.items[0].content, "This is a second item.")
        XCTAssertEqual(feed.items[0].contentType, .text)
        XCTAssertEqual(feed.items[0].link, "https://example.org/second-item")
        XCTAssertEqual(feed.items[1].content, "<p>Hello, world!</p>")
        XCTAssertEqual(feed.items[1].contentType, .html)
        XCTAssertEqual(feed.items[1].contentBase, "https://example.org/feed.json")
        XCTAssertEqual(feed.items.map(\.line), [7, 12])
        XCTAssertEqual(feed.diagnostics, [])
    }

    func testMicroBlogShape() throws {
        let feed = try JSONFeedSupport.read(JSONFeedSupport.fixture("microblog.json"))
        XCTAssertEqual(feed.info.format, .jsonFeed10)
        XCTAssertEqual(feed.info.title, "Manton Reece")
        XCTAssertEqual(feed.info.authors, ["Manton Reece"])
        XCTAssertEqual(feed.info.icon, "https://micro.blog/manton/avatar.jpg")
        XCTAssertEqual(feed.items.count, 2)
        let photo = feed.items[0]
        XCTAssertEqual(photo.title, "")
        XCTAssertEqual(photo.guid, "http://manton.micro.blog/2020/04/14/093000.html")
        XCTAssertEqual(photo.published?.secondsSince1970, 1_586_874_600)
        XCTAssertNil(photo.updated)
        XCTAssertEqual(photo.categories, ["Photos", "Austin"])
        XCTAssertEqual(photo.authors, ["Manton Reece"], "an item without authors has the feed's")
        XCTAssertTrue(photo.content.hasPrefix("<p>Photos from the walk"))
        XCTAssertTrue(photo.content.hasSuffix("</p>\n"))
        let post = feed.items[1]
        XCTAssertEqual(post.title, "Longer post with a title", "whitespace in titles is collapsed")
        XCTAssertEqual(post.content, "<p>Micro.blog <em>supports</em> titled posts too.</p>", "content_html wins")
        XCTAssertEqual(post.contentType, .html)
        XCTAssertEqual(post.published?.secondsSince1970, 1_586_815_331)
        XCTAssertEqual(post.updated?.secondsSince1970, 1_586_818_800)
    }

    func testPodcastWithAttachments() throws {
        let feed = try JSONFeedSupport.read(JSONFeedSupport.fixture("podcast.json"))
        XCTAssertEqual(feed.info.format, .jsonFeed11)
        XCTAssertEqual(feed.info.description, "A show about time, and how little of it there is.")
        XCTAssertEqual(feed.info.language, "en-GB")
        XCTAssertEqual(feed.info.authors, ["Ann Host", "Bo Cohost"])
        XCTAssertEqual(feed.items.count, 2)
        let first = feed.items[0]
        XCTAssertEqual(first.guid, "episode-42")
        XCTAssertEqual(first.title, "42: Leap seconds")
        XCTAssertEqual(first.published?.secondsSince1970, 1_586_856_600)
        XCTAssertEqual(first.authors, ["Ann Host", "Bo Cohost"])
        XCTAssertEqual(first.language, "en-GB", "an item without a language has the feed's")
        XCTAssertEqual(first.enclosures.count, 2)
        XCTAssertEqual(first.enclosures[0], Enclosure(url: "https://cdn.example.com/timetable/42.mp3",
                                                      type: "audio/mpeg", length: 28_912_341))
        XCTAssertEqual(first.enclosures[1].type, "audio/x-m4a")
        XCTAssertEqual(first.enclosures[1].length, 25_000_000, "2.5e7 bytes")
        XCTAssertEqual(first.duration, "1804")
        XCTAssertEqual(first.contentType, .html)
        let second = feed.items[1]
        XCTAssertEqual(second.guid, "41", "a numeric id becomes a string")
        XCTAssertEqual(second.content, "Julian, Gregorian, and the rest.")
        XCTAssertEqual(second.contentType, .text)
        XCTAssertEqual(second.authors, ["Guest Star"])
        XCTAssertEqual(second.language, "fr")
        XCTAssertEqual(second.published?.secondsSince1970, 1_586_161_800)
        XCTAssertEqual(second.enclosures, [Enclosure(url: "https://cdn.example.com/timetable/41.mp3", type: "audio/mpeg")])
        XCTAssertEqual(second.link, "https://timetable.example.com/episodes/41")
    }

    func testPodcastRelativeURLsAreResolvedAgainstTheFeedURL() throws {
        let feed = try JSONFeedSupport.read(JSONFeedSupport.fixture("podcast.json"), documentURL: "file:///tmp/podcast.json")
        XCTAssertEqual(feed.info.icon, "https://timetable.example.com/art/icon-512.png", "icon over favicon")
        XCTAssertEqual(feed.items[0].link, "https://timetable.example.com/episodes/42")
        XCTAssertEqual(feed.items[0].thumbnail, "https://timetable.example.com/art/42.jpg", "image over banner_image")
        XCTAssertEqual(feed.items[0].enclosures[1].url, "https://timetable.example.com/media/42.m4a")
        XCTAssertEqual(feed.items[0].contentBase, "https://timetable.example.com/feed.json")
    }

    func testRelativeURLsWithoutFeedURLAreResolvedAgainstTheFile() throws {
        let text = #"""
            {"version": "https://jsonfeed.org/version/1.1", "home_page_url": "../site/",
             "items": [{"id": "1", "url": "posts/one.html", "image": "/pictures/one.png"}]}
            """#
        let feed = try JSONFeedSupport.read(text, documentURL: "file:///home/ann/feeds/notes.json")
        XCTAssertEqual(feed.info.siteLink, "file:///home/ann/site/")
        XCTAssertEqual(feed.items[0].link, "file:///home/ann/feeds/posts/one.html")
        XCTAssertEqual(feed.items[0].thumbnail, "file:///pictures/one.png")
        XCTAssertEqual(feed.items[0].contentBase, "file:///home/ann/feeds/notes.json")
    }

    func testVersion10WithSingleAuthor() throws {
        let feed = try JSONFeedSupport.read(JSONFeedSupport.fixture("feed-1.0-author.json"))
        XCTAssertEqual(feed.info.format, .jsonFeed10)
        XCTAssertEqual(feed.info.title, "Brent's Notes")
        XCTAssertEqual(feed.info.description, "Brent Simmons\u{2019}s weblog.")
        XCTAssertEqual(feed.info.authors, ["Brent Simmons"])
        XCTAssertEqual(feed.info.icon, "http://inessential.com/favicon.ico", "favicon when there is no icon")
        XCTAssertEqual(feed.items.count, 2)
        XCTAssertEqual(feed.items[0].authors, ["Brent Simmons"])
        XCTAssertEqual(feed.items[0].published?.secondsSince1970, 1_496_466_347)
        XCTAssertEqual(feed.items[1].authors, ["Guest Writer"])
        XCTAssertEqual(feed.items[1].title, "Plain \u{201C}text\u{201D}")
        XCTAssertEqual(feed.items[1].content, "Line one.\nLine two.")
        XCTAssertEqual(feed.items[1].contentType, .text)
        XCTAssertEqual(feed.items[1].published?.secondsSince1970, 1_496_430_000)
        XCTAssertEqual(feed.items[1].link, "https://elsewhere.example.com/story", "external_url when there is no url")
    }

    /// Every fixture gives the same result whatever the chunk size, so every token is cut somewhere and resumed.
    func testChunkSizeDoesNotChangeTheResult() throws {
        for name in ["spec-1.1-simple.json", "microblog.json", "podcast.json", "feed-1.0-author.json"] {
            let bytes = try JSONFeedSupport.fixture(name)
            let whole = try JSONFeedSupport.read(bytes)
            for chunk in [1, 2, 3, 5, 7, 64] {
                let pieces = try JSONFeedSupport.read(bytes, chunkSize: chunk, maxBytes: chunk * 3)
                XCTAssertEqual(pieces.items, whole.items, "\(name), chunks of \(chunk)")
                XCTAssertEqual(pieces.info, whole.info, "\(name), chunks of \(chunk)")
            }
        }
    }

    func testItemsComeBackAPieceAtATimeWithInfoBeforeThem() throws {
        let bytes = try JSONFeedSupport.fixture("podcast.json")
        let reader = JSONFeedReader(input: FeedInput(bytes: bytes), chunkSize: 100)
        var first: [FeedItem] = []
        while first.isEmpty && !reader.isFinished { first = try reader.read(maxBytes: 100) }
        XCTAssertEqual(first.map(\.guid), ["episode-42"])
        XCTAssertFalse(reader.isFinished)
        XCTAssertLessThan(reader.bytesRead, bytes.count)
        XCTAssertEqual(reader.info.title, "The Timetable", "keys before items are known by the first batch")
        XCTAssertEqual(reader.info.authors, ["Ann Host", "Bo Cohost"])
        var rest: [FeedItem] = []
        while !reader.isFinished { rest += try reader.read(maxBytes: 100) }
        XCTAssertEqual(rest.map(\.guid), ["41"])
        XCTAssertEqual(reader.bytesRead, bytes.count)
    }

    func testKeysAfterItemsFillInInfo() throws {
        let text = #"""
            {"items": [{"id": "a", "title": "First"}], "version": "https://jsonfeed.org/version/1.1",
             "title": "Late title", "language": "de"}
            """#
        let feed = try JSONFeedSupport.read(text)
        XCTAssertEqual(feed.items.map(\.title), ["First"], "items before the version are held, then returned")
        XCTAssertEqual(feed.info.title, "Late title")
        XCTAssertEqual(feed.info.language, "de")
        XCTAssertNil(feed.items[0].language, "the language came after the item")
    }

    func testUnknownKeysAndExtensionsAreSkipped() throws {
        let text = #"""
            {"version": "https://jsonfeed.org/version/1.1", "_ext": {"title": "not this", "items": [{"id": "x"}]},
             "title": "Real", "next_url": "https://example.org/2.json", "items": [
               {"id": "1", "_ext": {"title": "nor this", "url": "nope", "tags": ["no"]}, "title": "One",
                "tags": ["yes", 3, {"name": "no"}, ["no"], null, "also"], "custom": [[[{}]]]}
             ]}
            """#
        let feed = try JSONFeedSupport.read(text)
        XCTAssertEqual(feed.info.title, "Real")
        XCTAssertEqual(feed.items.count, 1)
        XCTAssertEqual(feed.items[0].title, "One")
        XCTAssertNil(feed.items[0].link)
        XCTAssertEqual(feed.items[0].categories, ["yes", "also"])
    }

    func testContentPreference() throws {
        func body(_ keys: String) throws -> (String, ContentType) {
            let item = try JSONFeedSupport.read(#"{"version":"https://jsonfeed.org/version/1","items":[{\#(keys)}]}"#).items[0]
            return (item.content, item.contentType)
        }
        XCTAssertTrue(try body(#""summary":"s","content_text":"t","content_html":"h""#) == ("h", .html))
        XCTAssertTrue(try body(#""content_html":"h","content_text":"t","summary":"s""#) == ("h", .html))
        XCTAssertTrue(try body(#""summary":"s","content_text":"t""#) == ("t", .text))
        XCTAssertTrue(try body(#""content_text":"t","summary":"s""#) == ("t", .text))
        XCTAssertTrue(try body(#""summary":"s""#) == ("s", .text))
        XCTAssertTrue(try body(#""id":"1""#) == ("", .html))
    }

    func testAuthorsOverDeprecatedAuthor() throws {
        let text = #"""
            {"version": "https://jsonfeed.org/version/1.1", "author": {"name": "Old"}, "authors": [{"name": "New"},
             {"url": "https://example.org/anon"}, {"avatar": "x.png"}],
             "items": [{"id": "1", "author": {"name": "Item old"}, "authors": [{"name": "Item new"}]},
                       {"id": "2", "author": {"name": "Only old"}}]}
            """#
        let feed = try JSONFeedSupport.read(text)
        XCTAssertEqual(feed.info.authors, ["New", "https://example.org/anon"], "a nameless author is shown by URL")
        XCTAssertEqual(feed.items[0].authors, ["Item new"])
        XCTAssertEqual(feed.items[1].authors, ["Only old"])
    }

    func testIdsOfEveryType() throws {
        let text = #"""
            {"version": "https://jsonfeed.org/version/1.1",
             "items": [{"id": 12345678901234567890}, {"id": -1.5e3}, {"id": true}, {"id": null}, {"id": " s "}]}
            """#
        let feed = try JSONFeedSupport.read(text)
        XCTAssertEqual(feed.items.map(\.guid), ["12345678901234567890", "-1.5e3", "true", nil, " s "])
    }

    func testUnknownFutureVersionIsReadAs11WithADiagnostic() throws {
        let feed = try JSONFeedSupport.read(#"{"version":"https://jsonfeed.org/version/2","items":[{"id":"1"}]}"#)
        XCTAssertEqual(feed.info.format, .jsonFeed11)
        XCTAssertEqual(feed.items.count, 1)
        XCTAssertEqual(feed.diagnostics.map(\.message), ["unknown JSON Feed version https://jsonfeed.org/version/2, read as 1.1"])
    }

    func testReadsFromADescriptor() throws {
        let bytes = try JSONFeedSupport.fixture("microblog.json")
        let path = NSTemporaryDirectory() + "gazette-json-\(getpid()).json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let feed = try JSONFeedSupport.read(FeedInput(descriptor: fd, documentURL: "file://" + path), chunkSize: 16)
        XCTAssertEqual(feed.items, try JSONFeedSupport.read(bytes).items)
    }
}

// MARK: - Helpers shared by the JSON Feed tests

/// What a whole JSON Feed file gave: its info, items and diagnostics.
struct JSONFeedResult {
    var info: FeedInfo
    var items: [FeedItem]
    var diagnostics: [FeedDiagnostic]
}

enum JSONFeedSupport {
    /// The bytes of `Tests/FeedsTests/Fixtures/json/NAME`.
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/json").appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }

    /// Reads `bytes` to the end, `chunkSize` bytes at a time and `maxBytes` per call.
    static func read(_ bytes: [UInt8], documentURL: String? = nil, chunkSize: Int = JSONFeedReader.defaultChunkSize,
                     maxBytes: Int = .max) throws -> JSONFeedResult {
        try read(FeedInput(bytes: bytes, documentURL: documentURL), chunkSize: chunkSize, maxBytes: maxBytes)
    }

    static func read(_ input: FeedInput, chunkSize: Int = JSONFeedReader.defaultChunkSize,
                     maxBytes: Int = .max) throws -> JSONFeedResult {
        let reader = JSONFeedReader(input: input, chunkSize: chunkSize)
        var items: [FeedItem] = []
        var calls = 0
        while !reader.isFinished {
            items += try reader.read(maxBytes: maxBytes)
            calls += 1
            precondition(calls < 100_000_000, "the reader does not finish")
        }
        return JSONFeedResult(info: reader.info, items: items, diagnostics: reader.diagnostics)
    }

    static func read(_ text: String, documentURL: String? = nil, chunkSize: Int = JSONFeedReader.defaultChunkSize)
        throws -> JSONFeedResult {
        try read(Array(text.utf8), documentURL: documentURL, chunkSize: chunkSize)
    }

    /// The `FeedError` reading `text` throws, or nil.
    static func error(_ text: String) -> FeedError? {
        do {
            _ = try read(text)
            return nil
        } catch let error as FeedError {
            return error
        } catch {
            return FeedError("unexpected \(error)")
        }
    }
}
