import Foundation
import XCTest

/// Issue 4's workflow in a real terminal: bulk marks, undo across a restart, filters, search.
final class WorkflowEndToEndTests: XCTestCase {
    /// Open one post, mark all, quit; restart, undo, quit: the store is as before the bulk mark.
    func testMarkAllThenUndoAfterARestartRestoresTheEarlierState() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        XCTAssertGreaterThan(posts.count, 2)

        var reader = try gazette.startReader()
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "Down", "Enter")
        try reader.waitFor(text: "\(posts.count - 1) unread")
        // Esc and the next key in one burst would read as Meta-A (as in any terminal program).
        try reader.send(keys: "Escape")
        try reader.waitFor(text: "unread · list")
        try reader.send(keys: "A")
        try reader.waitFor(text: "Mark \(posts.count - 1) posts read? (y/n)")
        try reader.send(keys: "y")
        try reader.waitFor(text: "Marked \(posts.count - 1) posts read")
        try reader.waitFor(text: "0 unread")
        try reader.send(keys: "q")
        XCTAssertEqual(reader.exitStatus(), 0)
        reader.close()
        XCTAssertEqual(try gazette.list().filter(\.read).count, posts.count)

        reader = try gazette.startReader()
        try reader.waitFor(text: "0 unread")
        try reader.send(keys: "u")
        try reader.waitFor(text: "Undone: \(posts.count - 1) posts restored")
        try reader.waitFor(text: "\(posts.count - 1) unread")
        try reader.send(keys: "q")
        XCTAssertEqual(reader.exitStatus(), 0)
        reader.close()

        let after = try gazette.list()
        XCTAssertEqual(after.filter(\.read).map(\.id), [posts[1].id], "only the post opened before the bulk mark")
    }

    func testUnreadFilterAndSearchNarrowTheList() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        let reader = try gazette.startReader()
        defer { reader.close() }
        try reader.waitFor(text: posts[0].title)
        try reader.send(keys: "Enter")
        try reader.waitFor(text: "unread · reading")
        try reader.send(keys: "Escape")
        try reader.waitFor(text: "unread · list")
        try reader.send(keys: "f")
        try reader.waitFor(text: "unread only: \(posts.count - 1) shown")
        try reader.send(keys: "f", "/")
        // A distinctive word from a later title, typed in lower case: matching ignores case.
        let target = posts[posts.count - 1]
        let words = target.title.components(separatedBy: " ")
        let word = words.max { $0.count < $1.count } ?? target.title
        try reader.type(word.lowercased())
        try reader.waitFor(text: "/\(word.lowercased())")
        try reader.send(keys: "Enter")
        try reader.waitFor(text: "/\(word.lowercased()): ")
        XCTAssertTrue(try reader.capture().contains(String(target.title.prefix(20))))
        try reader.send(keys: "Escape")
        // Back to the whole list, on the post selected before the search: the unread filter had moved
        // the selection off the (read) first post to the second.
        try reader.waitFor(text: "2/\(posts.count) · \(posts.count - 1) unread · list")
    }

    func testAnUnknownReadPolicyIsAUsageErrorNamingTheChoices() throws {
        let gazette = try GazetteHarness(test: self)
        let result = try gazette.run(["--mark-read", "soon", gazette.archive])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.output.contains("on-open, manual, at-end or delay=SECONDS"), result.output)
        XCTAssertEqual(result.output.split(separator: "\n").count, 1, "one line")
    }

}
