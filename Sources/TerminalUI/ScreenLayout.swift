import Controller

/// Where each part of the screen goes at a given terminal size.
///
/// Wide terminals put the list on the left (a third of the width) and the article on the right;
/// narrow ones stack the list above the article. Below `minimum` nothing but a notice fits.
public struct ScreenLayout: Hashable, Sendable {
    public enum Arrangement: Hashable, Sendable {
        case sideBySide
        case stacked
        /// The reading pane alone (`z`).
        case zoomed
        case tooSmall
    }

    public static let minimum = Size(columns: 20, rows: 6)
    /// From this many columns on, list and article sit side by side.
    public static let sideBySideColumns = 100
    /// The longest comfortable reading line, in cells, unless configured (`set measure N`).
    public static let defaultMeasure = 80
    /// The narrowest and widest reading line that can be configured.
    public static let measureRange = 20...400

    public let size: Size
    public let arrangement: Arrangement
    public let titleBar: Rect
    public let list: Rect
    public let separator: Rect
    public let reading: Rect
    public let statusBar: Rect
    /// The widest the reading column gets (`readingText`).
    public let measure: Int

    /// Side by side needs room for two readable panes even when asked for.
    public static let minimumSideBySideColumns = 60

    public init(size: Size, preferences: LayoutPreferences = .standard, measure: Int = ScreenLayout.defaultMeasure) {
        self.size = size
        self.measure = min(max(measure, Self.measureRange.lowerBound), Self.measureRange.upperBound)
        let empty = Rect(x: 0, y: 0, width: 0, height: 0)
        guard size.columns >= Self.minimum.columns, size.rows >= Self.minimum.rows else {
            arrangement = .tooSmall
            titleBar = empty; list = empty; separator = empty; reading = empty; statusBar = empty
            return
        }
        titleBar = Rect(x: 0, y: 0, width: size.columns, height: 1)
        statusBar = Rect(x: 0, y: size.rows - 1, width: size.columns, height: 1)
        let top = 1
        let height = size.rows - 2
        let sideBySide: Bool
        switch preferences.arrangement {
        case .automatic: sideBySide = size.columns >= Self.sideBySideColumns
        case .sideBySide: sideBySide = size.columns >= Self.minimumSideBySideColumns
        case .stacked: sideBySide = false
        }
        if preferences.zoomed {
            arrangement = .zoomed
            list = Rect(x: 0, y: top, width: size.columns, height: 0)
            separator = Rect(x: 0, y: top, width: 0, height: 0)
            reading = Rect(x: 0, y: top, width: size.columns, height: height)
        } else if sideBySide {
            arrangement = .sideBySide
            let listWidth = min(size.columns - 30, max(20, (size.columns * preferences.listPercent + 50) / 100))
            list = Rect(x: 0, y: top, width: listWidth, height: height)
            separator = Rect(x: listWidth, y: top, width: 1, height: height)
            reading = Rect(x: listWidth + 1, y: top, width: size.columns - listWidth - 1, height: height)
        } else {
            arrangement = .stacked
            let listHeight = min(height - 3, max(2, ((height - 1) * preferences.listPercent + 50) / 100))
            list = Rect(x: 0, y: top, width: size.columns, height: listHeight)
            separator = Rect(x: 0, y: top + listHeight, width: size.columns, height: 1)
            reading = Rect(x: 0, y: top + listHeight + 1, width: size.columns,
                           height: height - listHeight - 1)
        }
    }

    /// The text column inside the reading pane: one cell of margin each side, at most `measure` wide.
    public var readingText: Rect {
        let width = max(1, min(reading.width - 2, measure))
        return Rect(x: reading.x + 1, y: reading.y, width: width, height: reading.height)
    }
}
