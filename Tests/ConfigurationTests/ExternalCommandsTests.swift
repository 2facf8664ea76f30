import Configuration
import XCTest

final class ExternalCommandsTests: XCTestCase {
    let url = "https://example.org/a?b=c&d=e"

    func testWithoutBrowserItIsXdgOpen() {
        XCTAssertEqual(ExternalCommands.browserCommands(nil, url: url), [["xdg-open", url]])
        XCTAssertEqual(ExternalCommands.browserCommands("", url: url), [["xdg-open", url]])
        XCTAssertEqual(ExternalCommands.browserCommands(" : ", url: url), [["xdg-open", url]])
    }

    func testBrowserListPlaceholdersAndAppending() {
        XCTAssertEqual(ExternalCommands.browserCommands("firefox --new-tab %s:lynx:w3m -o x=%% %s", url: url), [
            ["firefox", "--new-tab", url], ["lynx", url], ["w3m", "-o", "x=%", url],
        ])
        XCTAssertEqual(ExternalCommands.browserCommands("open-it url=%s", url: url), [["open-it", "url=" + url]])
    }

    func testTheURLIsOneArgumentWhateverItHolds() {
        let tricky = "https://example.org/$(touch x);`id`|cat 'a' \"b\""
        XCTAssertEqual(ExternalCommands.browserCommands("sh -c %s", url: tricky), [["sh", "-c", tricky]])
        XCTAssertEqual(ExternalCommands.browserCommands("lynx", url: tricky), [["lynx", tricky]])
    }

    func testPager() {
        XCTAssertEqual(ExternalCommands.pagerCommand(nil), ["less"])
        XCTAssertEqual(ExternalCommands.pagerCommand("  "), ["less"])
        XCTAssertEqual(ExternalCommands.pagerCommand("less -R +G"), ["less", "-R", "+G"])
        XCTAssertEqual(ExternalCommands.pagerCommand("'/opt/my pager/bin/pg' -s"), ["/opt/my pager/bin/pg", "-s"])
    }

    func testWords() {
        XCTAssertEqual(ExternalCommands.words("a  \"b c\" d\\ e 'f\"g' \"h\\\"i\" ''"), ["a", "b c", "d e", "f\"g", "h\"i", ""])
    }
}
