import Foundation
import Glibc
import Catalog
import Posts
import ReadState
import Search

/// Full-text search (issue 14): for each archive size, the archive loaded as the reader loads it
/// (`Library.load`), the index built into a fresh `SearchIndex` file in batches of documents (MB/s of archive,
/// size on disk against the archive's), then queries timed in process end to end as the reader runs them
/// (parse → `postIDs(matching:)` → indices of `library.posts`, sorted), beside `grep -i -c` on the same file
/// (in the page cache, spawned as a process) and, at 10,000 posts and fewer, the scan without an index
/// (`SearchQuery.matchesText` over every post's text). Reports, never asserts.
enum SearchBench {
    /// Where the search tables go in BENCHMARKS.md.
    static let begin = "<!-- bench-search:begin -->"
    static let end = "<!-- bench-search:end -->"
    /// Documents per `add` (one transaction each), as the reader hands them over (8 MB of text, about 2,500 posts).
    static let batch = 2_500
    /// Issue 14's targets: median of each query, by archive size (posts → ms).
    static let queryTargets: [Int: Double] = [1_000: 5, 10_000: 10, 100_000: 50]
    static let buildTarget = 20.0  // MB/s
    /// The goal beside grep at 100,000 posts: ten times faster.
    static let grepGoal = 10.0
    /// The scan without an index is measured up to this size (it takes seconds above).
    static let scanLimit = 10_000

    /// One kind of query: what is typed after `/`, and the `grep -i -c` arguments that look for the same text.
    struct Query {
        var kind: String
        var text: String
        var grep: [String]
    }

    /// Words of the generator's vocabulary (`ArchiveGenerator`), so they really occur: a word of the body
    /// vocabulary (in about half the posts), an author's surname (only on the byline of one post in 16), two body
    /// words, and a name of three words as a quoted phrase.
    static let queries: [Query] = {
        let common = "sanctions", other = "nuclear"
        let rare = "Whitfield", phrase = "Kim Jong Un"
        guard ArchiveGenerator.words.contains(common), ArchiveGenerator.words.contains(other),
              ArchiveGenerator.authors.contains("Sarah " + rare), ArchiveGenerator.names.contains(phrase) else {
            fail("search: the query words are no longer in the generator's vocabulary (Generator.swift)")
        }
        return [
            Query(kind: "one word, common", text: common, grep: [common]),
            Query(kind: "one word, rare", text: rare, grep: [rare]),
            Query(kind: "two words", text: "\(other) \(common)", grep: ["-E", "\(other).*\(common)|\(common).*\(other)"]),
            Query(kind: "phrase", text: "\"\(phrase)\"", grep: [phrase]),
        ]
    }()

    struct QueryResult {
        var query: Query
        /// Posts found through the index (sorted indices of `library.posts`).
        var matches = 0
        /// parse → postIDs → sorted indices (ms).
        var gazette: Figure?
        var grep: Figure?
        /// Lines `grep -c` counted (it counts lines, not posts).
        var grepCount: Int?
        /// The scan without an index (ms) and what it found.
        var scan: Figure?
        var scanMatches: Int?
        var error: String?
    }

    struct SizeResult {
        var size: Int
        var posts = 0
        var archiveBytes = 0
        /// `Library.load` of the archive (s).
        var loadSeconds: Double?
        /// pending → last `add`, bodies read as the reader reads them (s); of which inside `add` (s).
        var buildSeconds: Double?
        var addSeconds: Double?
        var indexBytes: Int64?
        var queries: [QueryResult] = []
        var grepRuns = 0
        var scanRuns = 0
        var notes: [String] = []
    }

    struct Result {
        var sizes: [SizeResult] = []
        var runs: Int
        var dry: Bool
        var seconds = 0.0
        var notes: [String] = []
    }

    /// What the bench needs of an index: the real `SearchIndex`, or with `--dry` an in-memory stand-in.
    protocol Index: AnyObject {
        func pending(source key: String, version sourceVersion: String, entries: [SearchIndex.Entry]) throws -> [Int]
        func add(_ documents: [SearchIndex.Document], source key: String, version sourceVersion: String,
                 complete: Bool) throws
        func postIDs(for query: SearchQuery, expression: String) throws -> [PostID]
        func sizeOnDisk() -> Int64
        /// The end of a long build, as the reader's indexer ends one: FTS5's segments merged, the file synced.
        func finish() throws
    }

    // MARK: Measuring

