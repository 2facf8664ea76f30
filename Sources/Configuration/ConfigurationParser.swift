import Controller
import Foundation
import TerminalUI

/// One problem in a configuration file: where, and what is wrong.
public struct ConfigurationDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based; `nil` when the whole file is the problem (it cannot be read).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, as compilers write it.
    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// How the parser reaches files (`include`), so tests and the fuzzer can give it files in memory.
public struct ConfigurationFiles: Sendable {
    /// Why a file could not be read, in a few words (`No such file or directory`).
    public struct ReadError: Error, Hashable, Sendable {
        public var reason: String
        /// The file does not exist (a missing default configuration file is not an error).
        public var missing: Bool
        public init(reason: String, missing: Bool = false) {
            self.reason = reason
            self.missing = missing
        }
    }

    /// The text of a file.
    public var read: @Sendable (String) throws(ReadError) -> String
    /// The same string for every path that names the same file (include cycles are found with it).
    public var identity: @Sendable (String) -> String
    /// The home directory, for `~/` in paths.
    public var home: String?

    public init(read: @escaping @Sendable (String) throws(ReadError) -> String,
                identity: @escaping @Sendable (String) -> String = { ($0 as NSString).standardizingPath },
                home: String?) {
        self.read = read
        self.identity = identity
        self.home = home
    }

    /// Files in memory, by path.
    public static func memory(_ files: [String: String], home: String? = "/home/user") -> ConfigurationFiles {
        ConfigurationFiles(read: { (path: String) throws(ReadError) -> String in
            guard let text = files[path] ?? files[(path as NSString).standardizingPath] else {
                throw ReadError(reason: "No such file or directory", missing: true)
            }
            return text
        }, home: home)
    }
}

/// Reads configuration files, newsboat style. One directive per line:
///
///     # a comment
///     set OPTION VALUE
///     bind-key KEY ACTION [CONTEXT]   (no context: both panes; global, list or reading: that one)
///     unbind-key KEY [CONTEXT]        (no context: everywhere; unbind-key -a removes every binding)
///     color ELEMENT FOREGROUND BACKGROUND [ATTRIBUTE ...]
///     include PATH
///
/// A line with an error is skipped as a whole and reported with its file and line; every other line
/// still applies. Paths (`include`, `set archives`) are relative to the file they are written in.
public struct ConfigurationParser: Sendable {
    public var files: ConfigurationFiles
    /// How deep includes may nest (a cycle is reported before that, as a cycle).
    public static let maximumIncludeDepth = 16
    /// Larger files are refused (a configuration file is a few hundred lines).
    public static let maximumFileSize = 1 << 20

    public init(files: ConfigurationFiles) { self.files = files }

    /// The options `set` knows, in the order `gazette config dump` writes them.
    public static let options = ["archives", "mark-read", "layout", "split", "measure", "confirm-mark-all", "mouse",
                                 "pager", "browser", "fetch-on-start", "min-interval", "max-transfers", "max-per-host",
                                 "connect-timeout", "fetch-timeout", "max-size", "ca-file", "keep-read-days",
                                 "backfill-pages", "backfill-delay", "search", "sync", "ttrss-url", "ttrss-login",
                                 "ttrss-password-command", "ttrss-password-file", "sync-on-start"]

    /// Applies the file at `path` to `configuration`; returns the problems found, in order.
    public func load(path: String, into configuration: inout Configuration) -> [ConfigurationDiagnostic] {
        var diagnostics: [ConfigurationDiagnostic] = []
        include(path, from: nil, stack: [], into: &configuration, diagnostics: &diagnostics)
        return diagnostics
    }

    /// Applies `text`, read from `file` (which names it in messages and anchors relative paths).
    public func parse(_ text: String, file: String, into configuration: inout Configuration) -> [ConfigurationDiagnostic] {
        var diagnostics: [ConfigurationDiagnostic] = []
        parse(text, file: file, stack: [files.identity(file)], into: &configuration, diagnostics: &diagnostics)
        return diagnostics
    }

    // MARK: Files

