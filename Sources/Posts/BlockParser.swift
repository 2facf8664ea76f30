/// Turns a post's body bytes into blocks, when the post is shown.
///
/// - Blank lines (whitespace and no-break spaces only) separate blocks.
/// - A bullet line is its own block: `•` after any indentation, level 2 when a dash (`–`, `—` or `-`) follows the
///   bullet or the line is indented four columns or more (`  • text` is level 1, `  • – text` level 2); `◦` is
///   level 2; `- text` and `* text` are bullets too (level 2 when indented two columns or more).
/// - Other lines join the paragraph above with one space; an indented line right after a bullet continues it.
/// - Lines lose leading and trailing whitespace (no-break spaces included); inner no-break spaces stay.
/// - Lines end with LF, CRLF or CR. Invalid UTF-8 becomes U+FFFD.
public enum BlockParser {
    public static func parse(_ bytes: some Collection<UInt8>) -> [Block] {
        if let r = bytes.withContiguousStorageIfAvailable({ parse($0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { parse($0) }
    }

    public static func parse(_ buf: UnsafeBufferPointer<UInt8>) -> [Block] {
        guard let p = buf.baseAddress else { return [] }
        let n = buf.count
        var blocks: [Block] = []
        var text: [UInt8] = []
        var bulletLevel = 0  // 0: the open block (if any) is a paragraph
        var s = 0

        func flush() {
            guard !text.isEmpty else { return }
            let string = String(decoding: text, as: UTF8.self)
            blocks.append(bulletLevel > 0 ? .bullet(level: bulletLevel, text: string) : .paragraph(string))
            text.removeAll(keepingCapacity: true)
            bulletLevel = 0
        }

        func append(_ r: Range<Int>) {
            guard !r.isEmpty else { return }
            if !text.isEmpty { text.append(0x20) }
            text.append(contentsOf: UnsafeBufferPointer(start: p + r.lowerBound, count: r.count))
        }

        while s < n {
            var e = s
            while e < n && p[e] != 0x0A && p[e] != 0x0D { e += 1 }
            let next = e < n && p[e] == 0x0D && e + 1 < n && p[e + 1] == 0x0A ? e + 2 : e + 1
            defer { s = next }

            // Indentation in columns (tab = 4), and the content without surrounding whitespace.
            var indent = 0
            var c = s
            while c < e {
                if p[c] == 0x20 { indent += 1; c += 1 }
                else if p[c] == 0x09 { indent += 4; c += 1 }
                else if p[c] == 0xC2 && c + 1 < e && p[c + 1] == 0xA0 { indent += 1; c += 2 }
                else if ByteText.isSpace(p[c]) { c += 1 }
                else { break }
            }
            let content = ByteText.trim(p, c, e)
            if content.isEmpty {
                flush()
                continue
            }
            if let (level, rest) = bullet(p, content, indent: indent) {
                flush()
                bulletLevel = level
                append(rest)
                if text.isEmpty { bulletLevel = 0 }  // a bare bullet sign: nothing to show
                continue
            }
            if bulletLevel > 0 && indent == 0 { flush() }
            append(content)
        }
        flush()
        return blocks
    }

    /// Level and text of a bullet line, or nil.
    private static func bullet(_ p: UnsafePointer<UInt8>, _ r: Range<Int>, indent: Int) -> (Int, Range<Int>)? {
        let i = r.lowerBound
        var level: Int
        var k: Int
        if r.count >= 3 && p[i] == 0xE2 && p[i + 1] == 0x80 && p[i + 2] == 0xA2 {  // •
            level = indent >= 4 ? 2 : 1
            k = i + 3
        } else if r.count >= 3 && p[i] == 0xE2 && p[i + 1] == 0x97 && p[i + 2] == 0xA6 {  // ◦
            level = 2
            k = i + 3
        } else if (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "*")) && r.count >= 3
                    && p[i + 1] == 0x20 && !ByteText.isSpace(p[i + 2]) && p[i + 2] != p[i] {
            return (indent >= 2 ? 2 : 1, ByteText.trim(p, i + 2, r.upperBound))
        } else {
            return nil
        }
        // The sign must stand alone.
        guard k == r.upperBound || ByteText.isSpace(p[k]) || (p[k] == 0xC2 && k + 1 < r.upperBound && p[k + 1] == 0xA0)
        else { return nil }
        var rest = ByteText.trim(p, k, r.upperBound)
        // A dash after the bullet: level 2 (`• – text`).
        let j = rest.lowerBound
        var dashEnd = -1
        if rest.count >= 3 && p[j] == 0xE2 && p[j + 1] == 0x80 && (p[j + 2] == 0x93 || p[j + 2] == 0x94) {
            dashEnd = j + 3
        } else if rest.count >= 1 && p[j] == UInt8(ascii: "-") {
            dashEnd = j + 1
        }
        if dashEnd >= 0 && (dashEnd == rest.upperBound || ByteText.isSpace(p[dashEnd])
                            || (p[dashEnd] == 0xC2 && dashEnd + 1 < rest.upperBound && p[dashEnd + 1] == 0xA0)) {
            level = 2
            rest = ByteText.trim(p, dashEnd, rest.upperBound)
        }
        return (level, rest)
    }

    /// The blocks as plain text, one block a line, bullets marked `• ` (level 1) and `  – ` (level 2).
    public static func plainText(_ blocks: [Block]) -> String {
        var out = ""
        for block in blocks {
            if !out.isEmpty { out += "\n" }
            switch block {
            case .paragraph(let t): out += t
            case .bullet(let level, let t): out += (level > 1 ? "  – " : "• ") + t
            case .text(let runs, let margin), .heading(_, let runs, let margin):
                out += (margin.marker.map { $0 + " " } ?? "") + runs.map(\.text).joined()
            case .verbatim(let lines, _): out += lines.joined(separator: "\n")
            case .rule: out += "—"
            case .table(let table, _):
                out += table.rows.map { row in row.map { $0.map(\.text).joined() }.joined(separator: "\t") }
                    .joined(separator: "\n")
            }
        }
        return out
    }
}