    /// Every size in `archives`; the index files go under `work` and are deleted after each size.
    static func run(archives: [Int: String], sizes: [Int], runs: Int, work: String, dry: Bool) -> Result {
        let started = monotonic()
        var result = Result(runs: runs, dry: dry)
        _ = queries
        if !dry && !SearchIndex.isAvailable {
            result.notes.append("`SearchIndex.isAvailable` is false: this SQLite has no FTS5 (or the index is not built)")
        }
        mkdir(work, 0o755)
        if !dry, let problem = unusableIndex(work: work) {
            // Nothing to compare grep and the scan with: minutes saved at 100,000 posts.
            result.notes.append("not measured: \(problem)")
            Spawn.run(["rm", "-rf", work])
            result.seconds = monotonic() - started
            return result
        }
        for size in sizes {
            guard let archive = archives[size] else { continue }
            say("search, \(size) posts:")
            result.sizes.append(measure(size: size, archive: archive, runs: runs, work: "\(work)/index-\(size)", dry: dry))
        }
        Spawn.run(["rm", "-rf", work])
        result.seconds = monotonic() - started
        return result
    }

    /// Why no index can be opened under `work` (a fresh file, deleted after), or nil.
    static func unusableIndex(work: String) -> String? {
        let path = "\(work)/probe-\(getpid())"
        mkdir(path, 0o755)
        defer { Spawn.run(["rm", "-rf", path]) }
        do {
            _ = try SearchIndex.open(path: "\(path)/\(SearchIndex.fileName)")
            return nil
        } catch {
            return "the search index could not be opened: \(error)"
        }
    }

    static func measure(size: Int, archive: String, runs: Int, work: String, dry: Bool) -> SizeResult {
        var r = SizeResult(size: size)
        var st = stat()
        guard stat(archive, &st) == 0 else {
            r.notes.append("cannot stat \(archive)")
            return r
        }
        r.archiveBytes = Int(st.st_size)
        let library: Library
        do {
            let start = monotonic()
            library = try Library.load(paths: [archive])
            r.loadSeconds = monotonic() - start
        } catch {
            r.notes.append("the archive did not load: \(error)")
            return r
        }
        r.posts = library.posts.count
        say("  loaded \(r.posts) posts in \(format((r.loadSeconds ?? 0) * 1000)) ms")

        // The index: a fresh file (the real one) or the stand-in, built as the reader's indexer builds it.
        Spawn.run(["rm", "-rf", work])
        mkdir(work, 0o755)
        defer { Spawn.run(["rm", "-rf", work]) }
        let path = "\(work)/\(SearchIndex.fileName)"
        var writer: Index?
        do {
            writer = dry ? DryIndex() : try SearchIndex.open(path: path)
        } catch {
            r.notes.append("the search index could not be opened: \(error)")
        }
        if let index = writer {
            do {
                let (build, add) = try build(index, library: library, source: archive, identity: st)
                r.buildSeconds = build
                r.addSeconds = add
                r.indexBytes = dry ? nil : index.sizeOnDisk()
                say("  indexed in \(format(build)) s (\(format(Double(r.archiveBytes) / 1e6 / build)) MB/s, "
                    + "\(format(add)) s in add), index \(r.indexBytes.map { format(Double($0) / 1e6) + " MB" } ?? "–")")
            } catch {
                r.notes.append("indexing failed: \(error)")
                writer = nil
            }
        }
        // Queries go through a second instance, read-only, as the reader's search worker opens it.
        var reader: Index?
        if writer != nil {
            if dry {
                reader = writer
            } else {
                writer = nil
                do {
                    reader = try SearchIndex.open(path: path, readOnly: true)
                } catch {
                    r.notes.append("the index could not be opened read-only: \(error)")
                }
            }
        }

        let positions = Dictionary(library.posts.enumerated().map { ($0.element.id, $0.offset) },
                                   uniquingKeysWith: { first, _ in first })
        r.grepRuns = size >= 100_000 ? min(runs, 7) : runs
        r.scanRuns = size > 1_000 ? min(runs, 3) : min(runs, 7)
        for query in queries {
            var q = QueryResult(query: query)
            if let reader {
                do {
                    let (samples, matches) = try timeQuery(query.text, index: reader, positions: positions, runs: runs)
                    q.gazette = Figure(samples)
                    q.matches = matches
                } catch {
                    q.error = "\(error)"
                }
            }
            (q.grep, q.grepCount) = timeGrep(query.grep, file: archive, runs: r.grepRuns)
            if size <= scanLimit {
                (q.scan, q.scanMatches) = timeScan(query.text, library: library, runs: r.scanRuns)
                if q.gazette != nil, let scanned = q.scanMatches, scanned != q.matches {
                    r.notes.append("\(query.kind) (`\(query.text)`): the index found \(q.matches) posts, the scan \(scanned)")
                }
            }
            say("  \(query.kind) `\(query.text)`: \(q.gazette.map { "\($0) ms, \(q.matches) posts" } ?? (q.error ?? "not measured")); "
                + "grep \(q.grep.map { "\($0) ms, \(q.grepCount ?? 0) lines" } ?? "failed")"
                + (q.scan.map { "; scan \($0) ms, \(q.scanMatches ?? 0) posts" } ?? ""))
            r.queries.append(q)
        }
        return r
    }

