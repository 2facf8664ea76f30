import TextCells

/// `Sanitizer.clean` on arbitrary bytes (decoded as UTF-8, invalid sequences becoming U+FFFD).
///
/// Invariants:
/// - idempotent: `clean(clean(x)) == clean(x)`;
/// - nothing that moves the cursor or changes the terminal survives: no C0 or C1 control, DEL, ESC, bidi
///   embedding/override/isolate/mark, U+2028/U+2029, and no other format character (category Cf) except a ZWJ
///   between two emoji and tag characters after a black flag;
/// - printable ASCII comes back unchanged;
/// - for text without ESC (so no sequence to swallow) and without ZWJ or tags, the output is exactly what a
///   scalar-by-scalar model gives: tab → four spaces, each run of line breaks → one space, controls and format
///   characters dropped, everything else kept in order. So no visible character is lost, added or reordered.
public enum SanitizerFuzz: FuzzTarget {
    public static let name = "sanitizer"

    public static func check(_ input: [UInt8]) -> [String] {
        let text = String(decoding: input, as: UTF8.self)
        let clean = Sanitizer.clean(text)
        var problems: [String] = []
        let again = Sanitizer.clean(clean)
        if again != clean {
            problems.append("not idempotent: \(debugQuoted(clean)) became \(debugQuoted(again))")
        }
        var previous: Unicode.Scalar?
        for scalar in clean.unicodeScalars {
            if let reason = forbidden(scalar, after: previous) {
                problems.append("\(reason) U+\(String(scalar.value, radix: 16, uppercase: true)) in \(debugQuoted(clean))")
                break
            }
            previous = scalar
        }
        if input.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), clean != text {
            problems.append("printable ASCII changed: \(debugQuoted(text)) became \(debugQuoted(clean))")
        }
        let scalars = text.unicodeScalars
        if !scalars.contains(where: { $0.value == 0x1B || $0.value == 0x200D || (0xE0000...0xE007F).contains($0.value) }) {
            let expected = model(text)
            if expected != clean {
                problems.append("differs from the model: \(debugQuoted(clean)), expected \(debugQuoted(expected))")
            }
        }
        return problems
    }

    /// Why `scalar` must not be in sanitized text (nil: allowed).
    static func forbidden(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar?) -> String? {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return "control" }
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C {
            return "bidi control"
        }
        if v == 0x2028 || v == 0x2029 { return "line separator" }
        if v == 0xAD { return "soft hyphen" }
        if scalar.properties.generalCategory == .format {
            if v == 0x200D, let previous, isEmojiTail(previous) { return nil }
            if (0xE0020...0xE007F).contains(v), let previous,
               previous.value == 0x1F3F4 || (0xE0020...0xE007E).contains(previous.value) { return nil }
            return "format character"
        }
        return nil
    }

    private static func isEmojiTail(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0xFE0F || (0x1F3FB...0x1F3FF).contains(v) || (0xE0020...0xE007F).contains(v)
            || (v >= 0xA9 && scalar.properties.isEmoji)
    }

    /// The sanitizer's rule for text without ESC, ZWJ or tag characters, one scalar at a time.
    static func model(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var inLineBreak = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x09:
                out.append(contentsOf: "    ".unicodeScalars)
                inLineBreak = false
            case 0x0A, 0x0D, 0x2028, 0x2029:
                if !inLineBreak { out.append(" ") }
                inLineBreak = true
            case 0..<0x20, 0x7F..<0xA0, 0xAD:
                break
            default:
                if scalar.properties.generalCategory == .format { break }
                out.append(scalar)
                inLineBreak = false
            }
        }
        return String(out)
    }
}
