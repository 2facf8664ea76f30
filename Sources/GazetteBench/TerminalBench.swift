import Foundation
import Glibc

/// The measurements in a real terminal: programs started in a private tmux (120x40), screens polled through a
/// control-mode client. The same code drives Gazette, `less` (the floor a terminal program can reach) and
/// newsboat (the most used terminal feed reader), so every figure is comparable with the others of the run.
struct TerminalBench {
    let tmux: Tmux
    let gazette: String
    /// Per size: where Gazette keeps its state for the run (a warm store: marks, seen posts, settings).
    let workDirectory: String

    // MARK: Programs

    struct Launch {
        /// Start to the first complete screen, polled in tmux.
        var visible: [Double] = []
        /// Gazette only, from its trace: main() to the first frame flushed, and start (the new-window command) to it.
        var inProcess: [Double] = []
        var startToFlush: [Double] = []
    }

    struct Keys {
        /// send-keys to a visible change, per kind of key.
        var visible: [String: [Double]] = [:]
        /// Gazette only, from its trace: key read to frame flushed, per kind of key.
        var inProcess: [String: [Double]] = [:]
        /// Peak resident memory of the session (kB), from /usr/bin/time.
        var peakKB: Double?
        /// Gazette only, Down keys: send-keys to the key read, the frame flushed to the change seen in tmux (ms).
        var delivery: [Double] = []
        var display: [Double] = []
    }

    /// The environment of every Gazette run: its own state directory.
    private func gazetteEnvironment(_ size: Int, trace: String? = nil) -> [String: String] {
        var env = ["XDG_DATA_HOME": "\(workDirectory)/state-\(size)", "XDG_CONFIG_HOME": "\(workDirectory)/config"]
        if let trace { env["GAZETTE_TRACE"] = trace }
        return env
    }

    /// Gazette's first screen: the status bar (drawn last) and the first post's title.
    private static func gazetteReady(_ probe: String) -> (String) -> Bool {
        { screen in screen.contains(probe) && screen.contains("? help") }
    }

    /// Gazette's status bar once indexing is over.
    private static func gazetteIndexed(_ screen: String) -> Bool {
        screen.contains("? help") && !screen.contains("indexing")
    }

    /// Runs Gazette once to the end of indexing and quits, so that its store is warm (seen posts recorded).
    func warmGazette(archive: String, size: Int, probe: String) throws {
        let window = try tmux.open("\(gazette) \(archive)", environment: gazetteEnvironment(size))
        _ = try tmux.wait(window, since: monotonic(), timeout: 60, plain: true, until: Self.gazetteIndexed)
        try tmux.send(window, "q")
        try tmux.waitForExit(window)
    }

    func launchGazette(archive: String, size: Int, probe: String, runs: Int) throws -> Launch {
        var result = Launch()
        for run in 0..<runs {
            let trace = "\(workDirectory)/launch-\(size)-\(run).trace"
            unlink(trace)
            let start = monotonic()
            let window = try tmux.open("\(gazette) \(archive)", environment: gazetteEnvironment(size, trace: trace))
            let visible = try tmux.wait(window, since: start, timeout: 20, plain: true, until: Self.gazetteReady(probe))
            try tmux.send(window, "q")
            try tmux.waitForExit(window)
            if let visible { result.visible.append(visible) }
            for line in Self.lines(trace) where line.first == "first-frame" && line.count >= 3 {
                if let ms = Double(line[1]) { result.inProcess.append(ms) }
                if let at = Double(line[2]) { result.startToFlush.append(at / 1e6 - start * 1000) }
            }
        }
        return result
    }

    func launchLess(archive: String, runs: Int) throws -> Launch {
        var result = Launch()
        for _ in 0..<runs {
            let start = monotonic()
            let window = try tmux.open("less \(archive)")
            let visible = try tmux.wait(window, since: start, timeout: 20, plain: true) { screen in
                screen.hasPrefix("Author Archives for") && screen.contains(".txt")
            }
            try tmux.send(window, "q")
            try tmux.waitForExit(window)
            if let visible { result.visible.append(visible) }
        }
        return result
    }