    /// The reader's indexing of one archive: which posts are pending, then their documents (title, author, body
    /// as `bodyText` gives it) in batches, the last one `complete`. Returns the whole time and the time in `add`.
    static func build(_ index: Index, library: Library, source: String, identity st: stat) throws -> (Double, Double) {
        let version = "\(st.st_dev):\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        let start = monotonic()
        var inAdd = 0.0
        let entries = library.posts.map { SearchIndex.Entry(id: $0.id) }
        let pending = try index.pending(source: source, version: version, entries: entries)
        var documents: [SearchIndex.Document] = []
        documents.reserveCapacity(batch)
        for (n, i) in pending.enumerated() {
            let post = library.posts[i]
            documents.append(SearchIndex.Document(id: post.id, title: post.title, author: post.author ?? "",
                                                  body: library.bodyText(of: post)))
            if documents.count == batch || n == pending.count - 1 {
                let t = monotonic()
                try index.add(documents, source: source, version: version, complete: n == pending.count - 1)
                inAdd += monotonic() - t
                documents.removeAll(keepingCapacity: true)
            }
        }
        if pending.isEmpty { try index.add([], source: source, version: version, complete: true) }
        try index.finish()
        return (monotonic() - start, inAdd)
    }

    /// One query as the reader runs it: parse, the index, the ids mapped to the list's indices and sorted
    /// (`positions` is built once, outside). One warm-up, then `runs` timed (ms); and the matches.
    static func timeQuery(_ text: String, index: Index, positions: [PostID: Int], runs: Int) throws
        -> ([Double], Int) {
        func once() throws -> [Int] {
            let query = SearchQuery.parse(text)
            guard let expression = query.ftsExpression() else { return [] }
            var found = try index.postIDs(for: query, expression: expression).compactMap { positions[$0] }
            found.sort()
            return found
        }
        let matches = try once().count
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = monotonic()
            let found = try once()
            samples.append((monotonic() - start) * 1000)
            if found.count != matches { throw BenchError("the query `\(text)` found \(matches) posts, then \(found.count)") }
        }
        return (samples, matches)
    }

    /// `grep -i -c ARGS FILE`, spawned; one run first (the file into the page cache), then `runs` timed (ms).
    static func timeGrep(_ arguments: [String], file: String, runs: Int) -> (Figure?, Int?) {
        let command = ["grep", "-i", "-c"] + arguments + [file]
        let first = Spawn.run(command)
        guard first.status <= 1 else { return (nil, nil) }
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = monotonic()
            let run = Spawn.run(command)
            samples.append((monotonic() - start) * 1000)
            if run.status > 1 { return (nil, nil) }
        }
        return (Figure(samples), Int(first.output.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Searching without an index: the query's `matchesText` over every post's title, author and body. No
    /// warm-up (seconds each; the archive is in the page cache after the index and grep).
    static func timeScan(_ text: String, library: Library, runs: Int) -> (Figure?, Int?) {
        var matches: Int?
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = monotonic()
            let query = SearchQuery.parse(text)
            var found = 0
            for post in library.posts where query.matchesText(title: post.title, author: post.author ?? "",
                                                              body: library.bodyText(of: post)) {
                found += 1
            }
            samples.append((monotonic() - start) * 1000)
            matches = found
        }
        return (Figure(samples), matches)
    }

    // MARK: `gazette-bench search`

    /// This part alone: generates what is missing, measures, prints; unless `dry`, writes
    /// `bench-results/search-<time>.md`, `search-latest.md` and the section in BENCHMARKS.md.
    static func runAlone(root: String, sizes: [Int], runs: Int, dry: Bool) {
        let archives: [Int: String]
        do {
            archives = try BenchData.ensure(root: root, sizes: sizes, rss: false)
        } catch {
            fail("\(error)")
        }
        let results = "\(root)/bench-results"
        mkdir(results, 0o755)
        if !dry, let problem = unusableIndex(work: results) { fail("search: \(problem) (--dry runs the bench without it)") }
        let r = run(archives: archives, sizes: sizes, runs: runs, work: "\(results)/work-search", dry: dry)
        let text = markdown(r)
        print("")
        say(text)
        let unusable = !r.sizes.contains { $0.queries.contains { $0.gazette != nil } }
        if dry {
            say("dry run: in-memory stand-in for the index; nothing written")
        } else if unusable {
            let why = r.sizes.flatMap(\.notes).first ?? "no query was measured"
            fail("search: nothing measured through the index (\(why)); nothing written")
        } else {
            let stamp = Suite.timestamp()
            try? text.write(toFile: "\(results)/search-\(stamp).md", atomically: true, encoding: .utf8)
            try? text.write(toFile: "\(results)/search-latest.md", atomically: true, encoding: .utf8)
            Report(results: [], store: nil, newsboat: false, quick: false, seconds: r.seconds, launches: 0, downs: 0,
                   pages: 0).updateBenchmarksFile("\(root)/BENCHMARKS.md", table: text, begin: begin, end: end)
            say("written: bench-results/search-\(stamp).md and the search table in BENCHMARKS.md")
        }
    }

    // MARK: The tables

    static func markdown(_ r: Result) -> String {
        func cell(_ f: Figure?) -> String {
            guard let f else { return "–" }
            return "\(format(f.min)) / **\(format(f.median))** / \(format(f.max))"
        }
        func met(_ ok: Bool?) -> String { ok.map { $0 ? "met" : "**missed**" } ?? "–" }
        var t = "### Search (\(Suite.timestamp()) UTC\(r.dry ? ", DRY RUN: in-memory stand-in, not the index" : ""))\n\n"
        guard !r.sizes.isEmpty else {
            return t + r.notes.map { "- \($0)\n" }.joined() + "\n" + machine(r)
        }
        t += "Each cell: min / **median** / max over the runs, in milliseconds; sizes are posts.\n\n"

        t += "#### Queries, in process (parse → index → sorted indices of the posts)\n\n"
        t += "| Posts | Query | Found (posts) | Gazette | Target (median) | Met | `grep -i -c` | grep (lines) "
            + "| grep ÷ Gazette | Scan without index | Scan ÷ Gazette |\n|---|---|---|---|---|---|---|---|---|---|---|\n"
        for s in r.sizes {
            let target = queryTargets[s.size]
            for q in s.queries {
                let g = q.gazette?.median
                let ratio = { (other: Double?) -> String in
                    guard let other, let g, g > 0 else { return "–" }
                    return "\(format(other / g))×"
                }
                let shown = q.query.text.replacingOccurrences(of: "|", with: "\\|")
                t += "| \(s.size.formatted()) | \(q.query.kind): `\(shown)` | \(q.gazette == nil ? "–" : q.matches.formatted()) "
                    + "| \(q.gazette != nil ? cell(q.gazette) : (q.error == nil ? "–" : "failed")) | \(target.map { "≤ \(Int($0)) ms" } ?? "") "
                    + "| \(met(target.flatMap { t in g.map { $0 <= t } })) | \(cell(q.grep)) "
                    + "| \(q.grepCount?.formatted() ?? "–") | \(ratio(q.grep?.median)) | \(cell(q.scan)) "
                    + "| \(ratio(q.scan?.median)) |\n"
            }
        }
        t += "\nGazette: `SearchQuery.parse` → `ftsExpression()` → `SearchIndex.postIDs(matching:)` on the index opened "
            + "read-only → ids mapped to list indices and sorted; one warm-up, then \(r.runs) run(s). grep: "
            + queries.map { "`grep -i -c " + $0.grep.map { $0.contains(" ") || $0.contains("|") ? "'\($0)'" : $0 }
                .joined(separator: " ") + "`" }.joined(separator: ", ")
            + " on the archive file, in the page cache (one run first), spawned, wall time; "
            + "\(r.sizes.map { "\($0.grepRuns)" }.joined(separator: " / ")) run(s); it counts lines, not posts, and has "
            + "no AND (the two words: both on one line). Scan: "
            + "`SearchQuery.matchesText` over every post's title, author and body (`Library.bodyText`), the search "
            + "without an index, up to \(scanLimit.formatted()) posts (\(r.sizes.filter { $0.size <= scanLimit }.map { "\($0.scanRuns)" }.joined(separator: " / ")) run(s), no warm-up).\n"
        if let big = r.sizes.first(where: { $0.size == 100_000 }) {
            let ratios = big.queries.compactMap { q -> Double? in
                guard let g = q.gazette?.median, let grep = q.grep?.median, g > 0 else { return nil }
                return grep / g
            }
            if let worst = ratios.min() {
                t += "\nGoal at 100,000 posts: ten times faster than grep: \(met(worst >= grepGoal)) "
                    + "(the slowest query \(format(worst))× faster).\n"
            }
        }

        t += "\n#### Building the index\n\n"
        t += "| Posts | Archive (MB) | Load (`Library.load`, s) | Build (s) | of which `add` (s) | Build (MB/s of archive) "
            + "| Target | Met | Index on disk (MB) | Index ÷ archive | Target | Met |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for s in r.sizes {
            let mbps = s.buildSeconds.map { Double(s.archiveBytes) / 1e6 / $0 }
            let share = s.indexBytes.map { Double($0) / Double(max(1, s.archiveBytes)) }
            t += "| \(s.size.formatted()) | \(format(Double(s.archiveBytes) / 1e6)) | \(s.loadSeconds.map(format) ?? "–") "
                + "| \(s.buildSeconds.map(format) ?? "–") | \(s.addSeconds.map(format) ?? "–") | \(mbps.map(format) ?? "–") "
                + "| ≥ \(Int(buildTarget)) MB/s | \(met(mbps.map { $0 >= buildTarget })) "
                + "| \(s.indexBytes.map { format(Double($0) / 1e6) } ?? "–") | \(share.map { format($0) } ?? "–") | ≤ 1 "
                + "| \(met(share.map { $0 <= 1 })) |\n"
        }
        t += "\nBuild: `pending` for every post, then documents (title, author, `Library.bodyText`) in batches of "
            + "\(batch.formatted()), one `add` (one transaction) each, the last `complete`, into a fresh file, then "
            + "`optimize()` and `syncToDisk()` as the reader does after a long pass (counted in Build); one "
            + "thread, nothing else running in the bench. Index on disk: `sizeOnDisk()` (database and WAL) right after.\n"

        let notes = r.notes + r.sizes.flatMap { s in s.notes.map { "\(s.size.formatted()) posts: \($0)" } }
            + r.sizes.flatMap { s in s.queries.compactMap { q in q.error.map { "\(s.size.formatted()) posts, \(q.query.kind): \($0)" } } }
        if !notes.isEmpty { t += "\n" + notes.map { "- \($0)\n" }.joined() }
        return t + "\n" + machine(r)
    }

    static func machine(_ r: Result) -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            ?? "unknown"
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: name.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let swift = Spawn.run(["swift", "--version"]).output.split(separator: "\n").first.map(String.init) ?? "?"
        let grep = Spawn.run(["grep", "--version"]).output.split(separator: "\n").first.map(String.init) ?? "?"
        let environment = ProcessInfo.processInfo.environment
        let locale = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LC_CTYPE"]
            ?? environment["LANG"] ?? "POSIX"
        return """
            #### Machine

            \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs (nproc), \(cpu), Linux \(kernel); \(swift); \(grep) \
            (locale \(locale)). Run: \(r.runs) run(s) per query; \(Int(r.seconds)) s in all.

            """
    }
}

