import Foundation
import Glibc
import TestServers

/// Sync with Tiny Tiny RSS (issue 15), beside newsboat's own tt-rss mode on the same server: a real tt-rss 21
/// (`TestServers.TTRSSServer`: `php -S` with 2 workers, a throwaway PostgreSQL 15) holding 20 feeds of 500
/// articles of about 3 KB, put there with SQL. newsboat 2.21 (`urls-source "ttrss"`) reloads into a fresh cache,
/// then again with nothing changed; Gazette syncs into a fresh store (`gazette sync`), again with nothing new, then
/// sends 1,000 read marks made with `gazette mark`. Wall times of the programs (started and ended), articles each
/// kept, and what the server itself takes for the requests that matter. Reports, never asserts.
enum SyncBench {
    static let feedCount = 20
    static let articlesPerFeed = 500
    static let contentBytes = 3_000
    static let marks = 1_000
    static let workers = 2
    /// Where the table goes in BENCHMARKS.md.
    static let begin = "<!-- bench-sync:begin -->"
    static let end = "<!-- bench-sync:end -->"

    struct Result {
        var runs = 0
        var startupSeconds: Double?
        var seedSeconds: Double?
        var articles = 0
        /// The server alone (the harness's own requests, one at a time): a page of 200 headlines with content,
        /// getCounters, a `since_id` query with nothing newer, updateArticle of 1,000 ids (seconds).
        var page: [Double] = []
        var counters: [Double] = []
        var emptySince: [Double] = []
        var update: [Double] = []
        var newsboatFirst: [FetchBench.Run] = []
        var newsboatSecond: [FetchBench.Run] = []
        var newsboatKept: Int?
        /// nil when Gazette's sync ran; else why not (the sync command is not built yet, it failed…).
        var gazetteMissing: String?
        var gazetteFirst: [FetchBench.Run] = []
        var gazetteSecond: [FetchBench.Run] = []
        var gazetteMarks: [FetchBench.Run] = []
        var gazetteKept: Int?
        /// Marks that reached the server after the marks sync (of `marks`), per run.
        var marksArrived: [Int] = []
        var notes: [String] = []
    }

    // MARK: The measurements

