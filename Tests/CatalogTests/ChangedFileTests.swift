import Foundation
import XCTest
@testable import Catalog
import Posts

/// A file that changes on disk while it is open is noticed when a body is read: never another post's text.
final class ChangedFileTests: XCTestCase {
    private let text = "First\n\nPosted on by\n\nThe first body.\n\nSecond\n\nPosted on by\n\nThe second body.\n"

    func testATruncatedArchiveShowsANoticeNotGarbage() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/a.txt"
        try write(text, to: path)
        let library = try Library.load(paths: [path])
        XCTAssertEqual(library.body(of: library.posts[1]).blocks, [.paragraph("The second body.")])
        XCTAssertNil(library.body(of: library.posts[1]).notice)

        try write(String(text.prefix(40)), to: path)
        let body = library.body(of: library.posts[1])
        XCTAssertEqual(body.blocks, [], "the bytes there are no longer this post's")
        XCTAssertEqual(body.notice, "\(path) changed on disk: press R to reload it")
    }

    func testAnAppendedArchiveStillShowsItsPostsAndSaysItChanged() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/a.txt"
        try write(text, to: path)
        let library = try Library.load(paths: [path])
        try write(text + "\nThird\n\nPosted on by\n\nA third body.\n", to: path)
        let body = library.body(of: library.posts[0])
        XCTAssertEqual(body.blocks, [.paragraph("The first body.")], "its bytes still give its id")
        XCTAssertEqual(body.notice, "\(path) changed on disk: press R to reload it")
    }

    func testARemovedFileSaysSo() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/a.txt"
        try write(text, to: path)
        let library = try Library.load(paths: [path])
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(library.body(of: library.posts[0]).notice, "\(path) cannot be read any more: press R to reload")
    }
}
