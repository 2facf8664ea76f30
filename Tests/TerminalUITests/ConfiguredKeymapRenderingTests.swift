import Foundation
import XCTest
import Controller
import Posts
import TextCells
@testable import TerminalUI

/// The screen follows the configured keymap: the help overlay lists it, the status bar's hint names its keys.
final class ConfiguredKeymapRenderingTests: XCTestCase {
    override func setUp() { DisplayWidth.prepareLocale() }

    let posts = (1...3).map { Post(id: PostID(rawValue: UInt64($0)), title: "Headline \($0)", bodyRange: 0..<0) }

    func render(_ keymap: Keymap, help: Bool = false) -> Frame {
        var state = AppState(title: "Keys", posts: posts)
        if help { _ = state.reduce(key: .character("?"), keymap: keymap) }
        let renderer = Renderer(keymap: keymap) { _ in [.paragraph("Body.")] }
        _ = renderer.frame(for: &state, size: Size(columns: 120, rows: 40))
        return renderer.frame(for: &state, size: Size(columns: 120, rows: 40))
    }

    func testTheStatusHintNamesTheConfiguredKeys() {
        XCTAssertTrue(render(.standard).rowText(39).hasSuffix("? help  q quit"))
        var keymap = Keymap.standard
        keymap.unbind(.character("q"))
        keymap.bind(.function(1), to: .help)
        keymap.unbind(.character("?"))
        let status = render(keymap).rowText(39)
        XCTAssertTrue(status.hasSuffix("F1 help  Q quit"), status)
        keymap.unbind(.character("Q"))
        XCTAssertTrue(render(keymap).rowText(39).hasSuffix("F1 help"))
    }

    func testTheHelpOverlayListsTheConfiguredKeymap() {
        var keymap = Keymap.standard
        keymap.bind(.control("d"), to: .pageDown, in: .reading)
        keymap.unbind(.character("z"))
        let text = render(keymap, help: true).text
        XCTAssertTrue(text.contains("PgDn Space ^D"), text)
        XCTAssertFalse(text.contains("zoom the reading pane"), text)
    }
}
