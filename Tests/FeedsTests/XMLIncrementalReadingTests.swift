import Feeds
import Foundation
import XCTest

/// `read(maxBytes:)`: pieces, progress, the end; and a file read through a descriptor.
final class XMLIncrementalReadingTests: XCTestCase {
    private func bigFeed(items: Int) -> [UInt8] {
        var s = #"<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>"# + "\n"
        for i in 0..<items {
            s += "<item><title>Item \(i)</title><guid>g\(i)</guid><description>" + String(repeating: "text ", count: 200)
                + "</description></item>\n"
        }
        return Array((s + "</channel></rss>\n").utf8)
    }

    func testItemsArriveBeforeTheEnd() throws {
        let bytes = bigFeed(items: 2000)
        let reader = try XMLFeedReader(input: FeedInput(bytes: bytes))
        let first = try reader.read(maxBytes: 256 << 10)
        XCTAssertFalse(reader.isFinished)
        XCTAssertFalse(first.isEmpty)
        XCTAssertLessThan(first.count, 2000)
        XCTAssertEqual(reader.info.title, "Big")
        XCTAssertEqual(reader.bytesRead, 256 << 10)
        var all = first
        while !reader.isFinished { all += try reader.read(maxBytes: 256 << 10) }
        XCTAssertEqual(all.map(\.guid), (0..<2000).map { "g\($0)" })
        XCTAssertEqual(all.map(\.line), (0..<2000).map { $0 + 2 })
        XCTAssertEqual(reader.bytesRead, bytes.count)
        XCTAssertEqual(try reader.read(maxBytes: 1 << 20), [])
    }

    func testAnItemSplitAcrossReadsIsReturnedOnceWhole() throws {
        let bytes = Array(rss("<item><title>one</title><description>" + String(repeating: "x", count: 600_000)
                              + "</description></item><item><title>two</title></item>").utf8)
        let reader = try XMLFeedReader(input: FeedInput(bytes: bytes))
        var all: [FeedItem] = []
        var rounds = 0
        while !reader.isFinished {
            all += try reader.read(maxBytes: 100)
            rounds += 1
        }
        XCTAssertGreaterThan(rounds, 3)
        XCTAssertEqual(all.map(\.title), ["one", "two"])
        XCTAssertEqual(all.first?.content.count, 600_000)
    }

    func testReadsADescriptor() throws {
        let path = NSTemporaryDirectory() + "gazette-feed-\(getpid()).xml"
        let bytes = bigFeed(items: 300)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let reader = try XMLFeedReader(input: FeedInput(descriptor: fd, documentURL: "file://" + path))
        var count = 0
        while !reader.isFinished { count += try reader.read(maxBytes: 64 << 10).count }
        XCTAssertEqual(count, 300)
    }

    func testUnreadableDescriptorThrows() throws {
        let reader = try XMLFeedReader(input: FeedInput(descriptor: -1, documentURL: nil))
        XCTAssertThrowsError(try reader.read(maxBytes: 1 << 20)) { error in
            XCTAssertTrue((error as? FeedError)?.message.hasPrefix("cannot read") ?? false, "\(error)")
        }
    }

    func testEveryCorpusFileIsSafeWholeAndInPieces() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzzCorpus/feed")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            let whole = try? readFeed(bytes: bytes)
            let pieces = try? readFeed(bytes: bytes, chunk: 7)
            XCTAssertEqual(whole?.items, pieces?.items, name)
        }
    }
}