    static func run(gazette: String, work: String, quick: Bool) -> Result {
        var r = Result()
        r.runs = quick ? 1 : 3
        Spawn.run(["rm", "-rf", work])
        Spawn.run(["mkdir", "-p", work])
        say("sync (issue 15): Tiny Tiny RSS on 127.0.0.1 (php -S, \(workers) workers), \(feedCount) feeds of "
            + "\(articlesPerFeed) articles of about \(contentBytes / 1000) KB, \(r.runs) run\(r.runs == 1 ? "" : "s") of each")
        if let missing = TTRSSServer.missing {
            say("  sync: \(missing)")
            r.notes.append("not measured: \(missing)")
            return r
        }
        let server: TTRSSServer
        do {
            server = try TTRSSServer(workers: workers)
            r.startupSeconds = server.startupSeconds
            let started = monotonic()
            for index in 1...feedCount {
                let feed = try server.addFeed(title: "Feed \(index)", url: "http://feeds.invalid/\(index).xml")
                try server.addArticles(feed: feed, count: articlesPerFeed, contentBytes: contentBytes,
                                       titlePrefix: "Feed \(index) article")
            }
            // Statistics for the planner now, not when autovacuum gets there: the first program measured would
            // otherwise run on a slower server than the next ones.
            try server.analyze()
            r.seedSeconds = monotonic() - started
            r.articles = try server.articleCount()
        } catch {
            say("  sync: \(error)")
            r.notes.append("not measured: \(error)")
            return r
        }
        defer { server.stop() }
        say("  server started in \(format(r.startupSeconds ?? 0)) s, \(r.articles) articles seeded in "
            + "\(format(r.seedSeconds ?? 0)) s")
        measureServer(server, into: &r)

        func resetReadState() {
            do {
                try server.psql("update ttrss_user_entries set unread = true, last_read = null")
                try server.analyze()
            } catch {
                r.notes.append("could not reset the read state: \(error)")
            }
        }

        // newsboat's tt-rss mode: a fresh cache each run, reloaded twice.
        if Spawn.available("newsboat") {
            resetReadState()
            for run in 0..<r.runs {
                let home = "\(work)/newsboat-\(run)"
                Spawn.run(["mkdir", "-p", "\(home)/home"])
                do {
                    try "".write(toFile: "\(home)/urls", atomically: true, encoding: .utf8)
                    try """
                        urls-source "ttrss"
                        ttrss-url "\(server.baseURL)"
                        ttrss-login "\(TTRSSServer.user)"
                        ttrss-password "\(TTRSSServer.defaultPassword)"

                        """.write(toFile: "\(home)/config", atomically: true, encoding: .utf8)
                } catch {
                    r.notes.append("newsboat not measured: \(error)")
                    break
                }
                let env = ["HOME": "\(home)/home", "XDG_CONFIG_HOME": "\(home)/home/.config",
                           "XDG_DATA_HOME": "\(home)/home/.local/share", "XDG_CACHE_HOME": "\(home)/home/.cache",
                           "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
                let files = ["-u", "\(home)/urls", "-c", "\(home)/cache.db", "-C", "\(home)/config"]
                let (first, _) = FetchBench.timed(["newsboat", "-x", "reload"] + files, environment: env,
                                                  timeFile: "\(home)/first.time")
                let (second, _) = FetchBench.timed(["newsboat", "-x", "reload"] + files, environment: env,
                                                   timeFile: "\(home)/second.time")
                r.newsboatFirst.append(first)
                r.newsboatSecond.append(second)
                // "4000 unread articles": every article on the server is unread, so these are the ones it kept.
                let unread = Spawn.run(["newsboat", "-x", "print-unread"] + files, environment: env).output
                r.newsboatKept = unread.split(whereSeparator: { !$0.isNumber }).first.flatMap { Int($0) }
                say("  newsboat: first reload \(format(first.ms / 1000)) s (exit \(first.status)), "
                    + "nothing changed \(format(second.ms / 1000)) s (exit \(second.status)), "
                    + "\(r.newsboatKept.map(String.init) ?? "?") articles kept")
            }
        } else {
            r.notes.append("newsboat is not installed (apt-get install -y newsboat): no newsboat figures")
        }

        // Gazette: a fresh store each run; sync, sync again, mark 1,000 read and sync.
        for run in 0..<r.runs {
            resetReadState()
            let home = "\(work)/gazette-\(run)"
            let env: [String: String]
            do {
                env = try prepareGazette(home: home, server: server)
            } catch {
                r.notes.append("gazette not measured: \(error)")
                break
            }
            // The store at its default place under XDG_DATA_HOME, created by the first sync as a user's would be.
            let sync = [gazette, "sync"]
            let (first, _) = FetchBench.timed(sync, environment: env, timeFile: "\(home)/first.time")
            if first.status != 0 {
                let message = firstLineOfErrors(sync, environment: env)
                r.gazetteMissing = "`gazette sync` exited \(first.status)" + (message.isEmpty ? "" : ": \(message)")
                say("  gazette: not available (\(r.gazetteMissing!))")
                break
            }
            let (second, _) = FetchBench.timed(sync, environment: env, timeFile: "\(home)/second.time")
            let listed = Spawn.run([gazette, "list"], environment: env)
            let lines = listed.output.split(separator: "\n")
            r.gazetteKept = listed.status == 0 ? lines.count : nil
            let ids = lines.filter { $0.split(separator: "\t").dropFirst().first == "unread" }
                .prefix(marks).compactMap { $0.split(separator: "\t").first.map(String.init) }
            var marksText = "no marks sent (\(ids.count) unread articles listed)"
            if ids.count == marks, Spawn.run([gazette, "mark"] + ids, environment: env).status == 0 {
                let (sent, _) = FetchBench.timed(sync, environment: env, timeFile: "\(home)/marks.time")
                r.gazetteMarks.append(sent)
                let arrived = (try? server.unreadArticleIDs().count).map { r.articles - $0 }
                if let arrived { r.marksArrived.append(arrived) }
                marksText = "\(marks) marks sent \(format(sent.ms / 1000)) s (exit \(sent.status), "
                    + "\(arrived.map(String.init) ?? "?") read on the server)"
            }
            r.gazetteFirst.append(first)
            r.gazetteSecond.append(second)
            say("  gazette: first sync \(format(first.ms / 1000)) s, nothing new \(format(second.ms / 1000)) s "
                + "(exit \(second.status)), \(marksText), \(r.gazetteKept.map(String.init) ?? "?") articles listed")
        }
        return r
    }

    /// Times the server's answers to the requests a sync is made of, through the harness (one at a time).
    static func measureServer(_ server: TTRSSServer, into r: inout Result) {
        do {
            let sid = try server.login()
            func time(_ op: String, _ parameters: [String: Any]) throws -> Double {
                let start = monotonic()
                let answer = try server.call(op, sid: sid, parameters)
                guard answer["status"] as? Int == 0 else { throw BenchError("\(op): \(answer)") }
                return monotonic() - start
            }
            let maxID = try server.articleIDs().last ?? 0
            let some = try server.articleIDs().prefix(marks).map(String.init).joined(separator: ",")
            for _ in 0..<3 {
                r.page.append(try time("getHeadlines", ["feed_id": -4, "limit": 200, "show_content": true,
                                                        "view_mode": "all_articles"]))
                r.counters.append(try time("getCounters", [:]))
                r.emptySince.append(try time("getHeadlines", ["feed_id": -4, "since_id": maxID, "limit": 200]))
                r.update.append(try time("updateArticle", ["article_ids": some, "mode": 1, "field": 2]))
            }
            say("  server: a page of 200 with content \(format(Figure(r.page)!.median)) s, getCounters "
                + "\(format(Figure(r.counters)!.median)) s, since_id with nothing newer "
                + "\(format(Figure(r.emptySince)!.median)) s, updateArticle of \(marks) ids \(format(Figure(r.update)!.median)) s")
        } catch {
            r.notes.append("the server's own figures: \(error)")
        }
    }

    /// A fresh Gazette home that follows the server: the configuration (`set sync ttrss`…) and a password file
    /// readable by its owner only. Returns the environment to run it in.
    static func prepareGazette(home: String, server: TTRSSServer) throws -> [String: String] {
        Spawn.run(["rm", "-rf", home])
        Spawn.run(["mkdir", "-p", "\(home)/config/gazette", "\(home)/data", "\(home)/home"])
        let password = "\(home)/password"
        try "\(TTRSSServer.defaultPassword)\n".write(toFile: password, atomically: true, encoding: .utf8)
        chmod(password, 0o600)
        try """
            set sync ttrss
            set ttrss-url "\(server.baseURL)"
            set ttrss-login "\(TTRSSServer.user)"
            set ttrss-password-file "\(password)"

            """.write(toFile: "\(home)/config/gazette/config", atomically: true, encoding: .utf8)
        return ["XDG_CONFIG_HOME": "\(home)/config", "XDG_DATA_HOME": "\(home)/data", "HOME": "\(home)/home",
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }

    /// The first line a failing command wrote on standard error (Spawn drops standard error).
    static func firstLineOfErrors(_ arguments: [String], environment: [String: String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        guard (try? process.run()) != nil else { return "cannot run \(arguments[0])" }
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return String(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200))
    }

    // MARK: `gazette-bench sync`

    /// This part alone: measures, prints, writes `bench-results/sync-<time>.md` and `sync-latest.md`, and the
    /// table in BENCHMARKS.md; the run's files stay in `bench-results/last-run-sync/`.
    static func runAlone(root: String, gazette: String, quick: Bool) {
        let started = monotonic()
        guard access("/usr/bin/time", X_OK) == 0 else { fail("/usr/bin/time is needed (apt-get install time)") }
        let results = "\(root)/bench-results"
        let work = "\(results)/work-sync"
        mkdir(results, 0o755)
        let r = run(gazette: gazette, work: work, quick: quick)
        let report = Report(results: [], store: nil, newsboat: Spawn.available("newsboat"), quick: quick,
                            seconds: monotonic() - started, launches: 0, downs: 0, pages: 0)
        let text = report.syncMarkdown(r)
        print("")
        say(text)
        let stamp = Suite.timestamp()
        try? text.write(toFile: "\(results)/sync-\(stamp).md", atomically: true, encoding: .utf8)
        try? text.write(toFile: "\(results)/sync-latest.md", atomically: true, encoding: .utf8)
        report.updateBenchmarksFile("\(root)/BENCHMARKS.md", table: text, begin: begin, end: end)
        Spawn.run(["rm", "-rf", "\(results)/last-run-sync"])
        rename(work, "\(results)/last-run-sync")
        say("written: bench-results/sync-\(stamp).md and the sync table in BENCHMARKS.md")
    }
}

// MARK: - The table

extension Report {
    func syncMarkdown(_ r: SyncBench.Result) -> String {
        var t = "### Sync with Tiny Tiny RSS (\(Suite.timestamp()) UTC\(quick ? ", quick run" : ""))\n\n"
        t += "\(SyncBench.feedCount) feeds, \(r.articles.formatted()) articles of about \(SyncBench.contentBytes / 1000) KB "
            + "in Tiny Tiny RSS 21 (`php -S`, PHP_CLI_SERVER_WORKERS=\(SyncBench.workers), PostgreSQL 15) on 127.0.0.1. "
            + "Each cell: min / **median** / max over \(r.runs) run\(r.runs == 1 ? "" : "s"), seconds of wall time "
            + "(the program started and ended).\n\n"
        func seconds(_ runs: [FetchBench.Run]) -> String {
            guard !runs.isEmpty else { return "–" }
            let exits = runs.allSatisfy { $0.status == 0 } ? "" : " (exit " + runs.map { "\($0.status)" }.joined(separator: ",") + ")"
            return cell(fig(runs.map { $0.ms / 1000 })) + exits
        }
        func perArticle(_ runs: [FetchBench.Run], kept: Int?) -> String {
            guard let median = fig(runs.map { $0.ms })?.median, let kept, kept > 0 else { return "–" }
            return format(median / Double(kept))
        }
        t += "| Program | First sync, fresh store (s) | Sync, nothing new (s) | \(SyncBench.marks.formatted()) read marks sent (s) "
            + "| Articles kept | ms per article kept, first |\n|---|---|---|---|---|---|\n"
        if !r.newsboatFirst.isEmpty {
            t += "| newsboat 2.21, `urls-source \"ttrss\"` (`newsboat -x reload`) | \(seconds(r.newsboatFirst)) "
                + "| \(seconds(r.newsboatSecond)) | (does not send marks on reload) "
                + "| \(r.newsboatKept.map { $0.formatted() } ?? "–") | \(perArticle(r.newsboatFirst, kept: r.newsboatKept)) |\n"
        }
        if let missing = r.gazetteMissing {
            t += "| Gazette (`gazette sync`) | not available: \(missing) | | | | |\n"
        } else if !r.gazetteFirst.isEmpty {
            let arrived = r.marksArrived.isEmpty ? "" : " (" + r.marksArrived.map(String.init).joined(separator: ", ")
                + " read on the server)"
            t += "| Gazette (`gazette sync`) | \(seconds(r.gazetteFirst)) | \(seconds(r.gazetteSecond)) "
                + "| \(seconds(r.gazetteMarks))\(arrived) | \(r.gazetteKept.map { $0.formatted() } ?? "–") "
                + "| \(perArticle(r.gazetteFirst, kept: r.gazetteKept)) |\n"
        }
        let newsboatSecond = fig(r.newsboatSecond.map { $0.ms / 1000 })?.median
        t += "| Target (issue 15) | no more per article than newsboat | "
            + (newsboatSecond.map { "≤ \(format($0 / 10)) (a tenth of newsboat's)" } ?? "≤ a tenth of newsboat's")
            + " | ≤ 1, in one or a few requests | all \(r.articles.formatted()) | ≤ newsboat's |\n"
        if let g1 = fig(r.gazetteFirst.map(\.ms))?.median, let g2 = fig(r.gazetteSecond.map(\.ms))?.median,
           let n1 = fig(r.newsboatFirst.map(\.ms))?.median, let n2 = fig(r.newsboatSecond.map(\.ms))?.median, g1 > 0, g2 > 0 {
            t += "\nnewsboat ÷ Gazette, medians: first sync \(format(n1 / g1))×, nothing new \(format(n2 / g2))×.\n"
        }
        t += "\nThe server alone (one request at a time, medians of 3, seconds): a page of 200 headlines with content "
            + "\(fig(r.page).map { format($0.median) } ?? "–"), `getCounters` \(fig(r.counters).map { format($0.median) } ?? "–"), "
            + "`getHeadlines` with `since_id` and nothing newer \(fig(r.emptySince).map { format($0.median) } ?? "–"), "
            + "`updateArticle` of \(SyncBench.marks.formatted()) ids \(fig(r.update).map { format($0.median) } ?? "–"). "
            + "Server started in \(r.startupSeconds.map { format($0) } ?? "–") s (cluster, schema, web root, php), "
            + "articles seeded with SQL (and ANALYZE) in \(r.seedSeconds.map { format($0) } ?? "–") s. Before each "
            + "program's run every article is made unread again on the server.\n"
        if !r.notes.isEmpty { t += "\n" + r.notes.map { "- \($0)\n" }.joined() }
        return t + "\n" + machine()
    }
}
