import TerminalUI
import TextCells

/// `TextWrapper.wrap` (the reading pane's wrapper) on sanitized text at fuzzed widths.
///
/// Input: byte 0 chooses the width (1...64), byte 1 the first line's width (0: same as the others, else
/// 1...64), the rest is the text (UTF-8, sanitized first as the reading pane does).
/// Invariants:
/// - at least one line;
/// - every line fits its width in display cells (the first line `firstWidth`), unless its only visible grapheme
///   cluster is wider than the whole line (a wide character at width 1);
/// - no text is lost, added or reordered: the lines joined hold exactly the input's scalars, spaces aside;
/// - lines neither start nor end with a space (breaks consume spaces).
public enum WrapperFuzz: FuzzTarget {
    public static let name = "wrapper"

    private static let locale: Bool = DisplayWidth.prepareLocale()

    public static func check(_ input: [UInt8]) -> [String] {
        _ = locale
        guard input.count >= 2 else { return [] }
        let width = Int(input[0] % 64) + 1
        let firstWidth: Int? = input[1] == 0 ? nil : Int(input[1] % 64) + 1
        let text = Sanitizer.clean(String(decoding: input[2...], as: UTF8.self))
        let lines = TextWrapper.wrap(text, width: width, firstWidth: firstWidth)
        var problems: [String] = []
        let context = "width \(width), first \(firstWidth.map(String.init) ?? "-"), text \(debugQuoted(text))"
        if lines.isEmpty { problems.append("no line for \(context)") }
        for (index, line) in lines.enumerated() {
            let limit = index == 0 ? (firstWidth ?? width) : width
            let cells = DisplayWidth.of(line)
            let visible = line.filter { DisplayWidth.of($0) > 0 }
            if cells > limit && !(visible.count == 1 && DisplayWidth.of(visible) > limit) {
                problems.append("line \(index) \(debugQuoted(line)) is \(cells) cells wide, more than \(limit) (\(context))")
            }
            if line.first == " " || line.last == " " {
                problems.append("line \(index) \(debugQuoted(line)) starts or ends with a space (\(context))")
            }
        }
        let before = text.unicodeScalars.filter { $0 != " " }
        let after = lines.joined().unicodeScalars.filter { $0 != " " }
        if !before.elementsEqual(after) {
            problems.append("text lost or reordered: \(lines.map { debugQuoted($0) }) for \(context)")
        }
        return problems
    }
}
