@testable import Catalog
import Feeds
import Posts
import ReadState
import XCTest

/// Feed items to the item store's form and back: every field survives, and `extra` (persisted for years) keeps
/// its version 1 layout and never makes decoding fail.
final class StoredItemCodecTests: XCTestCase {
    private let id = PostID(rawValue: 0xDEAD_BEEF_0000_0001)

    private var full: FeedItem {
        FeedItem(guid: "https://example.org/?p=42", title: "Author Archives: Grant Montgomery",
                 link: "https://example.org/2024/05/post/", authors: ["Grant Montgomery", "Ada"],
                 published: FeedTimestamp(secondsSince1970: 1_715_000_000),
                 updated: FeedTimestamp(secondsSince1970: -86_400), categories: ["Essays", "Ünïcode", ""],
                 enclosures: [Enclosure(url: "https://example.org/a.mp3", type: "audio/mpeg", length: 12_345_678),
                              Enclosure(url: "https://example.org/b.jpg")],
                 content: "<p>Body &amp; more</p>", contentType: .xhtml, contentBase: "https://example.org/2024/",
                 language: "en-GB", commentCount: 7, thumbnail: "https://example.org/t.png", duration: "1:02:03")
    }

    func testEveryFieldRoundTrips() throws {
        let stored = StoredItemCodec.storedItem(full, id: id)
        XCTAssertEqual(stored.id, id)
        XCTAssertEqual(stored.title, "Author Archives: Grant Montgomery")
        XCTAssertEqual(stored.author, "Grant Montgomery, Ada")
        XCTAssertEqual(stored.published, 1_715_000_000)
        XCTAssertEqual(stored.updated, -86_400)
        XCTAssertEqual(stored.contentType, ContentType.xhtml.rawValue)
        XCTAssertEqual(stored.extra.first, 1)
        XCTAssertEqual(StoredItemCodec.feedItem(stored), full)
    }

    func testABareItemRoundTrips() throws {
        let bare = FeedItem(title: "")
        let stored = StoredItemCodec.storedItem(bare, id: id)
        XCTAssertNil(stored.author)
        XCTAssertNil(stored.published)
        XCTAssertEqual(StoredItemCodec.feedItem(stored), bare)
    }

    func testAuthorsWhoseNamesHoldTheSeparatorRoundTrip() throws {
        for authors in [["Doe, Jane", "Smith"], ["", ""], ["A, B"], [""]] {
            let item = FeedItem(title: "t", authors: authors)
            let stored = StoredItemCodec.storedItem(item, id: id)
            XCTAssertEqual(stored.author, authors.joined(separator: ", "))
            XCTAssertEqual(StoredItemCodec.feedItem(stored)?.authors, authors, "\(authors)")
        }
    }

    /// The persisted form, byte for byte: changing it breaks every store already written.
    func testVersion1LayoutIsPinned() throws {
        let item = FeedItem(title: "t", categories: ["ab"], enclosures: [Enclosure(url: "u", type: nil, length: 300)],
                            language: "fr", commentCount: nil, thumbnail: nil, duration: "9")
        XCTAssertEqual(StoredItemCodec.storedItem(item, id: id).extra, [
            1,                          // version
            1, 2, 0x61, 0x62,           // categories: ["ab"]
            1, 1, 0x75, 0, 1, 0xAC, 2,  // enclosures: url "u", no type, length 300
            1, 2, 0x66, 0x72,           // language "fr"
            0,                          // no comment count
            0,                          // no thumbnail
            1, 1, 0x39,                 // duration "9"
            0,                          // authors: the column says it all
        ])
    }

    func testALaterVersionWithMoreFieldsStillGivesTheKnownOnes() throws {
        var stored = StoredItemCodec.storedItem(full, id: id)
        stored.extra[0] = 2
        stored.extra += [0xFF, 0x01, 0x02]
        XCTAssertEqual(StoredItemCodec.feedItem(stored), full)
    }

    func testExtrasThatDoNotDecodeAreLeftEmpty() throws {
        let stored = StoredItemCodec.storedItem(full, id: id)
        var expected = full
        expected.categories = []
        expected.enclosures = []
        expected.language = nil
        expected.commentCount = nil
        expected.thumbnail = nil
        expected.duration = nil
        expected.authors = ["Grant Montgomery", "Ada"]  // from the column
        var garbage: [[UInt8]] = [
            [], [0], [0, 1, 2, 3], [1], [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            [1, 0, 0x80], [1, 5, 3, 0x61], Array(stored.extra.dropLast(3)), [1, 0, 1, 1, 0xFF, 9],
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            garbage.append([1] + (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        for extra in garbage {
            var broken = stored
            broken.extra = extra
            let item = try XCTUnwrap(StoredItemCodec.feedItem(broken))
            XCTAssertEqual(item.title, full.title)
            XCTAssertEqual(item.content, full.content)
            if extra.count < 12 || extra == Array(stored.extra.dropLast(3)) { XCTAssertEqual(item, expected, "\(extra)") }
        }
    }

    func testAContentTypeThisGazetteDoesNotKnowGivesNoItem() throws {
        var stored = StoredItemCodec.storedItem(full, id: id)
        stored.contentType = 9
        XCTAssertNil(StoredItemCodec.feedItem(stored))
    }
}
