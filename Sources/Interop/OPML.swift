// CONTRACT (issue 13): OPML import and export.
import Foundation

/// A feed as an OPML file lists it.
public struct OPMLFeed: Hashable, Sendable {
    /// `xmlUrl`.
    public var url: String
    /// `title`, else `text`.
    public var name: String?
    /// `htmlUrl`.
    public var siteURL: String?
    /// The enclosing outlines' titles (outermost first), then the `category` attribute's entries.
    public var tags: [String]
    /// 1-based line of the outline.
    public var line: Int

    public init(url: String, name: String? = nil, siteURL: String? = nil, tags: [String] = [], line: Int = 0) {
        self.url = url
        self.name = name
        self.siteURL = siteURL
        self.tags = tags
        self.line = line
    }
}

/// An outline that could not be imported, or a problem with the file: `LINE: message`.
public struct OPMLProblem: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "\(line): \(message)" }
}

public enum OPML {
    /// Reads an OPML 1.0 or 2.0 document: every outline with a usable `xmlUrl` (http or https), duplicates merged
    /// (their tags joined), and a problem for everything else. Throws only when nothing of it is OPML.
    ///
    /// - Names: `title`, else `text` (a name that is only the URL is no name).
    /// - Tags: the enclosing folders' `text` (else `title`), outermost first, one tag each (the outer 32), then the
    ///   `category` attribute's comma-separated entries: `/Tech/Linux` (a path, as OPML 2.0 writes categories) gives
    ///   `Tech` and `Linux`, `tag/three` (newsboat's way) is one tag. A leading `~` is dropped (it would make the
    ///   tag a display name in the urls file).
    /// - Attribute names are compared without case (`xmlurl`, `XMLURL`); `url` stands for `xmlUrl` when that is
    ///   missing (as newsboat reads it), except on `type="link"` and `type="include"` outlines.
    /// - Problems (with the outline's line): a feed outline without a usable URL (missing, empty, a command,
    ///   another scheme, spaces or `|`), links and includes, leaves with an `htmlUrl` but no `xmlUrl`, XML errors
    ///   (the rest is read as libxml2 recovers), a file cut short, nesting deeper than libxml2's 256 levels (read up
    ///   to there), a file not in its declared encoding. Folders without feeds are ignored without a word.
    public static func read(_ bytes: [UInt8]) throws(OPMLError) -> (feeds: [OPMLFeed], problems: [OPMLProblem]) {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw OPMLError("is empty")
        }
        let decoded = OPMLText.decode(bytes)
        if looksLikeHTML(decoded.bytes) { throw OPMLError("is an HTML page, not OPML") }
        let reader = OPMLReader()
        try reader.parse(decoded.bytes)
        switch reader.root {
        case .none:
            let why = reader.firstError.map { " (line \($0.line): \($0.message))" } ?? ""
            throw OPMLError("is not OPML: no XML element in it\(why)")
        case .other(let name):
            switch name.lowercased() {
            case "html":
                throw OPMLError("is an HTML page, not OPML")
            case "rss", "feed", "rdf", "rdf:rdf":
                throw OPMLError("is a feed, not OPML (its root element is <\(name)>): subscribe to it with gazette add URL")
            default:
                throw OPMLError("is XML but not OPML (its root element is <\(name)>, not <opml>)")
            }
        case .opml:
            var problems = reader.problems
            if let note = decoded.note {
                problems = OPMLProblem.sorted([note] + problems)
            }
            return (reader.feeds, problems)
        }
    }

    /// OPML 2.0: every feed once, nested under its first tag's outline, every tag in `category`, names as `title`
    /// and `text`.
    public static func write(_ feeds: [OPMLFeed], title: String = "Gazette subscriptions") -> String {
        write(feeds, title: title, date: Date())
    }

    /// `write` with the `dateCreated` given.
    ///
    /// Folders come in the order of their first feed; feeds without tags sit at the top level where they come.
    /// `category` lists every tag as written (newsboat 2.33 and later read it so; a tag is written without the
    /// leading `/` of an OPML 2.0 path, which newsboat would keep as part of the tag), a comma in a tag becoming
    /// `_` (as newsboat does: commas separate the entries). A feed's first tag is also its folder, where its commas
    /// stay.
    public static func write(_ feeds: [OPMLFeed], title: String, date: Date) -> String {
        enum Entry {
            /// A folder: its name and index in `members`.
            case folder(String, Int)
            case feed(OPMLFeed)
        }
        var entries: [Entry] = []
        var members: [[OPMLFeed]] = []
        var folderIndex: [String: Int] = [:]
        var seen = Set<String>()
        for feed in feeds where seen.insert(feed.url).inserted {
            if let first = feed.tags.first(where: { !$0.isEmpty }) {
                if let at = folderIndex[first] {
                    members[at].append(feed)
                } else {
                    folderIndex[first] = members.count
                    entries.append(.folder(first, members.count))
                    members.append([feed])
                }
            } else {
                entries.append(.feed(feed))
            }
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n"
        out += "    <title>\(escape(title))</title>\n"
        out += "    <dateCreated>\(rfc822(date))</dateCreated>\n"
        out += "  </head>\n  <body>\n"
        func outline(_ feed: OPMLFeed, indent: String) {
            let name = feed.name.flatMap { OPMLValues.nonEmpty(OPMLValues.clean($0)) } ?? feed.url
            var line = indent + "<outline type=\"rss\" text=\"\(escape(name))\" title=\"\(escape(name))\""
            line += " xmlUrl=\"\(escape(feed.url))\""
            if let site = feed.siteURL, !site.isEmpty { line += " htmlUrl=\"\(escape(site))\"" }
            let tags = feed.tags.filter { !$0.isEmpty }
            if !tags.isEmpty {
                let entries = tags.enumerated().compactMap { i, tag -> String? in
                    let entry = tag.replacingOccurrences(of: ",", with: "_")
                    // The folder holds the first tag as it is; a copy with `_` would read back as another tag.
                    return i == 0 && entry != tag ? nil : entry
                }
                if !entries.isEmpty { line += " category=\"\(escape(entries.joined(separator: ",")))\"" }
            }
            out += line + "/>\n"
        }
        for entry in entries {
            switch entry {
            case .feed(let feed):
                outline(feed, indent: "    ")
            case .folder(let name, let at):
                out += "    <outline text=\"\(escape(name))\" title=\"\(escape(name))\">\n"
                for feed in members[at] { outline(feed, indent: "      ") }
                out += "    </outline>\n"
            }
        }
        out += "  </body>\n</opml>\n"
        return out
    }

    /// Text for an attribute value or an element: `&`, `<`, `>` and `"` escaped; tab and line breaks written as
    /// references (an attribute keeps them so); other control characters (and U+FFFE, U+FFFF), which XML cannot
    /// hold, dropped.
    static func escape(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 >= 0x7F }) {
            return s
        }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "\t": out.append(contentsOf: "&#9;".unicodeScalars)
            case "\n": out.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `Sat, 01 Feb 2025 10:00:00 GMT` (RFC 822, as OPML 2.0 asks).
    static func rfc822(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// An HTML page (a doctype or an `<html>` first), which libxml2 would half read as XML.
    static func looksLikeHTML(_ b: [UInt8]) -> Bool {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        let head = String(decoding: b[i..<min(b.count, i + 64)], as: UTF8.self).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }
}

/// Why a file cannot be read as OPML at all: one line.
public struct OPMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
