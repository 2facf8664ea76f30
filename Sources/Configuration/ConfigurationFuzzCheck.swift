/// The body of a fuzz target for the configuration parser (libFuzzer or a corpus replay calls it).
///
/// Invariants, for any bytes (decoded as UTF-8, invalid sequences becoming U+FFFD):
/// - parsing never crashes, and every problem names the file and a line that exists;
/// - `dump` of the result is a configuration file without a single problem;
/// - reading that dump back and dumping again gives the same text (dump → check round-trips).
public enum ConfigurationFuzzCheck {
    public static func check(_ input: [UInt8]) -> [String] {
        let text = String(decoding: input, as: UTF8.self)
        // The file can include itself (a cycle) or anything else (missing).
        let parser = ConfigurationParser(files: .memory(["/fuzz/config": text]))
        var configuration = Configuration()
        let diagnostics = parser.load(path: "/fuzz/config", into: &configuration)
        var problems: [String] = []
        let lineCount = ConfigurationParser.lines(of: text).count
        for diagnostic in diagnostics {
            guard diagnostic.file == "/fuzz/config", let line = diagnostic.line, (1...lineCount).contains(line) else {
                problems.append("diagnostic outside the file: \(diagnostic)")
                continue
            }
            if diagnostic.message.isEmpty { problems.append("empty message at line \(line)") }
        }
        let dump = configuration.dump
        var again = Configuration()
        let dumpDiagnostics = ConfigurationParser(files: .memory([:])).parse(dump, file: "/fuzz/dump", into: &again)
        if !dumpDiagnostics.isEmpty {
            problems.append("the dump has problems: " + dumpDiagnostics.map(\.description).joined(separator: "; "))
        }
        if again.dump != dump {
            problems.append("dump does not round-trip")
        }
        if again.keymap != configuration.keymap {
            problems.append("the keymap does not round-trip")
        }
        return problems
    }
}
