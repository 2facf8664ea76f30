import Article
import Foundation
import Posts
import TerminalUI
import TextCells
import XCTest

/// The reading pane's lines for an article body laid out at `width` (a title-only post; the header is one line).
func layoutLines(_ body: ArticleBody, width: Int, glyphs: Glyphs = .unicode) -> [String] {
    let post = Post(id: PostID(rawValue: 7), title: "T", bodyRange: 0..<0)
    return ArticleLayout(post: post, blocks: body.blocks, width: width, glyphs: glyphs).lines.map(\.text)
}

/// Compares the body laid out at 80 and at 40 columns with `Snapshots/<name>.txt` beside this file, and checks that
/// no line is wider than its column.
///
/// A missing snapshot is written and the test fails, so a new snapshot is always looked at once before it is
/// trusted; `GAZETTE_RECORD_SNAPSHOTS=1` rewrites them all.
func assertArticleSnapshot(_ body: ArticleBody, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    DisplayWidth.prepareLocale()
    var actual = ""
    for width in [80, 40] {
        let lines = layoutLines(body, width: width)
        for (index, text) in lines.enumerated() where DisplayWidth.of(text) > width {
            XCTFail("\(name) at \(width): line \(index) is \(DisplayWidth.of(text)) cells: \(text)", file: file, line: line)
        }
        actual += "=== \(width) columns " + String(repeating: "=", count: width - 15 - String(width).count) + "\n"
        actual += lines.dropFirst().map { $0 + "\n" }.joined()  // the title line is the same everywhere
    }
    let directory = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = directory.appendingPathComponent("\(name).txt")
    let record = ProcessInfo.processInfo.environment["GAZETTE_RECORD_SNAPSHOTS"] == "1"
    if !record, let expected = try? String(contentsOf: url, encoding: .utf8) {
        if expected != actual {
            XCTFail("Snapshot \(name) differs.\n--- expected\n\(expected)--- actual\n\(actual)", file: file, line: line)
        }
        return
    }
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try? actual.write(to: url, atomically: true, encoding: .utf8)
    if !record { XCTFail("Recorded new snapshot \(name); check it and run again", file: file, line: line) }
}

/// An HTML body rendered for the snapshots, with a post link.
func html(_ source: String, base: String? = "https://example.org/posts/1", postLink: String? = "https://example.org/posts/1") -> ArticleBody {
    Article.render(html: source, base: base, postLink: postLink)
}
