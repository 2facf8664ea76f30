/// Keeps an HTML body under libxml2's nesting limit: libxml2 2.9 stops parsing at 256 open elements (unless
/// `HTML_PARSE_HUGE`, which is never used), and everything after that point would be lost. Start tags that would
/// nest deeper than `maximumDepth` are left out (with their end tags), so their text stays, unstyled, in the
/// element around them.
///
/// The depth is estimated as a browser counts it, with the end tags HTML lets authors leave out (`p`, `li`, `dt`,
/// `dd`, `tr`, `td`, `th`, `option`) closed where the next tag implies it.
struct NestingLimiter {
    static let maximumDepth = 200

    private var stack: [(name: String, dropped: Bool)] = []
    private var open: [String: Int] = [:]

    /// Whether the tag is kept. `closing`: an end tag; `selfClosing`: `<x/>`.
    mutating func admit(_ name: String, closing: Bool, selfClosing: Bool) -> Bool {
        if closing {
            guard open[name, default: 0] > 0, let index = stack.lastIndex(where: { $0.name == name }) else { return true }
            let dropped = stack[index].dropped
            while stack.count > index { pop() }
            return !dropped
        }
        if selfClosing || Self.void.contains(name) { return true }
        closeImplied(by: name)
        let dropped = stack.count >= Self.maximumDepth
        stack.append((name, dropped))
        open[name, default: 0] += 1
        return !dropped
    }

    private mutating func pop() {
        guard let last = stack.popLast() else { return }
        open[last.name, default: 1] -= 1
    }

    private var top: String? { stack.last?.name }

    /// Closes what `name` closes without an end tag.
    private mutating func closeImplied(by name: String) {
        switch name {
        case "li":
            if top == "p" { pop() }
            if top == "li" { pop() }
        case "dt", "dd":
            if top == "p" { pop() }
            if top == "dt" || top == "dd" { pop() }
        case "td", "th":
            if top == "td" || top == "th" { pop() }
        case "tr":
            if top == "td" || top == "th" { pop() }
            if top == "tr" { pop() }
        case "option":
            if top == "option" { pop() }
        default:
            if top == "p" && Self.closesParagraph.contains(name) { pop() }
        }
    }

    /// Elements without content.
    static let void: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "basefont", "frame", "isindex", "keygen",
    ]

    private static let closesParagraph: Set<String> = [
        "p", "div", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "section",
        "article", "header", "footer", "figure", "form", "address", "aside", "nav", "main", "details", "fieldset", "menu",
    ]
}
