import Posts
internal import CLibXML2

/// The formats a feed file can be in (told by content, never by the file name).
public enum FeedFormat: String, Hashable, Sendable {
    case rss090 = "RSS 0.90"
    case rss091 = "RSS 0.91"
    case rss092 = "RSS 0.92"
    case rss093 = "RSS 0.93"
    case rss094 = "RSS 0.94"
    case rss20 = "RSS 2.0"
    /// RSS 1.0 (RDF).
    case rss10 = "RSS 1.0"
    case atom10 = "Atom 1.0"
    case atom03 = "Atom 0.3"
    case jsonFeed10 = "JSON Feed 1.0"
    case jsonFeed11 = "JSON Feed 1.1"
}

/// A moment, in whole seconds since 1970-01-01T00:00:00Z.
public struct FeedTimestamp: Hashable, Comparable, Sendable {
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }

    public static func < (a: FeedTimestamp, b: FeedTimestamp) -> Bool { a.secondsSince1970 < b.secondsSince1970 }
}

/// What an item's body is.
public enum ContentType: UInt8, Hashable, Sendable {
    /// HTML (RSS `description`/`content:encoded`, Atom `type="html"`, JSON `content_html`).
    case html
    /// Plain text (Atom `type="text"`, JSON `content_text`): no markup, line breaks kept.
    case text
    /// XHTML (Atom `type="xhtml"`): the `div`'s inner markup, serialized, to be read as HTML.
    case xhtml
}

/// A file attached to an item (RSS `enclosure`, Atom `link rel="enclosure"`, JSON `attachments`, `media:content`):
/// the model's own type.
public typealias Enclosure = PostEnclosure

/// What a feed says about itself. Every text is plain (entities decoded, markup removed) and not yet sanitized.
public struct FeedInfo: Hashable, Sendable {
    public var format: FeedFormat
    public var title: String?
    /// The site the feed belongs to (RSS `link`, Atom `link rel="alternate"`, JSON `home_page_url`), absolute.
    public var siteLink: String?
    /// Where the feed lives (Atom `link rel="self"`, `atom:link rel="self"` in RSS, JSON `feed_url`), absolute.
    public var selfLink: String?
    /// The feed's own id (Atom `id`).
    public var id: String?
    public var updated: FeedTimestamp?
    public var authors: [String]
    /// `xml:lang`, RSS `language`, JSON `language`.
    public var language: String?
    /// Atom `icon`/`logo`, RSS `image/url`, JSON `icon`/`favicon`, absolute.
    public var icon: String?
    public var description: String?
    /// Feed-level links other than alternate and self (Atom `link`, `atom:link` in RSS, JSON `next_url` as `next`):
    /// `next`, `prev-archive`, `current`, ..., absolute. For backfill (RFC 5005).
    public var links: [FeedLink] = []
    /// RSS `generator`, Atom `generator` text, JSON has none.
    public var generator: String?
    /// RFC 5005 `fh:archive` (an archive document) and `fh:complete` (the feed holds every item).
    public var isArchive = false
    public var isComplete = false

    public init(format: FeedFormat, title: String? = nil, siteLink: String? = nil, selfLink: String? = nil,
                id: String? = nil, updated: FeedTimestamp? = nil, authors: [String] = [], language: String? = nil,
                icon: String? = nil, description: String? = nil) {
        self.format = format
        self.title = title
        self.siteLink = siteLink
        self.selfLink = selfLink
        self.id = id
        self.updated = updated
        self.authors = authors
        self.language = language
        self.icon = icon
        self.description = description
    }
}

/// A feed-level link (`rel` lowercased; `href` absolute).
public struct FeedLink: Hashable, Sendable {
    public var rel: String
    public var href: String
    public var type: String?

    public init(rel: String, href: String, type: String? = nil) {
        self.rel = rel
        self.href = href
        self.type = type
    }
}

/// One item of a feed. Texts are plain unless said otherwise, and not yet sanitized.
public struct FeedItem: Hashable, Sendable {
    /// The feed's own id for the item (RSS `guid`, Atom `id`, JSON `id`).
    public var guid: String?
    /// Plain text: entities decoded, tags of HTML and XHTML titles removed, whitespace collapsed.
    public var title: String
    /// The alternate link, absolute (resolved against `xml:base`, then the feed's own URL or path).
    public var link: String?
    /// Every author's name, in document order (`dc:creator`, `author`, `itunes:author`, ...).
    public var authors: [String]
    public var published: FeedTimestamp?
    public var updated: FeedTimestamp?
    /// Category names (RSS `category`, `dc:subject`, Atom `category` term or label, JSON `tags`).
    public var categories: [String]
    public var enclosures: [Enclosure]
    /// The body: full content over a summary (`content:encoded` over `description`, Atom `content` over `summary`,
    /// `content_html` over `content_text`), in its own markup (`contentType`).
    public var content: String
    public var contentType: ContentType
    /// The base URL relative links in `content` are resolved against (`xml:base` in scope, else the feed's URL).
    public var contentBase: String?
    /// `xml:lang` in scope, or the feed's language.
    public var language: String?
    /// `slash:comments`.
    public var commentCount: Int?
    /// `media:thumbnail`, `itunes:image`, JSON `image`, absolute.
    public var thumbnail: String?
    /// `itunes:duration` as the feed wrote it.
    public var duration: String?
    /// The line of the item's start in the file (for messages).
    public var line: Int

    public init(guid: String? = nil, title: String = "", link: String? = nil, authors: [String] = [],
                published: FeedTimestamp? = nil, updated: FeedTimestamp? = nil, categories: [String] = [],
                enclosures: [Enclosure] = [], content: String = "", contentType: ContentType = .html,
                contentBase: String? = nil, language: String? = nil, commentCount: Int? = nil,
                thumbnail: String? = nil, duration: String? = nil, line: Int = 0) {
        self.guid = guid
        self.title = title
        self.link = link
        self.authors = authors
        self.published = published
        self.updated = updated
        self.categories = categories
        self.enclosures = enclosures
        self.content = content
        self.contentType = contentType
        self.contentBase = contentBase
        self.language = language
        self.commentCount = commentCount
        self.thumbnail = thumbnail
        self.duration = duration
        self.line = line
    }
}

/// A problem found while reading a feed: `FILE:LINE: message` once the file is known.
public struct FeedDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "\(line): \(message)" }
}

/// Why a feed could not be read at all (nothing to show). One line that says what is wrong.
public struct FeedError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads a feed a piece at a time: the reader shows the first items while the rest is read in the background
/// (as `ArchiveIndexer` does for text archives).
///
/// `info` is complete for everything that comes before the first item once `read` returned items (feeds put
/// their own elements first; those after the items are added by the end). Not thread-safe: one thread at a time.
public protocol FeedReader: AnyObject {
    var info: FeedInfo { get }
    /// Reads about `maxBytes` more of the file (at least one chunk) and returns the items completed meanwhile, in
    /// document order. Throws `FeedError` only when nothing of the file can be read as a feed; a broken feed
    /// otherwise gives what could be read and a diagnostic.
    func read(maxBytes: Int) throws -> [FeedItem]
    /// True once the whole file was read.
    var isFinished: Bool { get }
    /// Bytes of the file read so far.
    var bytesRead: Int { get }
    /// Problems found so far (a broken XML file's first error, with its line).
    var diagnostics: [FeedDiagnostic] { get }
}
