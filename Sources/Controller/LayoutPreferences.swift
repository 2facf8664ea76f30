/// How the user arranged the panes; saved between sessions.
public struct LayoutPreferences: Hashable, Sendable {
    public enum Arrangement: String, Hashable, Sendable, CaseIterable {
        /// Side by side on wide terminals, stacked on narrow ones.
        case automatic = "auto"
        case sideBySide = "side-by-side"
        case stacked
    }

    public var arrangement: Arrangement
    /// The list's share of the screen, in percent (of the width side by side, of the height stacked).
    public var listPercent: Int
    /// The reading pane fills the screen.
    public var zoomed: Bool

    public static let splitRange = 15...80
    public static let standard = LayoutPreferences(arrangement: .automatic, listPercent: 33, zoomed: false)

    public init(arrangement: Arrangement, listPercent: Int, zoomed: Bool) {
        self.arrangement = arrangement
        self.listPercent = min(max(listPercent, Self.splitRange.lowerBound), Self.splitRange.upperBound)
        self.zoomed = zoomed
    }

    /// `auto 33`, `stacked 40 zoomed`: the form saved in the store and in the configuration file.
    public var serialized: String {
        "\(arrangement.rawValue) \(listPercent)" + (zoomed ? " zoomed" : "")
    }

    public init?(serialized: String) {
        let words = serialized.split(separator: " ")
        guard words.count >= 2, let arrangement = Arrangement(rawValue: String(words[0])),
              let percent = Int(words[1]) else { return nil }
        self.init(arrangement: arrangement, listPercent: percent, zoomed: words.dropFirst(2).contains("zoomed"))
    }
}
