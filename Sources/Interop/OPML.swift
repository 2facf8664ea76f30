// CONTRACT (issue 13): OPML import and export. Bodies are placeholders until they land.

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
    public static func read(_ bytes: [UInt8]) throws(OPMLError) -> (feeds: [OPMLFeed], problems: [OPMLProblem]) {
        fatalError("OPML.read: not implemented yet")
    }

    /// OPML 2.0: every feed once, nested under its first tag's outline, every tag in `category`, names as `title`
    /// and `text`.
    public static func write(_ feeds: [OPMLFeed], title: String = "Gazette subscriptions") -> String {
        fatalError("OPML.write: not implemented yet")
    }
}

/// Why a file cannot be read as OPML at all: one line.
public struct OPMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
