import Glibc
import Posts

/// Parse throughput in process: `Archive.open` (chunked reads and the one-pass scanner; a big file in two halves
/// on two threads) on a file in the page cache, repeated; and the same on one thread.
enum ParseBench {
    struct Result {
        /// One thread, one pass (MB/s).
        var singleThread: Figure
        /// `Archive.open` (two threads for a big file) (MB/s).
        var megabytesPerSecond: Figure
        var postsPerSecond: Figure
        var milliseconds: Figure
        var posts: Int
        var bytes: Int
    }

    static func measure(path: String, runs: Int) throws -> Result {
        var st = stat()
        guard stat(path, &st) == 0 else { throw BenchError("cannot stat \(path)") }
        let bytes = Int(st.st_size)
        _ = try Archive.open(path: path)  // warm the page cache
        var seconds: [Double] = []
        var posts = 0
        for _ in 0..<runs {
            let start = monotonic()
            let archive = try Archive.open(path: path)
            seconds.append(monotonic() - start)
            posts = archive.posts.count
        }
        // The same file in one pass on one thread (`Archive.open` splits a big file in two halves).
        var single: [Double] = []
        for _ in 0..<runs {
            let start = monotonic()
            let indexer = try ArchiveIndexer(path: path)
            while !indexer.isFinished { _ = try indexer.index(maxBytes: .max) }
            single.append(monotonic() - start)
        }
        return Result(singleThread: Figure(single.map { Double(bytes) / 1e6 / $0 })!,
                      megabytesPerSecond: Figure(seconds.map { Double(bytes) / 1e6 / $0 })!,
                      postsPerSecond: Figure(seconds.map { Double(posts) / $0 })!,
                      milliseconds: Figure(seconds.map { $0 * 1000 })!, posts: posts, bytes: bytes)
    }

    static func run(path: String, runs: Int) -> [String: String] {
        do {
            let r = try measure(path: path, runs: runs)
            return ["MB/s": r.megabytesPerSecond.description, "1-thread-MB/s": r.singleThread.description, "posts/s": r.postsPerSecond.description,
                    "ms": r.milliseconds.description, "posts": "\(r.posts)", "bytes": "\(r.bytes)"]
        } catch {
            return ["error": "\(error)"]
        }
    }
}
