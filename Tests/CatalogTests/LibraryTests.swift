import Foundation
import XCTest
@testable import Catalog
import Posts

final class LibraryTests: XCTestCase {
    private func post(_ title: String, _ body: String = "Body.") -> String {
        "\(title)\n\nPosted on by\n\n\(body)\n\n"
    }

    func testDirectoryLoadsRegularNonHiddenFilesSortedByName() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(Array(("Author Archives for B\n\n" + post("b1") + post("b2")).utf8), to: dir + "/b.txt")
        try write(Array(post("a1").utf8), to: dir + "/a.txt")
        try write(Array(post("hidden").utf8), to: dir + "/.hidden.txt")
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
        try write(Array(post("sub").utf8), to: dir + "/sub/c.txt")
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o600), 0)

        let lib = try Library.load(paths: [dir])
        XCTAssertEqual(lib.sources.map(\.title), ["a", "Author Archives for B"])
        XCTAssertEqual(lib.posts.map(\.title), ["a1", "b1", "b2"])
        XCTAssertEqual(lib.posts.map(\.archiveIndex), [0, 1, 1])
        XCTAssertEqual(lib.posts.map(\.author), [nil, "B", "B"])
        XCTAssertTrue(lib.warnings.isEmpty)
        XCTAssertEqual(lib.source(of: lib.posts[2])?.path, dir + "/b.txt")
        XCTAssertEqual(lib.body(of: lib.posts[2]).blocks, [.paragraph("Body.")])
    }

    func testSeveralPathsConcatenateInOrder() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(Array(post("x").utf8), to: dir + "/x.txt")
        let lib = try Library.load(paths: [dir + "/x.txt", packageRoot + "/seeds"])
        XCTAssertEqual(lib.posts.count, 11)
        XCTAssertEqual(lib.posts.first?.title, "x")
        XCTAssertEqual(Array(lib.posts.dropFirst().map(\.title)), try sampleTitles())
        XCTAssertEqual(lib.posts.last?.archiveIndex, 1)
        XCTAssertEqual(lib.bodyText(of: lib.posts[1]).isEmpty, false)
    }

    func testSamePostInTwoFilesIsOneRowTheFirstFilesCopy() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(Array(post("Same", "Same body.").utf8), to: dir + "/1.txt")
        try write(Array(("Author Archives for Z\r\n\r\n" + post("Same", "Same   body.").replacingOccurrences(of: "\n", with: "\r\n")
                         + post("Other")).utf8),
                  to: dir + "/2.txt")
        let lib = try Library.load(paths: [dir])
        XCTAssertEqual(lib.posts.map(\.title), ["Same", "Other"])
        XCTAssertEqual(lib.posts[0].archiveIndex, 0, "the first file's copy")
        XCTAssertNil(lib.posts[0].author)
    }

    func testTwoCopiesOfTheSampleListItsTenPostsOnce() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(try sampleBytes(), to: dir + "/a.txt")
        try write(try sampleBytes(), to: dir + "/b.txt")
        let lib = try Library.load(paths: [dir])
        XCTAssertEqual(lib.posts.map(\.title), try sampleTitles())
        XCTAssertEqual(Set(lib.posts.map(\.id)).count, 10)
    }

    func testFileWithoutPostsAmongOthersIsSkippedWithAWarning() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(Array(post("ok").utf8), to: dir + "/a.txt")
        try write(Array("README: nothing here\n".utf8), to: dir + "/b.txt")
        let lib = try Library.load(paths: [dir])
        XCTAssertEqual(lib.posts.map(\.title), ["ok"])
        XCTAssertEqual(lib.warnings, ["\(dir)/b.txt: no posts found (expected a title line followed by a \"Posted on\" line); skipped"])
    }

    func testNoPostAnywhereIsAnError() throws {
        let dir = try makeTemporaryDirectory(self)
        try write(Array("nothing\n".utf8), to: dir + "/a.txt")
        XCTAssertThrowsError(try Library.load(paths: [dir + "/a.txt"])) {
            XCTAssertEqual($0 as? ArchiveError, .noPosts(path: dir + "/a.txt"))
        }
        try write(Array("nothing either\n".utf8), to: dir + "/b.txt")
        XCTAssertThrowsError(try Library.load(paths: [dir])) {
            XCTAssertEqual($0 as? ArchiveError, .noPosts(path: dir))
        }
    }

    func testBadPathsAreClearErrors() throws {
        let dir = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: false)
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o600), 0)

        let cases: [(String, ArchiveError, String)] = [
            (dir + "/missing.txt", .notFound(path: dir + "/missing.txt"), "no such file or directory"),
            (dir + "/empty", .emptyDirectory(path: dir + "/empty"), "no archive or feed files"),
            (dir + "/fifo", .notARegularFile(path: dir + "/fifo", kind: "a FIFO"), "is a FIFO"),
            ("/dev/null", .notARegularFile(path: "/dev/null", kind: "a character device"), "character device"),
        ]
        for (path, expected, words) in cases {
            XCTAssertThrowsError(try Library.load(paths: [path]), path) { error in
                XCTAssertEqual(error as? ArchiveError, expected)
                XCTAssertTrue("\(error)".hasPrefix(path + ": ") && "\(error)".contains(words), "\(error)")
            }
        }
        // Opening a FIFO directly must not block either.
        XCTAssertThrowsError(try Archive.open(path: dir + "/fifo")) {
            XCTAssertEqual($0 as? ArchiveError, .notARegularFile(path: dir + "/fifo", kind: "a FIFO"))
        }
        XCTAssertThrowsError(try Archive.open(path: dir)) {
            XCTAssertEqual($0 as? ArchiveError, .isADirectory(path: dir))
        }
        XCTAssertThrowsError(try Library.load(paths: [])) { XCTAssertEqual($0 as? ArchiveError, .noPaths) }
    }

    func testUnreadableFileIsAnError() throws {
        try XCTSkipIf(geteuid() == 0, "root reads any file")
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/secret.txt"
        try write(Array(post("s").utf8), to: path)
        XCTAssertEqual(chmod(path, 0), 0)
        XCTAssertThrowsError(try Library.load(paths: [path])) {
            XCTAssertEqual($0 as? ArchiveError, .permissionDenied(path: path))
        }
    }

    func testBodiesAreReadFromTheFileOnDemand() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/a.txt"
        try write(Array(post("t", "Original body.").utf8), to: path)
        let a = try Archive.open(path: path)
        // The archive keeps its descriptor: the body is still readable after the name is gone.
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(a.body(of: a.posts[0]), [.paragraph("Original body.")])
        // A range beyond the file gives what there is, never a crash.
        var bogus = a.posts[0]
        bogus.bodyRange = 1_000_000..<1_000_100
        XCTAssertEqual(a.body(of: bogus), [])
    }
}
