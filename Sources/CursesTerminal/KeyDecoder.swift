import CNcursesw
import Controller

/// Turns what `wget_wch` returns into our `Key` vocabulary.
///
/// Pure functions of the code, so the table reads in one place. ESC handling (lone ESC versus
/// Meta) needs more input and lives in `CursesTerminal.nextEvent`.
enum KeyDecoder {
    /// A character code (`wget_wch` returned `OK`). `nil` for codes we ignore (C1 controls,
    /// invalid scalars). ESC (27) is decoded by the caller.
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter  // tmux send-keys Enter arrives as \n; a real terminal with nonl sends \r
        case 8, 127: return .backspace
        case 27: return .escape
        case 0: return .control("@")
        case 1...26: return .control(Unicode.Scalar(UInt8(0x60 + code)))  // ^A → "a"
        case 28...31: return .control(Unicode.Scalar(UInt8(0x40 + code)))  // ^\ ^] ^^ ^_
        case 0x80...0x9F: return nil  // C1 controls never reach the reader
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(scalar)
        }
    }

    /// A function-key code (`wget_wch` returned `KEY_CODE_YES`). `nil` for keys we ignore.
    /// KEY_RESIZE and KEY_MOUSE are handled by the caller.
    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case gz_key_up(): return .up
        case gz_key_down(): return .down
        case gz_key_left(): return .left
        case gz_key_right(): return .right
        case gz_key_ppage(), gz_key_a3(): return .pageUp
        case gz_key_npage(), gz_key_c3(): return .pageDown
        // Home and End: terminfo's names differ per terminal. xterm's ESC[1~ / ESC[4~ are
        // "find" / "select"; the keypad corners are A1 / C1.
        case gz_key_home(), gz_key_find(), gz_key_a1(): return .home
        case gz_key_end(), gz_key_select(), gz_key_c1(), gz_key_ll(): return .end
        case gz_key_enter(): return .enter
        case gz_key_btab(): return .backTab
        case gz_key_backspace(): return .backspace
        case gz_key_dc(): return .delete
        case gz_key_ic(): return .insert
        default:
            let n = Int(code) - Int(gz_key_f(0))
            if (1...63).contains(n) { return .function(n) }
            return nil
        }
    }

    /// The key for ESC followed at once by `code` (Alt/Meta sends ESC then the key).
    /// `nil` when the pair is not a Meta key: the caller pushes `code` back and reports ESC.
    static func meta(_ code: UInt32) -> Key? {
        guard code >= 0x20, code != 127, !(0x80...0x9F).contains(code),
              let scalar = Unicode.Scalar(code) else { return nil }
        return .meta(scalar)
    }
}
