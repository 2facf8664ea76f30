import XCTest
@testable import Feeds

/// The incremental JSON parser on its own: values, escapes, numbers, errors and their lines, limits.
final class JSONParserTests: XCTestCase {
    /// Writes down every event, keeping strings up to `limit` bytes.
    struct Recorder: JSONEventHandler {
        var limit = 1 << 20
        var events: [String] = []

        mutating func beginObject(line: Int) { events.append("{@\(line)") }
        mutating func endObject() { events.append("}") }
        mutating func beginArray() { events.append("[") }
        mutating func endArray() { events.append("]") }
        mutating func key(_ bytes: UnsafeBufferPointer<UInt8>, truncated: Bool) {
            events.append("k:" + String(decoding: bytes, as: UTF8.self) + (truncated ? "…" : ""))
        }
        mutating func stringLimit() -> Int { limit }
        mutating func string(_ value: String, truncated: Bool, line: Int) {
            events.append("s:" + value + (truncated ? "…" : ""))
        }
        mutating func number(_ text: String) { events.append("n:" + text) }
        mutating func literal(_ value: JSONLiteral) { events.append("l:\(value)") }
    }

    /// The events and error of parsing `text` in chunks of `chunk` bytes.
    func parse(_ text: String, chunk: Int = .max, limit: Int = 1 << 20) -> (events: [String], error: FeedDiagnostic?) {
        parse(Array(text.utf8), chunk: chunk, limit: limit)
    }

