import Foundation
import Posts
@testable import ReadState
import XCTest

/// The marks file: lines written and read back, times, and every kind of bad line (skipped with a reason while
/// the others are read), read as a stream from a file.
final class MarkExchangeFormatTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func parse(_ text: String) -> Result<MarkExchangeFormat.Line, MarkExchangeFormat.LineError> {
        MarkExchangeFormat.parse(Array(text.utf8))
    }

    private func reason(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        guard case .failure(let error) = parse(text) else {
            XCTFail("expected \(text) to be refused", file: file, line: line)
            return nil
        }
        return error.reason
    }

    /// Reads `bytes` written to a file, as `gazette marks import FILE` does.
    private func read(_ bytes: [UInt8]) throws -> MarkFileContents {
        let path = directory.file("marks.jsonl")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        return try MarkFileReader.contents(of: descriptor)
    }

    private func read(_ text: String) throws -> MarkFileContents { try read(Array(text.utf8)) }

    // MARK: Lines

    func testALineReadsBackAsTheMarkItWasWrittenFrom() throws {
        let marks = [
            ExchangedMark(id: PostID(rawValue: 0xa17d_2fbd_605b_b234), isRead: true, changedAt: time(1_796_310_245.123)),
            ExchangedMark(id: PostID(rawValue: 1), isRead: false, changedAt: time(-86_400.5), feed: "https://e.org/f?a=1&b",
                          guid: "tag:e.org,2026:\\1", link: "https://e.org/1",
                          title: "Quotes \" and \\ and\nnew line, tab\t, bell \u{7}, NUL \u{0}, é, 日本, \u{2028}, 🎉"),
        ]
        for mark in marks {
            let line = MarkExchangeFormat.line(for: mark)
            XCTAssertFalse(line.contains("\n"))
            XCTAssertEqual(try parse(line).get(), .mark(mark), line)
            // And any JSON reader agrees.
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        XCTAssertEqual(MarkExchangeFormat.line(for: marks[0]),
                       #"{"id":"a17d2fbd605bb234","read":true,"at":"2026-12-03T15:04:05.123Z"}"#)
    }

    func testTheHeaderUnknownFieldsBlankLinesAndAnyFieldOrderAreAccepted() throws {
        XCTAssertEqual(try parse(MarkExchangeFormat.header).get(), .header(version: 1))
        XCTAssertEqual(try parse("   ").get(), .blank)
        XCTAssertEqual(try parse("").get(), .blank)
        let expected = ExchangedMark(id: PostID(rawValue: 0xabcdef), isRead: false, changedAt: time(0))
        XCTAssertEqual(try parse(#" { "at" : "1970-01-01T00:00:00Z", "note": [1, {"x": null}], "read": false, "id": "0000000000ABCDEF" }"#).get(),
                       .mark(expected))
        XCTAssertEqual(try parse(#"{"id":"0000000000abcdef","read":false,"at":"1970-01-01T00:00:00Z"}"# + "\r").get(),
                       .mark(expected), "a CRLF file")
    }

    func testEachBadLineSaysWhatIsWrongWithIt() {
        XCTAssertEqual(reason("garbage"), "not JSON")
        XCTAssertEqual(reason(#"{"id":"0000000000000001","read":true"#), "not JSON")
        XCTAssertEqual(reason("[1, 2]"), "not a JSON object")
        XCTAssertEqual(reason(#""a string""#), "not a JSON object")
        XCTAssertEqual(reason(#"{"read":true,"at":"2026-12-03T15:04:05Z"}"#), #"no "id""#)
        XCTAssertEqual(reason(#"{"id":"0000000000000001","at":"2026-12-03T15:04:05Z"}"#), #"no "read""#)
        XCTAssertEqual(reason(#"{"id":"0000000000000001","read":true}"#), #"no "at""#)
        XCTAssertEqual(reason(#"{"id":"123","read":true,"at":"2026-12-03T15:04:05Z"}"#),
                       #"the id "123" is not 16 hex digits"#)
        XCTAssertEqual(reason(#"{"id":"000000000000000g","read":true,"at":"2026-12-03T15:04:05Z"}"#),
                       #"the id "000000000000000g" is not 16 hex digits"#)
        XCTAssertEqual(reason(#"{"id":1,"read":true,"at":"2026-12-03T15:04:05Z"}"#), #""id" is not a string"#)
        XCTAssertEqual(reason(#"{"id":"0000000000000001","read":"yes","at":"2026-12-03T15:04:05Z"}"#),
                       #""read" is not true or false"#)
        XCTAssertEqual(reason(#"{"id":"0000000000000001","read":1,"at":"2026-12-03T15:04:05Z"}"#),
                       #""read" is not true or false"#)
        XCTAssertEqual(reason(#"{"id":"0000000000000001","read":true,"at":"yesterday"}"#),
                       #"the time "yesterday" is not like 2026-12-03T15:04:05.123Z"#)
        XCTAssertEqual(reason(#"{"id":"0000000000000001","read":true,"at":1796310245}"#), #""at" is not a string"#)
        XCTAssertEqual(reason(#"{"gazette-marks":"one"}"#), #""gazette-marks" is not a number"#)
        XCTAssertEqual(MarkExchangeFormat.parse([0x7B, 0xFF, 0xFE, 0x7D]).failureReason, "not UTF-8")
    }

    // MARK: Times

    func testTimesAreWrittenInUTCWithMilliseconds() {
        XCTAssertEqual(MarkExchangeFormat.timestamp(0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(MarkExchangeFormat.timestamp(1_796_310_245_123), "2026-12-03T15:04:05.123Z")
        XCTAssertEqual(MarkExchangeFormat.timestamp(951_782_400_000), "2000-02-29T00:00:00.000Z")
        XCTAssertEqual(MarkExchangeFormat.timestamp(-1), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(MarkExchangeFormat.timestamp(253_402_300_799_999), "9999-12-31T23:59:59.999Z")
    }

    func testTimesAreReadAsRFC3339AndNothingElse() {
        let expected: Int64 = 1_796_310_245_123
        for text in ["2026-12-03T15:04:05.123Z", "2026-12-03t15:04:05.123z", "2026-12-03 15:04:05.123Z",
                     "2026-12-03T16:04:05.123+01:00", "2026-12-03T10:34:05.123-04:30", "2026-12-03T15:04:05.123456789Z"] {
            XCTAssertEqual(MarkExchangeFormat.milliseconds(text), expected, text)
        }
        XCTAssertEqual(MarkExchangeFormat.milliseconds("2026-12-03T15:04:05Z"), 1_796_310_245_000)
        XCTAssertEqual(MarkExchangeFormat.milliseconds("2026-12-03T15:04:05.1Z"), 1_796_310_245_100)
        XCTAssertEqual(MarkExchangeFormat.milliseconds("2024-02-29T00:00:00Z"), 1_709_164_800_000)
        for millis: Int64 in [0, -1, 1, 951_782_400_000, 4_102_444_800_999, -2_208_988_800_000] {
            XCTAssertEqual(MarkExchangeFormat.milliseconds(MarkExchangeFormat.timestamp(millis)), millis)
        }
        for text in ["", "2026-12-03", "2026-12-03T15:04:05", "2026-12-03T15:04:05.Z", "2026-02-29T00:00:00Z",
                     "2026-13-01T00:00:00Z", "2026-12-32T00:00:00Z", "2026-12-03T24:00:00Z", "2026-12-03T15:60:00Z",
                     "2026-12-03T15:04:05Z ", "2026-12-03T15:04:05+0100", "26-12-03T15:04:05Z", "2026-1-03T15:04:05Z",
                     "2026-12-03T15:04:05.123ZZ", "２０２６-12-03T15:04:05Z"] {
            XCTAssertNil(MarkExchangeFormat.milliseconds(text), text)
        }
    }

    // MARK: Files

    func testAFileWithGarbageLinesKeepsEveryValidMarkAndNamesEveryBadLine() throws {
        let text = """
            {"gazette-marks":1}
            {"id":"0000000000000001","read":true,"at":"2026-12-03T15:04:05.123Z"}
            this is not a mark

            {"id":"0000000000000002","read":false,"at":"2026-12-03T15:04:05.123Z"}
            {"id":"0000000000000003","read":true}
            {"id":"0000000000000004","read":true,"at":"2026-12-03T15:04:05.123Z"}
            """
        let contents = try read(text)
        XCTAssertEqual(contents.marks.map(\.id.rawValue), [1, 2, 4])
        XCTAssertEqual(contents.markLines, [2, 5, 7])
        XCTAssertEqual(contents.problems.map(\.line), [3, 6])
        XCTAssertEqual(contents.problems.map(\.reason), ["not JSON", #"no "at""#])
        XCTAssertEqual(contents.lineCount, 7, "the last line has no newline and still counts")
        XCTAssertNil(contents.newerFormat)
    }

    func testInvalidUTF8OnOneLineSkipsThatLineOnly() throws {
        var bytes = Array(#"{"id":"0000000000000001","read":true,"at":"2026-12-03T15:04:05Z","title":"caf"#.utf8)
        bytes += [0xE9] + Array("\"}\n".utf8)  // Latin-1 é
        bytes += [0xEF, 0xBB, 0xBF] + Array(#"{"id":"0000000000000002","read":true,"at":"2026-12-03T15:04:05Z"}"#.utf8)
        bytes += Array("\n".utf8)
        let contents = try read(bytes)
        XCTAssertEqual(contents.problems.map(\.reason), ["not UTF-8"])
        XCTAssertEqual(contents.marks.map(\.id.rawValue), [2], "a byte order mark does not spoil its line")
    }

    func testAnEmptyFileIsToldFromAFileWithoutMarks() throws {
        let empty = try read("")
        XCTAssertEqual(empty.byteCount, 0)
        XCTAssertEqual(empty.lineCount, 0)
        let headerOnly = try read(MarkExchangeFormat.header + "\n")
        XCTAssertGreaterThan(headerOnly.byteCount, 0)
        XCTAssertTrue(headerOnly.marks.isEmpty)
        XCTAssertTrue(headerOnly.problems.isEmpty)
    }

    func testANewerFormatStopsReadingAtItsHeader() throws {
        let contents = try read("""
            {"gazette-marks":1}
            {"id":"0000000000000001","read":true,"at":"2026-12-03T15:04:05Z"}
            {"gazette-marks":2}
            {"id":"0000000000000002","read":true,"at":"2026-12-03T15:04:05Z"}
            """)
        XCTAssertEqual(contents.newerFormat?.line, 3)
        XCTAssertEqual(contents.newerFormat?.version, 2)
    }

    func testALineOfSeveralMegabytesIsSkippedWithoutStoppingTheFile() throws {
        var bytes = Array(#"{"id":"0000000000000001","read":true,"at":"2026-12-03T15:04:05Z","title":""#.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20)
        bytes += Array("\"}\n".utf8)
        bytes += Array(#"{"id":"0000000000000002","read":true,"at":"2026-12-03T15:04:05Z"}"#.utf8)
        let contents = try read(bytes)
        XCTAssertEqual(contents.problems.map(\.line), [1])
        XCTAssertEqual(contents.problems.map(\.reason), ["longer than 1 MB"])
        XCTAssertEqual(contents.marks.map(\.id.rawValue), [2])
        XCTAssertEqual(contents.markLines, [2])
    }

    /// 100,000 lines, as an export of a big store: read in a stream, every mark with its line.
    func testAHundredThousandLinesAreReadWhole() throws {
        var text = MarkExchangeFormat.header + "\n"
        for n in UInt64(1)...100_000 {
            text += MarkExchangeFormat.line(for: ExchangedMark(id: PostID(rawValue: n), isRead: n % 2 == 0,
                                                               changedAt: time(Double(n)), title: "Post \(n)")) + "\n"
        }
        let contents = try read(text)
        XCTAssertEqual(contents.marks.count, 100_000)
        XCTAssertEqual(contents.markLines.last, 100_001)
        XCTAssertEqual(contents.marks.last?.title, "Post 100000")
        XCTAssertTrue(contents.problems.isEmpty)
    }
}

private extension Result where Failure == MarkExchangeFormat.LineError {
    var failureReason: String? {
        if case .failure(let error) = self { return error.reason }
        return nil
    }
}
