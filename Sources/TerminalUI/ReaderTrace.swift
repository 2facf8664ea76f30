import Controller
import Glibc

/// Work that goes on while the reader runs (indexing the rest of the archives): the run loop takes its results
/// between events, and while it is active waits at most `ReaderLoop.backgroundPoll` for a key.
public protocol BackgroundWork: AnyObject {
    /// Starts the work; the loop calls it once the first frame is on screen, so that the first frame has the
    /// machine to itself.
    func start()
    /// Whether more results may come.
    var isActive: Bool { get }
    /// Actions for the results that came since the previous call (none when nothing came).
    func takeResults() -> [Action]
}

/// Opt-in timings of the run loop, for the benchmarks (`GAZETTE_TRACE=/path`): lines appended to a file,
///
///     first-frame <ms since start> <monotonic ns>      the first frame was flushed to the terminal
///     key <key> <ms> render <ms> draw <ms> handle <ms> at <ns> <ns>
///                                                      from reading a key to flushing the frame that shows it;
///                                                      of which building the frame, drawing it, and (before)
///                                                      the reducer and the effects (store queries, writes);
///                                                      when the key was read and the frame flushed
///     <note> <ms since start>                          anything else (`indexed 100000`)
///
/// Nothing is measured or written when it is off: the loop holds `nil`.
public final class ReaderTrace {
    private let fd: Int32
    private let start: UInt64
    private var firstFrameDone = false
    private var keyRead: (Key, UInt64)?

    /// Appends to the file at `path`; `start` (monotonic nanoseconds, `now()`) is the process's start.
    public init?(path: String, start: UInt64) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.start = start
    }

    deinit { close(fd) }

    /// The trace named by `GAZETTE_TRACE`, or `nil`.
    public static func fromEnvironment(start: UInt64) -> ReaderTrace? {
        guard let path = getenv("GAZETTE_TRACE"), path.pointee != 0 else { return nil }
        return ReaderTrace(path: String(cString: path), start: start)
    }

    /// Monotonic nanoseconds.
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    func received(_ event: TerminalEvent?) {
        if case .key(let key)? = event { keyRead = (key, Self.now()) }
    }

    /// How long the last frame took to render (state to `Frame`) and to draw (to the terminal, flushed).
    private var lastPhases = (render: UInt64(0), draw: UInt64(0))

    func phases(render: UInt64, draw: UInt64) {
        lastPhases = (render, draw)
    }

    /// The key's actions and effects were handled (the frame comes next).
    func handled() {
        if let (_, read) = keyRead, handledAt == nil { handledAt = Self.now() - read }
    }

    private var handledAt: UInt64?

    func frameFlushed() {
        let t = Self.now()
        if !firstFrameDone {
            firstFrameDone = true
            write("first-frame \(milliseconds(t - start)) \(t)")
        }
        if let (key, read) = keyRead {
            keyRead = nil
            let name = String(String(describing: key).map { $0 == " " ? "_" : $0 })
            write("key \(name) \(milliseconds(t - read)) render \(milliseconds(lastPhases.render))"
                  + " draw \(milliseconds(lastPhases.draw)) handle \(milliseconds(handledAt ?? 0)) at \(read) \(t)")
            handledAt = nil
        }
    }

    /// A line `<text> <ms since start>`.
    public func note(_ text: String) {
        write("\(text) \(milliseconds(Self.now() - start))")
    }

    /// `ns` as milliseconds with three decimals (integer arithmetic: no formatting code is brought in, which
    /// would show in the memory the benchmarks measure).
    private func milliseconds(_ ns: UInt64) -> String {
        let us = (ns + 500) / 1000
        let fraction = String(us % 1000)
        return "\(us / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private func write(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
