import Foundation
import XCTest
@testable import Catalog
import Posts
import TextCells

/// Indexing a piece at a time (the reader's first screen, then the rest in the background) gives exactly what
/// `Library.load` gives; and the fast paths of the text code agree with the slow ones.
final class LibraryLoaderTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        DisplayWidth.prepareLocale()
    }

    /// A bigger archive than the sample: the sample's posts many times over, each title made unique.
    private func bigArchive(in dir: String, copies: Int) throws -> String {
        let sample = String(decoding: try sampleBytes(), as: UTF8.self)
        var text = ""
        for copy in 0..<copies {
            text += sample.replacingOccurrences(of: "North Korea", with: "North Korea \(copy)") + "\n\n"
        }
        let path = dir + "/big.txt"
        try write(Array(text.utf8), to: path)
        return path
    }

    private func indexAll(_ loader: LibraryLoader, step: Int) -> [Post] {
        var posts: [Post] = []
        while !loader.isFinished { posts += loader.index(maxBytes: step) }
        return posts
    }

    func testPieceByPieceEqualsLoadingAtOnce() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = try bigArchive(in: dir, copies: 60)  // about 1 MB: several chunks
        let whole = try Library.load(paths: [path]).posts
        for step in [1, 4096, 300_000] {
            let loader = try LibraryLoader(paths: [path])
            XCTAssertEqual(indexAll(loader, step: step), whole, "step \(step)")
            XCTAssertEqual(loader.bytesRead, loader.totalBytes)
            XCTAssertEqual(loader.postCount, whole.count)
        }
    }

    func testDirectoriesFilesWithoutPostsAndTitlesAsLibraryLoad() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(try sampleBytes(), to: dir + "/a.txt")
        try write(Array("nothing here\n".utf8), to: dir + "/b.txt")
        try write(try sampleBytes(), to: dir + "/c.txt")
        let library = try Library.load(paths: [dir])
        let loader = try LibraryLoader(paths: [dir])
        let posts = indexAll(loader, step: 1000)
        XCTAssertEqual(posts.map(\.id), library.posts.map(\.id))
        XCTAssertEqual(posts.map(\.title), library.posts.map(\.title))
        // Every file keeps its place among the files listed (b.txt too); bodies agree.
        XCTAssertEqual(Set(posts.map(\.archiveIndex)), [0])
        for (mine, theirs) in zip(posts, library.posts) {
            XCTAssertEqual(loader.bodies.body(of: mine), library.body(of: theirs))
        }
        XCTAssertEqual(loader.takeWarnings().count, 1)
        // c.txt is a copy of a.txt: its posts are a.txt's, shown once.
        XCTAssertEqual(loader.duplicateCount, 10)
        XCTAssertEqual(loader.title, "2 archives")

        let single = try LibraryLoader(paths: [samplePath])
        _ = indexAll(single, step: 100)
        XCTAssertEqual(single.title, try Library.load(paths: [samplePath]).title)
    }

    func testBodiesCanBeReadWhileIndexingGoesOn() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = try bigArchive(in: dir, copies: 60)
        let loader = try LibraryLoader(paths: [path])
        let first = loader.index(maxBytes: 1)
        XCTAssertFalse(loader.isFinished)
        XCTAssertFalse(first.isEmpty)
        XCTAssertFalse(loader.bodies.body(of: first[0]).blocks.isEmpty)
    }

    func testNoPostsAtAllFailsAsLibraryLoad() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(Array("just a line\n".utf8), to: dir + "/empty.txt")
        let loader = try LibraryLoader(paths: [dir + "/empty.txt"])
        XCTAssertTrue(indexAll(loader, step: 10).isEmpty)
        XCTAssertEqual(loader.noPostsError, .noPosts(path: dir + "/empty.txt"))
        XCTAssertThrowsError(try LibraryLoader(paths: [dir + "/missing.txt"]))
    }

    // MARK: Fast paths

    /// Texts with every kind of cluster the fast paths must hand over to the slow ones.
    private let tricky = [
        "plain ASCII words", "“quoted” — dashes – and ‘apostrophes’…", "평양 and 김정은 in Hangul",
        "e\u{301} combining after ASCII", "family 👨‍👩‍👧 emoji", "flag 🇰🇷 pair", "heart ❤️ with VS16",
        "tab\tand\u{1}control", "no\u{A0}break\u{A0}spaces", "jamo \u{1100}\u{1161}\u{11A8} sequence",
        "mixed 中文 text ½ ©", "", " ", "trailing space ", "\u{200B}zero width\u{200D}",
    ]

    func testClustersAndWidthsAgreeWithCharacters() {
        for text in tricky {
            var clusters: [String] = []
            var widths: [Int] = []
            DisplayWidth.forEachCluster(text) { bytes, width in
                clusters.append(String(decoding: bytes, as: UTF8.self))
                widths.append(width)
                return true
            }
            XCTAssertEqual(clusters, text.map(String.init), text)
            XCTAssertEqual(widths, text.map(DisplayWidth.of), text)
            XCTAssertEqual(DisplayWidth.of(text), text.reduce(0) { $0 + DisplayWidth.of($1) }, text)
        }
    }

    func testSanitizerKeepsCleanTextAsItIs() {
        for text in ["“quoted” — dashes ‘and’ 평양 ½ ©", "no\u{A0}break"] {
            XCTAssertEqual(Sanitizer.clean(text), text)
        }
        XCTAssertEqual(Sanitizer.clean("“a”\u{1B}[31mred\u{202E}x"), "“a”redx")
        XCTAssertEqual(Sanitizer.clean("’\u{200B}"), "’")
    }
}
