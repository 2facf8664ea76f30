import SeededRandom
import XCTest
@testable import Posts

/// The format variants real dumps produce, each as a small literal archive.
final class FormatVariantTests: XCTestCase {
    func testPostedOnByUsesTheArchiveAuthor() throws {
        let a = try archive("Author Archives for Jane Roe\n\nTitle\n\nPosted on by\n\nBody.\n")
        XCTAssertEqual(a.author, "Jane Roe")
        XCTAssertEqual(a.posts.map(\.author), ["Jane Roe"])
        XCTAssertNil(a.posts[0].date)
    }

    func testDateAndAuthorOnThePostedOnLine() throws {
        let a = try archive("Author Archives for Jane Roe\n\nTitle\n\nPosted on April 14, 2020 by John Doe\n\nBody.\n")
        let p = a.posts[0]
        XCTAssertEqual(p.date, PostDate(year: 2020, month: 4, day: 14))
        XCTAssertEqual(p.dateText, "April 14, 2020")
        XCTAssertEqual(p.author, "John Doe")
    }

    func testDayMonthYearWithFinalPeriodAndNoAuthor() throws {
        let a = try archive("Title\n\nPosted on 24 July 2021.\n\nBody.\n")
        XCTAssertEqual(a.posts[0].date, PostDate(year: 2021, month: 7, day: 24))
        XCTAssertEqual(a.posts[0].dateText, "24 July 2021")
        XCTAssertNil(a.posts[0].author)
    }

    func testDateForms() throws {
        let cases: [(String, PostDate?)] = [
            ("April 14, 2020", PostDate(year: 2020, month: 4, day: 14)),
            ("Apr 14, 2020", PostDate(year: 2020, month: 4, day: 14)),
            ("Apr. 14th, 2020", PostDate(year: 2020, month: 4, day: 14)),
            ("14 April 2020", PostDate(year: 2020, month: 4, day: 14)),
            ("2020-04-14", PostDate(year: 2020, month: 4, day: 14)),
            ("Sept 1, 2019", PostDate(year: 2019, month: 9, day: 1)),
            ("Tuesday, April 14, 2020 at 9:00 am", PostDate(year: 2020, month: 4, day: 14)),
            ("February 29, 2020", PostDate(year: 2020, month: 2, day: 29)),
            ("February 29, 2021", nil),
            ("14/04/2020", nil),
        ]
        for (text, date) in cases {
            let a = try archive("T\n\nPosted on \(text) by Ann\n\nBody.\n")
            XCTAssertEqual(a.posts.count, 1, text)
            XCTAssertEqual(a.posts.first?.date, date, text)
            XCTAssertEqual(a.posts.first?.dateText, text, text)
            XCTAssertEqual(a.posts.first?.author, "Ann", text)
        }
    }

    func testMissingAndExtraBlankLines() throws {
        let tight = try archive("Header\nOne\nPosted on by\nBody one.\nTwo\nPosted on by\nBody two.")
        XCTAssertEqual(tight.posts.map(\.title), ["One", "Two"])
        XCTAssertEqual(tight.title, "Header")
        XCTAssertEqual(tight.bodyText(of: tight.posts[0]), "Body one.")
        let loose = try archive("\n\n\nHeader\n\n\n\nOne\n\n\n\nPosted on by\n\n\n\nBody one.\n\n\n\nTwo\n\n\nPosted on by\n\n\nBody two.\n\n\n")
        XCTAssertEqual(loose.posts.map(\.title), ["One", "Two"])
        XCTAssertEqual(loose.posts.map(\.id), tight.posts.map(\.id))
        XCTAssertEqual(loose.body(of: loose.posts[1]), [.paragraph("Body two.")])
    }