    /// newsboat on the same posts as a local RSS feed: from launch to its article list (the feed list comes first;
    /// Enter is sent as soon as it shows). The cache is filled once beforehand (`newsboat -x reload`).
    func launchNewsboat(feed: String, size: Int, probe: String, runs: Int) throws -> Launch {
        var result = Launch()
        let (urls, cache, config) = try newsboatFiles(feed: feed, size: size)
        for _ in 0..<runs {
            let start = monotonic()
            let window = try tmux.open("newsboat -u \(urls) -c \(cache) -C \(config)")
            guard try tmux.wait(window, since: start, timeout: 120, plain: true, until: { $0.contains("Your feeds") })
                    != nil else {
                tmux.kill(window)
                continue
            }
            try tmux.send(window, "Enter")
            let visible = try tmux.wait(window, since: start, timeout: 120, plain: true, until: Self.newsboatArticles)
            try tmux.send(window, "q")
            try tmux.send(window, "q")
            try tmux.waitForExit(window)
            if let visible { result.visible.append(visible) }
        }
        return result
    }

    /// newsboat's article list, with its first row drawn (newsboat sorts by date: which post comes first varies).
    private static func newsboatArticles(_ screen: String) -> Bool {
        screen.contains("Articles in feed") && screen.contains("\n   1 ")
    }

    private func newsboatFiles(feed: String, size: Int) throws -> (String, String, String) {
        let urls = "\(workDirectory)/newsboat-urls-\(size)"
        let config = "\(workDirectory)/newsboat-config"
        let cache = "\(workDirectory)/../newsboat-cache-\(size).db"
        try "file://\(feed)\n".write(toFile: urls, atomically: true, encoding: .utf8)
        try "refresh-on-startup no\nshow-read-feeds yes\nconfirm-exit no\n".write(toFile: config, atomically: true,
                                                                                     encoding: .utf8)
        if access(cache, F_OK) != 0 {
            // Into a temporary file first: an interrupted import must not leave a cache that looks complete.
            say("  newsboat: importing \(size) posts into its cache (once)")
            let partial = cache + ".importing"
            unlink(partial)
            let status = Spawn.run(["newsboat", "-u", urls, "-c", partial, "-C", config, "-x", "reload"]).status
            guard status == 0, rename(partial, cache) == 0 else {
                throw BenchError("newsboat could not import \(feed) (status \(status))")
            }
        }
        return (urls, cache, config)
    }

    // MARK: Keys

    /// `GAZETTE_BENCH_VERBOSE=1`: every key and its latency.
    static let verbose = getenv("GAZETTE_BENCH_VERBOSE") != nil

    /// When each key of the current session was sent (monotonic seconds), to line up with the program's trace.
    private final class SendLog {
        var times: [Double] = []
        var visible: [Double?] = []
    }
    private let sent = SendLog()

    /// Sends `key` and waits for the screen to change; returns the milliseconds and the new screen.
    private func press(_ window: String, _ key: String, screen before: String) throws -> (Double?, String) {
        let start = monotonic()
        sent.times.append(start)
        try tmux.send(window, key)
        var after = before
        let ms = try tmux.wait(window, since: start, timeout: 3) { screen in
            after = screen
            return screen != before
        }
        sent.visible.append(ms)
        if Self.verbose { say("    \(key): \(ms.map { format($0) + " ms" } ?? "no change within 3 s")") }
        return (ms, after)
    }

