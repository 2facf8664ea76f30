import Controller

/// The key table of README.md and of the man page, generated from a keymap so they never drift from
/// what the keys do (a test compares the committed files with these).
public enum KeyTable {
    public static let markdownBegin = "<!-- keys:begin -->"
    public static let markdownEnd = "<!-- keys:end -->"
    public static let manBegin = ".\\\" keys:begin"
    public static let manEnd = ".\\\" keys:end"

    static let sections: [(context: KeyContext, title: String, short: String)] = [
        (.list, "In the list", "list"), (.reading, "In the reading pane", "reading"), (.global, "Anywhere", "anywhere"),
    ]

    /// A Markdown table: where, keys, what they do; one row per group of keys with the same help.
    public static func markdown(_ keymap: Keymap) -> String {
        var lines = ["| Where | Keys | Does |", "|---|---|---|"]
        for section in sections {
            for row in keymap.helpRows where row.context == section.context {
                lines.append("| \(section.short) | \(cell(row.keys)) | \(cell(row.help)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// roff for the KEYS section of gazette(1): a subsection per pane, a tagged paragraph per group.
    public static func man(_ keymap: Keymap) -> String {
        var lines: [String] = []
        for section in sections {
            let rows = keymap.helpRows.filter { $0.context == section.context }
            guard !rows.isEmpty else { continue }
            lines.append(".SS \(section.title)")
            for row in rows {
                lines += [".TP", ".B \(roff(row.keys))", roff(row.help)]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `document` with the text between the lines `begin` and `end` replaced by `generated`; `nil` when
    /// the markers are missing.
    public static func splice(_ generated: String, into document: String, begin: String, end: String) -> String? {
        var lines = document.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: begin),
              let stop = lines[(start + 1)...].firstIndex(of: end) else { return nil }
        var body = generated.components(separatedBy: "\n")
        if body.last == "" { body.removeLast() }
        lines.replaceSubrange((start + 1)..<stop, with: body)
        return lines.joined(separator: "\n")
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
    }

    private static func roff(_ text: String) -> String {
        var out = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}
