import Foundation
import Posts
import TextCells

/// `gazette list --json`: an array with one object per line, keys in a fixed order, archive text sanitized.
enum PostJSON {
    static func write(_ posts: [Post], marks: [PostID: Date], to output: StandardOutput) throws {
        guard !posts.isEmpty else { return try output.line("[]") }
        try output.line("[")
        for (index, post) in posts.enumerated() {
            let readAt = marks[post.id]
            let fields = [
                "\"id\":" + string(post.id.description),
                "\"title\":" + string(Sanitizer.clean(post.title)),
                "\"author\":" + (post.author.map { string(Sanitizer.clean($0)) } ?? "null"),
                "\"date\":" + (post.date.map { string($0.description) } ?? "null"),
                "\"source\":" + (post.source.map { string(Sanitizer.clean($0)) } ?? "null"),
                "\"read\":" + (readAt == nil ? "false" : "true"),
                "\"readAt\":" + (readAt.map { string(iso8601($0)) } ?? "null"),
            ]
            try output.line("  {" + fields.joined(separator: ",") + "}" + (index + 1 < posts.count ? "," : ""))
        }
        try output.line("]")
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
