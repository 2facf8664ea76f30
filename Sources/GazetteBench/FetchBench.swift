import Foundation
import Glibc
import SeededRandom
import TestServers

/// Subscriptions over HTTP (issue 12), beside newsboat: 100 feeds of 100 items (about 35 MB of RSS) served by nginx
/// on 127.0.0.1 (`TestServers.NginxServer`: gzip on, ETag and Last-Modified), fetched into a fresh store, then
/// fetched again when nothing changed (every feed answers 304); the reader started on a store of 100
/// subscriptions and 100,000 items; and the reader's keys while `R` fetches from a slow server, beside `less`.
/// Reports, never asserts.
enum FetchBench {
    static let feedCount = 100
    static let itemsPerFeed = 100
    /// The start-up store: 100 feeds of 1,000 small items (about 300 bytes each), fetched once.
    static let smallItemsPerFeed = 1_000
    /// nginx's `limit_rate` for one transfer of `/slow/` once the client holds validators (the fetch started by `R`).
    static let slowRate = "200k"
    /// Where the subscriptions table goes in BENCHMARKS.md.
    static let begin = "<!-- bench-fetch:begin -->"
    static let end = "<!-- bench-fetch:end -->"

    /// One run of a program under `/usr/bin/time`.
    struct Run {
        var ms: Double
        var peakKB: Double?
        /// User + system CPU seconds.
        var cpuSeconds: Double?
        var status: Int32
    }

    /// A program's first fetch into a fresh store and its next one, nothing changed on the server.
    struct Fetches {
        var first: [Run] = []
        var second: [Run] = []
        /// nginx's answers (status → count) and body bytes sent, summed over the runs.
        var firstAnswers: [Int: Int] = [:]
        var secondAnswers: [Int: Int] = [:]
        var firstBytes = 0
        var secondBytes = 0
        /// nginx's own CPU time during each first fetch (ms; gzip on the fly is most of it).
        var serverCPU: [Double] = []
        /// Items the program says it stored after a first fetch.
        var items: Int?
    }

    struct Result {
        /// The 100 feeds on disk (bytes).
        var feedBytes = 0
        var smallFeedBytes = 0
        var gazette = Fetches()
        /// newsboat, by `reload-threads`.
        var newsboat: [(threads: Int, fetches: Fetches)] = []
        /// The start-up store: how it was built, its items and size.
        var storeBuild: Run?
        var storeItems: Int?
        var storeBytes = 0
        /// The reader on it: first frame (tmux and trace), and peak memory of a start, indexing and quit.
        var launch = TerminalBench.Launch()
        var launchPeakKB: Double?
        var postsShown: Int?
        /// Down in the reader on the 100 × 100 store: while `R` fetches (slowly, at full speed), and with nothing
        /// going on; `less` `j`.
        var keysDuringFetch: [FetchKeys] = []
        var keysIdle = TerminalBench.Keys()
        var lessKeys = TerminalBench.Keys()
        var downs = 0
        var notes: [String] = []
    }

    /// Down keys while `R` fetches from one location of the server.
    struct FetchKeys {
        /// The location (`/slow/`, `/busy/`) and what it does.
        var path: String
        var label: String
        var keys = TerminalBench.Keys()
        /// Whether the status bar said `fetching` after `R`, and still did after the last Down.
        var started = false
        var throughout = false
        /// Feeds nginx sent from `R` to the last Down (200s).
        var fetched = 0
    }

    // MARK: Data

    static func dataDirectory(root: String) -> String { "\(root)/bench-data/subscriptions" }

    static func feedName(_ index: Int) -> String {
        "feed-" + String(repeating: "0", count: index < 10 ? 2 : index < 100 ? 1 : 0) + "\(index).xml"
    }