    func parse(_ bytes: [UInt8], chunk: Int = .max, limit: Int = 1 << 20) -> (events: [String], error: FeedDiagnostic?) {
        var parser = JSONParser()
        var recorder = Recorder(limit: limit)
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + min(chunk, all.count - start))
                parser.parse(UnsafeBufferPointer(rebasing: all[start..<end]), &recorder)
                start = end
            }
        }
        parser.finish(&recorder)
        return (recorder.events, parser.error)
    }

    func testValuesOfEveryKind() {
        let text = #"{"a": [1, -0.5, 2e10, 3E-2, true, false, null, "x", {}, []], "b": {"c": ""}}"#
        let expected = ["{@1", "k:a", "[", "n:1", "n:-0.5", "n:2e10", "n:3E-2", "l:true", "l:false", "l:null", "s:x",
                        "{@1", "}", "[", "]", "]", "k:b", "{@1", "k:c", "s:", "}", "}"]
        for chunk in [1, 2, 3, 1000] {
            let result = parse(text, chunk: chunk)
            XCTAssertNil(result.error, "chunks of \(chunk)")
            XCTAssertEqual(result.events, expected, "chunks of \(chunk)")
        }
    }

    func testEveryEscape() {
        let text = #"["\" \\ \/ \b \f \n \r \t \u0041\u00e9\u20AC \ud83d\ude00 \u0000"]"#
        for chunk in [1, 2, 5, 1000] {
            XCTAssertEqual(parse(text, chunk: chunk).events,
                           ["[", "s:\" \\ / \u{8} \u{C} \n \r \t Aé€ 😀 \u{0}", "]"], "chunks of \(chunk)")
        }
    }

    func testLoneSurrogatesBecomeReplacementCharacters() {
        XCTAssertEqual(parse(#"["\ud83d"]"#).events[1], "s:\u{FFFD}")
        XCTAssertEqual(parse(#"["\ude00x"]"#).events[1], "s:\u{FFFD}x")
        XCTAssertEqual(parse(#"["\ud83dx"]"#).events[1], "s:\u{FFFD}x")
        XCTAssertEqual(parse(#"["\ud83d\n"]"#).events[1], "s:\u{FFFD}\n")
        XCTAssertEqual(parse(#"["\ud83d\ud83d\ude00"]"#).events[1], "s:\u{FFFD}😀")
        XCTAssertEqual(parse(#"["\ud83d\u0041"]"#).events[1], "s:\u{FFFD}A")
    }

    func testInvalidUTF8BecomesReplacementCharacters() {
        let bytes: [UInt8] = Array(#"[""#.utf8) + [0x61, 0xFF, 0x62, 0xC3, 0x22] + Array("]".utf8)
        XCTAssertEqual(parse(bytes).events, ["[", "s:a\u{FFFD}b\u{FFFD}", "]"])
        XCTAssertNil(parse(bytes).error)
    }

    func testRawControlCharactersInStringsAreKeptAndCountedAsLines() {
        let result = parse("[\"a\tb\nc\",\n x]")
        XCTAssertEqual(result.events, ["[", "s:a\tb\nc"])
        XCTAssertEqual(result.error, FeedDiagnostic(line: 3, message: "expected a value, found 'x'"))
    }

    func testStringsAreCutAtTheLimitOnAWholeCharacter() {
        XCTAssertEqual(parse(#"["abcdef"]"#, limit: 4).events, ["[", "s:abcd…", "]"])
        XCTAssertEqual(parse(#"["abcd"]"#, limit: 4).events, ["[", "s:abcd", "]"])
        // é is two bytes, € three: the cut never leaves half a character.
        XCTAssertEqual(parse(#"["aéé"]"#, limit: 4).events, ["[", "s:aé…", "]"])
        XCTAssertEqual(parse(#"["a€"]"#, limit: 3).events, ["[", "s:a…", "]"])
        XCTAssertEqual(parse(#"["ab\u20ac"]"#, limit: 4).events, ["[", "s:ab…", "]"])
        for chunk in [1, 2, 3] {
            XCTAssertEqual(parse(#"["aéé€x"]"#, chunk: chunk, limit: 5).events, ["[", "s:aéé…", "]"])
        }
    }

    func testSkippedStringsAreNotBuilt() {
        XCTAssertEqual(parse(#"{"k": "value", "n": 1}"#, limit: 0).events, ["{@1", "k:k", "k:n", "n:1", "}"])
    }

    func testLongKeysArriveTruncated() {
        let key = String(repeating: "k", count: 100)
        XCTAssertEqual(parse("{\"\(key)\": 1}").events[1], "k:" + String(repeating: "k", count: 64) + "…")
    }

    func testNumbersAtTheVeryEnd() {
        XCTAssertEqual(parse("42").events, ["n:42"])
        XCTAssertNil(parse("42").error)
        XCTAssertEqual(parse("1e999").events, ["n:1e999"])
    }

    func testInvalidNumbers() {
        for text in ["[01]", "[-]", "[1.]", "[1e]", "[1e+]", "[.5]", "[+1]", "[1.5.5]", "[--1]", "[1ee2]", "-"] {
            XCTAssertNotNil(parse(text).error, text)
        }
    }

    func testErrorsSayWhatIsWrongAndWhere() {
        let cases: [(String, Int, String)] = [
            ("{\"a\": 1\n \"b\": 2}", 2, "expected ',' or '}', found '\"'"),
            ("[1 2]", 1, "expected ',' or ']', found '2'"),
            ("{\"a\" 1}", 1, "expected ':' after a key, found '1'"),
            ("{1: 2}", 1, "expected a string key or '}', found '1'"),
            ("{\"a\": 1,}", 1, "expected a string key, found '}'"),
            ("[1,]", 1, "expected a value, found ']'"),
            ("[\n\n\"abc", 3, "unterminated string (it starts on line 3)"),
            ("{\"a\": [1, 2", 1, "unexpected end of file: expected ']' (2 not closed)"),
            ("{\"a\": tru}", 1, "invalid literal: expected true, false or null"),
            ("[\"\\x\"]", 1, "invalid escape '\\x' in a string"),
            ("[\"\\u12G4\"]", 1, "invalid \\u escape: 'G' is not a hexadecimal digit"),
            ("{} {}", 1, "unexpected data after the end of the JSON document, found '{'"),
            ("", 1, "no JSON value in the file"),
            ("   \n  ", 2, "no JSON value in the file"),
            ("<rss>", 1, "expected a value, found '<'"),
            ("[\u{7}]", 1, "expected a value or ']', found '0x07'"),
        ]
        for (text, line, message) in cases {
            XCTAssertEqual(parse(text).error, FeedDiagnostic(line: line, message: message), text.debugDescription)
            XCTAssertEqual(parse(text, chunk: 1).error, FeedDiagnostic(line: line, message: message), text.debugDescription)
        }
    }

    func testNestingIsBounded() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let result = parse(deep)
        XCTAssertEqual(result.error?.message, "nesting deeper than 512 levels")
        XCTAssertEqual(result.events.count, 512)
        let fits = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        XCTAssertNil(parse(fits).error)
    }
}
