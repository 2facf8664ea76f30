import CNcursesw
import TerminalUI

/// Maps a `Style` to curses attributes and a colour pair.
///
/// With colours each tint is drawn as `Theme.look(for:)` says: the user's `color` line, else the built-in
/// look (`Theme.builtIn`, which reads on dark and light backgrounds, on 8 and 256 colours). Text in the
/// default look keeps the terminal's own colours (pair 0). A colour the terminal does not have
/// (`color200` on 8 colours) falls back to its ANSI base (8–15) or the default. Without colours (or with `NO_COLOR`)
/// every tint is drawn with attributes alone, so the meaning survives on a monochrome terminal.
struct Palette {
    private var attributesByTint: [attr_t]
    private var pairByTint: [Int16]
    /// The colours of each tint's pair (-1: the terminal's default), for drawing without curses.
    private var colorsByTint: [(foreground: Int16, background: Int16)]

    /// Builds the palette. With `colors` it also initialises the colour pairs, so call it only
    /// after `start_color`; `defaultColors` says whether `use_default_colors` succeeded (if not,
    /// "default" means white on black); `colorCount` is the terminal's number of colours.
    init(colors: Bool, defaultColors: Bool, colorCount: Int = 8, theme: Theme = .standard) {
        let count = Int(Tint.allCases.map(\.rawValue).max() ?? 0) + 1
        attributesByTint = Array(repeating: gz_a_normal(), count: count)
        pairByTint = Array(repeating: 0, count: count)
        colorsByTint = Array(repeating: (-1, -1), count: count)
        for tint in Tint.allCases {
            var look: Look
            if colors {
                let chosen = theme.look(for: tint)
                look = Look(colors: (Palette.curses(chosen.foreground, colorCount: colorCount),
                                     Palette.curses(chosen.background, colorCount: colorCount)),
                            attributes: Palette.curses(chosen.attributes))
            } else {
                look = Palette.monochromeLooks()[tint] ?? Look(colors: nil, attributes: gz_a_normal())
                if let chosen = theme.looks[tint] { look.attributes |= Palette.curses(chosen.attributes) }
            }
            var pair: Int16 = 0
            if var (fg, bg) = look.colors, fg >= 0 || bg >= 0 {
                if !defaultColors {
                    if fg < 0 { fg = gz_color_white() }
                    if bg < 0 { bg = gz_color_black() }
                }
                pair = Int16(tint.rawValue) + 1
                if init_pair(pair, fg, bg) == gz_err() {
                    pair = 0
                } else {
                    colorsByTint[Int(tint.rawValue)] = (fg, bg)
                }
            }
            attributesByTint[Int(tint.rawValue)] = look.attributes
            pairByTint[Int(tint.rawValue)] = pair
        }
    }

    /// Curses attributes and colour pair for `style`.
    func curses(_ style: Style) -> (attributes: attr_t, pair: Int16) {
        (attributesByTint[Int(style.tint.rawValue)] | Palette.curses(style.attributes), pairByTint[Int(style.tint.rawValue)])
    }

    /// The colours `style` is drawn in (-1: the terminal's default).
    func colors(_ style: Style) -> (foreground: Int16, background: Int16) {
        colorsByTint[Int(style.tint.rawValue)]
    }

    private static func curses(_ a: Attributes) -> attr_t {
        var attrs = gz_a_normal()
        if a.isEmpty { return attrs }
        if a.contains(.bold) { attrs |= gz_a_bold() }
        if a.contains(.dim) { attrs |= gz_a_dim() }
        if a.contains(.reverse) { attrs |= gz_a_reverse() }
        if a.contains(.underline) { attrs |= gz_a_underline() }
        if a.contains(.italic) { attrs |= gz_a_italic() }
        return attrs
    }

    /// A colour number curses accepts on a terminal with `colorCount` colours (-1 is the default).
    static func curses(_ color: TerminalColor, colorCount: Int) -> Int16 {
        switch color {
        case .default: return gz_color_default()
        case .indexed(let n) where n >= 0 && n < colorCount && n <= Int(Int16.max): return Int16(n)
        case .indexed(let n) where (8...15).contains(n) && colorCount >= 8: return Int16(n - 8)
        case .indexed: return gz_color_default()
        }
    }

    private struct Look {
        var colors: (foreground: Int16, background: Int16)?
        var attributes: attr_t
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
