import Foundation
import Glibc

/// The tables of one run, in Markdown: Gazette against the targets of issue 5, then Gazette beside `less` and
/// newsboat with the ratios, then the machine.
struct Report {
    var results: [Suite.SizeResult]
    var store: Figure?
    var newsboat: Bool
    var quick: Bool
    var seconds: Double
    var launches: Int
    var downs: Int
    var pages: Int

    func markdown() -> String {
        var out = "### Results (\(Suite.timestamp()) UTC\(quick ? ", quick run" : ""))\n\n"
        out += "Each cell: min / **median** / max over the runs, in milliseconds unless stated; sizes are posts.\n\n"
        out += gazetteTable() + "\n" + comparisonTable() + "\n" + ratios() + "\n" + feedTable() + "\n" + machine()
        return out
    }

    func cell(_ f: Figure?, scale: Double = 1) -> String {
        guard let f else { return "–" }
        return "\(format(f.min * scale)) / **\(format(f.median * scale))** / \(format(f.max * scale))"
    }

    func fig(_ samples: [Double]?) -> Figure? { samples.flatMap { Figure($0) } }

    private func row(_ name: String, target: String, _ value: (Suite.SizeResult) -> String) -> String {
        "| \(name) | " + results.map(value).joined(separator: " | ") + " | \(target) |\n"
    }

    private func gazetteTable() -> String {
        var t = "#### Gazette\n\n| Figure | " + results.map { "\($0.size.formatted())" }.joined(separator: " | ")
            + " | Target (median) |\n|---|" + results.map { _ in "---|" }.joined() + "---|\n"
        t += row("Archive size (MB)", target: "") { r in format(Double(r.bytes) / 1e6) }
        t += row("Parse throughput, in process (MB/s, `Archive.open`: 2 threads)", target: "≥ 1,000 MB/s") {
            cell($0.parse?.megabytesPerSecond)
        }
        t += row("Parse throughput, one thread (MB/s)", target: "") { cell($0.parse?.singleThread) }
        t += row("Parse, in process (posts/s, thousands)", target: "") { cell($0.parse?.postsPerSecond, scale: 1e-3) }
        t += row("First complete frame, tmux (start → screen polled)", target: "20 / 50 / 150 ms") {
            cell(fig($0.gazetteLaunch.visible))
        }
        t += row("First frame, in process (main → flushed)", target: "") { cell(fig($0.gazetteLaunch.inProcess)) }
        t += row("First frame, start → flushed (monotonic clock)", target: "") {
            cell(fig($0.gazetteLaunch.startToFlush))
        }
        t += row("Down in the list, in process (key read → frame flushed)", target: "< 1 ms") {
            cell(fig($0.gazetteKeys.inProcess["down"]))
        }
        t += row("Page down/up in the reading pane, in process", target: "< 1 ms") {
            cell(fig($0.gazetteKeys.inProcess["page"]))
        }
        t += row("`f` unread filter, in process", target: "< 1 ms") {
            cell(fig($0.gazetteKeys.inProcess["f (unread filter)"]))
        }
        t += row("`n` next unread, in process", target: "< 1 ms") {
            cell(fig($0.gazetteKeys.inProcess["n (next unread)"]))
        }
        t += row("Down, tmux (send-keys → visible change)", target: "within 1 ms of less") {
            cell(fig($0.gazetteKeys.visible["down"]))
        }
        t += row("… of which send-keys → key read (tmux, pty, ncurses input)", target: "") {
            cell(fig($0.gazetteKeys.delivery))
        }
        t += row("… of which frame flushed → change seen (tmux reads the frame; polling)", target: "") {
            cell(fig($0.gazetteKeys.display))
        }
        t += row("Page down/up, tmux", target: "within 1 ms of less") { cell(fig($0.gazetteKeys.visible["page"])) }
        t += row("Render only, no terminal: Down (reducer + frame)", target: "") { cell($0.render?.down) }
        t += row("Enter (opens and marks read, durably), in process", target: "") {
            cell(fig($0.gazetteKeys.inProcess["enter (marks read)"]))
        }
        t += row("Peak resident memory (MB, /usr/bin/time)", target: "15 / 25 / 80 MB") { r in
            r.gazetteKeys.peakKB.map { format($0 / 1024) } ?? "–"
        }
        t += "\nThe two “of which” rows line Gazette's trace up with the keys sent: what is left of a Down seen in "
            + "tmux besides the key's own work. tmux reads a frame in pieces, so a key can see the end of the previous "
            + "frame before its own is flushed: hence minima below zero.\n"
        t += "\nMarking a post read, durably (`setRead` on the SQLite store, WAL, synchronous=FULL, fsync per "
            + "commit), in process: \(cell(store)) ms (target: median < 5 ms).\n"
        return t
    }

