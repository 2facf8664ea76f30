/// The argument vectors of the programs `o` and `|` run: no shell is involved, so nothing in a URL or
/// a setting is ever interpreted by one.
public enum ExternalCommands {
    /// The commands to try, in order, to open `url`: `browser` (the `browser` setting or `$BROWSER`) is a
    /// colon-separated list of commands; in each, `%s` stands for the URL (`%%` for a `%`), and without a
    /// `%s` the URL is added as the last argument. Without a list, `xdg-open URL`.
    public static func browserCommands(_ browser: String?, url: String) -> [[String]] {
        let list = (browser ?? "").split(separator: ":").map(String.init)
        var commands: [[String]] = []
        for entry in list {
            var words = self.words(entry)
            guard !words.isEmpty else { continue }
            var substituted = false
            words = words.map { word in
                guard word.contains("%") else { return word }
                var out = ""
                var scalars = word.unicodeScalars[...]
                while let c = scalars.first {
                    scalars = scalars.dropFirst()
                    if c == "%", let next = scalars.first, next == "s" || next == "%" {
                        scalars = scalars.dropFirst()
                        if next == "s" { out += url; substituted = true } else { out += "%" }
                    } else {
                        out.unicodeScalars.append(c)
                    }
                }
                return out
            }
            if !substituted { words.append(url) }
            commands.append(words)
        }
        return commands.isEmpty ? [["xdg-open", url]] : commands
    }

    /// The pager's argument vector: the `pager` setting, else `$PAGER`, else `less`.
    public static func pagerCommand(_ pager: String?) -> [String] {
        let words = self.words(pager ?? "")
        return words.isEmpty ? ["less"] : words
    }

    /// `text` split at spaces and tabs; single or double quotes keep spaces inside a word, a backslash
    /// outside single quotes keeps the next character as it is.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Unicode.Scalar?
        var scalars = text.unicodeScalars[...]
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\", q == "\"", let next = scalars.first {
                    current.unicodeScalars.append(next)
                    scalars = scalars.dropFirst()
                } else {
                    current.unicodeScalars.append(c)
                }
            } else if c == " " || c == "\t" || c == "\n" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == "\\", let next = scalars.first {
                current.unicodeScalars.append(next)
                scalars = scalars.dropFirst()
                inWord = true
            } else {
                current.unicodeScalars.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
