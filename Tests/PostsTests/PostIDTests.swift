import SeededRandom
import XCTest
@testable import Posts

final class PostIDTests: XCTestCase {
    private func hash(_ s: String) -> String {
        var h = XXH64()
        h.update(Array(s.utf8))
        return String(h.digest(), radix: 16)
    }

    func testXXH64MatchesPublishedVectors() {
        XCTAssertEqual(hash(""), "ef46db3751d8e999")
        XCTAssertEqual(hash("a"), "d24ec4f1a98c6e5b")
        XCTAssertEqual(hash("abc"), "44bc2cf5ad770999")
        XCTAssertEqual(hash("Nobody inspects the spammish repetition"), "fbcea83c8a378bf1")
    }

    func testXXH64StreamingEqualsOneShot() {
        var rng = SplitMix64(seed: 7)
        let data = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var one = XXH64()
        one.update(data)
        for step in [1, 3, 7, 31, 32, 33, 100] {
            var h = XXH64()
            var i = 0
            while i < data.count {
                h.update(data[i..<min(data.count, i + step)])
                i += step
            }
            XCTAssertEqual(h.digest(), one.digest(), "step \(step)")
        }
    }

    private func ids(_ bytes: [UInt8]) throws -> [PostID] {
        try Archive(bytes: bytes).posts.map(\.id)
    }

    func testIdsSurviveLineEndingsTrailingSpacesAndBlankLines() throws {
        let bytes = try sampleBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        let original = try ids(bytes)
        XCTAssertEqual(original.map(\.description), GoldenIDs.all)
        let variants: [String: String] = [
            "CRLF": text.replacingOccurrences(of: "\n", with: "\r\n"),
            "CR": text.replacingOccurrences(of: "\n", with: "\r"),
            "trailing spaces": text.replacingOccurrences(of: "\n", with: "  \u{A0} \n"),
            "extra blank lines": text.replacingOccurrences(of: "\n\n", with: "\n\n\n\n"),
            "no blank lines": text.replacingOccurrences(of: "\n\n", with: "\n"),
            "final newline": text + "\n\n",
            "BOM": "\u{FEFF}" + text,
            "indented": text.replacingOccurrences(of: "\n", with: "\n   "),
        ]
        for (name, variant) in variants {
            let a = try Archive(bytes: Array(variant.utf8))
            XCTAssertEqual(a.posts.map(\.id), original, name)
            XCTAssertEqual(a.posts.map(\.title), SampleArchiveTests.titles, name)
            XCTAssertEqual(a.posts.compactMap(\.source).count, 5, name)
        }
    }

    func testIdsSurviveRewrappingButNotAChangedWord() throws {
        let a = "T\n\nPosted on by\n\nOne two three four.\n"
        let b = "T\n\nPosted on by\n\nOne two\nthree four.\n"
        let c = "T\n\nPosted on by\n\nOne two three five.\n"
        XCTAssertEqual(try ids(Array(a.utf8)), try ids(Array(b.utf8)))
        XCTAssertNotEqual(try ids(Array(a.utf8)), try ids(Array(c.utf8)))
    }

    func testIdIgnoresDateAuthorAndSourceButNotTitle() throws {
        let base = try ids(Array("T\n\nPosted on by\n\nBody.\n".utf8))
        XCTAssertEqual(try ids(Array("T\n\nPosted on April 14, 2020 by Ann\n\nBody.\n\n[AP]\n".utf8)), base)
        XCTAssertNotEqual(try ids(Array("U\n\nPosted on by\n\nBody.\n".utf8)), base)
        // The title/body boundary counts: "TB" + "ody." is another post.
        XCTAssertNotEqual(try ids(Array("TB\n\nPosted on by\n\nody.\n".utf8)), base)
    }

    func testIdentifiedPostsInTwoFilesAreTheSamePost() throws {
        let post = "Same title\n\nPosted on by\n\nSame body.\n"
        let one = try Archive(bytes: Array(("Author Archives for A\n\n" + post).utf8))
        let two = try Archive(bytes: Array(("Other\n\nX\n\nPosted on by\n\nx\n\n" + post).utf8))
        XCTAssertEqual(one.posts[0].id, two.posts[1].id)
    }

    func testHexForm() {
        let id = PostID(rawValue: 0xab)
        XCTAssertEqual(id.description, "00000000000000ab")
        XCTAssertEqual(PostID(hex: id.description), id)
        XCTAssertNil(PostID(hex: "ab"))
    }
}
