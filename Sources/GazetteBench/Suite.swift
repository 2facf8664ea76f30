import Foundation
import Glibc
import Posts

/// `make bench`: generates what is missing, measures everything, prints the tables and writes them to
/// `bench-results/` and into `BENCHMARKS.md` (between its `bench:begin` and `bench:end` markers).
struct Suite {
    var root: String
    var gazette: String
    var quick: Bool
    var sizes: [Int] = BenchData.sizes
    /// Measure the feed files too (`--no-feeds` leaves them out, e.g. for a binary that predates them).
    var feeds = true
    /// Measure subscriptions over HTTP too (issue 12, `FetchBench`; `--no-fetch` leaves them out).
    var fetch = true
    /// Measure full-text search too (issue 14, `SearchBench`; `--no-search` leaves it out).
    var search = true
    /// Measure sync with Tiny Tiny RSS too (issue 15, `SyncBench`; `--no-sync` leaves it out).
    var sync = true

    /// One size's figures.
    struct SizeResult {
        var size: Int
        var bytes = 0
        var parse: ParseBench.Result?
        var render: RenderBench.Result?
        var gazetteLaunch = TerminalBench.Launch()
        var lessLaunch = TerminalBench.Launch()
        var newsboatLaunch: TerminalBench.Launch?
        var gazetteKeys = TerminalBench.Keys()
        var lessKeys = TerminalBench.Keys()
        var newsboatKeys: TerminalBench.Keys?
        /// The same posts as RSS, Atom and JSON Feed files.
        var feeds: [FeedBench.Result] = []
    }

