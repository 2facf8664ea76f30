import Foundation
import Posts
import TextCells

/// `gazette list --json` and `show --json`: one object per post, keys in a fixed order, every text sanitized.
///
/// Fields: `id`, `title`, `author` (the first), `authors` (all), `date` (a feed item's published, else updated
/// moment as `2020-04-14T09:30:00Z`; an archive post's day as `2020-04-14`), `updated`, `source` (an archive
/// post's attribution line), `feed` (the title of the feed or archive the post came from), `guid` (the feed's own
/// id; null for text archives), `link`, `categories`, `enclosures` (`url`, `type`, `length`), `read`, `readAt`.
enum PostJSON {
    static func write(_ posts: [Post], marks: [PostID: Date], bodies: PostBodies, to output: StandardOutput) throws {
        guard !posts.isEmpty else { return try output.line("[]") }
        try output.line("[")
        for (index, post) in posts.enumerated() {
            try output.line("  " + object(post, readAt: marks[post.id], bodies: bodies) + (index + 1 < posts.count ? "," : ""))
        }
        try output.line("]")
    }

    /// One post as a JSON object on one line; `extra` fields (already JSON) are appended.
    static func object(_ post: Post, readAt: Date?, bodies: PostBodies, extra: [String] = []) -> String {
        let details = bodies.details(of: post)
        let authors = details?.authors ?? (post.author.map { [$0] } ?? [])
        let date = post.timestamp.map(iso8601(seconds:)) ?? post.date?.description
        let fields = [
            "\"id\":" + string(post.id.description),
            "\"title\":" + string(Sanitizer.clean(post.title)),
            "\"author\":" + (post.author.map { string(Sanitizer.clean($0)) } ?? "null"),
            "\"authors\":" + array(authors.map { string(Sanitizer.clean($0)) }),
            "\"date\":" + (date.map(string) ?? "null"),
            "\"updated\":" + (details?.updated.map { string(iso8601(seconds: $0)) } ?? "null"),
            "\"source\":" + (post.source.map { string(Sanitizer.clean($0)) } ?? "null"),
            "\"feed\":" + (bodies.sourceName(of: post).map { string(Sanitizer.clean($0)) } ?? "null"),
            "\"guid\":" + (details?.guid.map { string(Sanitizer.clean($0)) } ?? "null"),
            "\"link\":" + (details?.link.map { string(Sanitizer.clean($0)) } ?? "null"),
            "\"categories\":" + array((details?.categories ?? []).map { string(Sanitizer.clean($0)) }),
            "\"enclosures\":" + array((details?.enclosures ?? []).map { e in
                "{\"url\":\(string(Sanitizer.clean(e.url))),\"type\":\(e.type.map { string(Sanitizer.clean($0)) } ?? "null"),"
                    + "\"length\":\(e.length.map(String.init) ?? "null")}"
            }),
            "\"read\":" + (readAt == nil ? "false" : "true"),
            "\"readAt\":" + (readAt.map { string(iso8601($0)) } ?? "null"),
        ] + extra
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    static func iso8601(seconds: Int64) -> String {
        iso8601(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// `2026-11-27T12:31:30Z` (UTC, whole seconds). By hand: Foundation's formatter costs ~10 µs a call.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }

    /// A JSON string literal: quotes, backslashes and every control character escaped.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
