import Foundation
import XCTest
@testable import Controller
import Posts
import Search
import TextCells
@testable import TerminalUI

/// Saved searches in the sources view, the search's highlighting in the article, a query's problem in the status.
final class SearchRenderingTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    private let summaries = [
        SourceSummary(index: 0, name: "Author Archives for Grant Montgomery", kind: .archive,
                      location: "/home/reader/archives/grant-montgomery.txt"),
        SourceSummary(index: 1, name: "Tech Feed", kind: .subscription, tags: ["tech"],
                      location: "https://tech.example/feed.xml"),
        SourceSummary(index: 2, name: "World News Daily", kind: .subscription, tags: ["news"],
                      location: "https://world.example/rss"),
    ]

    private let titles = ["Kim Jong Un orders construction", "A faster parser for feeds", "Floods in the south",
                          "North Korea fires missiles", "Swift 6.3 released", "Markets close higher"]

    private func state() -> AppState {
        let posts = (0..<18).map { n in
            Post(id: PostID(rawValue: UInt64(5000 + n)), title: "\(titles[n % titles.count]) (\(n))",
                 bodyRange: 0..<0, archiveIndex: [0, 1, 2][n % 3], kind: .feedItem,
                 timestamp: 1_780_000_000 - Int64(n) * 7200)
        }
        var marks: [PostID: Date] = [:]
        for n in [3, 4] { marks[posts[n].id] = Date(timeIntervalSince1970: 1_779_000_000) }
        var state = AppState(title: "3 sources", posts: posts, readMarks: marks,
                             now: Date(timeIntervalSince1970: 1_780_000_000))
        state.sourceNames = [0: summaries[0].name, 1: summaries[1].name, 2: summaries[2].name]
        _ = state.reduce(.sourcesChanged(summaries))
        return state
    }

    private let body = PostBody(blocks: [
        .paragraph("Korean officials said North Korea fired two missiles on Sunday."),
        .paragraph("Markets in Seoul closed higher."),
        .paragraph("Analysts expect North Korea to test again."),
    ])

    private func render(_ state: inout AppState, _ columns: Int, _ rows: Int) -> Frame {
        let body = self.body
        let renderer = Renderer { _ in body }
        _ = renderer.frame(for: &state, size: Size(columns: columns, rows: rows))
        return renderer.frame(for: &state, size: Size(columns: columns, rows: rows))
    }

    private func type(_ text: String, into state: inout AppState) {
        _ = state.reduce(key: .character("/"))
        for scalar in text.unicodeScalars { _ = state.reduce(key: .character(scalar)) }
    }

    /// The highlighted text of frame row `y`, runs separated by `|`.
    private func highlighted(_ frame: Frame, row y: Int) -> String {
        var runs: [String] = []
        var current = ""
        for x in 0..<frame.size.columns {
            let cell = frame[x, y]
            if cell.style.tint == .highlight {
                current += cell.text
            } else if !current.isEmpty {
                runs.append(current)
                current = ""
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs.joined(separator: "|")
    }

    func testTheSourcesViewListsSavedSearchesAtEachSize() {
        for (columns, rows) in [(80, 24), (120, 40)] {
            var state = state()
            _ = state.reduce(.savedSearches([SavedQuery(name: "Korea", query: "korea"),
                                             SavedQuery(name: "Unread news", query: "tag:news is:unread")]))
            _ = state.reduce(.savedSearchResults(query: "korea", matches: [0, 3, 9, 15]))
            _ = state.reduce(key: .character("s"))
            _ = state.reduce(key: .end)
            // Korea at 80x24; the one still being found at 120x40.
            if columns == 80 { _ = state.reduce(key: .up) }
            let frame = render(&state, columns, rows)
            assertSnapshot(frame, named: "sources-saved-\(columns)x\(rows)")
            XCTAssertEqual(frame.rowText(0).trimmingCharacters(in: .whitespaces),
                           "Gazette · Sources (3) · 2 saved searches · Enter shows a source's posts")
            let list = ScreenLayout(size: Size(columns: columns, rows: rows)).list
            let korea = frame.rowText(list.y + 3).prefix(list.width).trimmingCharacters(in: .whitespaces)
            XCTAssertTrue(korea.contains("⌕ Korea") && korea.hasSuffix("3/4"), korea)
            XCTAssertEqual(frame[list.x + 1, list.y + 3].text, "●", "Korea has unread posts")
            let pending = frame.rowText(list.y + 4).prefix(list.width).trimmingCharacters(in: .whitespaces)
            XCTAssertTrue(pending.contains("⌕ Unread news") && pending.hasSuffix("   …"), pending)
            XCTAssertTrue(frame.text.contains(columns == 80 ? "Posts: 4, 3 unread" : "Posts: being found…"), frame.text)
        }
    }

    func testASavedSearchsPostsHaveTheirTitleLine() {
        var state = state()
        _ = state.reduce(.savedSearches([SavedQuery(name: "Korea", query: "korea")]))
        _ = state.reduce(.savedSearchResults(query: "korea", matches: [3, 9, 15]))
        _ = state.reduce(key: .character("s"))
        _ = state.reduce(key: .end)
        _ = state.reduce(key: .enter)
        let frame = render(&state, 80, 24)
        XCTAssertEqual(frame.rowText(0).trimmingCharacters(in: .whitespaces),
                       "Gazette · Only ⌕ Korea · Esc shows every source")
        XCTAssertTrue(frame.rowText(23).hasPrefix(" 1/3 · 16 unread"), frame.rowText(23))
    }

    func testAPrefixIsHighlightedInTheTitleAndTheBodyWhileTypingAndAfter() {
        var state = state()
        _ = state.reduce(key: .down)
        _ = state.reduce(key: .down)
        _ = state.reduce(key: .down)  // North Korea fires missiles (3)
        type("kore", into: &state)
        _ = state.reduce(.searchResults(query: "kore", matches: [3, 9, 15]))
        let frame = render(&state, 100, 24)
        assertSnapshot(frame, named: "search-prefix-100x24")
        let text = ScreenLayout(size: frame.size).readingText
        XCTAssertEqual(highlighted(frame, row: text.y), "Korea", "the title")
        let bodyRows = (text.y..<text.maxY).map { highlighted(frame, row: $0) }.filter { !$0.isEmpty }
        XCTAssertEqual(bodyRows.first, "Korea", "the title first")
        XCTAssertTrue(bodyRows.contains { $0.contains("Korean") }, "kore finds Korean while typing: \(bodyRows)")

        // Enter keeps the query as it was typed: Korean is still highlighted, as the list still holds it.
        _ = state.reduce(key: .enter)
        let kept = render(&state, 100, 24)
        let keptRows = (text.y..<text.maxY).map { highlighted(kept, row: $0) }
        XCTAssertTrue(keptRows.contains { $0.contains("Korean") }, "\(keptRows)")
    }

    func testAPhraseIsHighlightedAcrossTheSpansOfALine() {
        let line = StyledLine([Span("  • ", Style(tint: .accent)), Span("In North Korea, north and Korea alone")])
        let phrase = SearchQuery.Phrase(tokens: ["north", "korea"])
        let marked = ArticleLayout.highlighting([phrase], in: line)
        XCTAssertEqual(marked?.text, line.text, "the text stays")
        XCTAssertEqual(marked?.spans.filter { $0.style.tint == .highlight }.map(\.text), ["North Korea"])
        XCTAssertEqual(marked?.spans.first, Span("  • ", Style(tint: .accent)), "the bullet keeps its style")
        XCTAssertNil(ArticleLayout.highlighting([phrase], in: StyledLine([Span("Korea north")])))

        let prefix = SearchQuery.Phrase(tokens: ["mis"], prefix: true)
        let both = ArticleLayout.highlighting([phrase, prefix], in: StyledLine([Span("North Korea fired missiles")]))
        XCTAssertEqual(both?.spans.filter { $0.style.tint == .highlight }.map(\.text), ["North Korea", "missiles"])
    }

    func testTheRealParsersQuotedPhraseIsHighlighted() throws {
        let parsed = SearchQuery.parse("\"north korea\"")
        try XCTSkipUnless(parsed.required.count == 1 && parsed.required[0].tokens == ["north", "korea"],
                          "the stub parser knows words only")
        let post = Post(id: PostID(rawValue: 1), title: "North Korea, north of Korea", bodyRange: 0..<0)
        let layout = ArticleLayout(post: post, blocks: body.blocks, width: 60, highlight: "\"north korea\"")
        let marks = layout.lines.flatMap(\.spans).filter { $0.style.tint == .highlight }.map(\.text)
        XCTAssertEqual(marks, ["North Korea", "North Korea", "North Korea"])
    }

    func testAQueryProblemIsInTheStatusLine() {
        var state = state()
        type("korea", into: &state)
        _ = state.reduce(.searchResults(query: "korea", matches: [3, 9]))
        state.search?.parsed.problems = ["after:yesterday is not a date (after:2020-04-01)"]  // as the parser says
        var frame = render(&state, 100, 24)
        XCTAssertTrue(frame.rowText(23).contains("after:yesterday is not a date"), frame.rowText(23))
        XCTAssertTrue(frame.rowText(23).hasSuffix("2 matches  Enter keeps  Esc cancels"), frame.rowText(23))

        _ = state.reduce(key: .enter)
        state.search?.parsed.problems = ["after:yesterday is not a date (after:2020-04-01)"]
        frame = render(&state, 100, 24)
        assertSnapshot(frame, named: "search-problem-100x24")
        XCTAssertTrue(frame.rowText(23).contains("/korea: 2 of 18 · after:yesterday is not a date"), frame.rowText(23))
    }
}
