import Controller

/// Key names in configuration files: `j`, `G`, `^D`, `M-x`, `F1`, and named keys in any case
/// (`ENTER`, `PGDOWN`, `Space`). The help's names (`PgDn`, `Esc`, `S-Tab`) work too.
public enum KeyName {
    /// Named keys, upper case, with their aliases.
    static let named: [(names: [String], key: Key)] = [
        (["UP"], .up), (["DOWN"], .down), (["LEFT"], .left), (["RIGHT"], .right),
        (["PGUP", "PAGEUP", "PAGE-UP", "PPAGE"], .pageUp),
        (["PGDOWN", "PGDN", "PAGEDOWN", "PAGE-DOWN", "NPAGE"], .pageDown),
        (["HOME"], .home), (["END"], .end),
        (["ENTER", "RETURN"], .enter), (["ESC", "ESCAPE"], .escape),
        (["TAB"], .tab), (["BACKTAB", "S-TAB", "SHIFT-TAB", "BTAB"], .backTab),
        (["BACKSPACE", "BS"], .backspace), (["DELETE", "DEL"], .delete), (["INSERT", "INS"], .insert),
        (["SPACE", "SPC"], .character(" ")),
    ]

    static let namedList = "UP DOWN LEFT RIGHT PGUP PGDOWN HOME END ENTER ESC TAB BACKTAB BACKSPACE DELETE INSERT SPACE"

    /// The key `name` stands for.
    public static func parse(_ name: String) throws(KeyNameError) -> Key {
        let scalars = Array(name.unicodeScalars)
        guard !scalars.isEmpty else { throw KeyNameError("an empty key name") }
        if scalars.count == 1 {
            let c = scalars[0]
            guard isPrintable(c), c != " " else {
                throw KeyNameError("\(Tokenizer.shown(name)) is not a key name: write control keys as ^X, space as SPACE")
            }
            return .character(c)
        }
        let upper = name.uppercased()
        if let entry = named.first(where: { $0.names.contains(upper) }) { return entry.key }
        if scalars.count == 2, scalars[0] == "^" { return try control(scalars[1], name: name) }
        if scalars.count == 3, upper.hasPrefix("C-") { return try control(scalars[2], name: name) }
        if upper.hasPrefix("M-") || upper.hasPrefix("A-") {
            let rest = String(String.UnicodeScalarView(scalars.dropFirst(2)))
            if rest.uppercased() == "SPACE" { return .meta(" ") }
            guard rest.unicodeScalars.count == 1, let c = rest.unicodeScalars.first, isPrintable(c), c != " " else {
                throw KeyNameError("\(Tokenizer.shown(name)) is not a meta key (M- and one character, e.g. M-x)")
            }
            return .meta(c)
        }
        if upper.hasPrefix("F"), let n = Int(upper.dropFirst()), upper.dropFirst().allSatisfy(\.isASCII) {
            guard (1...63).contains(n) else { throw KeyNameError("function keys are F1 to F63, not \(Tokenizer.shown(name))") }
            return .function(n)
        }
        throw KeyNameError("unknown key name \(Tokenizer.shown(name)) (one character, ^X, M-x, F1 to F63, or \(namedList))")
    }

    /// `^X`: a letter (either case) or one of @ [ \ ] ^ _. ^I, ^M, ^J, ^H and ^[ are the keys terminals
    /// send for them (Tab, Enter, Enter, Backspace, Esc).
    private static func control(_ c: Unicode.Scalar, name: String) throws(KeyNameError) -> Key {
        let lower = Unicode.Scalar(c.value >= 0x41 && c.value <= 0x5A ? c.value + 0x20 : c.value)!
        switch lower {
        case "i": return .tab
        case "m", "j": return .enter
        case "h": return .backspace
        case "[": return .escape
        case "a"..."z", "@", "\\", "]", "^", "_": return .control(lower)
        default:
            throw KeyNameError("\(Tokenizer.shown(name)) is not a control key (^A to ^Z, ^@, ^[, ^\\, ^], ^^ or ^_)")
        }
    }

    private static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return false }
        switch c.properties.generalCategory {
        case .format, .control, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .nonspacingMark,
             .enclosingMark, .spacingMark:
            return false
        default:
            return true
        }
    }

    /// The name a configuration file uses for `key` (what `gazette config dump` writes), before quoting.
    public static func name(of key: Key) -> String {
        switch key {
        case .character(" "): return "SPACE"
        case .character(let c): return String(c)
        case .control(let c):
            return "^" + String(c).uppercased()
        case .meta(" "): return "M-SPACE"
        case .meta(let c): return "M-" + String(c)
        case .up: return "UP"
        case .down: return "DOWN"
        case .left: return "LEFT"
        case .right: return "RIGHT"
        case .pageUp: return "PGUP"
        case .pageDown: return "PGDOWN"
        case .home: return "HOME"
        case .end: return "END"
        case .enter: return "ENTER"
        case .escape: return "ESC"
        case .tab: return "TAB"
        case .backTab: return "BACKTAB"
        case .backspace: return "BACKSPACE"
        case .delete: return "DELETE"
        case .insert: return "INSERT"
        case .function(let n): return "F\(n)"
        }
    }
}

/// Why a key name was not understood.
public struct KeyNameError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
