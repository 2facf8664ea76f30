// CONTRACT (issue 12): feed discovery in HTML pages.
import Article
internal import CLibXML2

/// A feed an HTML page links to (`<link rel="alternate" type="application/rss+xml" href=…>`).
public struct DiscoveredFeed: Hashable, Sendable {
    /// Absolute.
    public var url: String
    public var title: String?
    /// The link's `type` (`application/rss+xml`, `application/atom+xml`, `application/feed+json`, ...).
    public var type: String

    public init(url: String, title: String?, type: String) {
        self.url = url
        self.title = title
        self.type = type
    }
}

public enum FeedDiscovery {
    /// The `type`s of a feed link (lowercased, parameters removed).
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
        "application/rdf+xml",
    ]

    /// The RSS, Atom and JSON Feed alternates of an HTML page, in document order, duplicates removed; relative
    /// URLs resolved against `<base href>`, else `pageURL`.
    ///
    /// A link counts when its `rel` holds the token `alternate` (or the old `feed`), in any case, and its `type` is
    /// RSS, Atom, RDF or JSON Feed (`application/json` too, which older JSON feeds use, except WordPress's REST API
    /// links to `/wp-json/`, which every WordPress page has). Links in the body count as well as those in the head.
    /// The page is read by libxml2's HTML parser (entities in attributes decoded, the page's own `<meta charset>`
    /// honoured, nothing fetched); without libxml2 nothing is found. libxml2 stops reading at 256 open elements:
    /// links after such a depth (never the head's) are not seen.
    public static func feeds(inHTML bytes: [UInt8], pageURL: String) -> [DiscoveredFeed] {
        var links: [(rel: String, type: String, href: String, title: String?)] = []
        var base: String?
        let parsed = walkElements(bytes) { name, attribute in
            switch name {
            case "base":
                if base == nil, let href = attribute("href"), !trimmed(href).isEmpty {
                    base = Article.resolveURL(href, against: pageURL)
                }
            case "link":
                guard let rel = attribute("rel"), let type = attribute("type"), let href = attribute("href") else { return }
                links.append((rel, type, href, attribute("title")))
            default:
                break
            }
        }
        guard parsed else { return [] }
        var result: [DiscoveredFeed] = []
        for link in links {
            let rels = link.rel.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{C}" })
            guard rels.contains("alternate") || rels.contains("feed") else { continue }
            let type = trimmed(String(link.type.lowercased().prefix { $0 != ";" }))
            guard feedTypes.contains(type) else { continue }
            let href = trimmed(link.href)
            guard !href.isEmpty else { continue }
            let url = Article.resolveURL(href, against: base ?? pageURL)
            if type == "application/json", isRESTAPI(url) { continue }
            guard !result.contains(where: { $0.url == url }) else { continue }
            let title = link.title.map(collapsed).flatMap { $0.isEmpty ? nil : $0 }
            result.append(DiscoveredFeed(url: url, title: title, type: type))
        }
        return result
    }

    /// Whether `bytes` (the start of a response) begin like an HTML page: after a byte order mark, white space,
    /// comments and an XML declaration, `<!DOCTYPE html`, or an element only HTML has (`<html`, `<head`, `<body`,
    /// `<meta`, `<title`, `<link`, `<script`, `<style`, `<div`, `<p>`). A feed (`<rss`, `<feed`, `<rdf:RDF`, `{`)
    /// is not.
    public static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let b = bytes.prefix(4096).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < b.count {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x0C { i += 1 }
            let rest = b[i...]
            let end: [UInt8]
            if rest.starts(with: Array("<?".utf8)) {
                end = Array("?>".utf8)
            } else if rest.starts(with: Array("<!--".utf8)) {
                end = Array("-->".utf8)
            } else {
                if rest.starts(with: Array("<!doctype html".utf8)) { return true }
                for tag in ["html", "head", "body", "meta", "title", "link", "script", "style", "div", "p"] {
                    let open = Array(("<" + tag).utf8)
                    if rest.starts(with: open) {
                        let next = rest.dropFirst(open.count).first
                        return next == nil || next == 0x3E || next == 0x20 || next == 0x09 || next == 0x0A
                            || next == 0x0D || next == 0x2F
                    }
                }
                return false
            }
            guard let close = find(end, in: b, from: i + 2) else { return false }
            i = close + end.count
        }
        return false
    }

    // MARK: - Pieces

    /// WordPress's REST API (`/wp-json/…`, `?rest_route=`) and oEmbed endpoints: `application/json`, not feeds.
    private static func isRESTAPI(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.contains("/wp-json/") || lower.contains("rest_route=") || lower.contains("oembed")
    }

    private static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" || c == "\u{C}"
    }

    private static func trimmed(_ s: String) -> String {
        var t = s[...]
        while let f = t.first, isSpace(f) { t = t.dropFirst() }
        while let l = t.last, isSpace(l) { t = t.dropLast() }
        return String(t)
    }

    /// Runs of white space as one space, none at either end.
    private static func collapsed(_ s: String) -> String {
        s.split(whereSeparator: isSpace).joined(separator: " ")
    }

    private static func find(_ needle: [UInt8], in b: [UInt8], from: Int) -> Int? {
        guard from + needle.count <= b.count else { return nil }
        var i = from
        while i + needle.count <= b.count {
            if b[i] == needle[0], b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Never `HTML_PARSE_HUGE` (libxml2's limits stay on); nothing printed, nothing fetched (as `Article` reads).
    private static let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue
        | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)

    /// Parses `html` with libxml2 and calls `visit` with each element's name (lower case) and a way to read its
    /// attributes (decoded), in document order; false when libxml2 is missing.
    private static func walkElements(_ html: [UInt8], _ visit: (String, (String) -> String?) -> Void) -> Bool {
        guard let api = gazette_xml_html() else { return false }
        guard !html.isEmpty else { return true }
        guard html.count < Int(Int32.max), let read = api.pointee.htmlReadMemory, let free = api.pointee.xmlFreeDoc,
              let getProp = api.pointee.xmlGetProp, let freeText = api.pointee.xmlFree else { return false }
        // No encoding given: libxml2 reads the page's `<meta charset>` (UTF-8 when it has none).
        let parsed = html.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                read($0, Int32(buffer.count), nil, nil, options)
            }
        }
        guard let doc = parsed else { return true }
        defer { free(doc) }
        // Document order without recursion (a page may nest deeper than the stack allows).
        var node = doc.pointee.children
        while let current = node {
            if current.pointee.type == XML_ELEMENT_NODE, let n = current.pointee.name {
                let name = String(cString: n)
                visit(name) { attribute in
                    guard let value = getProp(current, attribute) else { return nil }
                    defer { freeText(value) }
                    return String(cString: value)
                }
                if let child = current.pointee.children {
                    node = child
                    continue
                }
            }
            var done: xmlNodePtr? = current
            node = nil
            while let d = done {
                if let next = d.pointee.next {
                    node = next
                    break
                }
                done = d.pointee.parent
                if let p = done, p.pointee.type != XML_ELEMENT_NODE { break }
            }
        }
        return true
    }
}