    private func comparisonTable() -> String {
        var t = "#### Side by side (same posts, same tmux, same run)\n\n"
        t += "| Program | Posts | Launch → first screen (tmux) | Down (tmux) | Page (tmux) | Peak RSS (MB) |\n"
        t += "|---|---|---|---|---|---|\n"
        for r in results {
            let n = r.size.formatted()
            t += "| Gazette | \(n) | \(cell(fig(r.gazetteLaunch.visible))) | \(cell(fig(r.gazetteKeys.visible["down"]))) "
                + "| \(cell(fig(r.gazetteKeys.visible["page"]))) | \(r.gazetteKeys.peakKB.map { format($0 / 1024) } ?? "–") |\n"
            t += "| less | \(n) | \(cell(fig(r.lessLaunch.visible))) | \(cell(fig(r.lessKeys.visible["down"]))) "
                + "| \(cell(fig(r.lessKeys.visible["page"]))) | \(r.lessKeys.peakKB.map { format($0 / 1024) } ?? "–") |\n"
            if let launch = r.newsboatLaunch, let keys = r.newsboatKeys {
                t += "| newsboat (article list) | \(n) | \(cell(fig(launch.visible))) | \(cell(fig(keys.visible["down"]))) "
                    + "| – | \(keys.peakKB.map { format($0 / 1024) } ?? "–") |\n"
            }
        }
        if !newsboat { t += "\nnewsboat is not installed on this machine: no newsboat figures in this run.\n" }
        t += "\n`less` draws its first screen of the same text file and scrolls a line (`j`) and a page (space); "
            + "newsboat reads the same posts as a local RSS feed (`file://`), launch measured to its article list "
            + "(Enter sent when the feed list shows), Down in the article list.\n"
        return t
    }

    private func ratios() -> String {
        func med(_ s: [Double]?) -> Double? { fig(s)?.median }
        func ratio(_ a: Double?, _ b: Double?) -> String {
            guard let a, let b, a > 0 else { return "–" }
            return "\(format(b / a))×"
        }
        var t = "#### Ratios (medians)\n\n| Posts | newsboat launch ÷ Gazette | newsboat Down ÷ Gazette | "
            + "newsboat RSS ÷ Gazette | Gazette launch − less (ms) | Gazette Down − less (ms) | Gazette page − less (ms) |\n"
            + "|---|---|---|---|---|---|---|\n"
        for r in results {
            let gl = med(r.gazetteLaunch.visible), ll = med(r.lessLaunch.visible)
            let gd = med(r.gazetteKeys.visible["down"]), ld = med(r.lessKeys.visible["down"])
            let gp = med(r.gazetteKeys.visible["page"]), lp = med(r.lessKeys.visible["page"])
            let diff = { (a: Double?, b: Double?) -> String in
                guard let a, let b else { return "–" }
                return (a - b >= 0 ? "+" : "") + format(a - b)
            }
            t += "| \(r.size.formatted()) | \(ratio(gl, med(r.newsboatLaunch?.visible))) "
                + "| \(ratio(gd, med(r.newsboatKeys?.visible["down"]))) "
                + "| \(ratio(r.gazetteKeys.peakKB, r.newsboatKeys?.peakKB)) | \(diff(gl, ll)) | \(diff(gd, ld)) "
                + "| \(diff(gp, lp)) |\n"
        }
        return t
    }

