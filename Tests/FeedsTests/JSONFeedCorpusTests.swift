import Foundation
import XCTest
@testable import Feeds

/// The JSON seeds of the feed fuzz corpus (`Tests/FuzzCorpus/feed/json-*`), and inputs mutated from them with a fixed
/// seed: reading never crashes, gives the same result whatever the chunk size, and keeps items in file order.
final class JSONFeedCorpusTests: XCTestCase {
    static let mutations = 600

    func testSeedsAndMutations() throws {
        let seeds = try Self.seeds()
        XCTAssertGreaterThanOrEqual(seeds.count, 3)
        for (name, bytes) in seeds { check(bytes, name) }
        var state: UInt64 = 0x4A53_4F4E_4665_6564
        func next() -> Int {
            // A 64-bit linear congruential generator (Knuth's MMIX constants): fixed, so failures reproduce.
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let tokens: [[UInt8]] = ["\"", "\\", "\\u", "\\ud800", "{", "}", "[", "]", ",", ":", "1e999", "null",
                                 "\"items\":[{}]", "\u{FEFF}", "\u{202E}", "\n"].map { Array($0.utf8) } + [[0xFF], [0xC3]]
        for round in 0..<Self.mutations {
            var bytes = seeds[next() % seeds.count].1
            for _ in 0..<(1 + next() % 4) {
                let at = bytes.isEmpty ? 0 : next() % (bytes.count + 1)
                switch next() % 3 {
                case 0: bytes.insert(contentsOf: tokens[next() % tokens.count], at: at)
                case 1 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + 1 + next() % 8))
                default: if at < bytes.count { bytes[at] ^= UInt8(1 << (next() % 8)) }
                }
            }
            check(bytes, "mutation \(round) (base64 \(Data(bytes).base64EncodedString().prefix(300)))")
        }
    }

    private func check(_ bytes: [UInt8], _ name: String) {
        let whole = Self.outcome(bytes, chunkSize: JSONFeedReader.defaultChunkSize)
        let pieces = Self.outcome(bytes, chunkSize: 7)
        XCTAssertEqual(whole, pieces, name)
        if case .feed(let feed) = whole {
            let lines = feed.items.map(\.line)
            XCTAssertEqual(lines, lines.sorted(), name)
        }
    }

    private enum Outcome: Equatable {
        case feed(JSONFeedResultValue)
        case error(String)
    }

    /// `JSONFeedResult` as a value that can be compared.
    private struct JSONFeedResultValue: Equatable {
        var info: FeedInfo
        var items: [FeedItem]
        var diagnostics: [FeedDiagnostic]
    }

    private static func outcome(_ bytes: [UInt8], chunkSize: Int) -> Outcome {
        do {
            let feed = try JSONFeedSupport.read(bytes, chunkSize: chunkSize, maxBytes: 1000)
            return .feed(JSONFeedResultValue(info: feed.info, items: feed.items, diagnostics: feed.diagnostics))
        } catch {
            return .error("\(error)")
        }
    }

    private static func seeds() throws -> [(String, [UInt8])] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzzCorpus/feed").path
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("json-") }.sorted()
        return try names.map { ($0, [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)))) }
    }
}
