import Foundation
import XCTest
@testable import Feeds

/// Files that are not JSON Feeds, broken ones, and hostile ones: a clear error, the items that could be read and a
/// diagnostic with its line, bounded memory, never a crash.
final class JSONFeedBadInputTests: XCTestCase {
    static let version = #""version": "https://jsonfeed.org/version/1.1""#

    func testNotAJSONFeed() {
        let cases: [(String, String)] = [
            (#"{"title": "x", "items": [{"id": "1"}]}"#,
             #"not a JSON Feed: no version (a JSON Feed has "version": "https://jsonfeed.org/version/1.1")"#),
            (#"{"version": "1.0", "items": []}"#,
             #"not a JSON Feed: version is "1.0", not https://jsonfeed.org/version/1.1"#),
            (#"{"version": 1.1}"#, "not a JSON Feed: version is 1.1, not https://jsonfeed.org/version/1.1"),
            (#"[{"version": "https://jsonfeed.org/version/1.1"}]"#, "not a JSON Feed: the file is JSON but not an object"),
            (#""https://jsonfeed.org/version/1.1""#, "not a JSON Feed: the file is JSON but not an object"),
            ("<?xml version=\"1.0\"?><rss/>", "not a JSON Feed: line 1: expected a value, found '<'"),
            ("", "not a JSON Feed: line 1: no JSON value in the file"),
            ("{\"title\": \"x\",\n \"items\": [", "not a JSON Feed: line 2: unexpected end of file: expected ']' (2 not closed)"),
        ]
        for (text, message) in cases {
            XCTAssertEqual(JSONFeedSupport.error(text)?.message, message, text)
        }
    }

    func testMalformedJSONKeepsTheItemsBeforeTheError() throws {
        let text = """
            {\(Self.version),
              "items": [
                {"id": "1", "title": "Fine"},
                {"id": "2", "title": "Broken" "url": "x"},
                {"id": "3", "title": "Never reached"}
              ]
            }
            """
        let feed = try JSONFeedSupport.read(text)
        XCTAssertEqual(feed.items.map(\.title), ["Fine"])
        XCTAssertEqual(feed.diagnostics, [FeedDiagnostic(line: 4, message: "expected ',' or '}', found '\"'")])
    }

    /// The podcast fixture cut after every byte: a FeedError while the version is not read yet, else the items
    /// completed before the cut (a prefix of the whole file's) and a diagnostic, unless only the final newline is gone.
    func testTruncatedAnywhere() throws {
        let bytes = try JSONFeedSupport.fixture("podcast.json")
        let whole = try JSONFeedSupport.read(bytes).items
        let versionEnd = bytes.count - (String(decoding: bytes, as: UTF8.self).components(separatedBy: "version/1.1\"")[1].utf8.count)
        for cut in 0..<bytes.count {
            let prefix = Array(bytes[..<cut])
            do {
                let feed = try JSONFeedSupport.read(prefix, chunkSize: 97)
                XCTAssertGreaterThanOrEqual(cut, versionEnd, "read a feed before its version, cut at \(cut)")
                XCTAssertEqual(feed.items, Array(whole.prefix(feed.items.count)), "cut at \(cut)")
                let closed = bytes[..<cut].lastIndex(of: UInt8(ascii: "}")) == bytes.lastIndex(of: UInt8(ascii: "}"))
                XCTAssertEqual(feed.diagnostics.isEmpty, closed, "cut at \(cut): \(feed.diagnostics)")
            } catch let error as FeedError {
                XCTAssertLessThan(cut, versionEnd, "cut at \(cut): \(error)")
            }
        }
        let cut = try JSONFeedSupport.read(Array(bytes[..<1500]))
        XCTAssertEqual(cut.items.count, 1)
        XCTAssertEqual(cut.diagnostics.count, 1)
        XCTAssertTrue(cut.diagnostics[0].message.hasPrefix("unterminated string") ||
                      cut.diagnostics[0].message.hasPrefix("unexpected end of file"), "\(cut.diagnostics)")
    }

    func testDeepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let text = "{\(Self.version), \"items\": [{\"id\": \"1\"},\n{\"id\": \"2\", \"x\": \(deep)}]}"
        let feed = try JSONFeedSupport.read(text)
        XCTAssertEqual(feed.items.map(\.guid), ["1"])
        XCTAssertEqual(feed.diagnostics, [FeedDiagnostic(line: 2, message: "nesting deeper than 512 levels")])
    }

    /// A 100 MB `content_html` is kept to its first 16 MB, and the reader's memory stays far below the string's size
    /// while it reads (resident size sampled between reads of 1 MB).
    func testHugeStringIsCutAndMemoryStaysBounded() throws {
        let path = NSTemporaryDirectory() + "gazette-huge-\(getpid()).json"
        let file = try XCTUnwrap(fopen(path, "w"))
        defer { unlink(path) }
        let head = "{\(Self.version), \"items\": [{\"id\": \"big\", \"content_html\": \"<p>"
        fputs(head, file)
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<100 { _ = block.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) } }
        fputs("</p>\"},\n{\"id\": \"after\"}]}", file)
        fclose(file)

        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let reader = try JSONFeedReader(input: FeedInput(descriptor: fd, documentURL: "file://" + path))
        let baseline = Self.residentBytes()
        var peak = baseline
        var items: [FeedItem] = []
        while !reader.isFinished {
            items += try reader.read(maxBytes: 1 << 20)
            peak = max(peak, Self.residentBytes())
        }
        XCTAssertEqual(items.map(\.guid), ["big", "after"])
        XCTAssertEqual(items[0].content.utf8.count, 16 << 20)
        XCTAssertTrue(items[0].content.hasPrefix("<p>aaa"))
        XCTAssertEqual(reader.diagnostics, [FeedDiagnostic(line: 1, message: "content_html longer than 16 MB, cut short")])
        XCTAssertLessThan(peak - baseline, 60 << 20, "resident size grew by \((peak - baseline) >> 20) MB")
    }

    func testMillionEmptyItems() throws {
        var bytes = Array("{\(Self.version), \"items\": [".utf8)
        bytes.reserveCapacity(bytes.count + 3_000_000)
        for k in 0..<1_000_000 { bytes += k == 0 ? [0x7B, 0x7D] : [0x2C, 0x7B, 0x7D] }
        bytes += Array("]}".utf8)
        let feed = try JSONFeedSupport.read(bytes)
        XCTAssertEqual(feed.items.count, 1_000_000)
        XCTAssertEqual(feed.items.last, FeedItem(line: 1))
        XCTAssertEqual(feed.diagnostics, [])
    }

    func testHugeNumbers() throws {
        let text = """
            {\(Self.version), "items": [{"id": 1e999, "attachments": [
              {"url": "https://example.org/a", "size_in_bytes": 1e999},
              {"url": "https://example.org/b", "size_in_bytes": -5},
              {"url": "https://example.org/c", "size_in_bytes": 99999999999999999999999},
              {"url": "https://example.org/d", "size_in_bytes": 1.5},
              {"size_in_bytes": 10}
            ]}]}
            """
        let item = try XCTUnwrap(try JSONFeedSupport.read(text).items.first)
        XCTAssertEqual(item.guid, "1e999")
        XCTAssertEqual(item.enclosures.map(\.url), ["https://example.org/a", "https://example.org/b",
                                                     "https://example.org/c", "https://example.org/d"],
                       "an attachment without a URL is dropped")
        XCTAssertEqual(item.enclosures.map(\.length), [nil, nil, nil, 1])
    }

    /// Terminal escapes and bidi controls are data here; the display sanitizes them.
    func testControlsInTitlesPassThrough() throws {
        let text = #"{"version": "https://jsonfeed.org/version/1", "title": "\u001b]0;pwned\u0007feed", "#
            + #""items": [{"title": "\u202Egnp.exe \u001b[2J\u0000", "content_text": "\u2066x\u2069\r\b"}]}"#
        let feed = try JSONFeedSupport.read(text)
        XCTAssertEqual(feed.info.title, "\u{1B}]0;pwned\u{7}feed")
        XCTAssertEqual(feed.items[0].title, "\u{202E}gnp.exe \u{1B}[2J\u{0}")
        XCTAssertEqual(feed.items[0].content, "\u{2066}x\u{2069}\r\u{8}")
    }

    func testInvalidUTF8IsReplacedNotFatal() throws {
        var bytes = Array("{\(Self.version), \"title\": \"caf".utf8) + [0xE9] + Array("\", \"items\": [{\"title\": \"".utf8)
        bytes += [0xF0, 0x9F, 0x98] + Array("!\"}]}".utf8)
        let feed = try JSONFeedSupport.read(bytes)
        XCTAssertEqual(feed.info.title, "caf\u{FFFD}")
        XCTAssertEqual(feed.items.map(\.title), ["\u{FFFD}!"])
    }

    func testByteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\(Self.version), \"items\": [{\"id\": \"1\"}]}".utf8)
        for chunk in [1, 2, 4, 1000] {
            XCTAssertEqual(try JSONFeedSupport.read(bytes, chunkSize: chunk).items.map(\.guid), ["1"], "chunks of \(chunk)")
        }
    }

