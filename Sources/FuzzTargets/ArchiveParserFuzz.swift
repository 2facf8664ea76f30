import Posts

/// The archive parser (`Archive(bytes:)`, then `BlockParser` for every body) on arbitrary bytes.
///
/// Invariants:
/// - it returns posts or throws `ArchiveError.noPosts`, nothing else, and never traps;
/// - posts are in file order, each body range lies inside the input, each title is non-empty;
/// - every post's body parses into blocks, none empty;
/// - for valid UTF-8 with a short title, the id is `PostID.derive(title, body bytes)` (the documented rule);
/// - line endings do not matter (the id rule promises it): for input without CR, the same text with CRLF and
///   with CR line endings gives the same posts, ids, titles and bodies.
public enum ArchiveParserFuzz: FuzzTarget {
    public static let name = "archive-parser"

    struct Summary: Equatable {
        var id: PostID
        var title: String
        var author: String?
        var dateText: String?
        var source: String?
        var body: [Block]
    }

    public static func check(_ input: [UInt8]) -> [String] {
        var problems: [String] = []
        guard let posts = parse(input, problems: &problems) else { return problems }
        if !input.contains(0x0D), input.contains(0x0A) {
            for (name, ending) in [("CRLF", [UInt8]([0x0D, 0x0A])), ("CR", [0x0D])] {
                var converted: [UInt8] = []
                converted.reserveCapacity(input.count * 2)
                for byte in input {
                    if byte == 0x0A { converted += ending } else { converted.append(byte) }
                }
                var ignored: [String] = []
                let other = parse(converted, problems: &ignored) ?? []
                if other != posts {
                    problems.append("\(name) line endings change the posts: \(posts.count) posts \(posts.map(\.id)) "
                                    + "became \(other.count) \(other.map(\.id))")
                }
            }
        }
        return problems
    }

    /// The posts of `input` in a comparable form, checking the per-archive invariants; nil when there are none.
    static func parse(_ input: [UInt8], problems: inout [String]) -> [Summary]? {
        let archive: Archive
        do {
            archive = try Archive(bytes: input)
        } catch ArchiveError.noPosts {
            return nil
        } catch {
            problems.append("unexpected error \(error)")
            return nil
        }
        let validUTF8 = String(validating: input, as: UTF8.self) != nil
        var summaries: [Summary] = []
        var previousStart = 0
        for (index, post) in archive.posts.enumerated() {
            let range = post.bodyRange
            if range.lowerBound < 0 || range.upperBound > input.count {
                problems.append("post \(index): body range \(range) outside 0..<\(input.count)")
                continue
            }
            if range.lowerBound < previousStart {
                problems.append("post \(index): body starts at \(range.lowerBound), before the previous post's")
            }
            previousStart = range.lowerBound
            if post.title.isEmpty { problems.append("post \(index): empty title") }
            let blocks = archive.body(of: post)
            for block in blocks {
                switch block {
                case .paragraph(let text), .bullet(_, let text):
                    if text.isEmpty { problems.append("post \(index): an empty block") }
                default:
                    problems.append("post \(index): a text archive gave a block of HTML's kinds")
                }
            }
            if validUTF8, post.title.utf8.count < 1000 {
                let expected = PostID.derive(title: Array(post.title.utf8), body: input[range])
                let untitled = PostID.derive(title: [UInt8](), body: input[range])
                if expected != post.id && !(post.title == Post.untitled && untitled == post.id) {
                    problems.append("post \(index): id \(post.id) but the rule gives \(expected) "
                                    + "for title \(debugQuoted(post.title))")
                }
            }
            summaries.append(Summary(id: post.id, title: post.title, author: post.author, dateText: post.dateText,
                                     source: post.source, body: blocks))
        }
        return summaries
    }
}
