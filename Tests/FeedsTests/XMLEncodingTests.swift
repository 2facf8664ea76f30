import Feeds
import XCTest

/// Encodings: declared, detected, wrong, broken. A feed is never lost to its bytes.
final class XMLEncodingTests: XCTestCase {
    private func feed(declaring encoding: String?, title: [UInt8]) -> [UInt8] {
        let declaration = encoding.map { #"<?xml version="1.0" encoding="\#($0)"?>"# } ?? #"<?xml version="1.0"?>"#
        return Array((declaration + "\n<rss version=\"2.0\"><channel><item><title>").utf8) + title
            + Array("</title></item><item><title>next</title></item></channel></rss>".utf8)
    }

    private func titles(_ bytes: [UInt8]) throws -> [String] {
        try readFeed(bytes: bytes).items.map(\.title)
    }

    func testUTF8() throws {
        XCTAssertEqual(try titles(feed(declaring: "UTF-8", title: Array("café ✓ 😀".utf8))), ["café ✓ 😀", "next"])
    }

    func testUTF8WithBOM() throws {
        XCTAssertEqual(try titles([0xEF, 0xBB, 0xBF] + feed(declaring: "utf-8", title: Array("é".utf8))), ["é", "next"])
    }

    func testUndeclaredIsUTF8() throws {
        XCTAssertEqual(try titles(feed(declaring: nil, title: Array("naïve".utf8))), ["naïve", "next"])
    }

    private func utf16(_ s: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in s.utf16 {
            let hi = UInt8(unit >> 8), lo = UInt8(unit & 0xFF)
            out += bigEndian ? [hi, lo] : [lo, hi]
        }
        return out
    }

    private let sample = #"<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><item><title>Grüße 😀</title></item></channel></rss>"#

    func testUTF16LittleEndianWithBOM() throws {
        XCTAssertEqual(try titles(utf16(sample, bigEndian: false, bom: true)), ["Grüße 😀"])
    }

    func testUTF16BigEndianWithBOM() throws {
        XCTAssertEqual(try titles(utf16(sample, bigEndian: true, bom: true)), ["Grüße 😀"])
    }

    func testUTF16WithoutBOM() throws {
        XCTAssertEqual(try titles(utf16(sample, bigEndian: false, bom: false)), ["Grüße 😀"])
        XCTAssertEqual(try titles(utf16(sample, bigEndian: true, bom: false)), ["Grüße 😀"])
    }

    func testUTF16WithAnUnpairedSurrogateGivesAReplacement() throws {
        var bytes = utf16(#"<rss version="2.0"><channel><item><title>aXb</title></item><item><title>c</title></item></channel></rss>"#,
                          bigEndian: false, bom: true)
        let x = bytes.firstIndex(of: 0x58)!
        bytes[x] = 0x00
        bytes[x + 1] = 0xD8 // a lone high surrogate
        XCTAssertEqual(try titles(bytes), ["a\u{FFFD}b", "c"])
    }

    func testISO88591() throws {
        XCTAssertEqual(try titles(feed(declaring: "ISO-8859-1", title: [0x63, 0x61, 0x66, 0xE9])), ["café", "next"])
    }

    func testISO88591WithWindows1252Quotes() throws {
        XCTAssertEqual(try titles(feed(declaring: "iso-8859-1", title: [0x93, 0x68, 0x69, 0x94])), ["\u{201C}hi\u{201D}", "next"])
    }

    func testWindows1252() throws {
        XCTAssertEqual(try titles(feed(declaring: "windows-1252", title: [0x80, 0x20, 0x96, 0x20, 0xE9])), ["€ – é", "next"])
    }

    func testISO885915ThroughIconv() throws {
        XCTAssertEqual(try titles(feed(declaring: "ISO-8859-15", title: [0xA4])), ["€", "next"])
    }

    func testKOI8R() throws {
        XCTAssertEqual(try titles(feed(declaring: "KOI8-R", title: [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4])), ["Привет", "next"])
    }

    func testShiftJIS() throws {
        XCTAssertEqual(try titles(feed(declaring: "Shift_JIS", title: [0x93, 0xFA, 0x96, 0x7B])), ["日本", "next"])
    }

    func testInvalidUTF8InAUTF8FileIsReplaced() throws {
        let read = try readFeed(bytes: feed(declaring: "UTF-8", title: Array("é ".utf8) + [0xFF] + Array(" ok".utf8)))
        XCTAssertEqual(read.items.map(\.title), ["é \u{FFFD} ok", "next"])
        XCTAssertFalse(read.diagnostics.isEmpty)
    }

    func testRepairIsReportedOnItsLine() throws {
        let bytes = Array("<rss version=\"2.0\"><channel>\n<item><title>é</title></item>\n<item><title>a ".utf8) + [0xFF]
            + Array("</title></item></channel></rss>".utf8)
        let read = try readFeed(bytes: bytes)
        XCTAssertEqual(read.diagnostics, [FeedDiagnostic(line: 3, message: "invalid UTF-8 replaced with \u{FFFD}")])
    }

    func testDeclaredUTF8ButReallyWindows1252() throws {
        let read = try readFeed(bytes: feed(declaring: "UTF-8", title: [0x63, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x71, 0x94]))
        XCTAssertEqual(read.items.map(\.title), ["café \u{201C}q\u{201D}", "next"])
        XCTAssertEqual(read.diagnostics.first?.message, "not valid UTF-8: read as windows-1252")
    }

    func testTruncatedUTF8SequenceAtTheEndOfAChunk() throws {
        // A two-byte character split across read calls.
        var bytes = feed(declaring: "UTF-8", title: Array(String(repeating: "é", count: 3000).utf8))
        bytes += Array(String(repeating: " ", count: 10).utf8)
        let read = try readFeed(bytes: bytes, chunk: 1)
        XCTAssertEqual(read.items.first?.title, String(repeating: "é", count: 3000))
    }

    func testUnknownEncodingIsReadAsUTF8() throws {
        let read = try readFeed(bytes: feed(declaring: "x-no-such-encoding", title: Array("ok é".utf8)))
        XCTAssertEqual(read.items.map(\.title), ["ok é", "next"])
    }

    func testDeclaredUTF16ButWrittenIn8Bits() throws {
        XCTAssertEqual(try titles(feed(declaring: "UTF-16", title: Array("ü".utf8))), ["ü", "next"])
    }

    func testControlCharactersDoNotStopTheFeed() throws {
        let read = try readFeed(bytes: feed(declaring: "UTF-8", title: Array("a\u{1B}[31mred".utf8)))
        XCTAssertEqual(read.items.map(\.title), ["a\u{FFFD}[31mred", "next"])
    }

    func testCharacterReferenceToAControlCharacterDoesNotLoseTheFeed() throws {
        let read = try readFeed(rss("<item><title>a&#27;b</title></item><item><title>c</title></item>"))
        XCTAssertEqual(read.items.count, 2)
        XCTAssertEqual(read.items.last?.title, "c")
    }

    func testBidiControlsAreKeptForTheSanitizer() throws {
        let read = try readFeed(rss("<item><title>abc\u{202E}def</title></item>"))
        XCTAssertEqual(read.items.first?.title, "abc\u{202E}def")
    }
}
