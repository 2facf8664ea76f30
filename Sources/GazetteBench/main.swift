import Foundation
import Glibc
import Posts

/// `gazette-bench`: the benchmark suite behind `make bench` (see BENCHMARKS.md).
///
///     gazette-bench generate --posts N [--seed S] [--rss|--atom|--json] OUT   a synthetic archive (or feed)
///     gazette-bench parse FILE... [--runs N]                      in-process parse throughput
///     gazette-bench feed-parse FILE... [--runs N]                 a feed read through the Catalog (MB/s)
///     gazette-bench store [--runs N]                              durable setRead latency
///     gazette-bench order-file --gazette BIN [--archive A] OUT      the link order file (`make order-file`)
///     gazette-bench fetch --gazette BIN [--quick] [--root DIR]        subscriptions over HTTP beside newsboat (issue 12)
///     gazette-bench search [--sizes 1000,10000,100000] [--runs N] [--root DIR] [--dry]
///                                                                 full-text search beside grep (issue 14)
///     gazette-bench sync --gazette BIN [--quick] [--root DIR]         sync with Tiny Tiny RSS beside newsboat (issue 15)
///     gazette-bench all --gazette BIN [--quick] [--root DIR] [--sizes 1000,10000] [--no-feeds] [--no-fetch]
///                       [--no-search] [--no-sync]
///                                                                 everything (`make bench`)
struct Arguments {
    var words: [String]

    mutating func option(_ name: String) -> String? {
        guard let i = words.firstIndex(of: name), i + 1 < words.count else { return nil }
        let value = words[i + 1]
        words.removeSubrange(i...(i + 1))
        return value
    }

    mutating func flag(_ name: String) -> Bool {
        guard let i = words.firstIndex(of: name) else { return false }
        words.remove(at: i)
        return true
    }
}

/// Prints a line now (stdout may be a pipe to make).
func say(_ text: String) {
    print(text)
    fflush(nil)
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("gazette-bench: \(message)\n".utf8))
    exit(64)
}

