/// Where a binding applies.
public enum KeyContext: String, Hashable, Sendable, CaseIterable {
    /// Both panes (a pane-specific binding of the same key wins).
    case global
    case list
    case reading
}

/// One row of the key table: a key, where it works, what it does, and the help text.
public struct KeyBinding: Hashable, Sendable {
    public var key: Key
    public var context: KeyContext
    public var command: Command
    public var help: String

    public init(_ key: Key, _ context: KeyContext, _ command: Command, _ help: String) {
        self.key = key
        self.context = context
        self.command = command
        self.help = help
    }
}

/// The key bindings, as data. The help overlay and the README's key table are generated from it.
public struct Keymap: Hashable, Sendable {
    public private(set) var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) {
        self.bindings = bindings
    }

    /// The command `key` triggers in `focus`, if any: a binding for the pane wins over a global one.
    public func command(for key: Key, in focus: Focus) -> Command? {
        let pane: KeyContext = focus == .list ? .list : .reading
        if let b = bindings.first(where: { $0.key == key && $0.context == pane }) { return b.command }
        return bindings.first(where: { $0.key == key && $0.context == .global })?.command
    }

    /// Binds `key` to `command`. Without a context the key does `command` in both panes (its pane-specific
    /// bindings go, a global binding takes their place); with a context only that context's binding of
    /// the key changes (a pane-specific binding wins over a global one, as always). `help` defaults to the
    /// standard text for the command there. The binding joins the others for the same command and
    /// context, so the help lists them together.
    public mutating func bind(_ key: Key, to command: Command, in context: KeyContext? = nil, help: String? = nil) {
        let target = context ?? .global
        bindings.removeAll { $0.key == key && (context == nil || $0.context == target) }
        let binding = KeyBinding(key, target, command, help ?? Keymap.defaultHelp(for: command, in: target))
        if let last = bindings.lastIndex(where: { $0.context == target && $0.command == command }) {
            bindings.insert(binding, at: last + 1)
        } else {
            bindings.append(binding)
        }
    }

    /// Removes `key`. Without a context, from everywhere; with `global`, its global binding only; with
    /// `list` or `reading`, from that pane: a global binding of the key then stays in the other pane alone,
    /// so the key does nothing in this one. Returns whether anything changed.
    @discardableResult
    public mutating func unbind(_ key: Key, in context: KeyContext? = nil) -> Bool {
        let before = bindings
        guard let context else {
            bindings.removeAll { $0.key == key }
            return bindings != before
        }
        bindings.removeAll { $0.key == key && $0.context == context }
        if context != .global, let global = bindings.firstIndex(where: { $0.key == key && $0.context == .global }) {
            let kept = bindings.remove(at: global)
            let other: KeyContext = context == .list ? .reading : .list
            if !bindings.contains(where: { $0.key == key && $0.context == other }) {
                bind(key, to: kept.command, in: other)
            }
        }
        return bindings != before
    }

    /// Removes every binding (`unbind-key -a`).
    public mutating func unbindAll() {
        bindings.removeAll()
    }

    /// The help text of `command` in `context`: the standard binding's, else the command's summary.
    public static func defaultHelp(for command: Command, in context: KeyContext) -> String {
        if let b = standard.bindings.first(where: { $0.command == command && $0.context == context }) { return b.help }
        if let b = standard.bindings.first(where: { $0.command == command && $0.context == .global }) { return b.help }
        return command.summary
    }

    /// Bindings grouped for display: one entry per (context, command, help), keys joined.
    public var helpRows: [(context: KeyContext, keys: String, help: String)] {
        var rows: [(context: KeyContext, keys: String, help: String)] = []
        for binding in bindings {
            if let i = rows.firstIndex(where: { $0.context == binding.context && $0.help == binding.help }) {
                rows[i].keys += " " + binding.key.displayName
            } else {
                rows.append((binding.context, binding.key.displayName, binding.help))
            }
        }
        return rows
    }

    public static let standard = Keymap(bindings: [
        KeyBinding(.up, .list, .up, "previous headline"),
        KeyBinding(.character("k"), .list, .up, "previous headline"),
        KeyBinding(.down, .list, .down, "next headline"),
        KeyBinding(.character("j"), .list, .down, "next headline"),
        KeyBinding(.pageUp, .list, .pageUp, "page up the list"),
        KeyBinding(.pageDown, .list, .pageDown, "page down the list"),
        KeyBinding(.home, .list, .home, "first headline"),
        KeyBinding(.character("g"), .list, .home, "first headline"),
        KeyBinding(.end, .list, .end, "last headline"),
        KeyBinding(.character("G"), .list, .end, "last headline"),
        KeyBinding(.enter, .list, .open, "open the post (marks it read)"),
        KeyBinding(.right, .list, .open, "open the post (marks it read)"),
        KeyBinding(.character("l"), .list, .open, "open the post (marks it read)"),
        KeyBinding(.escape, .list, .back, "clear the search, or the source or tag filter"),
        KeyBinding(.character("q"), .list, .quit, "quit"),

        KeyBinding(.up, .reading, .up, "scroll up a line"),
        KeyBinding(.character("k"), .reading, .up, "scroll up a line"),
        KeyBinding(.down, .reading, .down, "scroll down a line"),
        KeyBinding(.character("j"), .reading, .down, "scroll down a line"),
        KeyBinding(.pageUp, .reading, .pageUp, "scroll up a page"),
        KeyBinding(.character("b"), .reading, .pageUp, "scroll up a page"),
        KeyBinding(.pageDown, .reading, .pageDown, "scroll down a page"),
        KeyBinding(.character(" "), .reading, .pageDown, "scroll down a page"),
        KeyBinding(.home, .reading, .home, "top of the article"),
        KeyBinding(.character("g"), .reading, .home, "top of the article"),
        KeyBinding(.end, .reading, .end, "end of the article"),
        KeyBinding(.character("G"), .reading, .end, "end of the article"),
        KeyBinding(.left, .reading, .back, "back to the list"),
        KeyBinding(.character("h"), .reading, .back, "back to the list"),
        KeyBinding(.escape, .reading, .back, "back to the list"),
        KeyBinding(.character("q"), .reading, .back, "back to the list"),

        KeyBinding(.tab, .global, .toggleFocus, "switch pane"),
        KeyBinding(.backTab, .global, .toggleFocus, "switch pane"),
        KeyBinding(.character("m"), .global, .toggleRead, "toggle read / unread"),
        KeyBinding(.character("n"), .global, .nextUnread, "next unread post (next match, searching)"),
        KeyBinding(.character("p"), .global, .previousUnread, "previous unread post"),
        KeyBinding(.character("N"), .global, .previousMatch, "previous match in the article"),
        KeyBinding(.character("A"), .global, .markAllRead, "mark all in view read (asks)"),
        KeyBinding(.character("M"), .global, .markAboveRead, "mark all above read"),
        KeyBinding(.character("u"), .global, .undo, "undo the last mark change"),
        KeyBinding(.character("f"), .global, .toggleFilter, "show all posts / only unread"),
        KeyBinding(.character("/"), .global, .search, "search titles and bodies"),
        KeyBinding(.character("S"), .global, .saveSearch, "save the search: a source of its own (s)"),
        KeyBinding(.character("z"), .global, .zoom, "zoom the reading pane"),
        KeyBinding(.character("<"), .global, .narrowerList, "narrower list"),
        KeyBinding(.character(">"), .global, .widerList, "wider list"),
        KeyBinding(.character("L"), .global, .toggleArrangement, "side by side / stacked"),
        KeyBinding(.character("o"), .global, .openLink, "open the post's link in the browser (N o: link [N])"),
        KeyBinding(.character("|"), .global, .pipeToPager, "read the article in the pager"),
        KeyBinding(.character("s"), .global, .sources, "sources, with counts (again: back to posts)"),
        KeyBinding(.character("t"), .global, .filterTag, "filter by tag (again: back to posts)"),
        KeyBinding(.character("r"), .global, .fetch, "fetch the selected post's feed (or source)"),
        KeyBinding(.character("R"), .global, .reload, "reload the archives and fetch every subscription"),
        KeyBinding(.character("B"), .global, .backfill, "backfill the selected feed's archive (sources)"),
        KeyBinding(.character("?"), .global, .help, "show / hide this help"),
        KeyBinding(.character("Q"), .global, .quit, "quit"),
    ])
}

extension Key {
    /// The name shown in help and used in configuration files (`j`, `Up`, `PgDn`, `Enter`, `^D`, `M-x`, `F1`).
    public var displayName: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(Character(c))
        case .control(let c): return "^" + String(Character(c)).uppercased()
        case .meta(let c): return "M-" + String(Character(c))
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .insert: return "Insert"
        case .function(let n): return "F\(n)"
        }
    }
}
