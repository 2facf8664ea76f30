import Foundation
import Posts
@testable import ReadState
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The search index as its callers see it: what matches after which writes, across restarts, damage and two
/// connections.
final class SearchIndexTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        try XCTSkipUnless(SearchIndex.isAvailable, "no FTS5 in this SQLite")
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory?.remove()
    }

    private var path: String { directory.file(SearchIndex.fileName) }

    private func document(_ id: UInt64, _ title: String, author: String = "", body: String = "",
                          version: Int64 = 0) -> SearchIndex.Document {
        SearchIndex.Document(id: PostID(rawValue: id), version: version, title: title, author: author, body: body)
    }

    private func entry(_ id: UInt64, version: Int64 = 0) -> SearchIndex.Entry {
        SearchIndex.Entry(id: PostID(rawValue: id), version: version)
    }

    private func matches(_ index: SearchIndex, _ expression: String,
                         file: StaticString = #filePath, line: UInt = #line) -> [UInt64] {
        do {
            return try index.postIDs(matching: expression).map(\.rawValue).sorted()
        } catch {
            XCTFail("\(expression): \(error)", file: file, line: line)
            return []
        }
    }

    // MARK: Creating and reopening

    func testAnIndexSurvivesReopening() throws {
        var index: SearchIndex? = try SearchIndex.open(path: path)
        XCTAssertNil(index?.notice)
        try index?.add([document(1, "Korea talks resume", body: "Diplomats met in Seoul."),
                        document(2, "Weather", body: "Rain over Seoul and Busan.")],
                       source: "a.txt", version: "v1", complete: true)
        XCTAssertEqual(matches(index!, "\"seoul\""), [1, 2])
        index = nil

        let reopened = try SearchIndex.open(path: path)
        XCTAssertNil(reopened.notice, "a good index is not replaced")
        XCTAssertEqual(matches(reopened, "\"seoul\""), [1, 2])
        XCTAssertEqual(matches(reopened, "\"busan\""), [2])
        XCTAssertEqual(try reopened.indexedSources(), ["a.txt": "v1"])
        XCTAssertEqual(try reopened.pending(source: "a.txt", version: "v1", entries: [entry(1), entry(2)]), [])
        XCTAssertEqual(permissions(path) & 0o077, 0, "the index holds the posts' words: only its owner reads it")
    }

    func testASourceIsRecordedOnlyWhenItsLastBatchIsIn() throws {
        let index = try SearchIndex.open(path: path)
        try index.add([document(1, "first")], source: "a.txt", version: "v1", complete: false)
        XCTAssertEqual(try index.indexedSources(), [:])
        XCTAssertEqual(matches(index, "\"first\""), [1], "a batch matches as soon as it is written")
        XCTAssertEqual(try index.pending(source: "a.txt", version: "v1", entries: [entry(1), entry(2)]), [1])
        try index.add([document(2, "second")], source: "a.txt", version: "v1", complete: true)
        XCTAssertEqual(try index.indexedSources(), ["a.txt": "v1"])
    }

    // MARK: Incremental indexing

    func testPendingListsOnlyNewAndChangedPosts() throws {
        let index = try SearchIndex.open(path: path)
        try index.add([document(1, "one"), document(2, "two", version: 5), document(3, "three")],
                      source: "feed:x", version: "1", complete: true)
        let entries = [entry(1), entry(2, version: 6), entry(3), entry(4)]
        XCTAssertEqual(try index.pending(source: "feed:x", version: "1", entries: entries), [1, 3])
        XCTAssertEqual(try index.pending(source: "feed:x", version: "2", entries: entries), [0, 1, 2, 3],
                       "another source version: everything again")
        XCTAssertEqual(try index.pending(source: "other", version: "1", entries: entries), [0, 1, 2, 3])
    }

    func testAChangedSourceIsIndexedAgain() throws {
        let index = try SearchIndex.open(path: path)
        try index.add([document(1, "alpha"), document(2, "beta")], source: "a.txt", version: "v1", complete: true)

        // The file changed: post 1 keeps its id with other words, post 2 is gone, post 3 is new.
        let entries = [entry(1), entry(3)]
        XCTAssertEqual(try index.pending(source: "a.txt", version: "v2", entries: entries), [0, 1])
        try index.add([document(1, "gamma")], source: "a.txt", version: "v2", complete: false)
        XCTAssertEqual(matches(index, "\"alpha\""), [], "the old text of a post indexed again never matches")
        XCTAssertEqual(matches(index, "\"gamma\""), [1])
        XCTAssertEqual(matches(index, "\"beta\""), [2], "until the last batch, the posts not yet seen still match")
        XCTAssertEqual(try index.pending(source: "a.txt", version: "v2", entries: entries), [1])

        try index.add([document(3, "delta")], source: "a.txt", version: "v2", complete: true)
        XCTAssertEqual(matches(index, "\"beta\""), [], "a post the new version lacks is gone")
        XCTAssertEqual(matches(index, "\"delta\""), [3])
        XCTAssertEqual(matches(index, "\"alpha\" OR \"beta\" OR \"gamma\" OR \"delta\""), [1, 3])
        XCTAssertEqual(try index.indexedSources(), ["a.txt": "v2"])
        XCTAssertEqual(try index.counts().live, 2)
    }

    func testAChangedItemVersionIsIndexedAgain() throws {
        let index = try SearchIndex.open(path: path)
        try index.add([document(5, "Storm warning", body: "winds expected", version: 100)],
                      source: "feed:weather", version: "1", complete: true)
        XCTAssertEqual(try index.pending(source: "feed:weather", version: "1", entries: [entry(5, version: 200)]), [0])
        try index.add([document(5, "Storm passed", body: "calm returns", version: 200)],
                      source: "feed:weather", version: "1", complete: true)
        XCTAssertEqual(matches(index, "\"winds\""), [])
        XCTAssertEqual(matches(index, "\"calm\""), [5])
        XCTAssertEqual(matches(index, "\"storm\""), [5], "one result per post, not one per version")
        XCTAssertEqual(try index.counts().live, 1)
        XCTAssertEqual(try index.counts().stale, 1)
        XCTAssertEqual(try index.pending(source: "feed:weather", version: "1", entries: [entry(5, version: 200)]), [])

        // Survives reopening: the stale entry stays out.
        let reopened = try SearchIndex.open(path: path)
        XCTAssertEqual(matches(reopened, "\"winds\" OR \"calm\""), [5])
    }

    func testTheSamePostInTwoSourcesIsOneDocument() throws {
        let index = try SearchIndex.open(path: path)
        let post = document(7, "Shared post", body: "seen twice")
        try index.add([post], source: "copy-a.txt", version: "a", complete: true)
        try index.add([post], source: "copy-b.txt", version: "b", complete: true)
        XCTAssertEqual(matches(index, "\"shared\""), [7])
        XCTAssertEqual(try index.counts().live, 1)
        XCTAssertEqual(try index.counts().stale, 0, "not indexed a second time")

        try index.forget(sourcesNotIn: ["copy-b.txt"])
        XCTAssertEqual(matches(index, "\"shared\""), [7], "still in the other copy")
        XCTAssertEqual(try index.indexedSources(), ["copy-b.txt": "b"])

        // The other copy changes and no longer has the post: now it is gone.
        try index.add([document(8, "Replacement")], source: "copy-b.txt", version: "b2", complete: true)
        XCTAssertEqual(matches(index, "\"shared\""), [])
        XCTAssertEqual(matches(index, "\"replacement\""), [8])
    }

    func testStaleEntriesAskForARebuild() throws {
        let index = try SearchIndex.open(path: path)
        try index.add([document(1, "first version one"), document(2, "steady")], source: "feed:x", version: "1",
                      complete: true)
        XCTAssertFalse(index.needsRebuild)
        var version: Int64 = 0
        while !index.needsRebuild && version < 10 {
            version += 1
            try index.add([document(1, "edited version \(version) word\(version)", version: version)],
                          source: "feed:x", version: "1", complete: true)
        }
        XCTAssertTrue(index.needsRebuild, "stale entries outnumber the live ones")
        let counts = try index.counts()
        XCTAssertGreaterThan(counts.stale, counts.live)
        XCTAssertEqual(matches(index, "\"edited\""), [1])
        XCTAssertEqual(matches(index, "\"word\(version)\""), [1])
        XCTAssertEqual(matches(index, "\"word1\""), version > 1 ? [] : [1])

        try index.rebuild()
        XCTAssertFalse(index.needsRebuild)
        XCTAssertEqual(matches(index, "\"edited\" OR \"steady\" OR \"first\""), [])
        XCTAssertEqual(try index.indexedSources(), [:])
        XCTAssertEqual(try index.pending(source: "feed:x", version: "1", entries: [entry(1, version: version), entry(2)]),
                       [0, 1])
        try index.add([document(1, "edited again", version: version), document(2, "steady")], source: "feed:x",
                      version: "1", complete: true)
        XCTAssertEqual(matches(index, "\"edited\" OR \"steady\""), [1, 2])
        XCTAssertEqual(try index.counts().stale, 0)
    }

    func testAForgottenPostIndexedAgainMatchesOnlyItsNewText() throws {
        // Post 1 indexed twice, then forgotten, then indexed again from another source.
        let index = try SearchIndex.open(path: path)
        try index.add([document(1, "apple", version: 1)], source: "s", version: "1", complete: false)
        try index.add([document(1, "banana", version: 2)], source: "s", version: "1", complete: false)
        try index.forget(sourcesNotIn: [])
        XCTAssertEqual(matches(index, "\"apple\" OR \"banana\""), [])
        try index.add([document(1, "cherry", version: 3)], source: "t", version: "1", complete: true)
        XCTAssertEqual(matches(index, "\"cherry\""), [1], "a new entry; the old ones stay stale")
        XCTAssertEqual(matches(index, "\"apple\" OR \"banana\""), [])
    }

    // MARK: Expressions

    private func expressionIndex() throws -> SearchIndex {
        let index = try SearchIndex.open(path: path)
        try index.add([
            document(1, "NK missile test", author: "Grant Montgomery", body: "Korea said Kim Jong spoke."),
            document(2, "Korea trade", author: "Ann Lee", body: "Exports from Korea rose; Jong Kim disagreed."),
            document(3, "Markets", author: "Grant Smith", body: "Nothing about the peninsula."),
            document(4, "Nkorea watch", author: "Bo Park", body: "korean food festival"),
        ], source: "a.txt", version: "1", complete: true)
        return index
    }

    func testPhrasesPrefixesFieldsAndExclusion() throws {
        let index = try expressionIndex()
        XCTAssertEqual(matches(index, "\"korea\""), [1, 2])
        XCTAssertEqual(matches(index, "\"kim\" + \"jong\""), [1], "a phrase: in this order, adjacent")
        XCTAssertEqual(matches(index, "\"kim jong\""), [1])
        XCTAssertEqual(matches(index, "\"jong kim\""), [2])
        XCTAssertEqual(matches(index, "\"kim\" AND \"jong\""), [1, 2])
        XCTAssertEqual(matches(index, "\"kor\" *"), [1, 2, 4])
        XCTAssertEqual(matches(index, "\"korea\" AND title : (\"nk\" *)"), [1])
        XCTAssertEqual(matches(index, "title : \"korea\""), [2])
        XCTAssertEqual(matches(index, "author : \"grant\""), [1, 3])
        XCTAssertEqual(matches(index, "author : (\"mont\" *)"), [1])
        XCTAssertEqual(matches(index, "\"korea\" NOT \"missile\""), [2])
        XCTAssertEqual(matches(index, "\"grant\" NOT (\"korea\" OR \"peninsula\")"), [])
        XCTAssertEqual(matches(index, "\"nothing\""), [3])
        XCTAssertEqual(matches(index, "\"absent\""), [])
    }

    func testHostileExpressionsAreRefusedCleanly() throws {
        let index = try expressionIndex()
        let refused = ["\"unbalanced", "AND", "(", "title :", "nosuchcolumn : \"x\"", "NEAR(", "\"a\" OR", ")",
                       String(repeating: "(", count: 10_000) + "\"korea\"", "^", "\"a\" NEAR(\"b\" , x)"]
        for expression in refused {
            XCTAssertThrowsError(try index.postIDs(matching: expression), expression.prefix(40).description) { error in
                guard case SearchIndexError.query(let message) = error else {
                    return XCTFail("\(expression.prefix(40)): \(error)")
                }
                XCTAssertFalse(message.contains("\n"))
                XCTAssertLessThanOrEqual(message.count, 200)
            }
        }
        // Odd but valid: no crash, and the answer is what the text says.
        XCTAssertThrowsError(try index.postIDs(matching: "\"korea\u{0}missile\""), "FTS5 stops at a NUL") { error in
            guard case SearchIndexError.query = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(matches(index, "\"" + String(repeating: "korea ", count: 1_700) + "\""), [])
        XCTAssertEqual(matches(index, "\"\u{1B}[31mkorea\""), [], "escape codes are text")
        XCTAssertEqual(matches(index, "\"korea\""), [1, 2], "the index still answers after refusals")
        XCTAssertFalse(index.needsRebuild, "a refused query is not damage")
    }

    // MARK: Files that are not a usable index

    /// A file made by `make`, then opened: a notice, an empty index that works, and no notice the next time.
    private func assertReplaced(_ label: String, file: StaticString = #filePath, line: UInt = #line,
                                make: () throws -> Void) throws {
        try make()
        let index = try SearchIndex.open(path: path)
        XCTAssertNotNil(index.notice, "\(label): the user is told", file: file, line: line)
        if let notice = index.notice {
            XCTAssertFalse(notice.contains("\n"), file: file, line: line)
            XCTAssertTrue(notice.contains("search index"), notice, file: file, line: line)
        }
        XCTAssertEqual(try index.indexedSources(), [:], label, file: file, line: line)
        XCTAssertEqual(matches(index, "\"korea\""), [], file: file, line: line)
        try index.add([document(9, "Korea again")], source: "a.txt", version: "1", complete: true)
        XCTAssertEqual(matches(index, "\"korea\""), [9], label, file: file, line: line)
        let again = try SearchIndex.open(path: path)
        XCTAssertNil(again.notice, "\(label): replaced once", file: file, line: line)
        XCTAssertEqual(matches(again, "\"korea\""), [9], file: file, line: line)
    }

    private func removeIndexFiles() {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }

    private func buildIndex(posts: Int) throws {
        let index = try SearchIndex.open(path: path)
        try index.add((0..<posts).map { document(UInt64($0 + 1), "Korea post \($0)",
                                                 body: String(repeating: "word\($0 % 97) filler text ", count: 40)) },
                      source: "big.txt", version: "1", complete: true)
        try index.optimize()
    }

    func testGarbageIsReplaced() throws {
        try assertReplaced("garbage") {
            try Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }).write(to: URL(fileURLWithPath: path))
        }
    }

    func testAnEmptyFileIsUsed() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        let index = try SearchIndex.open(path: path)
        XCTAssertNil(index.notice, "an empty file is a new index, nothing was lost")
        try index.add([document(1, "hello")], source: "a", version: "1", complete: true)
        XCTAssertEqual(matches(index, "\"hello\""), [1])
    }

    func testATruncatedIndexIsReplaced() throws {
        try assertReplaced("truncated") {
            try buildIndex(posts: 400)
            var info = stat()
            XCTAssertEqual(stat(path + "-wal", &info) == 0 ? info.st_size : 0, 0, "checkpointed before truncating")
            XCTAssertEqual(stat(path, &info), 0)
            XCTAssertGreaterThan(info.st_size, 50_000)
            XCTAssertEqual(truncate(path, info.st_size / 2), 0)
        }
    }

    func testAnotherProgramsDatabaseIsReplaced() throws {
        try assertReplaced("foreign") {
            let other = try Database(path: path)
            try other.execute("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES('bibimbap')")
        }
    }

    func testAnIndexOfAnotherVersionIsReplaced() throws {
        try assertReplaced("schema version") {
            try buildIndex(posts: 10)
            try Database(path: path).execute("PRAGMA user_version = 99")
        }
        removeIndexFiles()
        try assertReplaced("tokenizer version") {
            try buildIndex(posts: 10)
            try Database(path: path).execute("UPDATE meta SET value = '0' WHERE key = 'tokenizer'")
        }
    }

    func testAnIndexLeftBeingWrittenByAStoppedSystemIsReplaced() throws {
        try buildIndex(posts: 10)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-writing"), "a writer that ends syncs and says so")
        let writer = try SearchIndex.open(path: path)
        try writer.add([document(100, "unsynced")], source: "other", version: "1", complete: true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-writing"), "unsynced writes are marked")
        writer.syncToDisk()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-writing"))
        // A program that crashed on this boot: its writes are in the system's cache, the index is kept.
        try Data(SearchIndex.bootID().utf8).write(to: URL(fileURLWithPath: path + "-writing"))
        let kept = try SearchIndex.open(path: path)
        XCTAssertNil(kept.notice)
        XCTAssertEqual(matches(kept, "\"korea\"").count, 10)

        try assertReplaced("written during another boot") {
            try Data("3f1c0e1a-0000-4000-8000-000000000000".utf8).write(to: URL(fileURLWithPath: path + "-writing"))
        }
    }

    func testDamageFoundWhileSearchingAsksForARebuild() throws {
        let index = try SearchIndex.open(path: path)
        try index.add((1...300).map { document(UInt64($0), "Korea \($0)", body: String(repeating: "text \($0) ", count: 50)) },
                      source: "a.txt", version: "1", complete: true)
        // Another hand scribbles over FTS5's segments.
        try Database(path: path).execute("UPDATE text_data SET block = randomblob(length(block)) WHERE id > 10")
        XCTAssertThrowsError(try index.postIDs(matching: "\"korea\"")) { error in
            guard case SearchIndexError.damaged = error else { return XCTFail("\(error)") }
        }
        XCTAssertTrue(index.needsRebuild)
        try index.rebuild()
        XCTAssertFalse(index.needsRebuild)
        XCTAssertEqual(matches(index, "\"korea\""), [])
        try index.add([document(1, "Korea mended")], source: "a.txt", version: "1", complete: true)
        XCTAssertEqual(matches(index, "\"korea\""), [1])
    }

    // MARK: Where it cannot be

    func testAnUnwritableLocationIsUnavailable() throws {
        let blocker = directory.file("not-a-directory")
        XCTAssertTrue(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        assertUnavailable(try SearchIndex.open(path: blocker + "/" + SearchIndex.fileName))

        let folder = directory.file("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        assertUnavailable(try SearchIndex.open(path: folder), "a directory is not an index")
        assertUnavailable(try SearchIndex.open(path: directory.file("missing.sqlite"), readOnly: true))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("missing.sqlite")))

        if !runningAsRoot {
            XCTAssertEqual(chmod(folder, 0o500), 0)
            assertUnavailable(try SearchIndex.open(path: folder + "/" + SearchIndex.fileName))
        } else if runTool("/usr/bin/chattr", ["+i", folder]) {
            assertUnavailable(try SearchIndex.open(path: folder + "/" + SearchIndex.fileName), "an immutable directory")
        }
    }

    private func assertUnavailable(_ body: @autoclosure () throws -> SearchIndex, _ label: String = "",
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), label, file: file, line: line) { error in
            guard case SearchIndexError.unavailable(let reason) = error else {
                return XCTFail("\(label): \(error)", file: file, line: line)
            }
            XCTAssertFalse(reason.isEmpty, file: file, line: line)
            XCTAssertFalse(reason.contains("\n"), file: file, line: line)
        }
    }

    func testAReadOnlyIndexSearchesButDoesNotWrite() throws {
        try SearchIndex.open(path: path).add([document(1, "hello")], source: "a", version: "1", complete: true)
        let reader = try SearchIndex.open(path: path, readOnly: true)
        XCTAssertEqual(matches(reader, "\"hello\""), [1])
        XCTAssertThrowsError(try reader.add([document(2, "more")], source: "a", version: "1", complete: true))
        XCTAssertThrowsError(try reader.rebuild())
        XCTAssertEqual(matches(reader, "\"hello\""), [1])
    }

    // MARK: Two connections

    func testAReaderSearchesWhileAWriterWrites() throws {
        let writer = try SearchIndex.open(path: path)
        let reader = try SearchIndex.open(path: path)
        let batches = 40
        let perBatch = 25
        let done = expectation(description: "writer")
        let failure = LockedBox<String?>(nil)
        Thread.detachNewThread {
            defer { done.fulfill() }
            do {
                for batch in 0..<batches {
                    let documents = (0..<perBatch).map { n -> SearchIndex.Document in
                        let id = UInt64(batch * perBatch + n + 1)
                        return SearchIndex.Document(id: PostID(rawValue: id), title: "Common title \(id)",
                                                    author: "", body: String(repeating: "common body words ", count: 60))
                    }
                    try writer.add(documents, source: "live.txt", version: "1", complete: batch == batches - 1)
                }
            } catch {
                failure.value = "\(error)"
            }
        }
        var seen: [Int] = []
        var last = 0
        while seen.count < 10_000 {
            let count = try reader.postIDs(matching: "\"common\"").count
            XCTAssertGreaterThanOrEqual(count, last, "a reader never sees the index go back")
            XCTAssertEqual(count % perBatch, 0, "a batch appears whole or not at all")
            last = count
            seen.append(count)
            if count == batches * perBatch { break }
        }
        wait(for: [done], timeout: 60)
        XCTAssertNil(failure.value)
        XCTAssertEqual(try reader.postIDs(matching: "\"common\"").count, batches * perBatch)
        XCTAssertGreaterThan(Set(seen).count, 1, "the reader ran while the writer wrote")

        try writer.rebuild()
        XCTAssertEqual(try reader.postIDs(matching: "\"common\"").count, 0, "the reader sees the rebuild")
        XCTAssertEqual(try reader.indexedSources(), [:])
    }

    // MARK: Size

    func testSizeOnDiskCountsTheFileAndItsJournal() throws {
        let index = try SearchIndex.open(path: path)
        let empty = index.sizeOnDisk()
        XCTAssertGreaterThan(empty, 0)
        let text = String(repeating: "lorem ipsum dolor sit amet consectetur ", count: 80)
        try index.add((1...200).map { document(UInt64($0), "Post \($0)", body: text + "unique\($0)") },
                      source: "a", version: "1", complete: true)
        let filled = index.sizeOnDisk()
        XCTAssertGreaterThan(filled, empty)
        var info = stat()
        let file = stat(path, &info) == 0 ? Int64(info.st_size) : 0
        let wal = stat(path + "-wal", &info) == 0 ? Int64(info.st_size) : 0
        XCTAssertEqual(filled, file + wal)
        XCTAssertLessThan(filled, Int64(200 * text.utf8.count), "contentless: smaller than the text it indexes")
    }
}

/// A value shared with a thread, behind a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
