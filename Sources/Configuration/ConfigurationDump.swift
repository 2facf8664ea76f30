import Controller
import TerminalUI

extension Configuration {
    /// The configuration as a file in the same syntax: every option (the ones the file leaves to the
    /// last session as comments), every colour, and every key binding after an `unbind-key -a`, so the
    /// text read back (`gazette config check`) gives this configuration again.
    public var dump: String {
        var lines: [String] = [
            "# Gazette configuration: the effective settings, defaults included (gazette config dump).",
            "",
            "# Options",
        ]
        if archives.isEmpty {
            lines.append("# set archives PATH ...      (none: paths come from the command line)")
        } else {
            lines.append("set archives " + archives.map(Tokenizer.quoted).joined(separator: " "))
        }
        lines.append("set mark-read \(effectiveReadPolicy)")
        if let arrangement {
            lines.append("set layout \(arrangement.rawValue)")
        } else {
            lines.append("# set layout auto            (not set: the last session's layout, else auto)")
        }
        if let split {
            lines.append("set split \(split)")
        } else {
            lines.append("# set split \(LayoutPreferences.standard.listPercent)               (not set: the last session's split, else \(LayoutPreferences.standard.listPercent))")
        }
        lines.append("set measure \(measure)")
        lines.append("set confirm-mark-all \(confirmMarkAll ? "yes" : "no")")
        lines.append("set mouse \(mouse ? "yes" : "no")")
        if let pager {
            lines.append("set pager \(Tokenizer.quoted(pager))")
        } else {
            lines.append("# set pager less             (not set: $PAGER, else less)")
        }
        if let browser {
            lines.append("set browser \(Tokenizer.quoted(browser))")
        } else {
            lines.append("# set browser xdg-open       (not set: $BROWSER, else xdg-open)")
        }

        lines += ["", "# Subscriptions (the urls file beside this one lists them)"]
        let fetch = fetching
        lines.append("set fetch-on-start \(fetch.fetchOnStart ? "yes" : "no")")
        lines.append("set min-interval \(fetch.minInterval % 60 == 0 ? "\(fetch.minInterval / 60)m" : "\(fetch.minInterval)s")")
        lines.append("set max-transfers \(fetch.maxTransfers)")
        lines.append("set max-per-host \(fetch.maxPerHost)")
        lines.append("set connect-timeout \(fetch.connectTimeout)")
        lines.append("set fetch-timeout \(fetch.fetchTimeout)")
        lines.append("set max-size \(fetch.maxSizeMB)")
        if let caFile = fetch.caFile {
            lines.append("set ca-file \(Tokenizer.quoted(caFile))")
        } else {
            lines.append("# set ca-file PATH           (not set: the system's certificates)")
        }
        if let days = fetch.keepReadDays {
            lines.append("set keep-read-days \(days)")
        } else {
            lines.append("# set keep-read-days 90      (not set: read items are kept for ever)")
        }
        lines.append("set backfill-pages \(fetch.backfillPages)")
        lines.append("set backfill-delay \(fetch.backfillDelay)")

        lines += ["", "# Saved searches: sources of their own in the sources view (s)"]
        if savedSearches.isEmpty {
            lines.append("# set search \"Korea unread\" \"korea is:unread\"")
        }
        for saved in savedSearches {
            lines.append("set search \(Tokenizer.quoted(saved.name)) \(Tokenizer.quoted(saved.query))")
        }

        lines += ["", "# Following a Tiny Tiny RSS server (gazette sync)"]
        lines.append("set sync \(sync.service.rawValue)")
        if let url = sync.ttrssURL {
            lines.append("set ttrss-url \(Tokenizer.quoted(url))")
        } else {
            lines.append("# set ttrss-url https://rss.example.org/")
        }
        if let login = sync.ttrssLogin {
            lines.append("set ttrss-login \(Tokenizer.quoted(login))")
        } else {
            lines.append("# set ttrss-login NAME")
        }
        if let command = sync.ttrssPasswordCommand {
            lines.append("set ttrss-password-command " + command.map(Tokenizer.quoted).joined(separator: " "))
        } else {
            lines.append("# set ttrss-password-command \"pass show rss\"   (run without a shell; its first line)")
        }
        if let path = sync.ttrssPasswordFile {
            lines.append("set ttrss-password-file \(Tokenizer.quoted(path))")
        } else {
            lines.append("# set ttrss-password-file PATH   (readable by its owner only)")
        }
        lines.append("set sync-on-start \(sync.syncOnStart ? "yes" : "no")")

        lines += ["", "# Colours: color ELEMENT FOREGROUND BACKGROUND [ATTRIBUTE ...]"]
        for element in ColorNames.elements {
            let look = theme.look(for: element.tint)
            let words = ["color", element.name, ColorNames.name(of: look.foreground), ColorNames.name(of: look.background)]
                + ColorNames.names(of: look.attributes)
            lines.append(pad(words.joined(separator: " "), 40) + "# " + element.what)
        }

        lines += ["", "# Keys: bind-key KEY ACTION [CONTEXT]. The actions: "]
        var actions = ""
        for command in Command.allCases {
            let word = command.rawValue
            if actions.count + word.count + 1 > 100 {
                lines.append("#   " + actions)
                actions = ""
            }
            actions += actions.isEmpty ? word : " " + word
        }
        if !actions.isEmpty { lines.append("#   " + actions) }
        lines.append("unbind-key -a")
        for binding in keymap.bindings {
            let words = ["bind-key", Tokenizer.quoted(KeyName.name(of: binding.key)), binding.command.rawValue,
                         binding.context.rawValue]
            lines.append(pad(words.joined(separator: " "), 40) + "# " + binding.help)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

extension SavedSearch {
    /// The line that saves this search in a configuration file (`set search "NAME" "QUERY"`), quoted so that it
    /// reads back as the same name and query whatever they hold.
    public var configurationLine: String {
        "set search \(Tokenizer.quoted(name)) \(Tokenizer.quoted(query))"
    }
}