    /// Feed files: the same posts as RSS, Atom and JSON Feed, beside the text archive, `less` and newsboat.
    private func feedTable() -> String {
        guard results.contains(where: { !$0.feeds.isEmpty }) else { return "" }
        func med(_ s: [Double]?) -> Double? { fig(s)?.median }
        var t = "#### Feed files (issue 11)\n\n"
        t += "| Posts | Format | Size (MB) | Read in process (MB/s) | Read, whole file (ms) | First frame, tmux "
            + "| Down, tmux | Down − less j (ms) | Page − less (ms) | Peak RSS (MB) |\n"
        t += "|---|---|---|---|---|---|---|---|---|---|\n"
        for r in results {
            for f in r.feeds {
                let down = med(f.keys.visible["down"]), less = med(r.lessKeys.visible["down"])
                let page = med(f.keys.visible["page"]), lessPage = med(r.lessKeys.visible["page"])
                let diff = { (a: Double?, b: Double?) -> String in
                    guard let a, let b else { return "–" }
                    return (a - b >= 0 ? "+" : "") + format(a - b)
                }
                t += "| \(r.size.formatted()) | \(f.format.rawValue) | \(format(Double(f.bytes) / 1e6)) "
                    + "| \(cell(f.megabytesPerSecond)) | \(cell(f.milliseconds)) | \(cell(fig(f.launch.visible))) "
                    + "| \(cell(fig(f.keys.visible["down"]))) | \(diff(down, less)) | \(diff(page, lessPage)) "
                    + "| \(f.keys.peakKB.map { format($0 / 1024) } ?? "–") |\n"
            }
        }
        t += "\nTargets (issue 11): read ≥ 150 MB/s; first frame within 30 / 40 / 60 ms; keys within 1 ms of less; peak "
            + "memory within 20 / 30 / 100 MB (1,000 / 10,000 / 100,000 items).\n"
        // newsboat 2.21 on the same files, as issue 11 measured it: reload 0.29 / 2.1 / 25 s, article list
        // 70 / 440 / 3,600 ms.
        let reload: [Int: Double] = [1_000: 290, 10_000: 2_100, 100_000: 25_000]
        let list: [Int: Double] = [1_000: 70, 10_000: 440, 100_000: 3_600]
        t += "\n| Posts | Format | newsboat reload ÷ Gazette read | newsboat article list ÷ Gazette first frame "
            + "| newsboat article list (this run) ÷ Gazette |\n|---|---|---|---|---|\n"
        for r in results {
            for f in r.feeds {
                let read = f.milliseconds?.median, first = med(f.launch.visible)
                let ratio = { (a: Double?, b: Double?) -> String in
                    guard let a, let b, b > 0 else { return "–" }
                    return "\(format(a / b))×"
                }
                t += "| \(r.size.formatted()) | \(f.format.rawValue) | \(ratio(reload[r.size], read)) "
                    + "| \(ratio(list[r.size], first)) | \(ratio(med(r.newsboatLaunch?.visible), first)) |\n"
            }
        }
        t += "\nnewsboat's reload and article-list times are issue 11's measurements of newsboat 2.21 on the same "
            + "files; the last column is newsboat measured in this run (its article list from the RSS file), when "
            + "installed.\n"
        return t
    }

    func machine() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            ?? "unknown"
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: name.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let swift = Spawn.run(["swift", "--version"]).output.split(separator: "\n").first.map(String.init) ?? "?"
        let tmux = Spawn.run(["tmux", "-V"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let less = Spawn.run(["less", "--version"]).output.split(separator: "\n").first.map(String.init) ?? "?"
        let nb = newsboat ? (Spawn.run(["newsboat", "--version"]).output.split(separator: "\n").first
            .map { String($0.prefix(16)) } ?? "?") : "not installed"
        return """
            #### Machine

            \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs (nproc), \(cpu), Linux \(kernel); \(swift); \(tmux); \
            \(less); \(nb). Run: \(launches) launches per program and size, \(downs) Down and \(pages) page keys \
            per session; \(Int(seconds)) s in all.

            """
    }

    /// Replaces the text between `begin` and `end` (`<!-- bench:begin -->` and `<!-- bench:end -->`: the main
    /// tables; the subscriptions table has its own markers) or appends the block.
    func updateBenchmarksFile(_ path: String, table: String, begin: String = "<!-- bench:begin -->",
                              end: String = "<!-- bench:end -->") {
        let block = begin + "\n" + table + end
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Benchmarks\n\n"
        if let b = text.range(of: begin), let e = text.range(of: end), b.upperBound <= e.lowerBound {
            text.replaceSubrange(b.lowerBound..<e.upperBound, with: block)
        } else {
            text += "\n" + block + "\n"
        }
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
