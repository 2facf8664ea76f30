import Foundation
import XCTest
@testable import Catalog
import Posts

/// Feed files in the Catalog: items become posts whose bodies are kept aside and drawn when shown.
final class FeedSourceTests: XCTestCase {
    private let feed = """
        {"version": "https://jsonfeed.org/version/1.1", "title": "Seoul Desk", "home_page_url": "https://desk.example/",
         "items": [
          {"id": "desk-1", "url": "https://desk.example/vote", "title": "Assembly passes the budget",
           "date_published": "2020-04-15T10:00:00Z", "authors": [{"name": "Ji-ho Kim"}, {"name": "Ann Lee"}],
           "tags": ["politics"], "attachments": [{"url": "https://desk.example/a.mp3", "mime_type": "audio/mpeg",
           "size_in_bytes": 1234}],
           "content_html": "<p>The vote was <b>176 to 80</b>, see <a href=\\"/record\\">the record</a>.</p>"},
          {"id": "desk-2", "content_text": "A note without a title.\\n\\nSecond paragraph."}
         ]}
        """

    func testItemsBecomePostsWithTheirDetailsAndBodies() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(feed, to: dir + "/desk")
        let library = try Library.load(paths: [dir + "/desk"])
        XCTAssertEqual(library.title, "Seoul Desk")
        XCTAssertEqual(library.posts.map(\.title), ["Assembly passes the budget", "A note without a title. Second paragraph."])
        let vote = library.posts[0]
        XCTAssertEqual(vote.kind, .feedItem)
        XCTAssertEqual(vote.timestamp, 1_586_944_800)
        XCTAssertEqual(vote.author, "Ji-ho Kim")
        let details = try XCTUnwrap(library.details(of: vote))
        XCTAssertEqual(details.guid, "desk-1")
        XCTAssertEqual(details.feed, "Seoul Desk")
        XCTAssertEqual(details.authors, ["Ji-ho Kim", "Ann Lee"])
        XCTAssertEqual(details.categories, ["politics"])
        XCTAssertEqual(details.enclosures, [PostEnclosure(url: "https://desk.example/a.mp3", type: "audio/mpeg", length: 1234)])

        let body = library.body(of: vote)
        XCTAssertEqual(body.links, ["https://desk.example/vote", "https://desk.example/record"],
                       "a relative link means the site's page, not a file beside the feed")
        XCTAssertEqual(body.byline, ["Ji-ho Kim, Ann Lee", "Seoul Desk"])
        XCTAssertTrue(library.bodyText(of: vote).contains("176 to 80"))
    }

    func testTwoCopiesOfAFeedAreOnePostEach() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(feed, to: dir + "/a.json")
        try write(feed, to: dir + "/b.json")
        let library = try Library.load(paths: [dir])
        XCTAssertEqual(library.posts.count, 2)
        let again = try Library.load(paths: [dir + "/b.json"])
        XCTAssertEqual(library.posts.map(\.id), again.posts.map(\.id), "ids come from the feed, not the file")
    }

    func testAChangedFeedFileIsNoticedButItsItemsStayReadable() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(feed, to: dir + "/desk")
        let library = try Library.load(paths: [dir + "/desk"])
        try write("{}", to: dir + "/desk")
        let body = library.body(of: library.posts[0])
        XCTAssertEqual(body.notice, "\(dir)/desk changed on disk: press R to reload it")
        XCTAssertFalse(body.blocks.isEmpty, "the items read before are kept")
    }

    func testABrokenFeedShowsWhatItCouldReadAndSaysWhere() throws {
        let dir = try makeTemporaryDirectory(self)
        let cut = String(feed[..<feed.range(of: "{\"id\": \"desk-2\"")!.lowerBound]) + "{\"id\": "
        try write(cut, to: dir + "/cut.json")
        let library = try Library.load(paths: [dir + "/cut.json"])
        XCTAssertEqual(library.posts.map(\.title), ["Assembly passes the budget"])
        XCTAssertEqual(library.warnings.count, 1)
        let warning = try XCTUnwrap(library.warnings.first)
        XCTAssertTrue(warning.hasPrefix("\(dir)/cut.json:"), warning)
        XCTAssertTrue(warning.hasSuffix("(showing 1 item)"), warning)
    }

    func testJSONThatIsNotAFeedIsRefusedWithTheReason() throws {
        let dir = try makeTemporaryDirectory(self)
        try write("{\"name\": \"package\", \"version\": \"1.0.0\"}", to: dir + "/package.json")
        XCTAssertThrowsError(try Library.load(paths: [dir + "/package.json"])) { error in
            guard case .notAnArchiveOrFeed(let path, let reason) = error as? ArchiveError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(path, dir + "/package.json")
            XCTAssertTrue(reason.contains("not a JSON Feed"), reason)
        }
    }
}