func main() {
    signal(SIGPIPE, SIG_IGN)
    var args = Arguments(words: Array(CommandLine.arguments.dropFirst()))
    let command = args.words.isEmpty ? "all" : args.words.removeFirst()
    switch command {
    case "generate":
        guard let posts = args.option("--posts").flatMap({ Int($0) }) else { fail("generate needs --posts N") }
        guard let seed = UInt64(args.option("--seed") ?? "\(BenchData.seed)") else { fail("bad --seed") }
        let format: BenchData.Format = args.flag("--rss") ? .rss : args.flag("--atom") ? .atom
            : args.flag("--json") ? .json : .archive
        guard let out = args.words.first else { fail("generate needs an output path") }
        do {
            try BenchData.write(posts: posts, seed: seed, format: format, to: out)
        } catch {
            fail("\(error)")
        }
    case "parse":
        let runs = args.option("--runs").flatMap { Int($0) } ?? 7
        for path in args.words {
            let figures = ParseBench.run(path: path, runs: runs)
            say(path + " " + figures.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))
        }
    case "feed-parse":
        // A feed file read through the Catalog, as the reader reads it (MB/s).
        let runs = args.option("--runs").flatMap { Int($0) } ?? 5
        for path in args.words {
            do {
                let r = try FeedBench.parse(path: path, runs: runs)
                say("\(path) items=\(r.items) MB/s=\(Figure(r.seconds.map { Double(r.bytes) / 1e6 / $0 })!)")
            } catch {
                fail("\(error)")
            }
        }
    case "digest":
        // A fingerprint of the index (ids, titles, dates, authors, sources, body ranges), to check that an
        // optimisation of the parser changed nothing.
        for path in args.words {
            do {
                let archive = try Archive.open(path: path)
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                func mix(_ text: String) { for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 } }
                for post in archive.posts {
                    mix("\(post.id)|\(post.title)|\(post.date?.description ?? "")|\(post.author ?? "")|")
                    mix("\(post.source ?? "")|\(post.bodyRange)|\(post.dateText ?? "")\n")
                }
                say("\(path) posts=\(archive.posts.count) digest=\(String(hash, radix: 16))")
            } catch {
                fail("\(error)")
            }
        }
    case "render":
        let keys = args.option("--keys").flatMap { Int($0) } ?? 300
        for path in args.words {
            do {
                let r = try RenderBench.measure(path: path, keys: keys)
                say("\(path) down ms \(r.down)  page ms \(r.pageDown)")
            } catch {
                fail("\(error)")
            }
        }
    case "keys":
        // One Gazette key session in tmux (as `all` runs it), its trace kept in bench-results/keys-<size>.trace.
        guard let size = args.option("--posts").flatMap({ Int($0) }),
              let binary = args.option("--gazette") else { fail("keys needs --posts N --gazette PATH") }
        let root = FileManager.default.currentDirectoryPath
        let archive = BenchData.archivePath(root: root, posts: size)
        let work = root + "/bench-results"
        mkdir(work, 0o755)
        mkdir(work + "/config", 0o755)
        do {
            let tmux = try Tmux()
            defer { tmux.shutdown() }
            let bench = TerminalBench(tmux: tmux, gazette: binary, workDirectory: work)
            let probe = Suite.probe(archive)
            try bench.warmGazette(archive: archive, size: size, probe: probe)
            let keys = try bench.gazetteKeys(archive: archive, size: size, probe: probe, downs: 60, pages: 20,
                                             longPost: Suite.longPost(archive, after: 60))
            for (kind, samples) in keys.inProcess.sorted(by: { $0.key < $1.key }) {
                say("\(kind): \(Figure(samples)?.description ?? "-") ms in process")
            }
            say("down in tmux: \(Figure(keys.visible["down"] ?? [])?.description ?? "-") ms; send-keys → key read "
                + "\(Figure(keys.delivery)?.description ?? "-") ms, flushed → seen \(Figure(keys.display)?.description ?? "-") ms")
        } catch {
            fail("\(error)")
        }
    case "store":
        let runs = args.option("--runs").flatMap { Int($0) } ?? 200
        say("setRead ms (min / median / max): " + StoreBench.run(marks: runs))
    case "order-file":
        guard let binary = args.option("--gazette"), let out = args.words.last else {
            fail("order-file needs --gazette PATH and an output path")
        }
        let root = FileManager.default.currentDirectoryPath
        let given = args.option("--archive")
        let archive = given ?? BenchData.archivePath(root: root, posts: 1000)
        do {
            if given == nil { _ = try BenchData.ensure(root: root, sizes: [1000], rss: false) }
            try OrderFile.write(gazette: binary, archive: archive, to: out)
        } catch {
            fail("\(error)")
        }
    case "fetch":
        // Subscriptions over HTTP alone (issue 12): `FetchBench`, as `all` runs it.
        let quick = args.flag("--quick")
        let root = args.option("--root") ?? FileManager.default.currentDirectoryPath
        guard let binary = args.option("--gazette") else { fail("fetch needs --gazette PATH (the release binary)") }
        FetchBench.runAlone(root: root, gazette: binary, quick: quick)
    case "search":
        // Full-text search alone (issue 14): `SearchBench`, as `all` runs it. `--dry`: an in-memory stand-in for
        // the index, to check the code path; nothing is written.
        let dry = args.flag("--dry")
        let runs = args.option("--runs").flatMap { Int($0) } ?? 21
        let root = args.option("--root") ?? FileManager.default.currentDirectoryPath
        let sizes = args.option("--sizes").map { $0.split(separator: ",").compactMap { Int($0) } } ?? BenchData.sizes
        guard runs > 0, !sizes.isEmpty else { fail("search needs --runs N > 0 and --sizes N,N…") }
        SearchBench.runAlone(root: root, sizes: sizes, runs: runs, dry: dry)
    case "sync":
        // Sync with Tiny Tiny RSS (issue 15): `SyncBench`, beside newsboat's tt-rss mode on the same server.
        let quick = args.flag("--quick")
        let root = args.option("--root") ?? FileManager.default.currentDirectoryPath
        guard let binary = args.option("--gazette") else { fail("sync needs --gazette PATH (the release binary)") }
        SyncBench.runAlone(root: root, gazette: binary, quick: quick)
    case "all":
        let quick = args.flag("--quick")
        let feeds = !args.flag("--no-feeds")
        let fetch = !args.flag("--no-fetch")
        let search = !args.flag("--no-search")
        let sync = !args.flag("--no-sync")
        let root = args.option("--root") ?? FileManager.default.currentDirectoryPath
        let sizes = args.option("--sizes").map { $0.split(separator: ",").compactMap { Int($0) } } ?? BenchData.sizes
        guard let binary = args.option("--gazette") else { fail("all needs --gazette PATH (the release binary)") }
        Suite(root: root, gazette: binary, quick: quick, sizes: sizes, feeds: feeds, fetch: fetch, search: search, sync: sync).run()
    default:
        fail("unknown command '\(command)' (generate, parse, digest, render, keys, store, order-file, fetch, search, sync, all)")
    }
}

main()
