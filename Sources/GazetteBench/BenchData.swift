import Foundation
import Glibc

/// The generated inputs: archives of 1,000, 10,000 and 100,000 posts (and the same posts as RSS), written once
/// into `bench-data/` and reused while the generator's output for their seed is unchanged.
enum BenchData {
    static let sizes = [1_000, 10_000, 100_000]
    static let seed: UInt64 = 20_200_414

    static func archivePath(root: String, posts: Int) -> String { "\(root)/bench-data/archive-\(posts).txt" }
    static func rssPath(root: String, posts: Int) -> String { "\(root)/bench-data/feed-\(posts).xml" }
    static func atomPath(root: String, posts: Int) -> String { "\(root)/bench-data/feed-\(posts).atom" }
    static func jsonPath(root: String, posts: Int) -> String { "\(root)/bench-data/feed-\(posts).json" }

    /// The formats the generator writes.
    enum Format: String, CaseIterable {
        case archive, rss, atom, json
    }

    static func path(_ format: Format, root: String, posts: Int) -> String {
        switch format {
        case .archive: archivePath(root: root, posts: posts)
        case .rss: rssPath(root: root, posts: posts)
        case .atom: atomPath(root: root, posts: posts)
        case .json: jsonPath(root: root, posts: posts)
        }
    }

    /// Writes the archive (or with `rss`, the feed) of `posts` posts to `path`, through a temporary file.
    static func write(posts: Int, seed: UInt64, rss: Bool, to path: String) throws {
        try write(posts: posts, seed: seed, format: rss ? .rss : .archive, to: path)
    }

    /// Writes the posts in `format` to `path`, through a temporary file.
    static func write(posts: Int, seed: UInt64, format: Format, to path: String) throws {
        let temporary = path + ".tmp"
        guard let file = fopen(temporary, "w") else {
            throw BenchError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        let sink: (String) -> Void = { text in
            var text = text
            text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        }
        switch format {
        case .archive: ArchiveGenerator.archiveText(posts: posts, seed: seed, into: sink)
        case .rss: ArchiveGenerator.rssText(posts: posts, seed: seed, into: sink)
        case .atom: ArchiveGenerator.atomText(posts: posts, seed: seed, into: sink)
        case .json: ArchiveGenerator.jsonText(posts: posts, seed: seed, into: sink)
        }
        guard fclose(file) == 0, rename(temporary, path) == 0 else {
            throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Generates whatever is missing; returns the archive paths by size.
    static func ensure(root: String, sizes: [Int], rss: Bool) throws -> [Int: String] {
        mkdir("\(root)/bench-data", 0o755)
        var paths: [Int: String] = [:]
        for size in sizes {
            let path = archivePath(root: root, posts: size)
            if access(path, F_OK) != 0 {
                print("generating \(path)")
                try write(posts: size, seed: seed, rss: false, to: path)
            }
            paths[size] = path
            // The same posts as feeds: RSS (newsboat reads it too), Atom and JSON Feed.
            for format in [Format.rss, .atom, .json] {
                let feed = self.path(format, root: root, posts: size)
                if access(feed, F_OK) != 0 {
                    print("generating \(feed)")
                    try write(posts: size, seed: seed, format: format, to: feed)
                }
            }
        }
        return paths
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Seconds on the monotonic clock.
func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Minimum, median and maximum of repeated measurements.
struct Figure: CustomStringConvertible {
    var min: Double
    var median: Double
    var max: Double
    var count: Int

    init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        min = sorted[0]
        max = sorted[sorted.count - 1]
        median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                                       : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        count = sorted.count
    }

    var description: String { "\(format(min)) / \(format(median)) / \(format(max))" }
}

/// A number with about three significant digits.
func format(_ value: Double) -> String {
    let magnitude = abs(value)
    let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
    return String(format: "%.\(digits)f", value)
}