    private func include(_ path: String, from origin: (file: String, line: Int)?, stack: [String],
                         into configuration: inout Configuration, diagnostics: inout [ConfigurationDiagnostic]) {
        func report(_ message: String) {
            diagnostics.append(ConfigurationDiagnostic(file: origin?.file ?? path, line: origin?.line, message: message))
        }
        let identity = files.identity(path)
        if stack.contains(identity) {
            return report("include cycle: \(path) is already being read")
        }
        guard stack.count < Self.maximumIncludeDepth else {
            return report("includes nest more than \(Self.maximumIncludeDepth) deep")
        }
        let text: String
        do throws(ConfigurationFiles.ReadError) {
            text = try files.read(path)
        } catch {
            return report(origin == nil ? "cannot read: \(error.reason)" : "cannot read \(path): \(error.reason)")
        }
        parse(text, file: path, stack: stack + [identity], into: &configuration, diagnostics: &diagnostics)
    }

    private func parse(_ text: String, file: String, stack: [String], into configuration: inout Configuration,
                       diagnostics: inout [ConfigurationDiagnostic]) {
        var number = 0
        for rawLine in Self.lines(of: text) {
            number += 1
            var line = rawLine
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            do throws(Tokenizer.Failure) {
                let words = try Tokenizer.words(line)
                guard let directive = words.first else { continue }
                if directive == "include" {
                    guard words.count == 2 else { throw Tokenizer.Failure(message: "include takes one path (include PATH)") }
                    let path = resolve(words[1], relativeTo: file)
                    include(path, from: (file, number), stack: stack, into: &configuration, diagnostics: &diagnostics)
                } else {
                    try apply(directive, Array(words.dropFirst()), file: file, to: &configuration)
                }
            } catch {
                diagnostics.append(ConfigurationDiagnostic(file: file, line: number, message: error.message))
            }
        }
    }

