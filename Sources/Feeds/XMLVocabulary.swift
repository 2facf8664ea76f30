internal import CLibXML2
import Glibc

/// The namespaces a feed reader cares about, told by URI (never by prefix), common misspellings included.
enum XMLNamespace: UInt8 {
    /// No namespace: RSS 0.9x and 2.0 (and Atom written without its namespace).
    case none
    /// RSS 1.0, RSS 0.90, and the namespaces some RSS 2.0 feeds put on their elements.
    case rss
    case atom10
    case atom03
    case rdf
    case content
    case dc
    case dcterms
    case media
    case itunes
    case slash
    case xhtml
    case xml
    /// RFC 5005 feed history (`fh:archive`, `fh:complete`).
    case history
    case other

    private static let table: [(String, XMLNamespace)] = [
        ("http://purl.org/rss/1.0/", .rss),
        ("http://purl.org/rss/1.0", .rss),
        ("http://my.netscape.com/rdf/simple/0.9/", .rss),
        ("http://my.netscape.com/rdf/simple/0.9", .rss),
        ("http://backend.userland.com/rss2", .rss),
        ("http://backend.userland.com/rss", .rss),
        ("http://blogs.law.harvard.edu/tech/rss", .rss),
        ("http://www.w3.org/2005/Atom", .atom10),
        ("http://www.w3.org/2005/Atom/", .atom10),
        ("http://purl.org/atom/ns#", .atom03),
        ("http://purl.org/atom/ns", .atom03),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", .rdf),
        ("http://purl.org/rss/1.0/modules/content/", .content),
        ("http://purl.org/rss/1.0/modules/content", .content),
        ("http://purl.org/dc/elements/1.1/", .dc),
        ("http://purl.org/dc/elements/1.1", .dc),
        ("http://purl.org/dc/terms/", .dcterms),
        ("http://purl.org/dc/terms", .dcterms),
        ("http://search.yahoo.com/mrss/", .media),
        ("http://search.yahoo.com/mrss", .media),
        ("http://www.itunes.com/dtds/podcast-1.0.dtd", .itunes),
        ("http://www.itunes.com/dtds/podcast-1.0.dtd/", .itunes),
        ("http://purl.org/rss/1.0/modules/slash/", .slash),
        ("http://purl.org/rss/1.0/modules/slash", .slash),
        ("http://www.w3.org/1999/xhtml", .xhtml),
        ("http://www.w3.org/XML/1998/namespace", .xml),
        ("http://purl.org/syndication/history/1.0", .history),
        ("http://purl.org/syndication/history/1.0/", .history),
    ]

    private static let lowered: [([UInt8], XMLNamespace)] = table.map { (Array($0.0.lowercased().utf8), $0.1) }

    /// The namespace of `uri` (compared without case: feeds write `http://www.itunes.com/DTDs/Podcast-1.0.dtd`).
    static func of(_ uri: UnsafePointer<xmlChar>?) -> XMLNamespace {
        guard let uri else { return .none }
        let n = strlen(UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self))
        if n == 0 { return .none }
        for (bytes, ns) in lowered where bytes.count == n {
            var same = true
            for i in 0..<n {
                var c = uri[i]
                if c >= 0x41, c <= 0x5A { c |= 0x20 }
                if c != bytes[i] { same = false; break }
            }
            if same { return ns }
        }
        return .other
    }
}

/// What an element is, for a feed (its namespace and local name, read in the feed's dialect).
enum XMLTag: UInt8 {
    case unknown
    // Roots and containers.
    case rss, rdf, feed, channel, item, entry, image, textInput, items, author, contributor, source, mediaGroup
    case mediaContent
    // Fields.
    case title, link, description, guid, pubDate, lastBuildDate, language, rssAuthor, managingEditor, category
    case enclosure, url, comments
    case id, updated, published, summary, content, subtitle, icon, logo, name, email, uri
    case modified, issued, created, tagline
    case contentEncoded, creator, date, subject, dcLanguage, dcTitle, dcDescription
    case mediaTitle, mediaDescription, mediaThumbnail
    case itunesAuthor, itunesSummary, itunesDuration, itunesImage
    case slashComments, xhtmlBody
    case generator, historyArchive, historyComplete

