import Posts
import TextCells

/// A post as plain wrapped text for `gazette show`: title, a metadata line, a blank line, then the body
/// (paragraphs separated by blank lines, bullets `  • ` and `    – ` with a hanging indent).
enum PlainPostText {
    static func lines(of post: Post, body: [Block], width: Int) -> [String] {
        var lines = PlainWrapper.wrap(Sanitizer.clean(post.title), width: width)
        let date = post.dateText ?? post.date?.description
        let metadata = [date, post.author, post.source].compactMap { $0 }.map(Sanitizer.clean).filter { !$0.isEmpty }
        if !metadata.isEmpty {
            lines += PlainWrapper.wrap(metadata.joined(separator: " · "), width: width)
        }
        var previousWasBullet = false
        for block in body {
            switch block {
            case let .paragraph(text):
                lines.append("")
                lines += PlainWrapper.wrap(Sanitizer.clean(text), width: width)
                previousWasBullet = false
            case let .bullet(level, text):
                if !previousWasBullet { lines.append("") }
                let indent = String(repeating: "  ", count: max(level, 1))
                let marker = level <= 1 ? "• " : "– "
                lines += PlainWrapper.wrap(Sanitizer.clean(text), width: width, first: indent + marker,
                                           rest: indent + "  ")
                previousWasBullet = true
            }
        }
        return lines
    }
}
