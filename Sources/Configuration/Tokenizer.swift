/// Splits one configuration line into words, newsboat style.
///
/// Words are separated by spaces or tabs. A word that starts with `"` runs to the next unescaped `"`
/// (`\"` and `\\` inside stand for `"` and `\`), so it may hold spaces or start with `#`. A `#` at the
/// start of a word begins a comment that runs to the end of the line (`bind-key "#" help` binds `#`).
enum Tokenizer {
    struct Failure: Error, Equatable {
        var message: String
    }

    static func words(_ line: Substring) throws(Failure) -> [String] {
        var words: [String] = []
        var scalars = line.unicodeScalars[...]
        while true {
            while let c = scalars.first, c == " " || c == "\t" { scalars = scalars.dropFirst() }
            guard let first = scalars.first else { return words }
            if first == "#" { return words }
            if first == "\"" {
                scalars = scalars.dropFirst()
                var word = String.UnicodeScalarView()
                var closed = false
                while let c = scalars.first {
                    scalars = scalars.dropFirst()
                    if c == "\"" { closed = true; break }
                    if c == "\\", let next = scalars.first {
                        word.append(next)
                        scalars = scalars.dropFirst()
                    } else {
                        word.append(c)
                    }
                }
                guard closed else { throw Failure(message: "unterminated quote (a \" without its closing \")") }
                if let c = scalars.first, c != " " && c != "\t" {
                    throw Failure(message: "a closing quote must be followed by a space or the end of the line")
                }
                words.append(String(word))
            } else {
                var word = String.UnicodeScalarView()
                while let c = scalars.first, c != " " && c != "\t" {
                    word.append(c)
                    scalars = scalars.dropFirst()
                }
                words.append(String(word))
            }
        }
    }

    /// `word` as it must be written in a configuration file to read back as itself.
    static func quoted(_ word: String) -> String {
        let needsQuotes = word.isEmpty || word.hasPrefix("#") || word.hasPrefix("\"")
            || word.unicodeScalars.contains { $0 == " " || $0 == "\t" }
        guard needsQuotes else { return word }
        var result = "\""
        for c in word.unicodeScalars {
            if c == "\"" || c == "\\" { result += "\\" }
            result.unicodeScalars.append(c)
        }
        return result + "\""
    }

    /// `text` for an error message: in single quotes, control characters and the like as `\u{…}`.
    static func shown(_ text: String) -> String {
        var result = "'"
        for c in text.unicodeScalars.prefix(80) {
            let v = c.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x200B...0x200F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFEFF {
                result += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(c)
            }
        }
        if text.unicodeScalars.count > 80 { result += "…" }
        return result + "'"
    }
}
