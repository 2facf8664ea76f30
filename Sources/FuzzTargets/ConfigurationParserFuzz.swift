import Configuration

/// The configuration parser on arbitrary bytes (issue 7). The invariants are `ConfigurationFuzzCheck`'s:
/// no crash, every problem on a line of the file, and `gazette config dump` of the result reads back
/// without a problem and dumps to the same text.
public enum ConfigurationParserFuzz: FuzzTarget {
    public static let name = "configuration"

    public static func check(_ input: [UInt8]) -> [String] {
        ConfigurationFuzzCheck.check(input)
    }
}
