import CNcursesw
import TerminalUI

/// Maps a `Style` to curses attributes and a colour pair.
///
/// Each `Tint` gets a look that reads on dark and light backgrounds alike: foreground colours
/// only on the terminal's default background (cyan, red), or black on yellow, never a fixed
/// background behind ordinary text. Without colours (or with `NO_COLOR`) every tint falls back
/// to attributes, so the meaning survives on a monochrome terminal.
struct Palette {
    private var attributesByTint: [attr_t]
    private var pairByTint: [Int16]

    /// Builds the palette. With `colors` it also initialises the colour pairs, so call it only
    /// after `start_color`; `defaultColors` says whether `use_default_colors` succeeded (if not,
    /// "default" means white on black).
    init(colors: Bool, defaultColors: Bool) {
        let count = Int(Tint.allCases.map(\.rawValue).max() ?? 0) + 1
        attributesByTint = Array(repeating: gz_a_normal(), count: count)
        pairByTint = Array(repeating: 0, count: count)
        let looks = colors ? Palette.colorLooks() : Palette.monochromeLooks()
        for tint in Tint.allCases {
            let look = looks[tint] ?? Look(colors: nil, attributes: gz_a_normal())
            var pair: Int16 = 0
            if var (fg, bg) = look.colors {
                if !defaultColors {
                    if fg < 0 { fg = gz_color_white() }
                    if bg < 0 { bg = gz_color_black() }
                }
                pair = Int16(tint.rawValue) + 1
                if init_pair(pair, fg, bg) == gz_err() { pair = 0 }
            }
            attributesByTint[Int(tint.rawValue)] = look.attributes
            pairByTint[Int(tint.rawValue)] = pair
        }
    }

    /// Curses attributes and colour pair for `style`.
    func curses(_ style: Style) -> (attributes: attr_t, pair: Int16) {
        var attrs = attributesByTint[Int(style.tint.rawValue)]
        let a = style.attributes
        if !a.isEmpty {
            if a.contains(.bold) { attrs |= gz_a_bold() }
            if a.contains(.dim) { attrs |= gz_a_dim() }
            if a.contains(.reverse) { attrs |= gz_a_reverse() }
            if a.contains(.underline) { attrs |= gz_a_underline() }
            if a.contains(.italic) { attrs |= gz_a_italic() }
        }
        return (attrs, pairByTint[Int(style.tint.rawValue)])
    }

    private struct Look {
        var colors: (foreground: Int16, background: Int16)?
        var attributes: attr_t
    }

    /// Looks with colours. A table rather than a switch, so a new `Tint` draws as `.normal`
    /// until it gets an entry here.
    private static func colorLooks() -> [Tint: Look] {
        let dflt = gz_color_default()
        return [
            .accent: Look(colors: (gz_color_cyan(), dflt), attributes: gz_a_normal()),
            .muted: Look(colors: nil, attributes: gz_a_dim()),
            .selection: Look(colors: nil, attributes: gz_a_reverse()),
            .statusBar: Look(colors: nil, attributes: gz_a_reverse()),
            .error: Look(colors: (gz_color_red(), dflt), attributes: gz_a_bold()),
            .border: Look(colors: nil, attributes: gz_a_dim()),
            .highlight: Look(colors: (gz_color_black(), gz_color_yellow()), attributes: gz_a_normal()),
            .title: Look(colors: nil, attributes: gz_a_bold()),
        ]
    }

    /// Looks without colours: attributes carry the meaning.
    private static func monochromeLooks() -> [Tint: Look] {
        [
            .accent: Look(colors: nil, attributes: gz_a_bold()),
            .muted: Look(colors: nil, attributes: gz_a_dim()),
            .selection: Look(colors: nil, attributes: gz_a_reverse()),
            .statusBar: Look(colors: nil, attributes: gz_a_reverse()),
            .error: Look(colors: nil, attributes: gz_a_bold() | gz_a_underline()),
            .highlight: Look(colors: nil, attributes: gz_a_reverse() | gz_a_bold()),
            .title: Look(colors: nil, attributes: gz_a_bold()),
        ]
    }
}
