import Configuration
import Controller
import Foundation
import Posts
import TerminalUI

/// `o` and `|`: the browser and the pager, run with the terminal suspended and taken back afterwards.
final class ExternalPrograms {
    private let terminal: Terminal
    /// `set browser`, else `$BROWSER` (colon-separated commands, `%s` for the URL).
    private let browser: String?
    /// `set pager`, else `$PAGER`.
    private let pager: String?
    private let measure: Int

    init(terminal: Terminal, settings: Configuration, environment: [String: String]) {
        self.terminal = terminal
        browser = settings.browser ?? environment["BROWSER"].flatMap { $0.isEmpty ? nil : $0 }
        pager = settings.pager ?? environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 }
        measure = settings.measure
    }

    /// Opens a link of the post in the browser: link `[number]` of the article, or (`nil`) the post's own link (a
    /// feed item's link, else the first http(s) link of a text archive's post: its body, else its source line).
    /// Only http, https and mailto URLs are ever passed on, as one argument, without a shell.
    func openLink(in post: Post, number: Int?, library: PostBodies) -> Action {
        let body = library.body(of: post)
        let url: String
        if let number {
            guard body.links.indices.contains(number - 1) else {
                let count = body.links.count
                return .showStatus(StatusMessage("No link [\(number)] in this post (it has "
                                                 + (count == 0 ? "none)" : count == 1 ? "[1] only)" : "[1] to [\(count)])"),
                                                 isError: true))
            }
            url = body.links[number - 1]
        } else {
            guard let found = body.links.first ?? LinkFinder.firstWebURL(in: BlockParser.plainText(body.blocks))
                    ?? post.source.flatMap(LinkFinder.firstWebURL(in:)) else {
                return .showStatus(StatusMessage("No link in this post"))
            }
            url = found
        }
        guard LinkFinder.mayOpen(url) else {
            return .showStatus(StatusMessage("Not opened: only http, https and mailto links go to the browser",
                                             isError: true))
        }
        let commands = ExternalCommands.browserCommands(browser, url: url)
        terminal.suspend()
        defer { terminal.resume() }
        var failure: (name: String, errno: Int32)?
        for command in commands {
            switch ChildProcess.run(command) {
            case .exited(0):
                return .showStatus(StatusMessage("Opened \(url)"))
            case .exited(let status):
                return .showStatus(StatusMessage("\(command[0]) exited with status \(status) (opening \(url))", isError: true))
            case .notStarted(let code):
                failure = failure ?? (command[0], code)
            }
        }
        let reason = failure.map { "\($0.name): \(String(cString: strerror($0.errno)))" } ?? "no browser"
        return .showStatus(StatusMessage("Could not start a browser (\(reason)); set BROWSER", isError: true))
    }

    /// Shows the post as plain text (the reading pane's layout, sanitized) in the pager.
    func page(_ post: Post, library: PostBodies) -> Action? {
        let width = max(20, min(terminal.size.columns - 1, measure))
        let body = library.body(of: post)
        let article = ArticleLayout(post: post, blocks: body.blocks, width: width, byline: body.byline)
        let text = article.lines.map(\.text).joined(separator: "\n") + "\n"
        let command = ExternalCommands.pagerCommand(pager)
        terminal.suspend()
        defer { terminal.resume() }
        switch ChildProcess.run(command, input: Array(text.utf8)) {
        case .exited(0), .exited(128 + SIGPIPE):
            return nil
        case .exited(let status):
            return .showStatus(StatusMessage("\(command[0]) exited with status \(status)", isError: true))
        case .notStarted(let code):
            return .showStatus(StatusMessage("Could not start the pager \(command[0]): \(String(cString: strerror(code)))"
                                             + " (set PAGER)", isError: true))
        }
    }
}