    func testLineEndingsBOMAndNoFinalNewline() throws {
        let lf = "Author Archives for X\n\nOne\n\nPosted on by\n\nFirst line\nsecond line.\n\n[AP]\n\nTwo\n\nPosted on by\n\nBody."
        let expected = try archive(lf)
        for (name, text) in [
            ("CRLF", lf.replacingOccurrences(of: "\n", with: "\r\n")),
            ("CR", lf.replacingOccurrences(of: "\n", with: "\r")),
            ("BOM", "\u{FEFF}" + lf),
            ("BOM+CRLF+final newline", "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"),
        ] {
            let a = try archive(text)
            XCTAssertEqual(a.title, "Author Archives for X", name)
            XCTAssertEqual(a.posts.map(\.title), ["One", "Two"], name)
            XCTAssertEqual(a.posts.map(\.source), ["AP", nil], name)
            XCTAssertEqual(a.posts.map(\.id), expected.posts.map(\.id), name)
            XCTAssertEqual(a.body(of: a.posts[0]), [.paragraph("First line second line.")], name)
            XCTAssertEqual(a.body(of: a.posts[1]), [.paragraph("Body.")], name)
        }
    }

    func testTrailingSpacesAndNoBreakSpaces() throws {
        let a = try archive("Header \u{A0}\n\nTitle  \u{A0}\n\n \u{A0}Posted on by  \n\nBody\u{A0}text. \u{A0} \n\n\u{A0}[ NK News ]\u{A0} \n")
        XCTAssertEqual(a.title, "Header")
        XCTAssertEqual(a.posts[0].title, "Title")
        XCTAssertEqual(a.posts[0].source, "NK News")
        XCTAssertEqual(a.body(of: a.posts[0]), [.paragraph("Body\u{A0}text.")])
    }

    func testFileWithoutHeaderIsTitledByItsName() throws {
        let a = try archive("First title\n\nPosted on by\n\nBody.\n", path: "some/dir/korea-2020.txt")
        XCTAssertEqual(a.title, "korea-2020")
        XCTAssertNil(a.author)
        XCTAssertEqual(a.posts.map(\.title), ["First title"])
        XCTAssertNil(a.posts[0].author)
    }

    func testHeaderWithoutTitleGivesAnUntitledPost() throws {
        let a = try archive("Author Archives for X\n\nPosted on by\n\nBody.\n")
        XCTAssertEqual(a.author, "X")
        XCTAssertEqual(a.posts.map(\.title), [Post.untitled])
    }

    func testConsecutivePostedOnLinesAndEmptyBodies() throws {
        let a = try archive("H\n\nA\n\nPosted on by\n\nPosted on by\n\nBody.\n\nC\n\nPosted on by\n")
        XCTAssertEqual(a.posts.map(\.title), ["A", Post.untitled, "C"])
        XCTAssertEqual(a.body(of: a.posts[0]), [])
        XCTAssertEqual(a.body(of: a.posts[1]), [.paragraph("Body.")])
        XCTAssertEqual(a.body(of: a.posts[2]), [])
    }

    func testSentencesStartingWithPostedOnAreBody() throws {
        let a = try archive("""
        T

        Posted on by

        Posted on Facebook on Monday, the statement drew thousands of replies within an hour.

        Posted online, the video spread.

        [Not a source] because text follows.

        """)
        XCTAssertEqual(a.posts.count, 1)
        XCTAssertEqual(a.body(of: a.posts[0]).count, 3)
        XCTAssertNil(a.posts[0].source)
    }

    func testSourceShapedLineInTheMiddleStaysInTheBody() throws {
        let a = try archive("T\n\nPosted on by\n\n[Editor's note]\n\nBody.\n")
        XCTAssertNil(a.posts[0].source)
        XCTAssertEqual(a.body(of: a.posts[0]), [.paragraph("[Editor's note]"), .paragraph("Body.")])
    }