    func run() {
        let started = monotonic()
        let hasNewsboat = Spawn.available("newsboat")
        guard Spawn.available("tmux") else { fail("tmux is needed (apt-get install tmux)") }
        guard Spawn.available("less") else { fail("less is needed") }
        guard access("/usr/bin/time", X_OK) == 0 else { fail("/usr/bin/time is needed (apt-get install time)") }
        let archives: [Int: String]
        do {
            archives = try BenchData.ensure(root: root, sizes: sizes, rss: hasNewsboat)
        } catch {
            fail("\(error)")
        }
        let results = "\(root)/bench-results"
        let work = "\(results)/work"
        mkdir(results, 0o755)
        Spawn.run(["rm", "-rf", work])
        mkdir(work, 0o755)
        mkdir("\(work)/config", 0o755)

        let launches = quick ? 3 : 9
        let downs = quick ? 60 : 300
        let pages = quick ? 20 : 100
        say("gazette-bench: \(quick ? "quick run" : "full run"), \(launches) launches per program and size, "
            + "\(downs) Down and \(pages) page keys" + (hasNewsboat ? ", newsboat included" : ", newsboat not installed"))

        let store = (try? StoreBench.measure(marks: quick ? 50 : 200, directory: work))
        var all: [SizeResult] = []
        for size in sizes {
            guard let archive = archives[size] else { continue }
            say("\(size) posts:")
            var r = SizeResult(size: size)
            r.parse = try? ParseBench.measure(path: archive, runs: size >= 100_000 ? 5 : (size >= 10_000 ? 10 : 30))
            r.bytes = r.parse?.bytes ?? 0
            say("  parse \(r.parse.map { "\($0.megabytesPerSecond) MB/s" } ?? "failed")")
            r.render = try? RenderBench.measure(path: archive, keys: quick ? 60 : 300)
            let probe = Self.probe(archive)
            let longPost = Self.longPost(archive, after: downs)
            do {
                /// A fresh tmux server for each series (see `Tmux`).
                func series<T>(_ body: (TerminalBench) throws -> T) throws -> T {
                    let tmux = try Tmux()
                    defer { tmux.shutdown() }
                    return try body(TerminalBench(tmux: tmux, gazette: gazette, workDirectory: work))
                }
                let feed = BenchData.rssPath(root: root, posts: size)
                try series { try $0.warmGazette(archive: archive, size: size, probe: probe) }
                r.gazetteLaunch = try series {
                    try $0.launchGazette(archive: archive, size: size, probe: probe, runs: launches)
                }
                say("  gazette first frame (tmux) \(Figure(r.gazetteLaunch.visible).map(\.description) ?? "-") ms, "
                    + "in process \(Figure(r.gazetteLaunch.inProcess).map(\.description) ?? "-") ms")
                r.lessLaunch = try series { try $0.launchLess(archive: archive, runs: launches) }
                say("  less first screen (tmux) \(Figure(r.lessLaunch.visible).map(\.description) ?? "-") ms")
                if hasNewsboat {
                    r.newsboatLaunch = try series {
                        try $0.launchNewsboat(feed: feed, size: size, probe: probe,
                                              runs: size >= 100_000 ? max(1, launches / 3) : launches)
                    }
                    say("  newsboat article list (tmux) \(Figure(r.newsboatLaunch!.visible).map(\.description) ?? "-") ms")
                }
                r.gazetteKeys = try series {
                    try $0.gazetteKeys(archive: archive, size: size, probe: probe, downs: downs, pages: pages,
                                       longPost: longPost)
                }
                say("  gazette Down in process \(Figure(r.gazetteKeys.inProcess["down"] ?? []).map(\.description) ?? "-") ms, "
                    + "tmux \(Figure(r.gazetteKeys.visible["down"] ?? []).map(\.description) ?? "-") ms "
                    + "(send-keys → key read \(Figure(r.gazetteKeys.delivery).map(\.description) ?? "-"), "
                    + "flushed → seen \(Figure(r.gazetteKeys.display).map(\.description) ?? "-"))")
                r.lessKeys = try series { try $0.lessKeys(archive: archive, size: size, downs: downs, pages: pages) }
                say("  less j (tmux) \(Figure(r.lessKeys.visible["down"] ?? []).map(\.description) ?? "-") ms")
                if hasNewsboat {
                    r.newsboatKeys = try series {
                        try $0.newsboatKeys(feed: feed, size: size, probe: probe,
                                            downs: size >= 100_000 ? downs / 3 : downs)
                    }
                    say("  newsboat Down (tmux) \(Figure(r.newsboatKeys!.visible["down"] ?? []).map(\.description) ?? "-") ms")
                }
            } catch {
                say("  terminal measurements failed: \(error)")
            }
            for format in [BenchData.Format.rss, .atom, .json] where feeds {
                r.feeds.append(FeedBench.measure(
                    format: format, path: BenchData.path(format, root: root, posts: size), size: size, probe: probe,
                    launches: launches, downs: downs, pages: pages, longPost: longPost) { body in
                        let tmux = try Tmux()
                        defer { tmux.shutdown() }
                        try body(TerminalBench(tmux: tmux, gazette: gazette, workDirectory: work))
                    })
            }
            all.append(r)
        }
        let subscriptions = fetch
            ? FetchBench.run(root: root, gazette: gazette, work: "\(work)/subscriptions", quick: quick,
                             lessArchive: archives[sizes.min() ?? 0] ?? BenchData.archivePath(root: root, posts: 1_000))
            : nil
        let searches = search
            ? SearchBench.run(archives: archives, sizes: sizes, runs: quick ? 7 : 21, work: "\(work)/search", dry: false)
            : nil
        let synced = sync ? SyncBench.run(gazette: gazette, work: "\(work)/sync", quick: quick) : nil
        let report = Report(results: all, store: store, newsboat: hasNewsboat, quick: quick,
                            seconds: monotonic() - started, launches: launches, downs: downs, pages: pages)
        let text = report.markdown()
        let fetchText = subscriptions.map { report.subscriptionsMarkdown($0) }
        let searchText = searches.map { SearchBench.markdown($0) }
        let syncText = synced.map { report.syncMarkdown($0) }
        let extras = [fetchText, searchText, syncText].compactMap { $0 }.map { "\n" + $0 }.joined()
        print("")
        say(text + extras)
        let stamp = Self.timestamp()
        let full = text + extras
        try? full.write(toFile: "\(results)/results-\(stamp).md", atomically: true, encoding: .utf8)
        try? full.write(toFile: "\(results)/latest.md", atomically: true, encoding: .utf8)
        report.updateBenchmarksFile("\(root)/BENCHMARKS.md", table: text)
        if let fetchText {
            report.updateBenchmarksFile("\(root)/BENCHMARKS.md", table: fetchText, begin: FetchBench.begin,
                                        end: FetchBench.end)
        }
        if let searchText {
            report.updateBenchmarksFile("\(root)/BENCHMARKS.md", table: searchText, begin: SearchBench.begin,
                                        end: SearchBench.end)
        }
        if let syncText {
            report.updateBenchmarksFile("\(root)/BENCHMARKS.md", table: syncText, begin: SyncBench.begin, end: SyncBench.end)
        }
        // The traces and memory figures of this run, for a closer look (the previous run's are replaced).
        Spawn.run(["rm", "-rf", "\(results)/last-run"])
        rename(work, "\(results)/last-run")
        say("written: bench-results/results-\(stamp).md and the table in BENCHMARKS.md")
    }

    /// A few characters of the first post's title, as the list and the feed readers show it.
    static func probe(_ archive: String) -> String {
        guard let indexer = try? ArchiveIndexer(path: archive),
              let title = (try? indexer.index(maxBytes: 1 << 16))?.first?.title else { return "Gazette" }
        return String(title.prefix(12))
    }

    /// The post with the longest body among the 500 after `index` (about 6 kB: it scrolls by more than a page).
    static func longPost(_ archive: String, after index: Int) -> Int {
        guard let indexer = try? ArchiveIndexer(path: archive) else { return index + 1 }
        var seen = 0
        var best = (index: index + 1, length: 0)
        while !indexer.isFinished, seen <= index + 500, let posts = try? indexer.index(maxBytes: 1 << 20) {
            for post in posts {
                if seen > index && seen <= index + 500 && post.bodyRange.count > best.length {
                    best = (seen, post.bodyRange.count)
                }
                seen += 1
            }
        }
        return best.index
    }

    static func timestamp() -> String {
        var t = time(nil)
        var tm = tm()
        gmtime_r(&t, &tm)
        return String(format: "%04d%02d%02d-%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec)
    }
}
