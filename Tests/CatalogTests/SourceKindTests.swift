import XCTest
@testable import Catalog

/// A file's kind is told by its first bytes, never by its name.
final class SourceKindTests: XCTestCase {
    private func kind(_ text: String) -> SourceKind { SourceKind.sniff(Array(text.utf8)) }

    func testFeedsAreToldByTheirRootElement() {
        XCTAssertEqual(kind("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>"), .xmlFeed)
        XCTAssertEqual(kind("<rss version=\"0.91\">"), .xmlFeed)
        XCTAssertEqual(kind("  \n<feed xmlns=\"http://www.w3.org/2005/Atom\">"), .xmlFeed)
        XCTAssertEqual(kind("<?xml version=\"1.0\"?><!-- a comment --><?xml-stylesheet href=\"x\"?>\n<rdf:RDF>"), .xmlFeed)
        XCTAssertEqual(kind("<!DOCTYPE rss [<!ENTITY a \"b\">]><rss>"), .xmlFeed)
        XCTAssertEqual(kind("\u{FEFF}<?xml version=\"1.0\"?><feed>"), .xmlFeed, "a UTF-8 byte-order mark")
        XCTAssertEqual(SourceKind.sniff([0xFF, 0xFE, 0x3C, 0x00]), .xmlFeed, "UTF-16 with a byte-order mark")
        XCTAssertEqual(SourceKind.sniff([0x3C, 0x00, 0x3F, 0x00, 0x78, 0x00]), .xmlFeed, "UTF-16 without one")
        XCTAssertEqual(kind("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}"), .jsonFeed)
        XCTAssertEqual(kind("\n  {\"items\": []}"), .jsonFeed, "the JSON reader checks the version")
    }

    func testHTMLPagesAndOtherXMLAreRefusedWithTheReason() {
        XCTAssertEqual(kind("<!DOCTYPE html>\n<html><head><title>x</title>"),
                       .unsupported(reason: "is an HTML page, not a feed"))
        XCTAssertEqual(kind("<HTML>"), .unsupported(reason: "is an HTML page, not a feed"))
        XCTAssertEqual(kind("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"),
                       .unsupported(reason: "is XML but not a feed (its root element is <svg>)"))
    }

    func testEverythingElseIsATextArchive() {
        XCTAssertEqual(kind("Author Archives for Grant Montgomery\n\nA title\n\nPosted on by\n"), .textArchive)
        XCTAssertEqual(kind(""), .textArchive)
        XCTAssertEqual(kind("Posted <b>on</b>"), .textArchive, "markup later in the text does not count")
    }
}