    func testSourceIsTheLastLineBeforeTheNextTitle() throws {
        let a = try archive("T1\n\nPosted on by\n\nBody.\n[AP]\nT2\nPosted on by\nMore.\n\n[Reuters]")
        XCTAssertEqual(a.posts.map(\.source), ["AP", "Reuters"])
        XCTAssertEqual(a.body(of: a.posts[0]), [.paragraph("Body.")])
        XCTAssertEqual(a.posts[0].bodyRange.upperBound, "T1\n\nPosted on by\n\nBody.".utf8.count)
    }

    func testNoPostIsAnErrorNamingTheFile() {
        for text in ["", "\n\n", "Just a note\n\nwith two paragraphs.\n", "\u{FEFF}"] {
            XCTAssertThrowsError(try archive(text, path: "notes.txt")) { error in
                XCTAssertEqual(error as? ArchiveError, .noPosts(path: "notes.txt"))
                XCTAssertEqual("\(error)",
                               "notes.txt: no posts found (expected a title line followed by a \"Posted on\" line)")
            }
        }
    }

    func testInvalidUTF8AndNULBytesDoNotCrash() throws {
        var bytes = Array("Ti\u{0}tle ".utf8) + [0xFF, 0xC3] + Array("\n\nPosted on by\n\nBo\u{0}dy ".utf8)
        bytes += [0xE2, 0x82, 0x0A, 0xC2]  // truncated sequences, one at the very end
        let a = try Archive(bytes: bytes)
        XCTAssertEqual(a.posts.count, 1)
        XCTAssertEqual(a.posts[0].title, "Ti\u{0}tle \u{FFFD}\u{FFFD}")
        XCTAssertEqual(a.body(of: a.posts[0]), [.paragraph("Bo\u{0}dy \u{FFFD} \u{FFFD}")])
    }

    func testRandomMutationsNeverCrash() throws {
        let sample = try sampleBytes()
        var rng = SplitMix64(seed: 42)
        for _ in 0..<300 {
            var bytes = sample
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                case 2: bytes.insert(contentsOf: [0x0D, 0x0A, 0xC2, 0xA0, 0x00, 0x1B].shuffled(using: &rng), at: i)
                default: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...400, using: &rng)))
                }
            }
            guard let a = try? Archive(bytes: bytes) else { continue }
            XCTAssertEqual(scanInPieces(bytes, pieceSize: 97), a.posts)
            for post in a.posts {
                XCTAssertTrue(post.bodyRange.lowerBound >= 0 && post.bodyRange.upperBound <= bytes.count)
                _ = a.body(of: post)
            }
        }
    }

    func testLongLinesAcrossChunksAreIndexedAsInMemory() throws {
        // A title and a body line longer than the scanner's long-line threshold, and an 5 MB line (larger than the
        // read buffer), read from a file.
        let longTitle = String(repeating: "Title words \u{A0}", count: 4000)
        let huge = String(repeating: "word \u{A0}한국 ", count: 500_000)
        let text = "H\n\n\(longTitle)\n\nPosted on by\n\n\(huge)\n\n[AP]\n\nNext\n\nPosted on by\n\nEnd.\n"
        let bytes = Array(text.utf8)
        let dir = try makeTemporaryDirectory(self)
        try write(bytes, to: dir + "/long.txt")
        let fromFile = try Archive.open(path: dir + "/long.txt")
        let inMemory = try Archive(bytes: bytes)
        XCTAssertEqual(fromFile.posts, inMemory.posts)
        XCTAssertEqual(scanInPieces(bytes, pieceSize: 10_000), inMemory.posts)
        XCTAssertEqual(fromFile.posts.map(\.source), ["AP", nil])
        XCTAssertLessThanOrEqual(fromFile.posts[0].title.utf8.count, ArchiveScanner.maxTitleBytes)
        XCTAssertTrue(fromFile.posts[0].title.hasPrefix("Title words"))
        let title = Array(longTitle.utf8)
        XCTAssertEqual(fromFile.posts[0].id, PostID.derive(title: title, body: Array(bytes[fromFile.posts[0].bodyRange])))
        XCTAssertEqual(fromFile.body(of: fromFile.posts[0]).count, 1)
    }
}
