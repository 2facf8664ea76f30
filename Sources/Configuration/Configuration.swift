import Controller
import TerminalUI

/// Everything a configuration file can set, with the defaults for what it does not.
///
/// A value type built by `ConfigurationParser`; `gazette` applies it (command-line flags win).
public struct Configuration: Hashable, Sendable {
    /// The archives the reader opens when the command line names none (absolute paths).
    public var archives: [String] = []
    /// When a post becomes read (`set mark-read`); `nil` when the file does not say (on-open).
    public var readPolicy: ReadPolicy?
    /// The arrangement to start with (`set layout`); `nil`: the last session's.
    public var arrangement: LayoutPreferences.Arrangement?
    /// The list's share of the screen in percent (`set split`); `nil`: the last session's.
    public var split: Int?
    /// The widest the reading column gets, in cells (`set measure`).
    public var measure: Int = ScreenLayout.defaultMeasure
    /// Ask before marking every post in the view read (`set confirm-mark-all`).
    public var confirmMarkAll: Bool = true
    /// Report clicks and the wheel (`set mouse`). Off by default: the terminal's selection keeps working.
    public var mouse: Bool = false
    /// The command `|` shows the article with (`set pager`); `nil`: `$PAGER`, else `less`.
    public var pager: String?
    /// The browsers `o` tries, in `$BROWSER` syntax (`set browser`); `nil`: `$BROWSER`, else `xdg-open`.
    public var browser: String?
    /// The key bindings: the standard ones changed by `bind-key` and `unbind-key`.
    public var keymap: Keymap = .standard
    /// The colours chosen with `color`.
    public var theme: Theme = .standard
    /// How subscriptions are fetched (issue 12).
    public var fetching = FetchSettings()
    /// Saved searches (`set search NAME QUERY`, issue 14), in the file's order: sources of their own in the
    /// sources view. A second `set search` with the same name replaces the first.
    public var savedSearches: [SavedSearch] = []
    /// Following a feed server (issue 15).
    public var sync = SyncSettings()

    public init() {}

    /// The read policy in effect: the file's, else on-open.
    public var effectiveReadPolicy: ReadPolicy { readPolicy ?? .onOpen }

    /// `layout` with the file's arrangement and split, where it sets them.
    public func applyLayout(to layout: LayoutPreferences) -> LayoutPreferences {
        guard arrangement != nil || split != nil else { return layout }
        return LayoutPreferences(arrangement: arrangement ?? layout.arrangement, listPercent: split ?? layout.listPercent,
                                 zoomed: layout.zoomed)
    }
}

/// The `set` options of subscriptions: politeness, limits, timeouts (issue 12). Defaults are the issue's.
public struct FetchSettings: Hashable, Sendable {
    /// Fetch every subscription after the first frame (`set fetch-on-start`).
    public var fetchOnStart = false
    /// Never fetch a feed again within this many seconds unless forced (`set min-interval`, default 15 minutes).
    public var minInterval = 15 * 60
    /// Transfers at once (`set max-transfers`), and to one host (`set max-per-host`).
    public var maxTransfers = 8
    public var maxPerHost = 2
    /// Seconds (`set connect-timeout`, `set fetch-timeout`).
    public var connectTimeout = 10
    public var fetchTimeout = 60
    /// The largest feed, in megabytes of decoded bytes (`set max-size`).
    public var maxSizeMB = 50
    /// A PEM file of certificates to trust (`set ca-file`), absolute; `nil`: the system's.
    public var caFile: String?
    /// Delete items marked read more than this many days ago (`set keep-read-days`); `nil`: never.
    public var keepReadDays: Int?
    /// Backfill: the most pages walked (`set backfill-pages`) and the seconds between two pages of one host
    /// (`set backfill-delay`).
    public var backfillPages = 1000
    public var backfillDelay = 1

    public init() {}

    public static let minIntervalRange = 0...(7 * 24 * 3600)
}

/// Names for the `color` directive.
public enum ColorNames {
    /// Screen elements, by the tint that draws them.
    public static let elements: [(name: String, tint: Tint, what: String)] = [
        ("normal", .normal, "text, and the background of the whole screen"),
        ("accent", .accent, "unread markers, bullets, help headings"),
        ("muted", .muted, "dates, bylines, sources, notes"),
        ("selection", .selection, "the selected headline"),
        ("status-bar", .statusBar, "the status line"),
        ("error", .error, "error messages"),
        ("border", .border, "the line between the panes, the help box"),
        ("highlight", .highlight, "search matches in the article"),
        ("title", .title, "the title line and article titles"),
        ("code", .code, "code and preformatted text in articles"),
        ("mark", .mark, "marked (highlighted) text in articles"),
    ]

    public static let colors = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static let attributes: [(name: String, value: Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline), ("italic", .italic),
    ]

    /// `default`, a colour name, `brightNAME` (8–15) or `colorN` (0–255).
    static func color(_ text: String) -> TerminalColor? {
        let lower = text.lowercased()
        if lower == "default" { return .default }
        if let i = colors.firstIndex(of: lower) { return .indexed(i) }
        for prefix in ["bright-", "bright"] where lower.hasPrefix(prefix) {
            if let i = colors.firstIndex(of: String(lower.dropFirst(prefix.count))) { return .indexed(8 + i) }
        }
        if lower.hasPrefix("color"), let n = Int(lower.dropFirst(5)), lower.dropFirst(5).allSatisfy(\.isASCII),
           (0...255).contains(n) {
            return .indexed(n)
        }
        return nil
    }

    static func name(of color: TerminalColor) -> String {
        switch color {
        case .default: return "default"
        case .indexed(let n) where n < 8: return colors[n]
        case .indexed(let n): return "color\(n)"
        }
    }

    static func element(_ text: String) -> Tint? {
        let lower = text.lowercased().replacingOccurrences(of: "_", with: "-")
        return elements.first { $0.name == lower }?.tint
    }

    static func name(of tint: Tint) -> String {
        elements.first { $0.tint == tint }?.name ?? "normal"
    }

    static func attribute(_ text: String) -> Attributes? {
        let lower = text.lowercased()
        if lower == "standout" { return .reverse }
        return attributes.first { $0.name == lower }?.value
    }

    static func names(of attributes: Attributes) -> [String] {
        Self.attributes.filter { attributes.contains($0.value) }.map(\.name)
    }
}

/// A search kept under a name (`set search "Korea unread" "korea is:unread"`).
public struct SavedSearch: Hashable, Sendable {
    public var name: String
    public var query: String

    public init(name: String, query: String) {
        self.name = name
        self.query = query
    }
}

/// The `set` options of following a feed server (issue 15): which server, where, who, and where the password is.
/// The password itself is never in the configuration, the store or a log.
public struct SyncSettings: Hashable, Sendable {
    public enum Service: String, Hashable, Sendable {
        case none
        case ttrss
    }

    /// `set sync ttrss` (or `none`, the default).
    public var service: Service = .none
    /// `set ttrss-url https://rss.example.org/`: the server's base URL (the API is `api/` under it).
    public var ttrssURL: String?
    /// `set ttrss-login NAME`.
    public var ttrssLogin: String?
    /// `set ttrss-password-command "pass show rss"`: run without a shell (words split as the configuration
    /// splits them); the first line of its output is the password.
    public var ttrssPasswordCommand: [String]?
    /// `set ttrss-password-file PATH` (absolute): a file only its owner may read; its first line is the password.
    public var ttrssPasswordFile: String?
    /// `set sync-on-start yes`: sync after the first frame.
    public var syncOnStart = false

    public init() {}
}
