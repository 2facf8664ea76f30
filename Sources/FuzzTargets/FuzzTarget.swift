/// A fuzz target's body: checks one input and reports every broken invariant.
///
/// The same bodies run under libFuzzer (`make fuzz`: the `Fuzz…` executables, whose `main.swift` only forwards
/// `LLVMFuzzerTestOneInput` here and traps on a violation) and under `swift test` (`FuzzCorpusTests` replays the
/// committed corpus in `Tests/FuzzCorpus/<name>/` and asserts no violation). A crash inside a body is a finding too.
public protocol FuzzTarget {
    /// The corpus directory's name under `Tests/FuzzCorpus/`.
    static var name: String { get }
    /// Runs the code under test on `input`; returns a description of each invariant it broke (none: passed).
    static func check(_ input: [UInt8]) -> [String]
}

/// What the libFuzzer entry points call.
public enum FuzzEntry {
    /// Runs `target` on the `size` bytes at `data`; a broken invariant stops the process (libFuzzer then saves
    /// the input as a crash artifact).
    public static func run<T: FuzzTarget>(_ target: T.Type, _ data: UnsafePointer<UInt8>?, _ size: Int) {
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        let violations = T.check(input)
        if !violations.isEmpty {
            fatalError("\(T.name): " + violations.joined(separator: "; "))
        }
    }

    /// Every target, for the corpus replay.
    public static var targets: [any FuzzTarget.Type] {
        [ArchiveParserFuzz.self, SanitizerFuzz.self, WrapperFuzz.self, ConfigurationParserFuzz.self, ArticleFuzz.self,
         FeedFuzz.self]
    }
}

/// A short, printable rendering of a string for violation messages.
func debugQuoted(_ text: some StringProtocol, limit: Int = 120) -> String {
    var result = ""
    for scalar in text.unicodeScalars.prefix(limit) {
        result += scalar.escaped(asASCII: true)
    }
    return "\"" + result + (text.unicodeScalars.count > limit ? "…" : "") + "\""
}
