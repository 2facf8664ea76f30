import Foundation
import XCTest
@testable import Catalog
import Posts

/// Libraries of many files: opened one at a time, so the descriptors in use stay few whatever their number.
final class ManyFilesTests: XCTestCase {
    private func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    func testIndexingAThousandFilesHoldsNoDescriptorPerFile() throws {
        let dir = try makeTemporaryDirectory(self)
        for n in 0..<1000 {
            try write("Post \(n)\n\nPosted on by\n\nBody \(n).\n", to: dir + String(format: "/%04d.txt", n))
        }
        let before = openDescriptors()
        let loader = try LibraryLoader(paths: [dir])
        var posts: [Post] = []
        var most = 0
        while !loader.isFinished {
            posts += loader.index(maxBytes: 64)
            most = max(most, openDescriptors() - before)
        }
        XCTAssertEqual(posts.count, 1000)
        XCTAssertLessThanOrEqual(most, 4, "one file at a time")
        XCTAssertEqual(openDescriptors(), before, "every file closed once indexed")
        XCTAssertEqual(loader.bodies.body(of: posts[999]).blocks, [.paragraph("Body 999.")])
        XCTAssertEqual(openDescriptors(), before, "a body read closes its file again")
    }
}