    func testLongTitleIsCutWithADiagnostic() throws {
        let title = String(repeating: "é", count: 40_000) // 80,000 bytes
        let feed = try JSONFeedSupport.read("{\(Self.version),\n\"items\": [{\"title\": \"\(title)\"}]}")
        XCTAssertEqual(feed.items[0].title.utf8.count, 64 << 10)
        XCTAssertEqual(feed.items[0].title, String(repeating: "é", count: 32 << 10))
        XCTAssertEqual(feed.diagnostics, [FeedDiagnostic(line: 2, message: "title longer than 64 KB, cut short")])
    }

    func testDiagnosticsAreCapped() throws {
        let tag = "\"" + String(repeating: "t", count: 5000) + "\""
        let tags = Array(repeating: tag, count: 150).joined(separator: ",")
        let feed = try JSONFeedSupport.read("{\(Self.version), \"items\": [{\"tags\": [\(tags)]}]}")
        XCTAssertEqual(feed.items[0].categories.count, 150)
        XCTAssertEqual(feed.items[0].categories[0].utf8.count, 4 << 10)
        XCTAssertEqual(feed.diagnostics.count, 101)
        XCTAssertEqual(feed.diagnostics[0].message, "tag longer than 4 KB, cut short")
        XCTAssertEqual(feed.diagnostics.last?.message, "50 more problems not listed")
    }

    /// The process's resident size now, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
