import XCTest
@testable import Posts

final class SampleArchiveTests: XCTestCase {
    static let titles = [
        "Still a “zero virus” claim by North Korea",
        "US offers $5 million reward for information on North Korean hackers",
        "Former North Korean diplomat elected lawmaker in South Korea",
        "North Korea fires suspected cruise missiles",
        "North Korea calls for stronger coronavirus measures",
        "North Korean hacker group carries out attack under guise of North Korean defector information",
        "UN human rights chief warns sanctions “impeding” North Korea’s COVID-19 efforts",
        "Kim Jong Un orders construction of new hospital in Pyongyang",
        "North Korean negotiator may be tapped as Pyongyang’s top envoy to Austria",
        "COVID-19 prevention equipment to be delivered to North Korea",
    ]

    func testTenPostsWithTheirTitlesInOrder() throws {
        let a = try Archive.open(path: samplePath)
        XCTAssertEqual(a.posts.map(\.title), Self.titles)
    }

    func testHeaderGivesArchiveTitleAndEveryPostsAuthor() throws {
        let a = try Archive.open(path: samplePath)
        XCTAssertEqual(a.title, "Author Archives for Grant Montgomery")
        XCTAssertEqual(a.author, "Grant Montgomery")
        XCTAssertEqual(a.posts.map(\.author), Array(repeating: "Grant Montgomery", count: 10))
        // "Posted on by": no date.
        XCTAssertTrue(a.posts.allSatisfy { $0.date == nil && $0.dateText == nil })
    }

    func testHackersPostHasSevenBulletsThreeOfThemLevelTwo() throws {
        let a = try Archive.open(path: samplePath)
        let post = try XCTUnwrap(a.posts.first { $0.title.hasPrefix("US offers $5 million reward") })
        let blocks = a.body(of: post)
        let bullets = blocks.compactMap { b -> (Int, String)? in
            if case .bullet(let level, let text) = b { return (level, text) }
            return nil
        }
        XCTAssertEqual(bullets.count, 7)
        XCTAssertEqual(bullets.map(\.0), [1, 1, 1, 1, 2, 2, 2])
        XCTAssertEqual(bullets[0].1, "Attacks and thefts from banks and other financial entities")
        XCTAssertEqual(bullets[3].1, "Various types of extortion campaigns, such as:")
        XCTAssertTrue(bullets[4].1.hasPrefix("Compromising an entity’s network"), bullets[4].1)
        XCTAssertEqual(blocks[2], .paragraph("Observed tactics include:"))
        XCTAssertEqual(blocks.count, 2 + 1 + 7 + 2)
        if case .paragraph(let last) = blocks.last! {
            XCTAssertTrue(last.hasSuffix("Consequences include sanctions and seizure of funds and assets, officials said."))
        } else {
            XCTFail("last block should be a paragraph")
        }
    }

    func testSourceLinesBelongToTheirPostsAndLeaveTheBody() throws {
        let a = try Archive.open(path: samplePath)
        XCTAssertEqual(a.posts.map(\.source), [
            nil, nil, "ABC News", nil, "Various News Agencies", nil, "NK News", "Fox News", nil, "NK News",
        ])
        for post in a.posts {
            let text = a.bodyText(of: post)
            XCTAssertFalse(text.contains("[ABC News]") || text.contains("[NK News]") || text.contains("[Fox News]")
                           || text.contains("[Various News Agencies]"), post.title)
            XCTAssertFalse(text.isEmpty, post.title)
        }
    }

    func testParagraphsKeepInnerNoBreakSpacesAndLoseTrailingOnes() throws {
        let a = try Archive.open(path: samplePath)
        let missiles = a.body(of: a.posts[3])
        XCTAssertTrue(missiles.contains { $0 == .paragraph("North Korean troops in\u{A0}Munchonto\u{A0}fired what were presumed to\u{A0}be cruise missiles, according to a statement by South Korea’s Joint Chiefs of Staff. They flew roughly 93 miles off the coast, per a South Korean defense official.") })
        let measures = a.body(of: a.posts[4])
        XCTAssertTrue(measures.contains(.paragraph("Officials have previously insisted the North remains totally free of the virus.")))
        XCTAssertEqual(a.posts[0].bodyRange.count > 0, true)
        XCTAssertEqual(a.body(of: a.posts[0]).count, 8)
    }

    func testIdsAreDistinctAndPinned() throws {
        let a = try Archive.open(path: samplePath)
        XCTAssertEqual(Set(a.posts.map(\.id)).count, 10)
        // Golden values: if these change, every user's read marks are lost. Never update them casually.
        XCTAssertEqual(a.posts[0].id.description, GoldenIDs.first)
        XCTAssertEqual(a.posts.map(\.id.description), GoldenIDs.all)
    }

    func testIdsFollowTheDocumentedRule() throws {
        let bytes = try sampleBytes()
        let a = try Archive(bytes: bytes)
        let titleLines = Self.titles.map { Array($0.utf8) }
        for (post, title) in zip(a.posts, titleLines) {
            let body = Array(bytes[post.bodyRange])
            XCTAssertEqual(PostID.derive(title: title, body: body), post.id, post.title)
        }
    }

    func testFileAndMemoryIndexesAgree() throws {
        let bytes = try sampleBytes()
        let fromFile = try Archive.open(path: samplePath, archiveIndex: 3)
        let inMemory = try Archive(bytes: bytes, path: samplePath, archiveIndex: 3)
        XCTAssertEqual(fromFile.posts, inMemory.posts)
        XCTAssertEqual(fromFile.title, inMemory.title)
        XCTAssertTrue(fromFile.posts.allSatisfy { $0.archiveIndex == 3 })
        for post in fromFile.posts {
            XCTAssertEqual(fromFile.body(of: post), inMemory.body(of: post))
        }
    }

    func testEveryChunkBoundaryGivesTheSameIndex() throws {
        let bytes = try sampleBytes()
        let whole = try Archive(bytes: bytes).posts
        for size in [1, 2, 3, 5, 17, 64, 333, 4096] {
            XCTAssertEqual(scanInPieces(bytes, pieceSize: size), whole, "piece size \(size)")
        }
    }
}

/// Cross-checked with an independent implementation of XXH64 (Python, from the xxHash spec) when first pinned.
enum GoldenIDs {
    static let first = "a17d2fbd605bb234"
    static let all = [
        "a17d2fbd605bb234", "921d07054b4b9ba8", "a90aedee938757ec", "17e21e68ef5f2da8", "9a8b0a58d63636d3",
        "daa43df11053758d", "e1f8dec9945c181e", "19b1a21dd07686c2", "cf5c0847c17ac608", "d5d0815033f8637c",
    ]
}