    /// Writes the feeds unless a previous run completed them (the marker is written last): `feeds-100/` (RSS
    /// bodies as in `bench-data/feed-N.xml`, one seed per feed), `items-1000/` (small items) and `slow`, a link to
    /// `feeds-100` that nginx serves slowly (see `locations`).
    static func ensureData(root: String) throws -> String {
        let directory = dataDirectory(root: root)
        let marker = "\(directory)/complete-v2"
        defer {
            // The locations answered 200 to every request (see `locations`): the same files.
            for link in ["slow", "busy"] where access("\(directory)/\(link)", F_OK) != 0 {
                symlink("feeds-100", "\(directory)/\(link)")
            }
        }
        if access(marker, F_OK) == 0 { return directory }
        say("generating \(directory): \(feedCount) feeds of \(itemsPerFeed) items, \(feedCount) of \(smallItemsPerFeed) small items")
        Spawn.run(["rm", "-rf", directory])
        Spawn.run(["mkdir", "-p", "\(directory)/feeds-100", "\(directory)/items-1000"])
        for index in 0..<feedCount {
            try BenchData.write(posts: itemsPerFeed, seed: BenchData.seed &+ UInt64(index + 1), format: .rss,
                                to: "\(directory)/feeds-100/\(feedName(index))")
            try writeSmallFeed(index: index, to: "\(directory)/items-1000/\(feedName(index))")
        }
        // Compressed once, served as they are (`gzip_static`): the server's compressor is not what is measured.
        for folder in ["feeds-100", "items-1000"] {
            let status = Spawn.run(["gzip", "-k", "-n", "-f", "-6"] + (0..<feedCount).map { "\(directory)/\(folder)/\(feedName($0))" }).status
            guard status == 0 else { throw BenchError("gzip failed (status \(status))") }
        }
        try "\(BenchData.seed)\n".write(toFile: marker, atomically: true, encoding: .utf8)
        return directory
    }