extension SearchIndex: SearchBench.Index {
    func postIDs(for query: SearchQuery, expression: String) throws -> [PostID] {
        try postIDs(matching: expression)
    }

    func finish() throws {
        try optimize()
        syncToDisk()
    }
}

/// `--dry`: an in-memory stand-in for the index, to run the bench's code path while the real index is not there.
/// An inverted list of each token's posts; a phrase is its tokens in any order, a prefix is not expanded. Its
/// figures mean nothing.
final class DryIndex: SearchBench.Index {
    private var postings: [String: [Int32]] = [:]
    private var ids: [PostID] = []

    func pending(source key: String, version sourceVersion: String, entries: [SearchIndex.Entry]) throws -> [Int] {
        Array(entries.indices)
    }

    func add(_ documents: [SearchIndex.Document], source key: String, version sourceVersion: String,
             complete: Bool) throws {
        for document in documents {
            let slot = Int32(ids.count)
            ids.append(document.id)
            var seen = Set<String>()
            for text in [document.title, document.author, document.body] {
                for token in SearchTokenizer.tokens(of: text) where seen.insert(token.folded).inserted {
                    postings[token.folded, default: []].append(slot)
                }
            }
        }
    }

    func postIDs(for query: SearchQuery, expression: String) throws -> [PostID] {
        var result: Set<Int32>?
        for phrase in query.required {
            for token in phrase.tokens {
                let posts = Set(postings[token] ?? [])
                result = result.map { $0.intersection(posts) } ?? posts
            }
        }
        return (result ?? []).map { ids[Int($0)] }
    }

    func sizeOnDisk() -> Int64 { 0 }
    func finish() throws {}
}
