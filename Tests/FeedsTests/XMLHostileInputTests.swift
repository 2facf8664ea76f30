import Feeds
import Foundation
import XCTest

/// Hostile and broken files: no crash, no file read, memory bounded, what can be read is shown.
final class XMLHostileInputTests: XCTestCase {
    func testBillionLaughsIsNotExpanded() throws {
        var dtd = #"<!ENTITY lol "lol">"#
        dtd += #"<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">"#
        for i in 2...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [\(dtd)]>
            <rss version="2.0"><channel><item><title>before</title></item><item><title>&lol9;</title></item>
            <item><title>after</title></item></channel></rss>
            """
        let start = Date()
        let read: ReadFeed
        do {
            read = try readFeed(xml)
        } catch let error as FeedError {
            XCTAssertFalse(error.message.isEmpty)
            return
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertEqual(read.items.first?.title, "before")
        XCTAssertLessThan(read.items.map(\.title.utf8.count).reduce(0, +), 1 << 20)
        XCTAssertEqual(read.diagnostics, [FeedDiagnostic(line: 3, message: "entities that expand without end (not expanded)")])
    }

    func testExternalEntityIsNeverRead() throws {
        let secret = "secret-\(UInt64.random(in: 0...UInt64.max))"
        let path = NSTemporaryDirectory() + "gazette-xxe-\(getpid()).txt"
        try secret.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for system in ["file://\(path)", path, "file:///etc/hostname"] {
            let xml = """
                <?xml version="1.0"?>
                <!DOCTYPE rss [<!ENTITY xxe SYSTEM "\(system)">]>
                <rss version="2.0"><channel><title>&xxe;</title><item><title>a&xxe;b</title><description>&xxe;</description>
                <enclosure url="&xxe;" type="x"/></item></channel></rss>
                """
            let read = try readFeed(xml)
            let everything = "\(read.info) \(read.items)"
            XCTAssertFalse(everything.contains(secret), system)
            if system.hasSuffix("hostname"), let host = try? String(contentsOfFile: "/etc/hostname", encoding: .utf8),
               host.count > 3 {
                XCTAssertFalse(everything.contains(host.trimmingCharacters(in: .whitespacesAndNewlines)), system)
            }
            XCTAssertEqual(read.items.count, 1)
        }
    }

    func testParameterEntityToALocalFileIsNotLoaded() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>
            <rss version="2.0"><channel><item><title>root:x</title></item></channel></rss>
            """
        let read = try readFeed(xml)
        XCTAssertEqual(read.items.map(\.title), ["root:x"])
    }

    func testDeepNesting() throws {
        let depth = 100_000
        let xml = "<rss version=\"2.0\"><channel><item><title>ok</title></item><item><description>"
            + String(repeating: "<x>", count: depth) + "deep" + String(repeating: "</x>", count: depth)
            + "</description></item></channel></rss>"
        let read = try readFeed(xml)
        XCTAssertEqual(read.items.first?.title, "ok")
    }

    func testDeepNestingOutsideContent() throws {
        let depth = 100_000
        let xml = "<rss version=\"2.0\"><channel><item><title>ok</title></item>" + String(repeating: "<x>", count: depth)
            + String(repeating: "</x>", count: depth) + "<item><title>after</title></item></channel></rss>"
        let read = try readFeed(xml)
        XCTAssertEqual(read.items.first?.title, "ok")
        // libxml2's push parser has no depth limit (its memory, like ours, grows with the file): all is read.
        XCTAssertEqual(read.items.last?.title, "after")
    }

