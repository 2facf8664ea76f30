import Foundation
import XCTest

/// Colours as the terminal receives them, through `capture-pane -e`: the accent colour on unread markers,
/// none at all with NO_COLOR or on a monochrome terminal (attributes remain), and `color` lines.
final class ColourEndToEndTests: XCTestCase {
    /// The parameters of every SGR sequence (`ESC [ … m`) in `capture`.
    static func sgrParameters(_ capture: String) -> [[Int]] {
        var result: [[Int]] = []
        var rest = capture[...]
        while let start = rest.range(of: "\u{1B}[") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(where: { !("0"..."9").contains($0) && $0 != ";" }) else { break }
            if rest[end] == "m" {
                result.append(rest[..<end].split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 })
            }
            rest = rest[end...]
        }
        return result
    }

    /// Colour codes (foreground or background, 8, 16, 256 or direct colours), not the resets 39 and 49.
    static func colourCodes(_ capture: String) -> [Int] {
        sgrParameters(capture).flatMap { $0 }.filter {
            (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0)
        }
    }

    /// The screen with attributes, once the first two headlines are drawn. `swift test` sets NO_COLOR=1 for
    /// its children (and so for every other end-to-end test): here it is removed, then `environment` applied
    /// through env(1) (tmux itself sets TERM in a pane, so only env can change it).
    func screen(environment extra: [String: String] = [:], configuration: String? = nil) throws -> (String, [GazetteHarness.Post]) {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        if let configuration { try gazette.writeConfiguration(configuration) }
        let command = ["env", "-u", "NO_COLOR"] + extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [gazette.binary, gazette.archive]
        let reader = try TmuxSession(command: command, environment: gazette.environment)
        defer { reader.close() }
        try reader.waitFor(text: posts[1].title.prefix(20).description)
        let capture = try reader.capture(withAttributes: true)
        try reader.send(keys: "Q")
        XCTAssertEqual(reader.exitStatus(), 0)
        return (capture, posts)
    }

    /// The captured row that holds `title` (with its escape sequences).
    static func row(holding title: String, in capture: String) -> String? {
        capture.components(separatedBy: "\n").first { line in
            let plain = line.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            return plain.contains(title)
        }
    }

    func testTheUnreadMarkerIsInTheAccentColour() throws {
        let (capture, posts) = try screen()
        let row = try XCTUnwrap(Self.row(holding: String(posts[1].title.prefix(20)), in: capture))
        XCTAssertTrue(row.contains("\u{1B}[36m●"), "cyan unread marker on an unselected row: \(row.debugDescription)")
        XCTAssertTrue(Self.sgrParameters(capture).contains { $0.contains(7) }, "the selection is reversed")
    }

    func testNoColorTurnsColourOffButKeepsReverseAndBold() throws {
        let (capture, _) = try screen(environment: ["NO_COLOR": "1"])
        XCTAssertEqual(Self.colourCodes(capture), [], capture.debugDescription)
        let parameters = Self.sgrParameters(capture).flatMap { $0 }
        XCTAssertTrue(parameters.contains(7), "reverse video for the selection and the status bar")
        XCTAssertTrue(parameters.contains(1), "bold for unread titles")
    }

    func testAnEmptyNoColorKeepsColours() throws {
        let (capture, _) = try screen(environment: ["NO_COLOR": ""])
        XCTAssertTrue(Self.colourCodes(capture).contains(36), "NO_COLOR set but empty does not count")
    }

    func testAMonochromeTerminalGetsAttributesOnly() throws {
        let (capture, posts) = try screen(environment: ["TERM": "xterm-mono"])
        XCTAssertEqual(Self.colourCodes(capture), [], capture.debugDescription)
        XCTAssertTrue(Self.sgrParameters(capture).flatMap { $0 }.contains(7))
        let row = try XCTUnwrap(Self.row(holding: String(posts[1].title.prefix(20)), in: capture))
        XCTAssertTrue(row.contains("\u{1B}[1m●"), "the unread marker is bold instead: \(row.debugDescription)")
    }

    func testColorLinesOverrideTheDefaults() throws {
        let (capture, posts) = try screen(configuration: "color accent red default underline\n")
        let row = try XCTUnwrap(Self.row(holding: String(posts[1].title.prefix(20)), in: capture))
        let markerSGR = try XCTUnwrap(row.range(of: "●").map { String(row[..<$0.lowerBound]) })
        let last = Self.sgrParameters(markerSGR).suffix(2).flatMap { $0 }
        XCTAssertTrue(last.contains(31), "red: \(row.debugDescription)")
        XCTAssertTrue(last.contains(4), "underlined: \(row.debugDescription)")
        XCTAssertFalse(Self.colourCodes(capture).contains(36), "no cyan left")
    }
}