    /// The lines of `text`: split at LF, CRLF, CR and the other line separators (a CRLF is one
    /// Character in Swift, so splitting at "\n" alone would miss it).
    public static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    /// `~/…` from the home directory, an absolute path as it is, anything else from `file`'s directory.
    func resolve(_ path: String, relativeTo file: String) -> String {
        if path == "~" || path.hasPrefix("~/"), let home = files.home {
            return ((home as NSString).appendingPathComponent(String(path.dropFirst(min(2, path.count)))) as NSString)
                .standardizingPath
        }
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        let directory = (file as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return path }
        return ((directory as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    // MARK: Directives

    private func apply(_ directive: String, _ arguments: [String], file: String,
                       to configuration: inout Configuration) throws(Tokenizer.Failure) {
        switch directive {
        case "set": try set(arguments, file: file, in: &configuration)
        case "bind-key": try bind(arguments, in: &configuration)
        case "unbind-key": try unbind(arguments, in: &configuration)
        case "color", "colour": try color(arguments, in: &configuration)
        default:
            throw Tokenizer.Failure(message: "unknown command \(Tokenizer.shown(directive)) "
                                    + "(set, bind-key, unbind-key, color or include)")
        }
    }

    private func set(_ arguments: [String], file: String, in configuration: inout Configuration) throws(Tokenizer.Failure) {
        guard let first = arguments.first else {
            throw Tokenizer.Failure(message: "set needs an option and a value (set OPTION VALUE)")
        }
        let option = first.lowercased().replacingOccurrences(of: "_", with: "-")
        guard Self.options.contains(option) else {
            throw Tokenizer.Failure(message: "unknown option \(Tokenizer.shown(first)) (\(Self.options.joined(separator: ", ")))")
        }
        let values = Array(arguments.dropFirst())
        guard !values.isEmpty else { throw Tokenizer.Failure(message: "set \(option) needs a value") }
        func single() throws(Tokenizer.Failure) -> String {
            guard values.count == 1 else {
                throw Tokenizer.Failure(message: "set \(option) takes one value, not \(values.count) (quote a value with spaces)")
            }
            return values[0]
        }
        switch option {
        case "archives":
            configuration.archives = values.map { resolve($0, relativeTo: file) }
        case "mark-read":
            let value = try single()
            guard let policy = ReadPolicy(value) else {
                throw Tokenizer.Failure(message: "mark-read must be on-open, manual, at-end or delay=SECONDS (0 to 3600), "
                                        + "not \(Tokenizer.shown(value))")
            }
            configuration.readPolicy = policy
        case "layout":
            let value = try single()
            guard let arrangement = LayoutPreferences.Arrangement(rawValue: value.lowercased()) else {
                throw Tokenizer.Failure(message: "layout must be auto, side-by-side or stacked, not \(Tokenizer.shown(value))")
            }
            configuration.arrangement = arrangement
        case "split":
            configuration.split = try number(try single(), option, in: LayoutPreferences.splitRange)
        case "measure":
            configuration.measure = try number(try single(), option, in: ScreenLayout.measureRange)
        case "confirm-mark-all":
            configuration.confirmMarkAll = try boolean(try single(), option)
        case "mouse":
            configuration.mouse = try boolean(try single(), option)
        case "pager":
            configuration.pager = values.joined(separator: " ")
        case "browser":
            configuration.browser = values.joined(separator: " ")
        case "fetch-on-start":
            configuration.fetching.fetchOnStart = try boolean(try single(), option)
        case "min-interval":
            configuration.fetching.minInterval = try duration(try single(), option)
        case "max-transfers":
            configuration.fetching.maxTransfers = try number(try single(), option, in: 1...64)
        case "max-per-host":
            configuration.fetching.maxPerHost = try number(try single(), option, in: 1...16)
        case "connect-timeout":
            configuration.fetching.connectTimeout = try number(try single(), option, in: 1...600)
        case "fetch-timeout":
            configuration.fetching.fetchTimeout = try number(try single(), option, in: 1...3600)
        case "max-size":
            configuration.fetching.maxSizeMB = try number(try single(), option, in: 1...2048)
        case "ca-file":
            configuration.fetching.caFile = resolve(try single(), relativeTo: file)
        case "keep-read-days":
            let value = try single()
            configuration.fetching.keepReadDays = ["no", "never", "off"].contains(value.lowercased())
                ? nil : try number(value, option, in: 1...36500)
        case "backfill-pages":
            configuration.fetching.backfillPages = try number(try single(), option, in: 1...100_000)
        case "backfill-delay":
            configuration.fetching.backfillDelay = try number(try single(), option, in: 0...3600)
        case "search":
            guard values.count == 2 else {
                throw Tokenizer.Failure(message: "set search takes a name and a query, each quoted when it has spaces "
                                        + "(set search \"Korea unread\" \"korea is:unread\")")
            }
            let name = values[0].trimmingCharacters(in: .whitespaces)
            let query = values[1].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !query.isEmpty else {
                throw Tokenizer.Failure(message: "set search needs a name and a query that are not empty")
            }
            let saved = SavedSearch(name: name, query: query)
            if let index = configuration.savedSearches.firstIndex(where: { $0.name == name }) {
                configuration.savedSearches[index] = saved
            } else {
                configuration.savedSearches.append(saved)
            }
        case "sync":
            let value = try single()
            guard let service = SyncSettings.Service(rawValue: value.lowercased()) else {
                throw Tokenizer.Failure(message: "sync must be ttrss or none, not \(Tokenizer.shown(value))")
            }
            configuration.sync.service = service
        case "ttrss-url":
            let value = try single()
            let lower = value.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), value.count > 8 else {
                throw Tokenizer.Failure(message: "ttrss-url must be an http or https URL, not \(Tokenizer.shown(value))")
            }
            configuration.sync.ttrssURL = value
        case "ttrss-login":
            configuration.sync.ttrssLogin = try single()
        case "ttrss-password-command":
            configuration.sync.ttrssPasswordCommand = values.count == 1
                ? values[0].split(separator: " ").map(String.init) : values
        case "ttrss-password-file":
            configuration.sync.ttrssPasswordFile = resolve(try single(), relativeTo: file)
        case "sync-on-start":
            configuration.sync.syncOnStart = try boolean(try single(), option)
        default:
            throw Tokenizer.Failure(message: "unknown option \(Tokenizer.shown(first))")
        }
    }

    private func number(_ text: String, _ option: String, in range: ClosedRange<Int>) throws(Tokenizer.Failure) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw Tokenizer.Failure(message: "\(option) must be a whole number from \(range.lowerBound) to \(range.upperBound), "
                                    + "not \(Tokenizer.shown(text))")
        }
        return value
    }

