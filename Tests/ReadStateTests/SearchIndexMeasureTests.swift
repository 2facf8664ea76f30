import Foundation
import Posts
@testable import ReadState
import XCTest

/// Figures for the search index at 100,000 posts of synthetic English-like text (about 3.3 KB each): build
/// throughput, size on disk, query times. Printed, never asserted; skipped unless GAZETTE_SEARCH_MEASURE=1
/// (about a minute and 150 MB of temporary disk). GAZETTE_SEARCH_POSTS changes the count.
final class SearchIndexMeasureTests: XCTestCase {
    func testMeasureBuildSizeAndQueries() throws {
        let environment = ProcessInfo.processInfo.environment
        try XCTSkipUnless(environment["GAZETTE_SEARCH_MEASURE"] == "1", "set GAZETTE_SEARCH_MEASURE=1 to measure")
        try XCTSkipUnless(SearchIndex.isAvailable)
        let posts = Int(environment["GAZETTE_SEARCH_POSTS"] ?? "") ?? 100_000
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file(SearchIndex.fileName)

        var text = SyntheticText(seed: 14)
        let index = try SearchIndex.open(path: path)
        var textBytes = 0
        var building = 0.0
        // Batches as the background indexer should write them: each transaction is at least one FTS5 segment.
        let batch = 2_000
        var next = 0
        while next < posts {
            let count = min(batch, posts - next)
            var documents: [SearchIndex.Document] = []
            documents.reserveCapacity(count)
            for n in 0..<count {
                let document = text.document(id: UInt64(next + n) &* 0x9E37_79B9_7F4A_7C15 | 1)
                textBytes += document.title.utf8.count + document.author.utf8.count + document.body.utf8.count
                documents.append(document)
            }
            next += count
            let start = Date()
            try index.add(documents, source: "synthetic.txt", version: "1", complete: next == posts)
            building += Date().timeIntervalSince(start)
        }
        let built = index.sizeOnDisk()
        let optimizeStart = Date()
        try index.optimize()
        let optimizing = Date().timeIntervalSince(optimizeStart)
        index.syncToDisk()
        let optimized = index.sizeOnDisk()

        func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }
        print("search index: \(posts) posts, \(mb(textBytes)) of text")
        print(String(format: "  build %.1f s: %.1f MB/s", building, Double(textBytes) / 1e6 / building))
        print("  size after build \(mb(Int(built))) (\(String(format: "%.0f", 100 * Double(built) / Double(textBytes)))% of the text)")
        print(String(format: "  optimize %.1f s: size %@ (%.0f%% of the text)", optimizing, mb(Int(optimized)),
                     100 * Double(optimized) / Double(textBytes)))

        let reader = try SearchIndex.open(path: path)
        let words = SyntheticText.vocabulary
        let queries: [(String, String)] = [
            ("rare word", "\"\(words[words.count - 7])\""),
            ("common word (every post)", "\"\(words[0])\""),
            ("two words", "\"\(words[1])\" AND \"\(words[40])\""),
            ("phrase of the two commonest words", "\"\(words[0]) \(words[1])\""),
            ("phrase", "\"\(words[10]) \(words[30])\""),
            ("prefix", "\"\(words[3].prefix(3))\" *"),
            ("title field", "title : \"\(words[2])\""),
        ]
        for (label, expression) in queries {
            var times: [Double] = []
            var found = 0
            for _ in 0..<7 {
                let start = Date()
                found = try reader.postIDs(matching: expression).count
                times.append(Date().timeIntervalSince(start) * 1000)
            }
            times.sort()
            print(String(format: "  %@ %@: %d posts, median %.1f ms (min %.1f)", label, expression, found,
                         times[times.count / 2], times[0]))
        }
    }
}

/// English-like text from a fixed vocabulary with a Zipf-like distribution (rank r about as likely as 1/r), by an
/// LCG: the same seed gives the same text.
struct SyntheticText {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }

    /// 20,000 made-up words of 2 to 4 syllables, most frequent first.
    static let vocabulary: [String] = {
        let syllables = ["ka", "ro", "mi", "ten", "sa", "lo", "ver", "an", "to", "ri", "mon", "del", "pa", "su", "gar",
                         "ne", "ti", "bo", "ler", "on", "ma", "sen", "de", "li", "cor", "ea", "qui", "han", "jo", "ul"]
        var state: UInt64 = 99
        var seen = Set<String>()
        var words: [String] = []
        while words.count < 20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var bits = state >> 20
            let count = 2 + Int(bits % 3)
            bits /= 3
            var word = ""
            for _ in 0..<count {
                word += syllables[Int(bits % UInt64(syllables.count))]
                bits /= UInt64(syllables.count)
            }
            if seen.insert(word).inserted { words.append(word) }
        }
        return words
    }()

    private static let logCount = log(Double(vocabulary.count))

    private mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }

    private mutating func word() -> String {
        let u = Double(next()) / Double(1 << 53)
        let rank = min(Self.vocabulary.count - 1, Int(exp(u * Self.logCount)) - 1)
        return Self.vocabulary[rank]
    }

    private mutating func sentence(_ words: Int) -> String {
        var parts: [String] = []
        for i in 0..<words {
            var w = word()
            if i == 0 { w = w.prefix(1).uppercased() + w.dropFirst() }
            parts.append(w)
        }
        return parts.joined(separator: " ") + "."
    }

    mutating func document(id: UInt64) -> SearchIndex.Document {
        let title = sentence(4 + Int(next() % 8))
        let author = next() % 2 == 0 ? "" : sentence(2)
        var body = ""
        while body.utf8.count < 2_800 + Int(next() % 1_000) {
            body += sentence(6 + Int(next() % 16)) + (next() % 5 == 0 ? "\n\n" : " ")
        }
        return SearchIndex.Document(id: PostID(rawValue: id), title: title, author: author, body: body)
    }
}
