import SeededRandom
import XCTest
@testable import TextCells

final class SanitizerTests: XCTestCase {
    private func clean(_ s: String) -> String { Sanitizer.clean(s) }

    func testPrintableTextIsUntouched() {
        for s in ["", "Plain ASCII: $5 million [NK News] ~", "Pyongyang’s “zero” 한국어 中文 e\u{301} — ok\u{A0}nbsp",
                  "👨‍👩‍👧 family, 🇰🇷 flag, ❤️ heart, 🏳️‍🌈, 👩🏽‍💻"] {
            XCTAssertEqual(clean(s), s)
        }
    }

    func testC0ControlsAndDel() {
        XCTAssertEqual(clean("a\u{0}b\u{7}c\u{8}d\u{C}e\u{B}f\u{7F}g\u{1F}h"), "abcdefgh")
        XCTAssertEqual(clean("line one\nline two\r\nthree\rfour\n\n\nfive"), "line one line two three four five")
        XCTAssertEqual(clean("a\tb"), "a    b")
        XCTAssertEqual(clean("\n"), " ")
    }

    func testEscapeSequencesOfEveryKind() {
        let cases: [(String, String)] = [
            ("\u{1B}[31mred\u{1B}[0m", "red"),                          // CSI SGR
            ("a\u{1B}[2J\u{1B}[H\u{1B}[?1049hb", "ab"),                 // clear, home, alternate screen
            ("a\u{1B}[38;2;255;0;0mb", "ab"),                          // truecolour
            ("\u{1B}]0;pwned title\u{7}text", "text"),                 // OSC, BEL-terminated
            ("\u{1B}]2;title\u{1B}\\text", "text"),                    // OSC, ST-terminated
            ("\u{1B}]52;c;ZXZpbA==\u{7}x", "x"),                       // OSC 52 clipboard
            ("\u{1B}]8;;https://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),  // OSC 8 hyperlink
            ("\u{1B}P1$r0m\u{1B}\\after", "after"),                    // DCS
            ("\u{1B}_apc payload\u{1B}\\after", "after"),              // APC
            ("\u{1B}^pm\u{1B}\\after", "after"),                       // PM
            ("\u{1B}Xsos\u{1B}\\after", "after"),                      // SOS
            ("a\u{1B}cb", "ab"),                                       // RIS (two bytes)
            ("a\u{1B}7b\u{1B}8c", "abc"),                              // save/restore cursor
            ("a\u{1B}(Bb", "ab"),                                      // charset designation
            ("a\u{1B}", "a"),                                          // lone ESC at the end
            ("a\u{1B}\u{1B}[1mb", "ab"),                               // ESC ESC [
            ("a\u{1B}]0;unterminated title", "a"),                     // unterminated OSC swallows the rest
            ("a\u{1B}[12;\u{7}b", "ab"),                               // CSI aborted by a control
        ]
        for (input, expected) in cases {
            XCTAssertEqual(clean(input), expected, input.debugDescription)
        }
    }

    func testC1Controls() {
        XCTAssertEqual(clean("a\u{9B}31mb"), "a31mb")  // CSI alone: what follows is inert text
        XCTAssertEqual(clean("a\u{85}b\u{9D}c\u{9C}d\u{80}e\u{9F}f"), "abcdef")
    }

    func testBidiControls() {
        for scalar in ["\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}",
                       "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}"] {
            XCTAssertEqual(clean("abc\(scalar)def"), "abcdef", scalar.unicodeScalars.first!.debugDescription)
        }
        XCTAssertEqual(clean("user\u{202E}gnp.exe"), "usergnp.exe")
    }

    func testFormatCharacters() {
        XCTAssertEqual(clean("zero\u{200B}width\u{2060}joiner\u{FEFF}bom\u{AD}soft\u{200C}nj"), "zerowidthjoinerbomsoftnj")
        XCTAssertEqual(clean("a\u{2028}b\u{2029}c"), "a b c")
        XCTAssertEqual(clean("\u{600}\u{110BD}x\u{E0001}"), "x")
    }

    func testZeroWidthJoinerStaysOnlyInsideEmojiSequences() {
        XCTAssertEqual(clean("👨\u{200D}👩\u{200D}👧"), "👨\u{200D}👩\u{200D}👧")
        XCTAssertEqual(clean("🏳\u{FE0F}\u{200D}🌈"), "🏳\u{FE0F}\u{200D}🌈")
        XCTAssertEqual(clean("👩🏽\u{200D}💻"), "👩🏽\u{200D}💻")
        XCTAssertEqual(clean("a\u{200D}b"), "ab")
        XCTAssertEqual(clean("\u{200D}👩"), "👩")
        XCTAssertEqual(clean("👩\u{200D}"), "👩")
        XCTAssertEqual(clean("👩\u{200D}x"), "👩x")
        XCTAssertEqual(clean("1\u{200D}👩"), "1👩")
        XCTAssertEqual(clean("👩\u{200D}\u{200B}👧"), "👩👧")
        // Tag characters: kept in an emoji tag sequence (England's flag), dropped elsewhere.
        let england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"
        XCTAssertEqual(clean(england), england)
        XCTAssertEqual(clean("a\u{E0067}\u{E007F}b"), "ab")
    }

    func testIdempotentAndNeverLetsAControlThrough() {
        var corpus = [
            "\u{1B}\u{1B}]]\u{7}\u{9B}\u{1B}[[1m", "👩\u{200D}\u{1B}[0m👧", "\r\u{1B}[0m\n", "a\u{1B}(\u{1B}[0mb",
            "\u{1B}]8;;x\u{9C}y", "\t\u{200D}\t", "🏴\u{E0067}\u{200B}\u{E007F}", "\u{2028}\r\n\u{2029}",
        ]
        var rng = SplitMix64(seed: 99)
        let alphabet: [Unicode.Scalar] = ["\u{1B}", "[", "]", "\\", "P", "_", "^", "X", "(", "0", ";", "m", "\u{7}",
                                          "\u{9B}", "\u{9C}", "\u{9D}", "\u{200D}", "\u{FE0F}", "👩", "🏴", "\u{E0067}",
                                          "\u{E007F}", "\r", "\n", "\t", "a", " ", "\u{AD}", "\u{202E}", "한", "\u{0}"]
        for _ in 0..<2000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &rng) { s.append(alphabet.randomElement(using: &rng)!) }
            corpus.append(String(s))
        }
        for s in corpus {
            let once = clean(s)
            XCTAssertEqual(clean(once), once, s.debugDescription)
            for u in once.unicodeScalars {
                let v = u.value
                XCTAssertFalse(v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                               || (0x2066...0x2069).contains(v), "\(s.debugDescription) -> \(once.debugDescription)")
            }
        }
    }

    func testMultiMegabyteLines() {
        let unit = "word \u{1B}[1mbold\u{1B}[0m\t한국\u{202E} "
        let big = String(repeating: unit, count: 200_000)  // about 6 MB
        let out = clean(big)
        XCTAssertEqual(out, String(repeating: "word bold    한국 ", count: 200_000))
        let ascii = String(repeating: "plain text ", count: 500_000)
        XCTAssertEqual(clean(ascii), ascii)
    }
}
