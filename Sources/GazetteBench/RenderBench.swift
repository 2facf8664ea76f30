import Controller
import Glibc
import Posts
import TerminalUI

/// The key path without a terminal: reducer and renderer (the article laid out from its bytes, the frame drawn)
/// for Down in the list and page down in the reading pane, on an archive's whole index. For profiles
/// (`valgrind --tool=callgrind gazette-bench render FILE`) and as a lower bound of the in-process key latency.
enum RenderBench {
    struct Result {
        var down: Figure
        var pageDown: Figure
    }

    static func measure(path: String, keys: Int, size: Size = Size(columns: 120, rows: 40)) throws -> Result {
        let archive = try Archive.open(path: path)
        var state = AppState(title: archive.title, posts: archive.posts)
        let renderer = Renderer { PostBody(blocks: archive.body(of: $0)) }
        _ = renderer.frame(for: &state, size: size)
        var down: [Double] = []
        for _ in 0..<keys {
            let start = monotonic()
            _ = state.reduce(key: .down)
            _ = renderer.frame(for: &state, size: size)
            down.append((monotonic() - start) * 1000)
        }
        _ = state.reduce(key: .enter)
        _ = renderer.frame(for: &state, size: size)
        var pages: [Double] = []
        for i in 0..<keys {
            let start = monotonic()
            _ = state.reduce(key: i % 2 == 0 ? .pageDown : .pageUp)
            _ = renderer.frame(for: &state, size: size)
            pages.append((monotonic() - start) * 1000)
        }
        return Result(down: Figure(down)!, pageDown: Figure(pages)!)
    }
}
