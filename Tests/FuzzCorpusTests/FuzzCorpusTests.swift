import SeededRandom
import Foundation
import FuzzTargets
import XCTest

/// The fuzz targets' invariants under `swift test`: every input of the committed corpus
/// (`Tests/FuzzCorpus/<target>/`: seeds, and every crasher a fuzzing run found, minimised) passes, and so do
/// a few hundred inputs mutated from it with a fixed seed. `make fuzz` runs the same bodies under libFuzzer.
final class FuzzCorpusTests: XCTestCase {
    /// Mutated inputs per target (`GAZETTE_FUZZ_MUTATIONS` overrides it).
    static var mutations: Int {
        ProcessInfo.processInfo.environment["GAZETTE_FUZZ_MUTATIONS"].flatMap(Int.init) ?? 400
    }

    func testArchiveParserCorpus() throws { try replay(ArchiveParserFuzz.self) }
    func testSanitizerCorpus() throws { try replay(SanitizerFuzz.self) }
    func testWrapperCorpus() throws { try replay(WrapperFuzz.self) }
    func testConfigurationCorpus() throws { try replay(ConfigurationParserFuzz.self) }
    func testArticleCorpus() throws { try replay(ArticleFuzz.self) }
    func testFeedCorpus() throws { try replay(FeedFuzz.self) }

    /// The corpus has seeds for every target, so a renamed directory cannot silently test nothing.
    func testEveryTargetHasSeeds() throws {
        for target in FuzzEntry.targets {
            XCTAssertGreaterThanOrEqual(try corpus(of: target).count, 3, target.name)
        }
    }

    private func replay<T: FuzzTarget>(_ target: T.Type) throws {
        let inputs = try corpus(of: target)
        XCTAssertFalse(inputs.isEmpty, "no corpus for \(T.name)")
        for (name, input) in inputs {
            let problems = T.check(input)
            XCTAssertTrue(problems.isEmpty, "\(T.name)/\(name): \(problems.joined(separator: "; "))")
        }
        var generator = SplitMix64(seed: 0x6A7A_6574_7465)
        for round in 0..<Self.mutations {
            let (_, base) = inputs[Int(generator.next() % UInt64(inputs.count))]
            let input = Mutator.mutate(base, using: &generator)
            let problems = T.check(input)
            if !problems.isEmpty {
                XCTFail("\(T.name), mutation \(round) (\(input.count) bytes, base64 \(Data(input).base64EncodedString().prefix(400))): "
                        + problems.joined(separator: "; "))
                return
            }
        }
    }

    /// The files of `Tests/FuzzCorpus/<name>/`, sorted by name.
    private func corpus(of target: any FuzzTarget.Type) throws -> [(String, [UInt8])] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzzCorpus").appendingPathComponent(target.name).path
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
        return try names.map { name in
            (name, [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
        }
    }
}

/// A small, deterministic mutator: splices in the tokens the targets care about (escape sequences, line
/// endings, bullets, `Posted on`, wide and zero-width characters, invalid UTF-8), flips, deletes and duplicates.
enum Mutator {
    static let tokens: [[UInt8]] = [
        "\u{1B}[2J", "\u{1B}]0;title\u{7}", "\u{1B}]52;c;Zm9v\u{1B}\\", "\u{1B}P1$r\u{1B}\\", "\u{1B}_apc", "\u{1B}",
        "\u{9B}31m", "\u{7}", "\u{8}", "\r", "\n", "\r\n", "\t", "\u{C}", "\u{7F}", "\u{0}", "\u{202E}", "\u{2066}",
        "\u{200B}", "\u{200D}", "\u{AD}", "\u{FEFF}", "\u{2028}", "\u{A0}", " ", "  ", "Posted on April 14, 2020 by Ann\n",
        "Posted on\n", "  • ", "  • – ", "- ", "* ", "[Source]\n", "Author Archives for X\n", "日本語", "👨‍👩‍👧",
        "🇰🇷", "e\u{301}", "\u{301}", "\u{1160}", "\u{1F3F4}\u{E0067}\u{E0062}\u{E007F}", "❤️",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x80], [0xF0, 0x9F], [0xC0, 0x80], [0xED, 0xA0, 0x80]]

    static func mutate(_ base: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = base
        for _ in 0..<(1 + Int(generator.next() % 6)) {
            let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count + 1))
            switch generator.next() % 5 {
            case 0, 1:
                bytes.insert(contentsOf: tokens[Int(generator.next() % UInt64(tokens.count))], at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + Int(generator.next() % 16))
                bytes.removeSubrange(min(position, bytes.count - 1)..<end)
            case 3 where position < bytes.count:
                bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (generator.next() % 8))
            default:
                let end = min(bytes.count, position + Int(generator.next() % 64))
                bytes.insert(contentsOf: Array(bytes[position..<end]), at: position)
            }
        }
        return bytes
    }
}