    func testHugeTitleIsBounded() throws {
        var bytes = Array(#"<rss version="2.0"><channel><item><title>first</title></item><item><title>"#.utf8)
        bytes += [UInt8](repeating: 0x61, count: 100 << 20)
        bytes += Array("</title></item><item><title>last</title></item></channel></rss>".utf8)
        let read = try readFeed(bytes: bytes, chunk: 256 << 10)
        XCTAssertEqual(read.items.first?.title, "first")
        XCTAssertLessThanOrEqual(read.items.map(\.title.utf8.count).max() ?? 0, 64 << 10)
        XCTAssertFalse(read.diagnostics.isEmpty)
    }

    func testLongTitleIsCutAt64KB() throws {
        let read = try readFeed(rss("<item><title>" + String(repeating: "é", count: 40_000) + "</title></item>"))
        let title = onlyItem(read).title
        XCTAssertEqual(title.utf8.count, 64 << 10)
        XCTAssertTrue(title.allSatisfy { $0 == "é" })
        XCTAssertTrue(read.diagnostics.contains { $0.message.contains("64 KB") })
    }

    func testAMillionEmptyItems() throws {
        var bytes = Array(#"<rss version="2.0"><channel>"#.utf8)
        bytes.reserveCapacity(8 << 20)
        let item = Array("<item/>".utf8)
        for _ in 0..<1_000_000 { bytes += item }
        bytes += Array("</channel></rss>".utf8)
        let reader = try XMLFeedReader(input: FeedInput(bytes: bytes))
        var count = 0
        var empty = true
        while !reader.isFinished {
            let items = try reader.read(maxBytes: 256 << 10)
            count += items.count
            empty = empty && items.allSatisfy { $0.title.isEmpty }
        }
        XCTAssertEqual(count, 1_000_000)
        XCTAssertTrue(empty)
        XCTAssertEqual(reader.diagnostics, [])
    }

    func testTruncatedFileKeepsWhatWasRead() throws {
        let whole = rss("<item><title>one</title></item><item><title>two</title><description>half of it")
        let cut = String(whole.prefix(whole.count - "</channel></rss>".count - 1))
        let read = try readFeed(cut)
        XCTAssertEqual(read.items.map(\.title), ["one", "two"])
        XCTAssertEqual(read.items.last?.content, "half of it")
        XCTAssertTrue(read.diagnostics.first?.message.hasPrefix("unclosed element <") ?? false, "\(read.diagnostics)")
        XCTAssertEqual(read.diagnostics.first?.line, 3)
    }

    func testEveryPrefixOfAFeedIsSafe() throws {
        let whole = Array(rss("""
            <item><title>a &amp; b</title><link>https://e.org/</link><description><![CDATA[<p>x</p>]]></description></item>
            <item><title>c</title></item>
            """).utf8)
        for n in 0...whole.count {
            _ = try? readFeed(bytes: Array(whole[0..<n]))
        }
    }

    func testMismatchedTagSaysWhich() throws {
        let read = try readFeed("<rss version=\"2.0\"><channel>\n<item><title>a</item>\n<item><title>b</title></item></channel></rss>")
        XCTAssertEqual(read.diagnostics.first?.message, "</item> does not close <title> (opened on line 2)")
        XCTAssertEqual(read.diagnostics.first?.line, 2)
        XCTAssertFalse(read.items.isEmpty)
    }

    func testBareAmpersand() throws {
        let read = try readFeed(rss("<item><title>Fish & Chips</title></item><item><title>next</title></item>"))
        XCTAssertEqual(read.items.count, 2)
        XCTAssertEqual(read.items.last?.title, "next")
        XCTAssertEqual(read.diagnostics.first?.message, "a bare & (write &amp;)")
    }

    func testHTMLPageIsRefused() {
        let error = feedError(Array("<!DOCTYPE html>\n<html><head><title>Blog</title></head><body>hi</body></html>".utf8))
        XCTAssertEqual(error?.message, "is an HTML page, not a feed")
    }

    func testHTMLPageSaysWhereItsFeedIs() {
        let page = """
            <!doctype html><html><head><meta charset=utf-8>
            <link rel="stylesheet" href="/s.css"><LINK REL=alternate TYPE="application/rss+xml" title="RSS" HREF="https://example.com/feed.xml">
            </head><body></body></html>
            """
        XCTAssertEqual(feedError(Array(page.utf8))?.message, "is an HTML page, not a feed (its feed is at https://example.com/feed.xml)")
    }

    func testXHTMLPageIsRefused() {
        let page = #"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head/><body/></html>"#
        XCTAssertEqual(feedError(Array(page.utf8))?.message, "is an HTML page, not a feed")
    }

    func testOtherXMLIsNotAFeed() {
        XCTAssertEqual(feedError(Array("<opml version=\"2.0\"><body/></opml>".utf8))?.message,
                       "is XML but not a feed (its root element is <opml>)")
    }

    func testEmptyFile() {
        XCTAssertEqual(feedError([])?.message, "is empty")
    }

    func testNotXMLAtAll() {
        let message = feedError(Array("just some text\n".utf8))?.message ?? ""
        XCTAssertTrue(message.hasPrefix("is not a feed"), message)
    }

    func testBinaryGarbage() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        _ = try? readFeed(bytes: bytes)
    }

    func testNothingIsPrintedToStandardError() throws {
        let path = NSTemporaryDirectory() + "gazette-stderr-\(getpid()).txt"
        let saved = dup(2)
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        dup2(fd, 2)
        _ = try? readFeed("<rss version=\"2.0\"><channel><item><title>a &bad; & <b></item></chanel>\u{1}")
        _ = try? readFeed("<!DOCTYPE rss [<!ENTITY x SYSTEM \"http://example.invalid/x\">]><rss>&x;</rss>")
        _ = try? readFeed(bytes: [0x3C, 0x72, 0xFF, 0xFE, 0x00])
        dup2(saved, 2)
        close(fd)
        close(saved)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(written, "")
    }
}
