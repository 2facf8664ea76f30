import Configuration
import Controller
import TerminalUI
import XCTest

final class ConfigurationParserTests: XCTestCase {
    let file = "/home/user/.config/gazette/config"

    /// Parses `text` as the file at `file` (with `others` beside it) and returns the result and the problems.
    func parse(_ text: String, others: [String: String] = [:]) -> (Configuration, [ConfigurationDiagnostic]) {
        var files = others
        files[file] = text
        var configuration = Configuration()
        let diagnostics = ConfigurationParser(files: .memory(files)).load(path: file, into: &configuration)
        return (configuration, diagnostics)
    }

    /// The one problem `text` has: its line and message.
    func problem(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> (line: Int?, message: String) {
        let (_, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)", file: file, line: line)
        return (diagnostics.first?.line, diagnostics.first?.message ?? "")
    }

    // MARK: Lines

    func testEmptyFileCommentsAndBlankLinesChangeNothing() {
        let (configuration, diagnostics) = parse("\n# a comment\n   \t\n  # indented comment\n")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(configuration, Configuration())
    }

    func testTrailingCommentsQuotesCRLFAndByteOrderMark() {
        let text = "\u{FEFF}set pager \"less -R\"  # with a comment\r\nbind-key \"#\" help\r\nset browser \"say \\\"hi\\\" %s\"\n"
        let (configuration, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(configuration.pager, "less -R")
        XCTAssertEqual(configuration.browser, "say \"hi\" %s")
        XCTAssertEqual(configuration.keymap.command(for: .character("#"), in: .list), .help)
    }

    func testQuotingErrors() {
        XCTAssertEqual(problem("set pager \"less").line, 1)
        XCTAssertTrue(problem("set pager \"less").message.contains("unterminated quote"))
        let glued = problem("\n\nset pager \"less\"x")
        XCTAssertEqual(glued.line, 3)
        XCTAssertTrue(glued.message.contains("closing quote"), glued.message)
    }

    func testUnknownCommand() {
        let result = problem("set mouse yes\nbindkey j down\n")
        XCTAssertEqual(result.line, 2)
        XCTAssertEqual(result.message, "unknown command 'bindkey' (set, bind-key, unbind-key, color or include)")
    }

    func testAnErrorSkipsOnlyItsLine() {
        let (configuration, diagnostics) = parse("set mouse maybe\nset measure 72\nset mouse yes extra\nset split 40\n")
        XCTAssertEqual(diagnostics.map(\.line), [1, 3])
        XCTAssertEqual(configuration.measure, 72)
        XCTAssertEqual(configuration.split, 40)
        XCTAssertFalse(configuration.mouse)
    }

    func testDiagnosticsNameTheFileAndLine() {
        let (_, diagnostics) = parse("# one\nset mouse maybe\n")
        XCTAssertEqual(diagnostics.map(\.description), ["\(file):2: mouse must be yes or no, not 'maybe'"])
    }

    func testControlCharactersInMessagesAreEscaped() {
        let result = problem("set \u{1B}[31mred yes")
        XCTAssertTrue(result.message.contains("\\u{1B}[31mred"), result.message)
        XCTAssertFalse(result.message.unicodeScalars.contains("\u{1B}"))
    }

    // MARK: set

    func testEveryOption() {
        let text = """
            set archives ~/news "../dumps/with space.txt" /srv/a.txt
            set mark-read delay=3
            set layout stacked
            set split 40
            set measure 72
            set confirm-mark-all no
            set mouse yes
            set pager less -R
            set browser "firefox %s:lynx"
            """
        let (configuration, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(configuration.archives, ["/home/user/news", "/home/user/.config/dumps/with space.txt", "/srv/a.txt"])
        XCTAssertEqual(configuration.readPolicy, .delay(seconds: 3))
        XCTAssertEqual(configuration.arrangement, .stacked)
        XCTAssertEqual(configuration.split, 40)
        XCTAssertEqual(configuration.measure, 72)
        XCTAssertFalse(configuration.confirmMarkAll)
        XCTAssertTrue(configuration.mouse)
        XCTAssertEqual(configuration.pager, "less -R")
        XCTAssertEqual(configuration.browser, "firefox %s:lynx")
    }

    func testDefaults() {
        let configuration = Configuration()
        XCTAssertEqual(configuration.archives, [])
        XCTAssertEqual(configuration.effectiveReadPolicy, .onOpen)
        XCTAssertNil(configuration.arrangement)
        XCTAssertNil(configuration.split)
        XCTAssertEqual(configuration.measure, 80)
        XCTAssertTrue(configuration.confirmMarkAll)
        XCTAssertFalse(configuration.mouse, "the mouse is off by default")
        XCTAssertEqual(configuration.keymap, .standard)
    }

    func testOptionNamesAcceptUnderscoresAndAnyCase() {
        let (configuration, diagnostics) = parse("set Mark_Read manual\nset CONFIRM_MARK_ALL off\n")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(configuration.readPolicy, .manual)
        XCTAssertFalse(configuration.confirmMarkAll)
    }

    func testEveryOptionError() {
        let cases: [(String, String)] = [
            ("set", "set needs an option and a value (set OPTION VALUE)"),
            ("set mouse", "set mouse needs a value"),
            ("set colour red", "unknown option 'colour' (archives, mark-read, layout, split, measure, confirm-mark-all, mouse, pager, browser, "
             + "fetch-on-start, min-interval, max-transfers, max-per-host, connect-timeout, fetch-timeout, max-size, ca-file, "
             + "keep-read-days, backfill-pages, backfill-delay, search, sync, ttrss-url, ttrss-login, ttrss-password-command, ttrss-password-file, sync-on-start)"),
            ("set min-interval soon", "min-interval must be minutes, or a number with s, m, h or d (15m, 1h), up to 7 days, not 'soon'"),
            ("set min-interval 8d", "min-interval must be minutes, or a number with s, m, h or d (15m, 1h), up to 7 days, not '8d'"),
            ("set min-interval -5", "min-interval must be minutes, or a number with s, m, h or d (15m, 1h), up to 7 days, not '-5'"),
            ("set max-transfers 0", "max-transfers must be a whole number from 1 to 64, not '0'"),
            ("set max-per-host 99", "max-per-host must be a whole number from 1 to 16, not '99'"),
            ("set keep-read-days forever", "keep-read-days must be a whole number from 1 to 36500, not 'forever'"),
            ("set fetch-on-start maybe", "fetch-on-start must be yes or no, not 'maybe'"),
            ("set mark-read sometimes", "mark-read must be on-open, manual, at-end or delay=SECONDS (0 to 3600), not 'sometimes'"),
            ("set mark-read delay=9999", "mark-read must be on-open, manual, at-end or delay=SECONDS (0 to 3600), not 'delay=9999'"),
            ("set layout diagonal", "layout must be auto, side-by-side or stacked, not 'diagonal'"),
            ("set layout auto stacked", "set layout takes one value, not 2 (quote a value with spaces)"),
            ("set split 90", "split must be a whole number from 15 to 80, not '90'"),
            ("set split a third", "set split takes one value, not 2 (quote a value with spaces)"),
            ("set measure 10", "measure must be a whole number from 20 to 400, not '10'"),
            ("set measure wide", "measure must be a whole number from 20 to 400, not 'wide'"),
            ("set confirm-mark-all sure", "confirm-mark-all must be yes or no, not 'sure'"),
            ("set mouse 2", "mouse must be yes or no, not '2'"),
        ]
        for (index, (text, message)) in cases.enumerated() {
            let lines = String(repeating: "# padding\n", count: index) + text
            let result = problem(lines)
            XCTAssertEqual(result.line, index + 1, text)
            XCTAssertEqual(result.message, message, text)
        }
    }

    // MARK: bind-key and unbind-key

    func testBindKeyWithAndWithoutContext() {
        let text = """
            bind-key ^D page-down reading
            bind-key x quit
            bind-key J down list
            bind-key SPACE next-unread list
            bind-key F5 toggle-filter
            bind-key M-x mark-all-read global
            """
        let (configuration, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        let keymap = configuration.keymap
        XCTAssertEqual(keymap.command(for: .control("d"), in: .reading), .pageDown)
        XCTAssertNil(keymap.command(for: .control("d"), in: .list))
        XCTAssertEqual(keymap.command(for: .character("x"), in: .list), .quit)
        XCTAssertEqual(keymap.command(for: .character("x"), in: .reading), .quit)
        XCTAssertEqual(keymap.command(for: .character("J"), in: .list), .down)
        XCTAssertEqual(keymap.command(for: .character(" "), in: .list), .nextUnread)
        XCTAssertEqual(keymap.command(for: .character(" "), in: .reading), .pageDown, "the reading pane keeps Space")
        XCTAssertEqual(keymap.command(for: .function(5), in: .reading), .toggleFilter)
        XCTAssertEqual(keymap.command(for: .meta("x"), in: .list), .markAllRead)
    }

    func testBindKeyWithoutContextReplacesThePaneBindings() {
        let (configuration, _) = parse("bind-key j toggle-read\n")
        XCTAssertEqual(configuration.keymap.command(for: .character("j"), in: .list), .toggleRead)
        XCTAssertEqual(configuration.keymap.command(for: .character("j"), in: .reading), .toggleRead)
    }

    func testBindKeyGlobalChangesOnlyTheGlobalBinding() {
        let (configuration, _) = parse("bind-key j toggle-read global\nbind-key m quit global\n")
        XCTAssertEqual(configuration.keymap.command(for: .character("j"), in: .list), .down, "the pane's own binding wins")
        XCTAssertEqual(configuration.keymap.command(for: .character("m"), in: .reading), .quit)
    }

    func testUnbindKey() {
        let (configuration, diagnostics) = parse("unbind-key q list\nunbind-key m\nunbind-key ESC\nunbind-key u reading\n")
        XCTAssertEqual(diagnostics, [])
        let keymap = configuration.keymap
        XCTAssertNil(keymap.command(for: .character("q"), in: .list))
        XCTAssertEqual(keymap.command(for: .character("q"), in: .reading), .back)
        XCTAssertNil(keymap.command(for: .character("m"), in: .list))
        XCTAssertNil(keymap.command(for: .character("m"), in: .reading))
        XCTAssertNil(keymap.command(for: .escape, in: .reading))
        XCTAssertNil(keymap.command(for: .character("u"), in: .reading), "a global key unbound in one pane")
        XCTAssertEqual(keymap.command(for: .character("u"), in: .list), .undo)
    }

    func testUnbindEverythingThenBind() {
        let (configuration, diagnostics) = parse("unbind-key -a\nbind-key x quit\n")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(configuration.keymap.bindings.map(\.key), [.character("x")])
    }

    func testEveryBindingError() {
        let cases: [(String, String)] = [
            ("bind-key j", "bind-key needs a key and an action (bind-key KEY ACTION [CONTEXT])"),
            ("bind-key j down list extra", "bind-key takes a key, an action and a context, not 4 words"),
            ("bind-key PGDWN down", "unknown key name 'PGDWN' (one character, ^X, M-x, F1 to F63, or UP DOWN LEFT RIGHT PGUP PGDOWN HOME END ENTER ESC TAB BACKTAB BACKSPACE DELETE INSERT SPACE)"),
            ("bind-key ^1 down", "'^1' is not a control key (^A to ^Z, ^@, ^[, ^\\, ^], ^^ or ^_)"),
            ("bind-key M-xy down", "'M-xy' is not a meta key (M- and one character, e.g. M-x)"),
            ("bind-key F64 down", "function keys are F1 to F63, not 'F64'"),
            ("bind-key j explode", "unknown action 'explode' (the actions are listed by 'gazette config dump' and in gazette(1))"),
            ("bind-key j down sidebar", "unknown context 'sidebar' (global, list or reading)"),
            ("unbind-key", "unbind-key takes a key and an optional context (unbind-key KEY [CONTEXT], or unbind-key -a for every key)"),
            ("unbind-key j list reading", "unbind-key takes a key and an optional context (unbind-key KEY [CONTEXT], or unbind-key -a for every key)"),
            ("unbind-key j sidebar", "unknown context 'sidebar' (global, list or reading)"),
            ("unbind-key \"\"", "an empty key name"),
        ]
        for (index, (text, message)) in cases.enumerated() {
            let result = problem(String(repeating: "\n", count: index) + text)
            XCTAssertEqual(result.line, index + 1, text)
            XCTAssertEqual(result.message, message, text)
        }
    }

    // MARK: Key names

    func testKeyNames() throws {
        let cases: [(String, Key)] = [
            ("j", .character("j")), ("G", .character("G")), ("?", .character("?")), ("é", .character("é")),
            ("^D", .control("d")), ("^d", .control("d")), ("C-d", .control("d")), ("^@", .control("@")),
            ("^I", .tab), ("^M", .enter), ("^[", .escape), ("^H", .backspace),
            ("M-x", .meta("x")), ("M-X", .meta("X")), ("M-SPACE", .meta(" ")),
            ("ENTER", .enter), ("enter", .enter), ("Return", .enter),
            ("PGDOWN", .pageDown), ("PgDn", .pageDown), ("PGUP", .pageUp), ("PgUp", .pageUp),
            ("HOME", .home), ("END", .end), ("UP", .up), ("DOWN", .down), ("LEFT", .left), ("RIGHT", .right),
            ("SPACE", .character(" ")), ("TAB", .tab), ("BACKTAB", .backTab), ("S-Tab", .backTab),
            ("ESC", .escape), ("Esc", .escape), ("BACKSPACE", .backspace), ("DELETE", .delete), ("INSERT", .insert),
            ("F1", .function(1)), ("f12", .function(12)), ("F", .character("F")),
        ]
        for (name, key) in cases {
            XCTAssertEqual(try KeyName.parse(name), key, name)
        }
        for name in ["", " ", "\u{7}", "jk", "^^^", "M-", "F0", "CTRL-D", "\u{301}"] {
            XCTAssertThrowsError(try KeyName.parse(name), name)
        }
    }

    func testEveryStandardKeyNameReadsBack() throws {
        for binding in Keymap.standard.bindings {
            XCTAssertEqual(try KeyName.parse(KeyName.name(of: binding.key)), binding.key)
            // The help's names work in the file too.
            XCTAssertEqual(try KeyName.parse(binding.key.displayName), binding.key, binding.key.displayName)
        }
    }

    // MARK: color

    func testColor() {
        let text = """
            color accent color33 default bold
            color selection black brightcyan reverse underline
            colour error red default
            color status_bar default blue
            color code magenta default
            color mark black yellow
            """
        let (configuration, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        let looks = configuration.theme.looks
        XCTAssertEqual(looks[.accent], TintLook(foreground: .indexed(33), background: .default, attributes: .bold))
        XCTAssertEqual(looks[.selection], TintLook(foreground: .indexed(0), background: .indexed(14),
                                                   attributes: [.reverse, .underline]))
        XCTAssertEqual(looks[.error], TintLook(foreground: .indexed(1), background: .default))
        XCTAssertEqual(looks[.statusBar], TintLook(foreground: .default, background: .indexed(4)))
        XCTAssertEqual(looks[.code], TintLook(foreground: .indexed(5), background: .default), "articles' code")
        XCTAssertEqual(looks[.mark], TintLook(foreground: .indexed(0), background: .indexed(3)), "articles' marked text")
        XCTAssertNil(looks[.muted])
        XCTAssertEqual(configuration.theme.look(for: .muted), Theme.builtIn[.muted])
    }

    func testEveryColorError() {
        let cases: [(String, String)] = [
            ("color accent cyan", "color needs an element and two colours (color ELEMENT FOREGROUND BACKGROUND [ATTRIBUTE ...])"),
            ("color sidebar cyan default", "unknown element 'sidebar' (normal, accent, muted, selection, status-bar, error, border, highlight, title, code, mark)"),
            ("color accent purple default", "unknown colour 'purple' (default, black, red, green, yellow, blue, magenta, cyan, white, brightNAME, or color0 to color255)"),
            ("color accent cyan color256", "unknown colour 'color256' (default, black, red, green, yellow, blue, magenta, cyan, white, brightNAME, or color0 to color255)"),
            ("color accent cyan default blink", "unknown attribute 'blink' (bold, dim, reverse, underline, italic)"),
        ]
        for (index, (text, message)) in cases.enumerated() {
            let result = problem(String(repeating: "\n", count: index) + text)
            XCTAssertEqual(result.line, index + 1, text)
            XCTAssertEqual(result.message, message, text)
        }
    }

    // MARK: include

    func testIncludeIsRelativeToTheIncludingFile() {
        let (configuration, diagnostics) = parse("include keys\nset mouse yes\n", others: [
            "/home/user/.config/gazette/keys": "bind-key x quit\ninclude colours/dark\n",
            "/home/user/.config/gazette/colours/dark": "color accent blue default\nset archives ../../news\n",
        ])
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(configuration.keymap.command(for: .character("x"), in: .list), .quit)
        XCTAssertEqual(configuration.theme.looks[.accent]?.foreground, .indexed(4))
        XCTAssertEqual(configuration.archives, ["/home/user/.config/news"])
        XCTAssertTrue(configuration.mouse)
    }

    func testIncludeTildeAndAbsolutePaths() {
        let (configuration, diagnostics) = parse("include ~/shared.conf\ninclude /etc/gazette.conf\n", others: [
            "/home/user/shared.conf": "set measure 70\n", "/etc/gazette.conf": "set mouse yes\n",
        ])
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(configuration.measure, 70)
        XCTAssertTrue(configuration.mouse)
    }

    func testProblemsInAnIncludedFileNameThatFile() {
        let (_, diagnostics) = parse("# main\ninclude keys\n", others: [
            "/home/user/.config/gazette/keys": "\n\nbind-key x explode\n",
        ])
        XCTAssertEqual(diagnostics.map(\.file), ["/home/user/.config/gazette/keys"])
        XCTAssertEqual(diagnostics.map(\.line), [3])
    }

    func testMissingInclude() {
        let result = problem("set mouse yes\ninclude nowhere\n")
        XCTAssertEqual(result.line, 2)
        XCTAssertEqual(result.message, "cannot read /home/user/.config/gazette/nowhere: No such file or directory")
    }

    func testIncludeCycles() {
        let (configuration, diagnostics) = parse("include a\nset measure 60\n", others: [
            "/home/user/.config/gazette/a": "include b\n",
            "/home/user/.config/gazette/b": "set mouse yes\ninclude ../gazette/a\ninclude config\n",
        ])
        XCTAssertEqual(diagnostics.map(\.description), [
            "/home/user/.config/gazette/b:2: include cycle: /home/user/.config/gazette/a is already being read",
            "/home/user/.config/gazette/b:3: include cycle: /home/user/.config/gazette/config is already being read",
        ])
        XCTAssertTrue(configuration.mouse, "the rest of the files still apply")
        XCTAssertEqual(configuration.measure, 60)
        XCTAssertEqual(problem("include config").message,
                       "include cycle: /home/user/.config/gazette/config is already being read")
    }

    func testIncludeNeedsOnePath() {
        let result = problem("\ninclude a b")
        XCTAssertEqual(result.line, 2)
        XCTAssertEqual(result.message, "include takes one path (include PATH)")
    }

    func testTheFileItselfMissing() {
        var configuration = Configuration()
        let diagnostics = ConfigurationParser(files: .memory([:])).load(path: "/nowhere", into: &configuration)
        XCTAssertEqual(diagnostics.map(\.description), ["/nowhere: cannot read: No such file or directory"])
    }

    // MARK: dump

    func testSubscriptionOptions() {
        let text = """
            set fetch-on-start yes
            set min-interval 90
            set max-transfers 16
            set max-per-host 4
            set connect-timeout 5
            set fetch-timeout 30
            set max-size 10
            set ca-file certs/ca.pem
            set keep-read-days 30
            set backfill-pages 50
            set backfill-delay 2
            """
        let (configuration, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        let fetching = configuration.fetching
        XCTAssertTrue(fetching.fetchOnStart)
        XCTAssertEqual(fetching.minInterval, 90 * 60, "a bare number is minutes, as newsboat's reload-time")
        XCTAssertEqual(fetching.maxTransfers, 16)
        XCTAssertEqual(fetching.maxPerHost, 4)
        XCTAssertEqual(fetching.connectTimeout, 5)
        XCTAssertEqual(fetching.fetchTimeout, 30)
        XCTAssertEqual(fetching.maxSizeMB, 10)
        XCTAssertEqual(fetching.caFile, "/home/user/.config/gazette/certs/ca.pem", "relative to the file")
        XCTAssertEqual(fetching.keepReadDays, 30)
        XCTAssertEqual(fetching.backfillPages, 50)
        XCTAssertEqual(fetching.backfillDelay, 2)
        for (value, seconds) in [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("0", 0)] {
            XCTAssertEqual(parse("set min-interval \(value)").0.fetching.minInterval, seconds, value)
        }
        XCTAssertNil(parse("set keep-read-days 30\nset keep-read-days never").0.fetching.keepReadDays)
        let defaults = Configuration().fetching
        XCTAssertEqual([defaults.minInterval, defaults.maxTransfers, defaults.maxPerHost, defaults.connectTimeout,
                        defaults.fetchTimeout, defaults.maxSizeMB], [900, 8, 2, 10, 60, 50], "the issue's defaults")
        XCTAssertFalse(defaults.fetchOnStart)
        XCTAssertNil(defaults.keepReadDays, "nothing is pruned by default")
    }

    func testDumpRoundTripsTheDefaults() {
        let dump = Configuration().dump
        let (again, diagnostics) = parse(dump)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(again.dump, dump)
        XCTAssertEqual(again.keymap, Keymap.standard, "the standard bindings, in order, with their help")
    }

    func testDumpRoundTripsAChangedConfiguration() {
        let text = """
            set archives "/srv/with space" /srv/b
            set mark-read at-end
            set layout side-by-side
            set split 45
            set measure 66
            set confirm-mark-all no
            set mouse yes
            set pager "most -s"
            set browser w3m
            set fetch-on-start yes
            set min-interval 45s
            set ca-file /etc/private-ca.pem
            set keep-read-days 7
            color accent color208 default bold
            bind-key "#" help
            bind-key "\\"" quit list
            bind-key ^D page-down reading
            bind-key j toggle-read
            unbind-key q list
            unbind-key m reading
            bind-key M-SPACE zoom
            bind-key n down reading
            bind-key p quit global
            bind-key G next-unread
            """
        let (configuration, diagnostics) = parse(text)
        XCTAssertEqual(diagnostics, [])
        let dump = configuration.dump
        let (again, againDiagnostics) = parse(dump)
        XCTAssertEqual(againDiagnostics, [], dump)
        XCTAssertEqual(again.dump, dump)
        XCTAssertEqual(again.keymap, configuration.keymap)
        XCTAssertEqual(again.archives, configuration.archives)
        XCTAssertEqual(again.readPolicy, .atEnd)
        XCTAssertTrue(dump.contains("bind-key \"#\" help global"), dump)
        XCTAssertTrue(dump.contains("bind-key \"\\\"\" quit list"), dump)
        XCTAssertTrue(dump.contains("color accent color208 default bold"), dump)
    }

    func testSavedSearchesKeepTheirOrderAndALaterOneReplacesItsName() {
        var configuration = Configuration()
        let diagnostics = ConfigurationParser(files: .memory([:])).parse("""
            set search "Korea unread" "korea is:unread"
            set search Sport tag:sport
            set search "Korea unread" "korea -is:read"
            set search onlyname
            set search "" "x"
            """, file: "/c/config", into: &configuration)
        XCTAssertEqual(configuration.savedSearches, [SavedSearch(name: "Korea unread", query: "korea -is:read"),
                                                     SavedSearch(name: "Sport", query: "tag:sport")])
        XCTAssertEqual(diagnostics.map(\.line), [4, 5])
        let again = reparse(configuration.dump)
        XCTAssertEqual(again.savedSearches, configuration.savedSearches)
    }

    func testSyncSettings() {
        var configuration = Configuration()
        let diagnostics = ConfigurationParser(files: .memory([:])).parse("""
            set sync ttrss
            set ttrss-url https://rss.example.org/
            set ttrss-login reader
            set ttrss-password-command "pass show rss"
            set ttrss-password-file secret
            set sync-on-start yes
            set sync nextcloud
            set ttrss-url ftp://x
            """, file: "/c/config", into: &configuration)
        XCTAssertEqual(configuration.sync.service, .ttrss)
        XCTAssertEqual(configuration.sync.ttrssURL, "https://rss.example.org/")
        XCTAssertEqual(configuration.sync.ttrssLogin, "reader")
        XCTAssertEqual(configuration.sync.ttrssPasswordCommand, ["pass", "show", "rss"])
        XCTAssertEqual(configuration.sync.ttrssPasswordFile, "/c/secret")
        XCTAssertTrue(configuration.sync.syncOnStart)
        XCTAssertEqual(diagnostics.map(\.message), ["sync must be ttrss or none, not 'nextcloud'",
                                                    "ttrss-url must be an http or https URL, not 'ftp://x'"])
        XCTAssertEqual(reparse(configuration.dump).sync, configuration.sync)
    }

    private func reparse(_ text: String) -> Configuration {
        var configuration = Configuration()
        _ = ConfigurationParser(files: .memory([:])).parse(text, file: "/c/config", into: &configuration)
        return configuration
    }

    func testDumpListsEveryBindingAndOption() {
        let dump = Configuration().dump
        for binding in Keymap.standard.bindings {
            XCTAssertTrue(dump.contains("bind-key \(KeyName.name(of: binding.key)) \(binding.command.rawValue) \(binding.context.rawValue)"),
                          "\(binding)")
        }
        for option in ConfigurationParser.options {
            XCTAssertTrue(dump.contains("set \(option) "), option)
        }
        for command in Command.allCases { XCTAssertTrue(dump.contains(command.rawValue), command.rawValue) }
    }

    // MARK: Applying

    func testTheFileLayoutWinsOverTheSavedOneWhereItSaysSomething() {
        var configuration = Configuration()
        let saved = LayoutPreferences(arrangement: .stacked, listPercent: 50, zoomed: true)
        XCTAssertEqual(configuration.applyLayout(to: saved), saved)
        configuration.split = 25
        XCTAssertEqual(configuration.applyLayout(to: saved), LayoutPreferences(arrangement: .stacked, listPercent: 25, zoomed: true))
        configuration.arrangement = .sideBySide
        XCTAssertEqual(configuration.applyLayout(to: saved).arrangement, .sideBySide)
    }

    // MARK: Location

    func testDefaultLocation() {
        XCTAssertEqual(ConfigurationLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/h"]),
                       "/x/cfg/gazette/config")
        XCTAssertEqual(ConfigurationLocation.defaultPath(environment: ["HOME": "/h"]), "/h/.config/gazette/config")
        XCTAssertEqual(ConfigurationLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "relative/cfg", "HOME": "/h"]),
                       "/h/.config/gazette/config", "a relative XDG_CONFIG_HOME is ignored")
        XCTAssertEqual(ConfigurationLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]),
                       "/h/.config/gazette/config")
        XCTAssertNil(ConfigurationLocation.defaultPath(environment: [:]))
    }
}
