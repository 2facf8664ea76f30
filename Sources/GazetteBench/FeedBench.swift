import Catalog
import Glibc
import Posts

/// Feed files (issue 11): the same posts as RSS 2.0, Atom 1.0 and JSON Feed, read through the Catalog as the
/// reader reads them (items parsed, kept in the item store, turned into posts), in process; and the reader on
/// them in tmux (first frame, keys, peak memory), measured as for text archives.
enum FeedBench {
    /// One feed file's figures.
    struct Result {
        var format: BenchData.Format
        var bytes = 0
        var items = 0
        /// Full read in process (MB/s) and its time (ms).
        var megabytesPerSecond: Figure?
        var milliseconds: Figure?
        var launch = TerminalBench.Launch()
        var keys = TerminalBench.Keys()
    }

    /// Reads the whole feed `runs` times through `Library.load` (after a warm-up read).
    static func parse(path: String, runs: Int) throws -> (bytes: Int, items: Int, seconds: [Double]) {
        var st = stat()
        guard stat(path, &st) == 0 else { throw BenchError("cannot stat \(path)") }
        var items = try Library.load(paths: [path]).posts.count
        var seconds: [Double] = []
        for _ in 0..<runs {
            let start = monotonic()
            items = try Library.load(paths: [path]).posts.count
            seconds.append(monotonic() - start)
        }
        return (Int(st.st_size), items, seconds)
    }

    /// Everything for one feed file; `series` runs a body with a fresh tmux server.
    static func measure(format: BenchData.Format, path: String, size: Int, probe: String, launches: Int, downs: Int,
                        pages: Int, longPost: Int, series: ((TerminalBench) throws -> Void) throws -> Void) -> Result {
        var r = Result(format: format)
        do {
            let parsed = try parse(path: path, runs: size >= 100_000 ? 2 : (size >= 10_000 ? 5 : 15))
            r.bytes = parsed.bytes
            r.items = parsed.items
            r.megabytesPerSecond = Figure(parsed.seconds.map { Double(parsed.bytes) / 1e6 / $0 })
            r.milliseconds = Figure(parsed.seconds.map { $0 * 1000 })
            say("  \(format.rawValue): read \(r.megabytesPerSecond.map { "\($0)" } ?? "-") MB/s (\(r.items) items)")
        } catch {
            say("  \(format.rawValue): read failed: \(error)")
            return r
        }
        do {
            try series { try $0.warmGazette(archive: path, size: size, probe: probe) }
            try series { r.launch = try $0.launchGazette(archive: path, size: size, probe: probe, runs: launches) }
            try series {
                r.keys = try $0.gazetteKeys(archive: path, size: size, probe: probe, downs: downs, pages: pages,
                                            longPost: longPost)
            }
            say("  \(format.rawValue): first frame (tmux) \(Figure(r.launch.visible).map(\.description) ?? "-") ms, "
                + "Down (tmux) \(Figure(r.keys.visible["down"] ?? []).map(\.description) ?? "-") ms, "
                + "peak \(r.keys.peakKB.map { GazetteBench.format($0 / 1024) } ?? "-") MB")
        } catch {
            say("  \(format.rawValue): terminal measurements failed: \(error)")
        }
        return r
    }
}