    /// An RSS feed of `smallItemsPerFeed` items of about 300 bytes: a title, a link, a guid, a date a minute apart,
    /// a sentence of description.
    static func writeSmallFeed(index: Int, to path: String) throws {
        var random = SplitMix64(seed: BenchData.seed &+ 10_000 &+ UInt64(index))
        let words = ArchiveGenerator.words
        func sentence(_ count: Int) -> String {
            var text = (0..<count).map { _ in random.pick(words) }.joined(separator: " ")
            text = text.prefix(1).uppercased() + text.dropFirst()
            return text
        }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Small items \(index)</title><link>http://small.invalid/\(index)/</link>\
            <description>Gazette benchmark feed of small items</description>

            """
        let base = 1_600_000_000 - index * 60 * smallItemsPerFeed
        for item in 0..<smallItemsPerFeed {
            var t = time_t(base - item * 60)
            var parts = tm()
            gmtime_r(&t, &parts)
            var buffer = [CChar](repeating: 0, count: 64)
            strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S +0000", &parts)
            let date = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            out += "<item><title>\(sentence(random.int(4...8)))</title>"
            out += "<link>http://small.invalid/\(index)/\(item)</link>"
            out += "<guid isPermaLink=\"false\">small-\(index)-\(item)</guid><pubDate>\(date)</pubDate>"
            out += "<description>\(sentence(random.int(14...22))).</description></item>\n"
        }
        out += "</channel></rss>\n"
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Every feed has its `.gz` beside it, sent as it is to a client that accepts gzip (`gzip_static`), as a static
    /// site or a cache would: without it nginx's one worker spends about 0.6 s compressing the 35 MB on the fly, more
    /// than the target for the whole fetch, and that is the server's time, not the reader's.
    /// `/busy/`: the same files, answered 200 with the whole body even to a conditional GET (no ETag, no
    /// If-Modified-Since check): `R` downloads and parses everything again, at full speed. `/slow/`: the same, and
    /// at `slowRate` per transfer once the client sends If-Modified-Since: the fetch that builds the reader's store
    /// is fast, the one `R` starts slow. (`sendfile off`: nginx 1.22 ignores a `$limit_rate` set in an `if` when
    /// it sends the file with sendfile.)
    static let locations = """
            gzip_static on;

            location /busy/ {
                etag off;
                if_modified_since off;
            }

            location /slow/ {
                etag off;
                if_modified_since off;
                sendfile off;
                if ($http_if_modified_since) {
                    set $limit_rate \(slowRate);
                }
            }
    """

    // MARK: Running programs

    /// Runs `arguments` under `/usr/bin/time` (peak RSS, CPU); the wall time includes starting it.
    static func timed(_ arguments: [String], environment: [String: String], timeFile: String) -> (Run, String) {
        unlink(timeFile)
        let start = monotonic()
        let (status, output) = Spawn.run(["/usr/bin/time", "-f", "%M %U %S", "-o", timeFile] + arguments,
                                         environment: environment)
        let ms = (monotonic() - start) * 1000
        // A failing command's line ("Command exited with non-zero status 75") comes first.
        let fields = TerminalBench.lines(timeFile).last ?? []
        let cpu = fields.count >= 3 ? (Double(fields[1]) ?? 0) + (Double(fields[2]) ?? 0) : nil
        return (Run(ms: ms, peakKB: fields.first.flatMap(Double.init), cpuSeconds: cpu, status: status), output)
    }

    /// The environment of Gazette in `home`, laid out as `TerminalBench` lays out its own (`state-SIZE`, `config`),
    /// so that its launch helpers run the reader on this store.
    static func environment(home: String, size: Int) -> [String: String] {
        ["XDG_DATA_HOME": "\(home)/state-\(size)", "XDG_CONFIG_HOME": "\(home)/config"]
    }

    /// A fresh home: the urls file (each feed named, newsboat's `"~name"`), `set min-interval 0`, no store.
    static func prepareGazette(home: String, size: Int, urls: [String]) throws {
        Spawn.run(["rm", "-rf", home])
        Spawn.run(["mkdir", "-p", "\(home)/config/gazette", "\(home)/state-\(size)"])
        try urls.enumerated().map { "\($0.element) \"~Feed \($0.offset + 1)\"\n" }.joined()
            .write(toFile: "\(home)/config/gazette/urls", atomically: true, encoding: .utf8)
        try "set min-interval 0\n".write(toFile: "\(home)/config/gazette/config", atomically: true, encoding: .utf8)
    }

    /// Items in the store and failing feeds, from `gazette feeds --json`.
    static func storedItems(gazette: String, environment: [String: String]) -> (items: Int, failing: Int)? {
        let (status, output) = Spawn.run([gazette, "feeds", "--json"], environment: environment)
        guard status == 0, let array = (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [[String: Any]]
        else { return nil }
        let items = array.reduce(0) { $0 + (($1["items"] as? Int) ?? ($1["items"] as? NSNumber)?.intValue ?? 0) }
        let failing = array.filter { $0["error"] is String }.count
        return (items, failing)
    }

    /// A process's CPU time so far (ms), from /proc.
    static func cpuMilliseconds(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// nginx's answers under `prefix` among `entries`: status → count, and body bytes sent.
    static func answers(_ entries: ArraySlice<AccessLogEntry>, prefix: String) -> ([Int: Int], Int) {
        var statuses: [Int: Int] = [:]
        var bytes = 0
        for entry in entries where entry.uri.hasPrefix(prefix) {
            statuses[entry.status, default: 0] += 1
            bytes += entry.bytes
        }
        return (statuses, bytes)
    }

    static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    // MARK: The measurements

    /// Everything, in `work` (created here). `lessArchive`: a text archive for `less`.
    static func run(root: String, gazette: String, work: String, quick: Bool, lessArchive: String) -> Result {
        var r = Result()
        let runs = quick ? 1 : 3
        let launches = quick ? 3 : 9
        r.downs = quick ? 60 : 100
        Spawn.run(["mkdir", "-p", work])
        say("subscriptions (issue 12): \(feedCount) feeds of \(itemsPerFeed) items from nginx on 127.0.0.1, "
            + "\(runs) run\(runs == 1 ? "" : "s") of each fetch")
        let data: String
        let server: NginxServer
        do {
            data = try ensureData(root: root)
            server = try NginxServer(root: data, locations: locations)
        } catch {
            say("  subscriptions: \(error)")
            r.notes.append("not measured: \(error)")
            return r
        }
        defer { server.stop() }
        r.feedBytes = (0..<feedCount).reduce(0) { $0 + fileSize("\(data)/feeds-100/\(feedName($1))") }
        r.smallFeedBytes = (0..<feedCount).reduce(0) { $0 + fileSize("\(data)/items-1000/\(feedName($1))") }
        let urls = (0..<feedCount).map { server.url("/feeds-100/\(feedName($0))") }

        // 1 and 2: the first fetch into a fresh store, then the next one (every feed answers 304).
        for run in 0..<runs {
            let home = "\(work)/fetch-\(run)"
            do {
                try prepareGazette(home: home, size: 0, urls: urls)
            } catch {
                r.notes.append("gazette fetch not measured: \(error)")
                break
            }
            let env = environment(home: home, size: 0)
            let logStart = server.accessLog().count
            let cpuStart = cpuMilliseconds(server.processIdentifier)
            let (first, _) = timed([gazette, "fetch"], environment: env, timeFile: "\(home)/first.time")
            let cpuEnd = cpuMilliseconds(server.processIdentifier)
            let middle = server.accessLog()
            let (second, _) = timed([gazette, "fetch", "--force"], environment: env, timeFile: "\(home)/second.time")
            let last = server.accessLog()
            r.gazette.first.append(first)
            r.gazette.second.append(second)
            if let cpuStart, let cpuEnd { r.gazette.serverCPU.append(cpuEnd - cpuStart) }
            let (a1, b1) = answers(middle[min(logStart, middle.count)...], prefix: "/feeds-100/")
            let (a2, b2) = answers(last[min(middle.count, last.count)...], prefix: "/feeds-100/")
            r.gazette.firstAnswers.merge(a1, uniquingKeysWith: +)
            r.gazette.secondAnswers.merge(a2, uniquingKeysWith: +)
            r.gazette.firstBytes += b1
            r.gazette.secondBytes += b2
            if let stored = storedItems(gazette: gazette, environment: env) {
                r.gazette.items = stored.items
                if stored.failing > 0 { r.notes.append("gazette fetch: \(stored.failing) feeds failing in run \(run + 1)") }
            }
            say("  gazette fetch: first \(format(first.ms)) ms (exit \(first.status), \(answersText(a1))), "
                + "next \(format(second.ms)) ms (exit \(second.status), \(answersText(a2))), "
                + "peak \(first.peakKB.map { format($0 / 1024) } ?? "-") / \(second.peakKB.map { format($0 / 1024) } ?? "-") MB, "
                + "\(r.gazette.items.map(String.init) ?? "?") items stored, "
                + "nginx CPU \(r.gazette.serverCPU.last.map { format($0) } ?? "-") ms")
        }

        // 3: newsboat on the same URLs, its own fresh files for each run.
        if Spawn.available("newsboat") {
            for threads in [1, 8] {
                var f = Fetches()
                for run in 0..<runs {
                    let home = "\(work)/newsboat-\(threads)-\(run)"
                    Spawn.run(["rm", "-rf", home])
                    Spawn.run(["mkdir", "-p", "\(home)/home"])
                    do {
                        try urls.map { $0 + "\n" }.joined().write(toFile: "\(home)/urls", atomically: true, encoding: .utf8)
                        try "reload-threads \(threads)\n".write(toFile: "\(home)/config", atomically: true, encoding: .utf8)
                    } catch {
                        r.notes.append("newsboat not measured: \(error)")
                        break
                    }
                    let env = ["HOME": "\(home)/home", "XDG_CONFIG_HOME": "\(home)/home/.config",
                               "XDG_DATA_HOME": "\(home)/home/.local/share", "XDG_CACHE_HOME": "\(home)/home/.cache"]
                    let files = ["-u", "\(home)/urls", "-c", "\(home)/cache.db", "-C", "\(home)/config"]
                    let logStart = server.accessLog().count
                    let cpuStart = cpuMilliseconds(server.processIdentifier)
                    let (first, _) = timed(["newsboat", "-x", "reload"] + files, environment: env,
                                           timeFile: "\(home)/first.time")
                    let cpuEnd = cpuMilliseconds(server.processIdentifier)
                    let middle = server.accessLog()
                    let (second, _) = timed(["newsboat", "-x", "reload"] + files, environment: env,
                                            timeFile: "\(home)/second.time")
                    let last = server.accessLog()
                    f.first.append(first)
                    f.second.append(second)
                    if let cpuStart, let cpuEnd { f.serverCPU.append(cpuEnd - cpuStart) }
                    let (a1, b1) = answers(middle[min(logStart, middle.count)...], prefix: "/feeds-100/")
                    let (a2, b2) = answers(last[min(middle.count, last.count)...], prefix: "/feeds-100/")
                    f.firstAnswers.merge(a1, uniquingKeysWith: +)
                    f.secondAnswers.merge(a2, uniquingKeysWith: +)
                    f.firstBytes += b1
                    f.secondBytes += b2
                    if run == 0 {
                        // "10000 unread articles"
                        let unread = Spawn.run(["newsboat", "-x", "print-unread"] + files, environment: env).output
                        f.items = unread.split(whereSeparator: { !$0.isNumber }).first.flatMap { Int($0) }
                    }
                    say("  newsboat reload-threads \(threads): first \(format(first.ms)) ms (\(answersText(a1))), "
                        + "next \(format(second.ms)) ms (\(answersText(a2))), "
                        + "peak \(first.peakKB.map { format($0 / 1024) } ?? "-") / \(second.peakKB.map { format($0 / 1024) } ?? "-") MB")
                }
                r.newsboat.append((threads, f))
            }
        } else {
            r.notes.append("newsboat is not installed (apt-get install -y newsboat): no newsboat figures")
        }

        // 4: start-up on 100 subscriptions and 100,000 items (fetched once from 100 feeds of 1,000 small items).
        let startupSize = feedCount * smallItemsPerFeed
        let startHome = "\(work)/startup"
        do {
            try prepareGazette(home: startHome, size: startupSize,
                               urls: (0..<feedCount).map { server.url("/items-1000/\(feedName($0))") })
            let env = environment(home: startHome, size: startupSize)
            let (build, _) = timed([gazette, "fetch"], environment: env, timeFile: "\(startHome)/build.time")
            r.storeBuild = build
            r.storeItems = storedItems(gazette: gazette, environment: env)?.items
            let store = "\(startHome)/state-\(startupSize)/gazette/state.sqlite3"
            r.storeBytes = fileSize(store) + fileSize(store + "-wal")
            say("  start-up store: \(r.storeItems.map(String.init) ?? "?") items fetched in \(format(build.ms)) ms "
                + "(exit \(build.status)), \(format(Double(r.storeBytes) / 1e6)) MB")
            try series(gazette: gazette, work: startHome) { bench in
                try bench.warmGazette(archive: "", size: startupSize, probe: "? help")
                r.launch = try bench.launchGazette(archive: "", size: startupSize, probe: "? help", runs: launches)
            }
            try series(gazette: gazette, work: startHome) { bench in
                let (peak, shown) = try startAndQuit(tmux: bench.tmux, gazette: gazette, home: startHome,
                                                     size: startupSize)
                r.launchPeakKB = peak
                r.postsShown = shown
            }
            say("  reader on \(startupSize) stored items: first frame (tmux) "
                + "\(Figure(r.launch.visible).map(\.description) ?? "-") ms, in process "
                + "\(Figure(r.launch.inProcess).map(\.description) ?? "-") ms, peak "
                + "\(r.launchPeakKB.map { format($0 / 1024) } ?? "-") MB")
        } catch {
            say("  start-up: \(error)")
            r.notes.append("start-up: \(error)")
        }

        // 5: keys while R fetches, on a store of the 100 × 100 items (one per location: its URLs are its rows),
        // and with nothing going on; less.
        let keysSize = feedCount * itemsPerFeed
        let kinds = [("/slow/", "nginx `limit_rate \(slowRate)`"), ("/busy/", "at full speed")]
        for (path, label) in kinds {
            let home = "\(work)/keys-\(path.trimmingCharacters(in: CharacterSet(charactersIn: "/")))"
            var session = FetchKeys(path: path, label: label)
            do {
                try prepareGazette(home: home, size: keysSize,
                                   urls: (0..<feedCount).map { server.url("\(path)\(feedName($0))") })
                let env = environment(home: home, size: keysSize)
                let (seed, _) = timed([gazette, "fetch"], environment: env, timeFile: "\(home)/seed.time")
                if seed.status != 0 { r.notes.append("the fetch that builds the store of \(path) exited \(seed.status)") }
                if path == kinds[0].0 {
                    try series(gazette: gazette, work: home) { bench in
                        r.keysIdle = try readerDowns(tmux: bench.tmux, gazette: gazette, home: home, size: keysSize,
                                                     downs: r.downs, fetch: false).keys
                    }
                }
                let logStart = server.accessLog().count
                try series(gazette: gazette, work: home) { bench in
                    let run = try readerDowns(tmux: bench.tmux, gazette: gazette, home: home, size: keysSize,
                                              downs: r.downs, fetch: true) {
                        let log = server.accessLog()
                        session.fetched = answers(log[min(logStart, log.count)...], prefix: path).0[200] ?? 0
                        // What the fetch sent and got, for a closer look.
                        try? log[min(logStart, log.count)...].map {
                            "\($0.method) \($0.uri) \($0.status) \($0.bytes) ims=\($0.ifModifiedSince ?? "-") "
                                + "inm=\($0.ifNoneMatch ?? "-") conn=\($0.connection)\n"
                        }.joined().write(toFile: "\(home)/access-during-keys.log", atomically: true, encoding: .utf8)
                    }
                    session.keys = run.keys
                    session.started = run.started
                    session.throughout = run.throughout
                    if run.quitMs > 1000 {
                        r.notes.append("the reader took \(format(run.quitMs / 1000)) s to quit during the fetch from \(path)")
                    }
                }
                if !session.started { r.notes.append("`R` did not show `fetching` in the status bar within 5 s (\(path))") }
                say("  Down during R from \(path) (tmux) \(Figure(session.keys.visible["down"] ?? []).map(\.description) ?? "-") ms, "
                    + "in process \(Figure(session.keys.inProcess["down"] ?? []).map(\.description) ?? "-") ms; "
                    + "\(session.fetched) feeds completed meanwhile" + (session.throughout ? ", still fetching at the end" : ""))
            } catch {
                say("  keys during a fetch from \(path): \(error)")
                r.notes.append("keys during a fetch from \(path): \(error)")
            }
            r.keysDuringFetch.append(session)
        }
        do {
            try series(gazette: gazette, work: work) { bench in
                r.lessKeys = try bench.lessKeys(archive: lessArchive, size: 0, downs: r.downs, pages: 0)
            }
        } catch {
            r.notes.append("less: \(error)")
        }
        say("  Down, no fetch (tmux) \(Figure(r.keysIdle.visible["down"] ?? []).map(\.description) ?? "-") ms; "
            + "less j \(Figure(r.lessKeys.visible["down"] ?? []).map(\.description) ?? "-") ms")
        return r
    }

    /// A fresh tmux server for one series (see `Tmux`).
    static func series(gazette: String, work: String, _ body: (TerminalBench) throws -> Void) throws {
        let tmux = try Tmux()
        defer { tmux.shutdown() }
        try body(TerminalBench(tmux: tmux, gazette: gazette, workDirectory: work))
    }

    private static func indexed(_ screen: String) -> Bool {
        screen.contains("? help") && !screen.contains("indexing")
    }

    /// The reader started under /usr/bin/time, left to load every stored item, and quit: peak RSS (kB) and the
    /// post count of its status bar (`1/100000`).
    static func startAndQuit(tmux: Tmux, gazette: String, home: String, size: Int) throws -> (Double?, Int?) {
        let timeFile = "\(home)/startup.time"
        unlink(timeFile)
        let window = try tmux.open("/usr/bin/time -f %M -o \(timeFile) \(gazette)",
                                   environment: environment(home: home, size: size))
        _ = try tmux.wait(window, since: monotonic(), timeout: 60, plain: true, until: indexed)
        let screen = try tmux.capture(window, plain: true)
        try tmux.send(window, "Q")
        try tmux.waitForExit(window)
        // " 1/100000 │ …": the selection and the row count.
        let shown = screen.split(separator: "\n").last.flatMap { line -> Int? in
            guard let slash = line.range(of: "1/") else { return nil }
            return Int(line[slash.upperBound...].prefix { $0.isNumber })
        }
        return (TerminalBench.lines(timeFile).last?.first.flatMap(Double.init), shown)
    }

    /// `downs` Down keys in the reader's list (send-keys to the list changed: the status bar, where the fetch's
    /// progress moves on its own, is left out of the comparison), under /usr/bin/time, with `GAZETTE_TRACE`.
    /// `fetch`: `R` first, and the keys start once the status bar says `fetching`.
    /// `afterKeys` runs after the last Down, before quitting.
    static func readerDowns(tmux: Tmux, gazette: String, home: String, size: Int, downs: Int, fetch: Bool,
                            afterKeys: () -> Void = {}) throws
        -> (keys: TerminalBench.Keys, started: Bool, throughout: Bool, quitMs: Double) {
        var keys = TerminalBench.Keys()
        let name = fetch ? "during-fetch" : "idle"
        let trace = "\(home)/keys-\(name).trace", timeFile = "\(home)/keys-\(name).time"
        unlink(trace)
        unlink(timeFile)
        var env = environment(home: home, size: size)
        env["GAZETTE_TRACE"] = trace
        let window = try tmux.open("/usr/bin/time -f %M -o \(timeFile) \(gazette)", environment: env)
        guard try tmux.wait(window, since: monotonic(), timeout: 60, plain: true, until: indexed) != nil else {
            tmux.kill(window)
            throw BenchError("the reader did not show its posts within 60 s")
        }
        var started = false
        if fetch {
            try tmux.send(window, "R")
            started = try tmux.wait(window, since: monotonic(), timeout: 5, plain: true) { $0.contains("fetching") } != nil
        }
        func list(_ screen: String) -> Substring {
            screen.lastIndex(of: "\n").map { screen[..<$0] } ?? Substring(screen)
        }
        var screen = try tmux.capture(window)
        for _ in 0..<downs {
            let before = list(screen)
            let start = monotonic()
            try tmux.send(window, "Down")
            var after = screen
            let ms = try tmux.wait(window, since: start, timeout: 3) { now in
                after = now
                return list(now) != before
            }
            if let ms { keys.visible["down", default: []].append(ms) }
            screen = after
        }
        let last = try tmux.capture(window, plain: true)
        let throughout = fetch && last.contains("fetching")
        afterKeys()
        let quit = monotonic()
        try tmux.send(window, "Q")
        try tmux.waitForExit(window, timeout: 15)
        let quitMs = (monotonic() - quit) * 1000
        keys.peakKB = TerminalBench.lines(timeFile).last?.first.flatMap(Double.init)
        for line in TerminalBench.lines(trace) where line.count >= 3 && line[0] == "key" && line[1] == "down" {
            if let ms = Double(line[2]) { keys.inProcess["down", default: []].append(ms) }
        }
        return (keys, started, throughout, quitMs)
    }

    static func answersText(_ answers: [Int: Int]) -> String {
        answers.isEmpty ? "no requests" : answers.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
    }

    // MARK: `gazette-bench fetch`

    /// This part alone: measures, prints, writes `bench-results/fetch-<time>.md` and `fetch-latest.md`, and the
    /// table in BENCHMARKS.md; the run's files stay in `bench-results/last-run-fetch/`.
    static func runAlone(root: String, gazette: String, quick: Bool) {
        let started = monotonic()
        guard Spawn.available("tmux") else { fail("tmux is needed (apt-get install tmux)") }
        guard Spawn.available("less") else { fail("less is needed") }
        guard access("/usr/bin/time", X_OK) == 0 else { fail("/usr/bin/time is needed (apt-get install time)") }
        guard NginxServer.isInstalled else { fail("nginx is needed (apt-get install nginx-light)") }
        let archives: [Int: String]
        do {
            archives = try BenchData.ensure(root: root, sizes: [1_000], rss: false)
        } catch {
            fail("\(error)")
        }
        let results = "\(root)/bench-results"
        let work = "\(results)/work-fetch"
        mkdir(results, 0o755)
        Spawn.run(["rm", "-rf", work])
        let r = run(root: root, gazette: gazette, work: work, quick: quick, lessArchive: archives[1_000]!)
        let report = Report(results: [], store: nil, newsboat: Spawn.available("newsboat"), quick: quick,
                            seconds: monotonic() - started, launches: quick ? 3 : 9, downs: r.downs, pages: 0)
        let text = report.subscriptionsMarkdown(r)
        print("")
        say(text)
        let stamp = Suite.timestamp()
        try? text.write(toFile: "\(results)/fetch-\(stamp).md", atomically: true, encoding: .utf8)
        try? text.write(toFile: "\(results)/fetch-latest.md", atomically: true, encoding: .utf8)
        report.updateBenchmarksFile("\(root)/BENCHMARKS.md", table: text, begin: begin, end: end)
        Spawn.run(["rm", "-rf", "\(results)/last-run-fetch"])
        rename(work, "\(results)/last-run-fetch")
        say("written: bench-results/fetch-\(stamp).md and the subscriptions table in BENCHMARKS.md")
    }
}

// MARK: - The table

extension Report {
    /// The subscriptions part of a run, with the machine.
    func subscriptionsMarkdown(_ r: FetchBench.Result) -> String {
        var t = "### Subscriptions (\(Suite.timestamp()) UTC\(quick ? ", quick run" : ""))\n\n"
        t += "Each cell: min / **median** / max over the runs; fetch times in seconds (wall clock, the program "
            + "started and ended), memory in MB (peak RSS, `/usr/bin/time -f %M`).\n\n"
        func seconds(_ runs: [FetchBench.Run]) -> String { cell(fig(runs.map { $0.ms / 1000 })) }
        func peak(_ runs: [FetchBench.Run]) -> String {
            guard let f = fig(runs.compactMap { $0.peakKB.map { $0 / 1024 } }) else { return "–" }
            return format(f.median)
        }
        func cpu(_ runs: [FetchBench.Run]) -> String {
            guard let f = fig(runs.compactMap(\.cpuSeconds)) else { return "–" }
            return format(f.median)
        }
        func exits(_ runs: [FetchBench.Run]) -> String {
            runs.allSatisfy { $0.status == 0 } ? "" : " (exit " + runs.map { "\($0.status)" }.joined(separator: ",") + ")"
        }
        func row(_ name: String, _ f: FetchBench.Fetches) -> String {
            "| \(name) | \(seconds(f.first))\(exits(f.first)) | \(seconds(f.second))\(exits(f.second)) "
                + "| \(FetchBench.answersText(f.secondAnswers)) | \(peak(f.first)) / \(peak(f.second)) "
                + "| \(cpu(f.first)) / \(cpu(f.second)) | \(format(Double(f.firstBytes) / 1e6 / Double(max(1, f.first.count)))) "
                + "| \(fig(f.serverCPU).map { format($0.median) } ?? "–") | \(f.items.map { $0.formatted() } ?? "–") |\n"
        }
        t += "#### \(FetchBench.feedCount) feeds of \(FetchBench.itemsPerFeed) items (\(format(Double(r.feedBytes) / 1e6)) MB of RSS) "
            + "from nginx on 127.0.0.1\n\n"
        t += "| Program | First fetch, fresh store (s) | Next fetch, nothing changed (s) | nginx's answers to the next "
            + "fetches | Peak RSS first / next (MB) | CPU first / next (s) | Sent by nginx, first (MB) "
            + "| nginx CPU, first (ms) | Items stored |\n|---|---|---|---|---|---|---|---|---|\n"
        if !r.gazette.first.isEmpty { t += row("Gazette (`gazette fetch`, then `--force`)", r.gazette) }
        for (threads, f) in r.newsboat { t += row("newsboat 2.21, reload-threads \(threads)", f) }
        t += "| Target (issue 12) | ≤ 0.5 | ≤ 0.1, every feed 304 | | ≤ 60 | | | | |\n"
        let gazetteFirst = fig(r.gazette.first.map(\.ms))?.median, gazetteSecond = fig(r.gazette.second.map(\.ms))?.median
        for (threads, f) in r.newsboat {
            if let g1 = gazetteFirst, let g2 = gazetteSecond, let n1 = fig(f.first.map(\.ms))?.median,
               let n2 = fig(f.second.map(\.ms))?.median, g1 > 0, g2 > 0 {
                t += "\nnewsboat (reload-threads \(threads)) ÷ Gazette, medians: first fetch \(format(n1 / g1))×, "
                    + "next fetch \(format(n2 / g2))×."
            }
        }
        t += "\n\n#### Start-up: \(FetchBench.feedCount) subscriptions, \(r.storeItems.map { $0.formatted() } ?? "?") stored items\n\n"
        t += "| Figure | Value | Target |\n|---|---|---|\n"
        if let build = r.storeBuild {
            t += "| The store built by one `gazette fetch` of \(FetchBench.feedCount) feeds × "
                + "\(FetchBench.smallItemsPerFeed.formatted()) items (\(format(Double(r.smallFeedBytes) / 1e6)) MB) "
                + "| \(format(build.ms / 1000)) s\(build.status == 0 ? "" : " (exit \(build.status))"), peak "
                + "\(build.peakKB.map { format($0 / 1024) } ?? "–") MB; store \(format(Double(r.storeBytes) / 1e6)) MB | |\n"
        }
        t += "| First frame, in process (main → flushed, `GAZETTE_TRACE`) | \(cell(fig(r.launch.inProcess))) ms | ≤ 50 ms |\n"
        t += "| First frame, start → flushed (monotonic clock) | \(cell(fig(r.launch.startToFlush))) ms | |\n"
        t += "| First complete frame, tmux (start → screen polled) | \(cell(fig(r.launch.visible))) ms | |\n"
        t += "| Peak RSS: started, every item loaded\(r.postsShown.map { " (\($0.formatted()) posts listed)" } ?? ""), quit "
            + "| \(r.launchPeakKB.map { format($0 / 1024) + " MB" } ?? "–") | |\n"
        t += "\n#### Keys while `R` fetches (\(FetchBench.feedCount) subscriptions, \((FetchBench.feedCount * FetchBench.itemsPerFeed).formatted()) "
            + "stored items, \(r.downs) Down)\n\n"
        t += "| Session | Down, tmux (send-keys → list changed) | Down, in process (key read → flushed) "
            + "| Peak RSS (MB) |\n|---|---|---|---|\n"
        for session in r.keysDuringFetch {
            let note = session.started
                ? "\(session.fetched) feeds completed meanwhile\(session.throughout ? ", still fetching after the last key" : "")"
                : "no fetch seen"
            t += "| Gazette, during `R`, \(session.label) (\(note)) "
                + "| \(cell(fig(session.keys.visible["down"]))) | \(cell(fig(session.keys.inProcess["down"]))) "
                + "| \(session.keys.peakKB.map { format($0 / 1024) } ?? "–") |\n"
        }
        t += "| Gazette, same store, no fetch | \(cell(fig(r.keysIdle.visible["down"]))) "
            + "| \(cell(fig(r.keysIdle.inProcess["down"]))) | \(r.keysIdle.peakKB.map { format($0 / 1024) } ?? "–") |\n"
        t += "| less, `j` | \(cell(fig(r.lessKeys.visible["down"]))) | | "
            + "\(r.lessKeys.peakKB.map { format($0 / 1024) } ?? "–") |\n"
        if let l = fig(r.lessKeys.visible["down"])?.median {
            t += "\nDown − less `j`, medians (target: within 1 ms while a fetch runs): "
            t += r.keysDuringFetch.compactMap { session -> String? in
                guard let g = fig(session.keys.visible["down"])?.median else { return nil }
                return "during `R` \(session.label) \(g - l >= 0 ? "+" : "")\(format(g - l)) ms"
            }.joined(separator: "; ")
            if let g = fig(r.keysIdle.visible["down"])?.median {
                t += "; no fetch \(g - l >= 0 ? "+" : "")\(format(g - l)) ms"
            }
            t += ".\n"
        }
        if !r.notes.isEmpty { t += "\n" + r.notes.map { "- \($0)\n" }.joined() }
        return t + "\n" + machine()
    }
}
