import Foundation
import XCTest

/// Search as a person uses it (issue 14): `gazette search` in scripts, `/` in the reader, saved searches in the
/// sources view; through the index kept beside the state database, and whatever is typed.
final class SearchEndToEndTests: XCTestCase {
    private func titles(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            return fields.count == 3 ? String(fields[2]) : nil
        }
    }

    /// A copy of the sample archive that the test may change.
    private func archiveCopy() throws -> String {
        let path = try Fixtures.temporaryDirectory(for: self) + "/archive.txt"
        try FileManager.default.copyItem(atPath: Fixtures.seedFile, toPath: path)
        return path
    }

    func testWordsPhrasesPrefixesExclusionsAndFields() throws {
        let gazette = try GazetteHarness(test: self)
        let hospital = try gazette.run(["search", "hospital", gazette.archive])
        XCTAssertEqual(hospital.status, 0, hospital.output)
        XCTAssertEqual(titles(hospital.output), ["Kim Jong Un orders construction of new hospital in Pyongyang"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: gazette.dataHome + "/gazette/search.sqlite"),
                      "the index is kept beside the state database")

        let phrase = try gazette.run(["search", "\"north korean hacker\"", gazette.archive])
        XCTAssertEqual(titles(phrase.output), ["North Korean hacker group carries out attack under guise of North Korean "
                                               + "defector information"])
        let prefix = try gazette.run(["search", "hack*", gazette.archive])
        XCTAssertEqual(Set(titles(prefix.output)), ["US offers $5 million reward for information on North Korean hackers",
                                                    "North Korean hacker group carries out attack under guise of North "
                                                    + "Korean defector information"])
        let excluded = try gazette.run(["search", "hack* -reward", gazette.archive])
        XCTAssertEqual(titles(excluded.output), ["North Korean hacker group carries out attack under guise of North "
                                                 + "Korean defector information"])
        // Case and diacritics folded.
        let folded = try gazette.run(["search", "PYÖNGYANG title:hospítal", gazette.archive])
        XCTAssertEqual(titles(folded.output), ["Kim Jong Un orders construction of new hospital in Pyongyang"])
        // title: looks at titles only: every post's body says Korea, few titles say missiles.
        let titled = try gazette.run(["search", "title:missiles", gazette.archive])
        XCTAssertEqual(titles(titled.output), ["North Korea fires suspected cruise missiles"])
    }

    func testNothingFoundExitsOneAndJSONIsAnArray() throws {
        let gazette = try GazetteHarness(test: self)
        let none = try gazette.run(["search", "zeppelin", gazette.archive])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(titles(none.output), [])
        let json = try gazette.run(["search", "--json", "hospital", gazette.archive])
        XCTAssertEqual(json.status, 0, json.output)
        let array = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        XCTAssertEqual(array?.count, 1)
        XCTAssertEqual(array?.first?["title"] as? String, "Kim Jong Un orders construction of new hospital in Pyongyang")
    }

    func testReadFiltersFollowTheMarks() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        let hospital = try XCTUnwrap(posts.first { $0.title.contains("hospital") })
        XCTAssertEqual(try gazette.run(["mark", hospital.id, gazette.archive]).status, 0)
        let read = try gazette.run(["search", "is:read", gazette.archive])
        XCTAssertEqual(titles(read.output), [hospital.title])
        let unread = try gazette.run(["search", "pyongyang is:unread", gazette.archive])
        XCTAssertFalse(titles(unread.output).contains(hospital.title))
        XCTAssertFalse(titles(unread.output).isEmpty, "another post names Pyongyang")
    }

    func testAChangedArchiveIsIndexedAgain() throws {
        let gazette = try GazetteHarness(test: self)
        let path = try archiveCopy()
        XCTAssertEqual(try gazette.run(["search", "hospital", path]).status, 0)
        XCTAssertEqual(try gazette.run(["search", "clinic", path]).status, 1)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "hospital", with: "clinic").write(toFile: path, atomically: false, encoding: .utf8)
        let after = try gazette.run(["search", "clinic", path])
        XCTAssertEqual(titles(after.output), ["Kim Jong Un orders construction of new clinic in Pyongyang"])
        XCTAssertEqual(try gazette.run(["search", "hospital", path]).status, 1, "the old text is not found any more")
    }

    func testHostileQueriesAreText() throws {
        let gazette = try GazetteHarness(test: self)
        let queries = ["\"unbalanced quote", "NEAR(korea missile)", "korea AND", "*", ":", "title:", "-", "\"\"",
                       "korea\u{1B}[2J\u{07}", "OR NOT", "a:b:c", "{title}: korea", "^korea",
                       String(repeating: "korea \"x ", count: 1_500)]
        for query in queries {
            let result = try gazette.run(["search", query, gazette.archive])
            XCTAssertTrue([0, 1].contains(result.status), "\(query.prefix(40)): \(result.status) \(result.output.prefix(300))")
            for word in ["fts5", "SQL", "syntax error", "malformed"] {
                XCTAssertFalse(result.output.contains(word), "\(query.prefix(40)): \(result.output.prefix(300))")
            }
            XCTAssertFalse(result.output.contains("\u{1B}"), "no escape sequence reaches the terminal")
        }
    }

    func testADamagedIndexIsRebuilt() throws {
        let gazette = try GazetteHarness(test: self)
        XCTAssertEqual(try gazette.run(["search", "hospital", gazette.archive]).status, 0)
        let index = gazette.dataHome + "/gazette/search.sqlite"
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: index + suffix) }
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: index))
        let again = try gazette.run(["search", "hospital", gazette.archive])
        XCTAssertEqual(titles(again.output), ["Kim Jong Un orders construction of new hospital in Pyongyang"], again.output)
        XCTAssertEqual(again.status, 0)
    }

    func testChineseJapaneseAndKoreanWithoutSpaces() throws {
        let dir = try Fixtures.temporaryDirectory(for: self)
        let path = dir + "/cjk.txt"
        try """
            Author Archives: Desk

            북한, 동해상으로 탄도미사일 발사

            Posted on April 14, 2020 by Desk

            조선중앙통신은 신형 미사일 시험발사가 성공했다고 보도했다.

            [Yonhap]

            東京で新しい病院が開業

            Posted on April 13, 2020 by Desk

            厚生労働省によると、病院は来月から診療を始める。

            [NHK]

            平壤新建医院竣工

            Posted on April 12, 2020 by Desk

            朝鲜中央通讯社报道，新医院已经竣工。

            [Xinhua]

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let gazette = try GazetteHarness(test: self, archive: path)
        XCTAssertEqual(try gazette.list().count, 3)
        let cases: [(String, [String])] = [
            ("미사일", ["북한, 동해상으로 탄도미사일 발사"]),
            ("중앙통신", ["북한, 동해상으로 탄도미사일 발사"]),
            ("病院", ["東京で新しい病院が開業"]),
            ("労働", ["東京で新しい病院が開業"]),
            ("医院", ["平壤新建医院竣工"]),
            ("中央通讯", ["平壤新建医院竣工"]),
        ]
        for (query, expected) in cases {
            let result = try gazette.run(["search", query, path])
            XCTAssertEqual(titles(result.output), expected, query)
        }
    }

    func testSlashSearchesBodiesInTheReaderAndHighlights() throws {
        let gazette = try GazetteHarness(test: self)
        let tmux = try gazette.startReader(size: (columns: 120, rows: 40))
        defer { tmux.close() }
        try tmux.waitFor(text: "10 unread")
        try tmux.send(keys: "/")
        try tmux.type("sandwiched")
        try tmux.waitFor(text: "/sandwiched")
        try tmux.send(keys: "Enter")
        try tmux.waitFor(text: "1 of 10")
        let screen = try tmux.capture(withAttributes: true)
        XCTAssertTrue(screen.contains("sandwiched"), screen)
    }

    func testTheReaderMakesAnIndexOnlyOnceSomeoneSearches() throws {
        let gazette = try GazetteHarness(test: self)
        let index = gazette.dataHome + "/gazette/search.sqlite"
        let reading = try gazette.startReader(size: (columns: 120, rows: 40))
        try reading.waitFor(text: "10 unread")
        try reading.send(keys: "j", "j")
        try reading.send(keys: "q")
        XCTAssertEqual(reading.exitStatus(), 0)
        reading.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: index), "a reader that only reads pays for no index")

        let searching = try gazette.startReader(size: (columns: 120, rows: 40))
        defer { searching.close() }
        try searching.waitFor(text: "10 unread")
        try searching.send(keys: "/")
        try searching.type("hospital")
        try searching.waitFor(text: "1 match  Enter")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: index), Date() < deadline { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: index), "the first search makes the index")
    }

    func testASavedSearchIsASourceWithItsUnreadCount() throws {
        let gazette = try GazetteHarness(test: self)
        let hacker = try XCTUnwrap(try gazette.list().first { $0.title.hasPrefix("North Korean hacker group") })
        XCTAssertEqual(try gazette.run(["mark", hacker.id, gazette.archive]).status, 0)
        try gazette.writeConfiguration("""
            set search "Hackers" "hack*"
            """)
        let tmux = try gazette.startReader(size: (columns: 120, rows: 40))
        defer { tmux.close() }
        try tmux.waitFor(text: "9 unread")
        try tmux.send(keys: "s")
        try tmux.waitFor(text: "Hackers")
        // Its counts once its search has run (again, once the archive is read): one of its two posts is unread.
        var row = ""
        let deadline = Date().addingTimeInterval(10)
        while !row.contains("1/2"), Date() < deadline {
            row = try tmux.lines().first { $0.contains("Hackers") } ?? ""
            usleep(20_000)
        }
        XCTAssertTrue(row.contains("⌕ Hackers") && row.contains("hack*") && row.contains("1/2"), row)
        // Enter: its posts only.
        try tmux.send(keys: "G")
        try tmux.send(keys: "Enter")
        try tmux.waitFor(text: "Only ⌕ Hackers")
        try tmux.waitFor(text: "US offers $5 million reward")
        let scoped = try tmux.capture()
        XCTAssertFalse(scoped.contains("Kim Jong Un orders"), scoped)

        // S saves the current search in the configuration file.
        try tmux.send(keys: "Escape")
        try tmux.waitForAbsence(of: "Only ⌕ Hackers")
        try tmux.send(keys: "/")
        try tmux.type("pyongyang")
        try tmux.send(keys: "Enter")
        try tmux.send(keys: "S")
        try tmux.waitFor(text: "Saved search")
        let configuration = try String(contentsOfFile: gazette.configFile, encoding: .utf8)
        XCTAssertTrue(configuration.contains("set search \"Hackers\" \"hack*\""), configuration)
        XCTAssertTrue(configuration.contains("set search pyongyang pyongyang"), configuration)
    }
}
