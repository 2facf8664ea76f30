import XCTest
import TextCells
@testable import TerminalUI

/// `TextWrapper` takes a fast path on UTF-8 bytes for text whose every scalar is a cluster by itself: it must
/// wrap exactly as the general algorithm (kept here as the reference) does, and `truncate` must cut as before.
final class WrapFastPathTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    /// The general algorithm, by grapheme clusters (what `wrap` did before the fast path).
    private func reference(_ text: String, width: Int, firstWidth: Int? = nil) -> [String] {
        let width = max(1, width)
        var limit = max(1, firstWidth ?? width)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        func flush() {
            lines.append(line)
            line = ""
            lineWidth = 0
            limit = width
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = DisplayWidth.of(word)
            if lineWidth > 0 {
                if lineWidth + 1 + wordWidth <= limit {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                flush()
            }
            if wordWidth <= limit {
                line += word
                lineWidth = wordWidth
                continue
            }
            for cluster in word {
                let w = DisplayWidth.of(cluster)
                if lineWidth + w > limit, lineWidth > 0 { flush() }
                line.append(cluster)
                lineWidth += w
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    func testFastPathWrapsAsTheReference() {
        let words = ["North", "Korea’s", "“zero", "virus”", "claim", "—", "평양", "조선중앙통신", "a", "of",
                     "internationally-recognised", "1,500", "½", "naïve", "Pyongyang’s", "x"]
        var generator = SplitMix(state: 7)
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(generator.next() % 40) {
                text += words[Int(generator.next() % UInt64(words.count))]
                text += generator.next() % 7 == 0 ? "   " : " "
            }
            for width in [1, 3, 9, 20, 41] {
                XCTAssertEqual(TextWrapper.wrap(text, width: width), reference(text, width: width), "\(width): \(text)")
                XCTAssertEqual(TextWrapper.wrap(text, width: width, firstWidth: 5),
                               reference(text, width: width, firstWidth: 5))
            }
        }
        // Text outside the fast path still wraps (by clusters).
        XCTAssertEqual(TextWrapper.wrap("e\u{301}e\u{301}e\u{301}", width: 2), ["e\u{301}e\u{301}", "e\u{301}"])
    }

    func testTruncateCutsBetweenClusters() {
        XCTAssertEqual(TextWrapper.truncate("“quoted” words here", width: 10), "“quoted”…")
        XCTAssertEqual(TextWrapper.truncate("평양 평양 평양", width: 6), "평양…")
        XCTAssertEqual(TextWrapper.truncate("short", width: 10), "short")
    }

    private struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