    /// The tag of an element; `atomDialect` says how to read elements without a namespace (an Atom feed written
    /// without its namespace).
    static func of(_ local: UnsafePointer<xmlChar>, _ ns: XMLNamespace, atomDialect: Bool) -> XMLTag {
        let s = UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self)
        @inline(__always) func eq(_ name: StaticString) -> Bool {
            strcmp(s, UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
        }
        switch ns {
        case .none where atomDialect, .atom10, .atom03:
            switch s[0] {
            case 0x61: // a
                return eq("author") ? .author : .unknown
            case 0x63: // c
                if eq("content") { return .content }
                if eq("category") { return .category }
                if eq("contributor") { return .contributor }
                if eq("created") { return .created }
                return .unknown
            case 0x65: return eq("entry") ? .entry : (eq("email") ? .email : .unknown)
            case 0x66: return eq("feed") ? .feed : .unknown
            case 0x67: return eq("generator") ? .generator : .unknown
            case 0x69:
                if eq("id") { return .id }
                if eq("icon") { return .icon }
                if eq("issued") { return .issued }
                return .unknown
            case 0x6C: return eq("link") ? .link : (eq("logo") ? .logo : .unknown)
            case 0x6D: return eq("modified") ? .modified : .unknown
            case 0x6E: return eq("name") ? .name : .unknown
            case 0x70: return eq("published") ? .published : .unknown
            case 0x73:
                if eq("summary") { return .summary }
                if eq("subtitle") { return .subtitle }
                if eq("source") { return .source }
                return .unknown
            case 0x74: return eq("title") ? .title : (eq("tagline") ? .tagline : .unknown)
            case 0x75:
                if eq("updated") { return .updated }
                if eq("uri") || eq("url") { return .uri }
                return .unknown
            default: return .unknown
            }
        case .none, .rss:
            switch s[0] {
            case 0x61: return eq("author") ? .rssAuthor : .unknown
            case 0x63:
                if eq("channel") { return .channel }
                if eq("category") { return .category }
                if eq("comments") { return .comments }
                return .unknown
            case 0x64: return eq("description") ? .description : .unknown
            case 0x65: return eq("enclosure") ? .enclosure : .unknown
            case 0x67: return eq("guid") ? .guid : (eq("generator") ? .generator : .unknown)
            case 0x69:
                if eq("item") { return .item }
                if eq("image") { return .image }
                if eq("items") { return .items }
                return .unknown
            case 0x6C:
                if eq("link") { return .link }
                if eq("language") { return .language }
                if eq("lastBuildDate") { return .lastBuildDate }
                return .unknown
            case 0x6D: return eq("managingEditor") ? .managingEditor : .unknown
            case 0x70: return eq("pubDate") ? .pubDate : .unknown
            case 0x72: return eq("rss") ? .rss : .unknown
            case 0x73: return eq("source") ? .source : .unknown
            case 0x74:
                if eq("title") { return .title }
                if eq("textinput") || eq("textInput") { return .textInput }
                return .unknown
            case 0x75: return eq("url") ? .url : .unknown
            default: return .unknown
            }
        case .rdf: return eq("RDF") ? .rdf : .unknown
        case .content: return eq("encoded") ? .contentEncoded : .unknown
        case .dc:
            if eq("creator") || eq("author") { return .creator }
            if eq("date") { return .date }
            if eq("subject") { return .subject }
            if eq("language") { return .dcLanguage }
            if eq("title") { return .dcTitle }
            if eq("description") { return .dcDescription }
            return .unknown
        case .dcterms:
            if eq("modified") { return .modified }
            if eq("issued") { return .issued }
            if eq("created") { return .created }
            return .unknown
        case .media:
            if eq("group") { return .mediaGroup }
            if eq("content") { return .mediaContent }
            if eq("title") { return .mediaTitle }
            if eq("description") { return .mediaDescription }
            if eq("thumbnail") { return .mediaThumbnail }
            return .unknown
        case .itunes:
            if eq("author") { return .itunesAuthor }
            if eq("summary") { return .itunesSummary }
            if eq("duration") { return .itunesDuration }
            if eq("image") { return .itunesImage }
            return .unknown
        case .slash: return eq("comments") ? .slashComments : .unknown
        case .xhtml: return eq("body") ? .xhtmlBody : .unknown
        case .history:
            if eq("archive") { return .historyArchive }
            if eq("complete") { return .historyComplete }
            return .unknown
        case .xml, .other: return .unknown
        }
    }
}