    /// `90` (minutes, as newsboat's reload-time), or with a unit: `30s`, `15m`, `2h`, `1d`.
    private func duration(_ text: String, _ option: String) throws(Tokenizer.Failure) -> Int {
        let lower = text.lowercased()
        let units: [(String, Int)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        var digits = Substring(lower)
        var scale = 60
        if let unit = units.first(where: { lower.hasSuffix($0.0) }) {
            digits = digits.dropLast()
            scale = unit.1
        }
        guard digits.allSatisfy(\.isASCII), let value = Int(digits), value >= 0,
              FetchSettings.minIntervalRange.contains(value.multipliedReportingOverflow(by: scale).partialValue),
              !value.multipliedReportingOverflow(by: scale).overflow else {
            throw Tokenizer.Failure(message: "\(option) must be minutes, or a number with s, m, h or d (15m, 1h), up to 7 days, "
                                    + "not \(Tokenizer.shown(text))")
        }
        return value * scale
    }

    private func boolean(_ text: String, _ option: String) throws(Tokenizer.Failure) -> Bool {
        switch text.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw Tokenizer.Failure(message: "\(option) must be yes or no, not \(Tokenizer.shown(text))")
        }
    }

    private func key(_ text: String) throws(Tokenizer.Failure) -> Key {
        do throws(KeyNameError) {
            return try KeyName.parse(text)
        } catch {
            throw Tokenizer.Failure(message: error.description)
        }
    }

    private func context(_ text: String) throws(Tokenizer.Failure) -> KeyContext {
        guard let context = KeyContext(rawValue: text.lowercased()) else {
            throw Tokenizer.Failure(message: "unknown context \(Tokenizer.shown(text)) (global, list or reading)")
        }
        return context
    }

    private func bind(_ arguments: [String], in configuration: inout Configuration) throws(Tokenizer.Failure) {
        guard arguments.count >= 2 else {
            throw Tokenizer.Failure(message: "bind-key needs a key and an action (bind-key KEY ACTION [CONTEXT])")
        }
        guard arguments.count <= 3 else {
            throw Tokenizer.Failure(message: "bind-key takes a key, an action and a context, not \(arguments.count) words")
        }
        let key = try key(arguments[0])
        guard let command = Command(rawValue: arguments[1].lowercased()) else {
            throw Tokenizer.Failure(message: "unknown action \(Tokenizer.shown(arguments[1])) "
                                    + "(the actions are listed by 'gazette config dump' and in gazette(1))")
        }
        let context = arguments.count == 3 ? try context(arguments[2]) : nil
        configuration.keymap.bind(key, to: command, in: context)
    }

    private func unbind(_ arguments: [String], in configuration: inout Configuration) throws(Tokenizer.Failure) {
        if arguments == ["-a"] {
            configuration.keymap.unbindAll()
            return
        }
        guard (1...2).contains(arguments.count) else {
            throw Tokenizer.Failure(message: "unbind-key takes a key and an optional context (unbind-key KEY [CONTEXT], "
                                    + "or unbind-key -a for every key)")
        }
        let key = try key(arguments[0])
        let context = arguments.count == 2 ? try context(arguments[1]) : nil
        configuration.keymap.unbind(key, in: context)
    }

    private func color(_ arguments: [String], in configuration: inout Configuration) throws(Tokenizer.Failure) {
        guard arguments.count >= 3 else {
            throw Tokenizer.Failure(message: "color needs an element and two colours (color ELEMENT FOREGROUND BACKGROUND [ATTRIBUTE ...])")
        }
        guard let tint = ColorNames.element(arguments[0]) else {
            throw Tokenizer.Failure(message: "unknown element \(Tokenizer.shown(arguments[0])) "
                                    + "(\(ColorNames.elements.map(\.name).joined(separator: ", ")))")
        }
        var colors: [TerminalColor] = []
        for text in arguments[1...2] {
            guard let color = ColorNames.color(text) else {
                throw Tokenizer.Failure(message: "unknown colour \(Tokenizer.shown(text)) (default, "
                                        + ColorNames.colors.joined(separator: ", ") + ", brightNAME, or color0 to color255)")
            }
            colors.append(color)
        }
        var attributes: Attributes = []
        for text in arguments.dropFirst(3) {
            guard let attribute = ColorNames.attribute(text) else {
                throw Tokenizer.Failure(message: "unknown attribute \(Tokenizer.shown(text)) "
                                        + "(\(ColorNames.attributes.map(\.name).joined(separator: ", ")))")
            }
            attributes.insert(attribute)
        }
        configuration.theme.looks[tint] = TintLook(foreground: colors[0], background: colors[1], attributes: attributes)
    }
}
