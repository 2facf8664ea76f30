import Configuration
import Controller
import Foundation
import XCTest

/// README.md's key table and the KEYS section of doc/gazette.1 are generated from the keymap (`make docs`).
/// These tests fail when either is stale.
final class KeyTableTests: XCTestCase {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testReadmeKeyTableMatchesTheKeymap() throws {
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let expected = try XCTUnwrap(KeyTable.splice(KeyTable.markdown(.standard), into: readme,
                                                     begin: KeyTable.markdownBegin, end: KeyTable.markdownEnd),
                                     "README.md needs the \(KeyTable.markdownBegin) and \(KeyTable.markdownEnd) lines")
        XCTAssertEqual(readme, expected, "README.md's key table is stale: run make docs")
    }

    func testManPageKeysMatchTheKeymap() throws {
        let man = try String(contentsOf: Self.packageRoot.appendingPathComponent("doc/gazette.1"), encoding: .utf8)
        let expected = try XCTUnwrap(KeyTable.splice(KeyTable.man(.standard), into: man,
                                                     begin: KeyTable.manBegin, end: KeyTable.manEnd),
                                     "doc/gazette.1 needs the keys:begin and keys:end comment lines")
        XCTAssertEqual(man, expected, "the KEYS section of doc/gazette.1 is stale: run make docs")
    }

    func testManPageHasTheSections() throws {
        let man = try String(contentsOf: Self.packageRoot.appendingPathComponent("doc/gazette.1"), encoding: .utf8)
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "KEYS", "FILES", "ENVIRONMENT", "EXIT STATUS",
                        "EXAMPLES"] {
            XCTAssertTrue(man.contains("\n.SH \(section)\n") || man.contains("\n.SH \"\(section)\"\n"), section)
        }
        for command in Command.allCases {
            XCTAssertTrue(man.contains(command.rawValue.replacingOccurrences(of: "-", with: "\\-")), command.rawValue)
        }
    }

    func testEveryBindingIsInBothTables() {
        let markdown = KeyTable.markdown(.standard)
        let man = KeyTable.man(.standard)
        for row in Keymap.standard.helpRows {
            XCTAssertTrue(markdown.contains(row.help), row.help)
            XCTAssertTrue(man.contains(row.help.replacingOccurrences(of: "-", with: "\\-")), row.help)
        }
        XCTAssertTrue(markdown.contains("| anywhere | \\| | read the article in the pager |"), "a | key is escaped")
    }

    func testARebindingShowsInTheTables() {
        var keymap = Keymap.standard
        keymap.bind(.control("d"), to: .pageDown, in: .reading)
        keymap.unbind(.character("Q"))
        let markdown = KeyTable.markdown(keymap)
        XCTAssertTrue(markdown.contains("| reading | PgDn Space ^D | scroll down a page |"), markdown)
        XCTAssertFalse(markdown.contains("| Q |"))
    }

    func testSplice() {
        let document = "intro\n<!-- keys:begin -->\nold\nrows\n<!-- keys:end -->\nafter\n"
        XCTAssertEqual(KeyTable.splice("new\n", into: document, begin: KeyTable.markdownBegin, end: KeyTable.markdownEnd),
                       "intro\n<!-- keys:begin -->\nnew\n<!-- keys:end -->\nafter\n")
        XCTAssertNil(KeyTable.splice("new\n", into: "no markers", begin: KeyTable.markdownBegin, end: KeyTable.markdownEnd))
    }
}
