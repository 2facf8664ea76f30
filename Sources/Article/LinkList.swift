import Posts

/// The links of an article, numbered in order of first appearance: the same URL keeps its number.
struct LinkList {
    private(set) var urls: [String] = []
    private var numbers: [String: Int] = [:]

    /// The number of `url` (1-based), given a new one when it is new.
    mutating func number(for url: String) -> Int {
        if let n = numbers[url] { return n }
        urls.append(url)
        numbers[url] = urls.count
        return urls.count
    }

    /// The blocks that end an article: a `Links:` line, then `[n] URL` per link, hanging under the URL. Long `data:`
    /// URLs are abbreviated (the list shows where a link goes; 100 KB of base64 would fill the screen).
    var blocks: [Block] {
        guard !urls.isEmpty else { return [] }
        var blocks: [Block] = [.text([Inline("Links:", .muted)], .none)]
        let widest = "[\(urls.count)]".count
        for (index, url) in urls.enumerated() {
            blocks.append(.text([Inline(Self.shown(url))], Margin(indent: widest + 1, marker: "[\(index + 1)]", tight: true)))
        }
        return blocks
    }

    /// A URL as the list shows it: `data:` URLs longer than 80 characters cut to their first 60, with their size.
    static func shown(_ url: String) -> String {
        let limit = 80
        guard url.utf8.count > limit, url.utf8.prefix(5).map({ $0 | 0x20 }) == Array("data:".utf8) else { return url }
        return String(decoding: url.utf8.prefix(60), as: UTF8.self).trimmingCharacters(in: "\u{FFFD}")
            + "… (\(url.utf8.count) bytes)"
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var s = self
        while s.last == character { s.removeLast() }
        return s
    }
}
