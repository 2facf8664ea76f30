import Foundation
import XCTest

/// `o` (the post's link in the browser) and `|` (the article in the pager), with the terminal handed over
/// and taken back. The "browser" and "pager" are scripts that record what they were given.
final class ExternalProgramsEndToEndTests: XCTestCase {
    static let link = "https://example.org/choi?a=1&b=$(id)"

    /// The seeds with a link in the first post's body, in a directory of the test's own.
    func archiveWithALink() throws -> (directory: String, archive: String) {
        let directory = try Fixtures.temporaryDirectory(for: self)
        let seeds = try FileManager.default.contentsOfDirectory(atPath: Fixtures.seeds).sorted()
        let source = try String(contentsOfFile: Fixtures.seeds + "/" + XCTUnwrap(seeds.first), encoding: .utf8)
        let anchor = "In 2012 Choi fled to South Korea"
        XCTAssertTrue(source.contains(anchor), "the seeds changed: pick another sentence")
        let text = source.replacingOccurrences(of: anchor, with: "In 2012 (see \(Self.link)) Choi fled to South Korea")
        let archive = directory + "/archive.txt"
        try text.write(toFile: archive, atomically: true, encoding: .utf8)
        return (directory, archive)
    }

    func script(_ body: String, at path: String) throws {
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(path, 0o755), 0)
    }

    func testOpenLinkRunsTheBrowserWithTheURLAsOneArgument() throws {
        let (directory, archive) = try archiveWithALink()
        let gazette = try GazetteHarness(test: self, archive: archive)
        let posts = try gazette.list()
        let browser = directory + "/browser"
        let record = directory + "/opened"
        try script("printf '%s\\n' \"$@\" > '\(record)'", at: browser)
        // The first command cannot be started; the second gets the URL where %s is.
        let reader = try gazette.startReader(extraEnvironment: ["BROWSER": "/nonexistent/browser %s:\(browser) --new-tab %s"])
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "o")
        try reader.waitUntil("the browser ran") { FileManager.default.fileExists(atPath: record) }
        try reader.waitFor(text: "Opened https://example.org/choi")
        XCTAssertEqual(try String(contentsOfFile: record, encoding: .utf8), "--new-tab\n\(Self.link)\n")
        XCTAssertEqual(try reader.display("#{alternate_on}"), "1", "the screen is back")
        XCTAssertEqual(try gazette.list().filter(\.read).count, 0, "opening the link marks nothing")

        // A post without a link says so and runs nothing.
        try FileManager.default.removeItem(atPath: record)
        try reader.send(keys: "Down", "o")
        try reader.waitFor(text: "No link in this post")
        XCTAssertFalse(FileManager.default.fileExists(atPath: record))
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
    }

    func testPipeShowsTheSanitizedArticleInThePagerWithTheTerminalSuspended() throws {
        let (directory, archive) = try archiveWithALink()
        let gazette = try GazetteHarness(test: self, archive: archive)
        let posts = try gazette.list()
        let pager = directory + "/pager"
        let record = directory + "/paged"
        try script("cat > '\(record)'\necho PAGER-IS-RUNNING\nread answer < /dev/tty", at: pager)
        let reader = try gazette.startReader(extraEnvironment: ["PAGER": pager])
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "|")
        try reader.waitFor(text: "PAGER-IS-RUNNING")
        XCTAssertEqual(try reader.display("#{alternate_on}"), "0", "curses is suspended while the pager runs")
        XCTAssertEqual(try reader.display("#{cursor_flag}"), "1")
        let paged = try String(contentsOfFile: record, encoding: .utf8)
        XCTAssertTrue(paged.hasPrefix(posts[0].title), paged)
        XCTAssertTrue(paged.contains("Choi fled to South Korea"))
        XCTAssertFalse(paged.unicodeScalars.contains("\u{1B}"), "no escape sequence reaches the pager")
        try reader.send(keys: "Enter")
        try reader.waitFor(format: "#{alternate_on}", toBe: "1")
        try reader.waitFor(text: String(posts[1].title.prefix(20)))
        try reader.waitForAbsence(of: "PAGER-IS-RUNNING")
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
    }

    func testAPagerThatCannotStartIsReported() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        try gazette.writeConfiguration("set pager /nonexistent/pager -x\n")
        let reader = try gazette.startReader(extraEnvironment: ["PAGER": "cat"])
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "|")
        try reader.waitFor(text: "Could not start the pager /nonexistent/pager")
        XCTAssertEqual(try reader.display("#{alternate_on}"), "1")
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
    }
}