    /// A Gazette session under /usr/bin/time: Down through the list, then page down and up in the reading pane,
    /// then (in process only) the unread filter and next-unread, at the archive's size.
    /// `longPost`: a post (index, after the Downs) long enough to page in; the list is moved there unmeasured.
    func gazetteKeys(archive: String, size: Int, probe: String, downs: Int, pages: Int, longPost: Int) throws -> Keys {
        var result = Keys()
        let trace = "\(workDirectory)/keys-\(size).trace"
        let rss = "\(workDirectory)/keys-\(size).rss"
        unlink(trace)
        unlink(rss)
        let window = try tmux.open("/usr/bin/time -f %M -o \(rss) \(gazette) \(archive)",
                                   environment: gazetteEnvironment(size, trace: trace))
        _ = try tmux.wait(window, since: monotonic(), timeout: 60, plain: true, until: Self.gazetteIndexed)
        var screen = try tmux.capture(window)
        sent.times.removeAll()
        sent.visible.removeAll()
        for _ in 0..<downs {
            let (ms, after) = try press(window, "Down", screen: screen)
            if let ms { result.visible["down", default: []].append(ms) }
            screen = after
        }
        // To the long post (unmeasured: the trace counts these Downs too, they are discarded below).
        for _ in downs..<longPost { (_, screen) = try press(window, "Down", screen: screen) }
        (_, screen) = try press(window, "Enter", screen: screen)
        for i in 0..<pages {
            let (ms, after) = try press(window, i % 2 == 0 ? "PageDown" : "PageUp", screen: screen)
            if let ms { result.visible["page", default: []].append(ms) }
            screen = after
        }
        (_, screen) = try press(window, "Escape", screen: screen)
        for _ in 0..<20 { (_, screen) = try press(window, "f", screen: screen) }
        for _ in 0..<20 { (_, screen) = try press(window, "n", screen: screen) }
        try tmux.send(window, "Q")
        try tmux.waitForExit(window)
        result.peakKB = Self.lines(rss).first.flatMap { $0.first }.flatMap(Double.init)
        // Line the trace up with the keys sent (one frame per key, in order) to split the time seen in tmux:
        // send-keys → key read (tmux and the terminal's input), and frame flushed → change seen (tmux's output).
        let keyLines = Self.lines(trace).filter { $0.first == "key" && $0.count >= 12 }
        if keyLines.count == sent.times.count {
            for (k, line) in keyLines.prefix(downs).enumerated() {
                guard let read = Double(line[10]), let flushed = Double(line[11]), let seen = sent.visible[k] else {
                    continue
                }
                result.delivery.append(read / 1e6 - sent.times[k] * 1000)
                result.display.append(sent.times[k] * 1000 + seen - flushed / 1e6)
            }
        }
        var downsSeen = 0
        for line in Self.lines(trace) where line.first == "key" && line.count >= 3 {
            guard let ms = Double(line[2]) else { continue }
            if line[1] == "down" {
                downsSeen += 1
                if downsSeen > downs { continue }
            }
            let kind: String
            switch line[1] {
            case "down": kind = "down"
            case "pageDown", "pageUp": kind = "page"
            case "enter": kind = "enter (marks read)"
            case "character(\"f\")": kind = "f (unread filter)"
            case "character(\"n\")": kind = "n (next unread)"
            default: continue
            }
            result.inProcess[kind, default: []].append(ms)
        }
        return result
    }

    /// `less` under /usr/bin/time: `j` (a line down) and space (a page down), as many as Gazette gets.
    func lessKeys(archive: String, size: Int, downs: Int, pages: Int) throws -> Keys {
        var result = Keys()
        let rss = "\(workDirectory)/less-\(size).rss"
        unlink(rss)
        let window = try tmux.open("/usr/bin/time -f %M -o \(rss) less \(archive)")
        _ = try tmux.wait(window, since: monotonic(), timeout: 20, plain: true) { $0.hasPrefix("Author Archives") }
        var screen = try tmux.capture(window)
        for _ in 0..<downs {
            let (ms, after) = try press(window, "j", screen: screen)
            if let ms { result.visible["down", default: []].append(ms) }
            screen = after
        }
        for _ in 0..<pages {
            let (ms, after) = try press(window, "Space", screen: screen)
            if let ms { result.visible["page", default: []].append(ms) }
            screen = after
        }
        try tmux.send(window, "q")
        try tmux.waitForExit(window)
        result.peakKB = Self.lines(rss).first.flatMap { $0.first }.flatMap(Double.init)
        return result
    }

    /// newsboat under /usr/bin/time: Down in the article list.
    func newsboatKeys(feed: String, size: Int, probe: String, downs: Int) throws -> Keys {
        var result = Keys()
        let (urls, cache, config) = try newsboatFiles(feed: feed, size: size)
        let rss = "\(workDirectory)/newsboat-\(size).rss"
        unlink(rss)
        let window = try tmux.open("/usr/bin/time -f %M -o \(rss) newsboat -u \(urls) -c \(cache) -C \(config)")
        _ = try tmux.wait(window, since: monotonic(), timeout: 120, plain: true) { $0.contains("Your feeds") }
        try tmux.send(window, "Enter")
        _ = try tmux.wait(window, since: monotonic(), timeout: 120, plain: true, until: Self.newsboatArticles)
        var screen = try tmux.capture(window)
        for _ in 0..<downs {
            let (ms, after) = try press(window, "Down", screen: screen)
            if let ms { result.visible["down", default: []].append(ms) }
            screen = after
        }
        try tmux.send(window, "q")
        try tmux.send(window, "q")
        try tmux.waitForExit(window)
        result.peakKB = Self.lines(rss).first.flatMap { $0.first }.flatMap(Double.init)
        return result
    }

    /// The whitespace-separated fields of each line of a file (none when it is missing).
    static func lines(_ path: String) -> [[String]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }
}
