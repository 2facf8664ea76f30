internal import CLibXML2
internal import XMLDiagnostics
import Article
import Glibc

/// Turns libxml2's SAX2 events into the feed's `FeedInfo` and its `FeedItem`s, for RSS 0.9x/2.0, RSS 1.0 (RDF)
/// and Atom 0.3/1.0 alike: elements are told by namespace URI and local name (`XMLTag`), and by their parent (a
/// `title` means the feed's title under `channel`/`feed`, the item's under `item`/`entry`, nothing under `image`).
///
/// Only the text of fields that are kept is gathered, in reusable buffers with a size limit; an item's state is
/// reset once it is complete.
final class XMLFeedBuilder {
    /// What the root element said the file is.
    enum Root: Equatable {
        case none
        case rss
        case rdf
        case atom
        case html
        case other(String)
    }

    /// How a captured element's text is gathered.
    private enum Mode {
        /// Text only; child elements are ignored (their text is kept).
        case plain
        /// HTML as text (RSS `description`): text as it is, and child elements (unescaped markup in a broken
        /// feed) written back as tags.
        case markup
        /// XHTML (Atom `type="xhtml"`): child elements written as tags, text escaped.
        case xhtml
    }

    /// Where a captured body goes: the item's full content, its summary, or a last resort (`itunes:summary`,
    /// `media:description`).
    private enum Slot: Int {
        case full = 0
        case summary = 1
        case fallback = 2
    }

    private enum Scope {
        case feed
        case item
        case person
        case image
    }

    /// The largest title, link or other small field kept (the rest is dropped, with a diagnostic).
    static let fieldLimit = 64 << 10
    /// The largest body kept.
    static let bodyLimit = 16 << 20
    /// At most this many diagnostics are kept.
    static let diagnosticLimit = 8

    let documentURL: String?
    /// The parser, for line numbers and the document's entities; set by the reader.
    @exclusivity(unchecked) var context: xmlParserCtxtPtr?
    @exclusivity(unchecked) private(set) var info = FeedInfo(format: .rss20)
    /// Items read and not yet handed out; while an item is being read it is the last one, filled in place (an item
    /// is never copied on its way out: a feed of a million empty items is read in a fraction of a second).
    @exclusivity(unchecked) private var items: [FeedItem] = []
    @exclusivity(unchecked) private(set) var diagnostics: [FeedDiagnostic] = []
    @exclusivity(unchecked) private(set) var root: Root = .none
    /// True while the parser is being told the file ended (its "extra content" complaint is replaced).
    @exclusivity(unchecked) var finishing = false

    @exclusivity(unchecked) private var atomDialect = false
    @exclusivity(unchecked) private var xmlErrorRecorded = false
    @exclusivity(unchecked) private var wellFormedToRestore = false
    @exclusivity(unchecked) private var tags: [XMLTag] = []
    @exclusivity(unchecked) private var bases: [(depth: Int, url: String)] = []
    @exclusivity(unchecked) private var langs: [(depth: Int, lang: String)] = []

    // The element whose text is being gathered.
    @exclusivity(unchecked) private var capturing = false
    @exclusivity(unchecked) private var captureDepth = 0
    @exclusivity(unchecked) private var captureMode = Mode.plain
    @exclusivity(unchecked) private var captureTag = XMLTag.unknown
    @exclusivity(unchecked) private var captureScope = Scope.feed
    @exclusivity(unchecked) private var captureSlot: Slot?
    @exclusivity(unchecked) private var captureType = ContentType.text
    @exclusivity(unchecked) private var captureFlag = false
    @exclusivity(unchecked) private var wrapperPending = false
    @exclusivity(unchecked) private var wrapperDepth = 0
    /// The buffer of the element being gathered (one of `buffers`).
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<XMLTextBuffer>
    /// The buffers text is gathered in: a small field's, then the item's full content, summary and fallback body.
    private let buffers: UnsafeMutablePointer<XMLTextBuffer>
    private var field: UnsafeMutablePointer<XMLTextBuffer> { buffers }
    private func body(_ slot: Int) -> UnsafeMutablePointer<XMLTextBuffer> { buffers + 1 + slot }
    @exclusivity(unchecked) private var bodyFilled = [false, false, false]
    @exclusivity(unchecked) private var bodyTypes: [ContentType] = [.html, .html, .html]
    @exclusivity(unchecked) private var bodyBases: [String?] = [nil, nil, nil]

    // The item being read.
    @exclusivity(unchecked) private var inItem = false
    @exclusivity(unchecked) private var itemDepth = 0
    /// The item being read (the last of `items`, while `inItem`).
    private var item: FeedItem {
        _read { yield items[items.count - 1] }
        _modify { yield &items[items.count - 1] }
    }
    @exclusivity(unchecked) private var itemRSSLink: String?
    @exclusivity(unchecked) private var itemAlternate: String?
    @exclusivity(unchecked) private var itemAlternateIsHTML = false
    @exclusivity(unchecked) private var itemPermalink: String?
    @exclusivity(unchecked) private var itemMediaTitle: String?
    @exclusivity(unchecked) private var itemOutOfLine: String?
    @exclusivity(unchecked) private var itemTitleSeen = false

    // An Atom person (`author`).
    @exclusivity(unchecked) private var personDepth = 0
    @exclusivity(unchecked) private var personName: String?
    @exclusivity(unchecked) private var personEmail: String?

    // The feed.
    @exclusivity(unchecked) private var feedSiteFromRSS = false
    @exclusivity(unchecked) private var feedIconRank = Int.max
    @exclusivity(unchecked) private var feedLanguageFromElement = false
    @exclusivity(unchecked) private var feedUpdatedRank = Int.max
    @exclusivity(unchecked) private var feedTitleRank = Int.max

    /// Entities named like HTML's, made for `getEntity` (owned here, freed with the builder).
    @exclusivity(unchecked) private var htmlEntities: [String: UnsafeMutablePointer<xmlEntity>] = [:]

    init(documentURL: String?) {
        self.documentURL = documentURL
        buffers = .allocate(capacity: 4)
        buffers.initialize(to: XMLTextBuffer(limit: Self.fieldLimit))
        for i in 1..<4 { (buffers + i).initialize(to: XMLTextBuffer(limit: Self.bodyLimit, capacity: 4096)) }
        buffer = buffers
    }

    deinit {
        for i in 0..<4 { buffers[i].deallocate() }
        buffers.deinitialize(count: 4)
        buffers.deallocate()
        for (_, e) in htmlEntities {
            free(UnsafeMutableRawPointer(mutating: e.pointee.name))
            free(e.pointee.content)
            e.deallocate()
        }
    }

    private var line: Int {
        guard let c = context, let input = c.pointee.input else { return 0 }
        return Int(input.pointee.line)
    }

    private var base: String? { bases.last?.url ?? documentURL }
    private var lang: String? { langs.last?.lang }

    // MARK: - Events

    func startElement(_ local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
                      namespaceCount: Int32, namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                      attributes: XMLAttributes) {
        if wellFormedToRestore { restoreWellFormed() }
        if capturing {
            tags.append(.unknown)
            if captureMode != .plain { writeStartTag(local, prefix: prefix, uri: uri, attributes: attributes) }
            return
        }
        let ns = XMLNamespace.of(uri)
        if tags.isEmpty {
            startRoot(local, ns: ns, namespaceCount: namespaceCount, namespaces: namespaces, attributes: attributes)
        }
        let parent = tags.last ?? .unknown
        let tag = tags.isEmpty && root == .rdf ? .rdf : XMLTag.of(local, ns, atomDialect: atomDialect)
        tags.append(tag)
        if attributes.count > 0 { scopeAttributes(attributes) }
        guard root != .html, root != .none, !isOther else { return }
        dispatch(tag, parent: parent, attributes: attributes)
    }

    private var isOther: Bool {
        if case .other = root { return true }
        return false
    }

    func endElement(_ local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?) {
        if wellFormedToRestore { restoreWellFormed() }
        let depth = tags.count
        guard depth > 0 else { return }
        if capturing {
            if depth == captureDepth {
                finishCapture()
            } else if captureMode != .plain {
                writeEndTag(local, prefix: prefix, depth: depth)
            }
        } else if personDepth == depth {
            finishPerson()
        } else if inItem, itemDepth == depth {
            finishItem()
        }
        tags.removeLast()
        if let b = bases.last, b.depth == depth { bases.removeLast() }
        if let l = langs.last, l.depth == depth { langs.removeLast() }
    }

    func characters(_ p: UnsafePointer<xmlChar>, _ n: Int) {
        if wellFormedToRestore { restoreWellFormed() }
        guard capturing, n > 0 else { return }
        if captureMode == .xhtml { buffer.pointee.appendEscaped(p, n) } else { buffer.pointee.append(p, n) }
    }

    /// An error libxml2 reports: the first one is kept, in words a reader understands, with its line.
    func error(_ e: UnsafePointer<xmlError>) {
        let level = e.pointee.level
        guard level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let code = e.pointee.code
        if finishing, code == Int32(XML_ERR_DOCUMENT_END.rawValue) || code == Int32(XML_ERR_TAG_NOT_FINISHED.rawValue),
           !tags.isEmpty {
            return
        }
        // libxml2 stops expanding entities (even `&amp;`) once a document is not well-formed: a feed with one
        // error would lose every `&lt;` of its HTML. The next event says it is well-formed again (the error is
        // recorded here).
        if let c = context, e.pointee.ctxt == UnsafeMutableRawPointer(c) { wellFormedToRestore = true }
        guard !xmlErrorRecorded else { return }
        xmlErrorRecorded = true
        let message = XMLErrorMessage.describe(e, document: "feed")
        // An error inside an entity's text has that text's line: the file's line is the parser's.
        let isMain = context.map { e.pointee.ctxt == UnsafeMutableRawPointer($0) } ?? true
        note(FeedDiagnostic(line: isMain ? Int(e.pointee.line) : line, message: message))
    }

    private func restoreWellFormed() {
        wellFormedToRestore = false
        if let c = context, c.pointee.instate != XML_PARSER_EOF { c.pointee.wellFormed = 1 }
    }

    private func note(_ d: FeedDiagnostic) {
        guard diagnostics.count < Self.diagnosticLimit else { return }
        diagnostics.append(d)
    }

    /// Adds a diagnostic found outside libxml2 (an encoding repair), once.
    func note(message: String, line: Int) {
        guard !diagnostics.contains(where: { $0.message == message }) else { return }
        note(FeedDiagnostic(line: line, message: message))
    }

    /// The file ended (or libxml2 gave up, `halted`, having said why): an element still open at the end of the file
    /// is said so (libxml2 only says "extra content").
    func finish(halted: Bool = false) {
        if !halted, !tags.isEmpty, root != .none, root != .html, !isOther {
            var name = "?"
            if let c = context, let n = c.pointee.name {
                name = String(cString: UnsafeRawPointer(n).assumingMemoryBound(to: CChar.self))
            }
            note(FeedDiagnostic(line: line, message: "unclosed element <\(name)> at end of file"))
        }
        if capturing { finishCapture() }
        if personDepth > 0 { finishPerson() }
        if inItem { finishItem() }
    }

    /// An entity the document does not declare: HTML's named character references (`&nbsp;`, `&eacute;`), which
    /// RSS feeds use as if they were XML's, are given their text; anything else stays undeclared.
    func entity(named name: UnsafePointer<xmlChar>) -> UnsafeMutablePointer<xmlEntity>? {
        let key = String(cString: UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
        if let e = htmlEntities[key] { return e }
        guard htmlEntities.count < 4096 else { return nil }
        var text: String
        if let known = Article.htmlEntity(named: key) {
            // An internal entity's text is parsed as XML: `&` and `<` in it (`&nvlt;`) are written as references.
            text = known.utf8.count == 1 ? known
                : known.replacingAll("&", with: "&#38;").replacingAll("<", with: "&#60;")
        } else {
            // Not HTML's either: shown as written (as browsers do), said once.
            if !xmlErrorRecorded {
                xmlErrorRecorded = true
                note(FeedDiagnostic(line: line, message: "unknown entity &\(key);"))
            }
            text = "&#38;" + key + ";"
        }
        let e = UnsafeMutablePointer<xmlEntity>.allocate(capacity: 1)
        e.initialize(to: xmlEntity())
        e.pointee.type = XML_ENTITY_DECL
        e.pointee.name = UnsafePointer(strdup(key).map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: xmlChar.self) })
        e.pointee.content = strdup(text).map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: xmlChar.self) }
        e.pointee.length = Int32(text.utf8.count)
        // A single ASCII character is inlined like `&amp;` (libxml2 copies one byte of a predefined entity into an
        // attribute value); anything longer is an internal entity, which libxml2 delivers as text in content and
        // keeps as `&name;` in attributes (decoded by `FeedText.decodeAttribute`).
        e.pointee.etype = text.utf8.count == 1 ? XML_INTERNAL_PREDEFINED_ENTITY : XML_INTERNAL_GENERAL_ENTITY
        htmlEntities[key] = e
        return e
    }

    // MARK: - Structure

    private func startRoot(_ local: UnsafePointer<xmlChar>, ns: XMLNamespace, namespaceCount: Int32,
                           namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, attributes: XMLAttributes) {
        let name = String(cString: UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self))
        switch name {
        case "rss" where ns == .none || ns == .rss, "channel" where ns == .none:
            root = .rss
            let version = attributes.nonBlank("version") ?? ""
            switch version {
            case "0.90": info.format = .rss090
            case "0.91": info.format = .rss091
            case "0.92": info.format = .rss092
            case "0.93": info.format = .rss093
            case "0.94": info.format = .rss094
            default: info.format = .rss20
            }
        case "RDF":
            root = .rdf
            info.format = .rss10
            if let list = namespaces {
                for i in 0..<Int(namespaceCount) {
                    if let u = list[i * 2 + 1] {
                        let s = String(cString: UnsafeRawPointer(u).assumingMemoryBound(to: CChar.self))
                        if s.hasPrefix("http://my.netscape.com/rdf/simple/0.9") { info.format = .rss090 }
                    }
                }
            }
        case "feed" where ns == .atom10 || ns == .atom03 || ns == .none, "entry" where ns == .atom10 || ns == .atom03:
            root = .atom
            atomDialect = true
            info.format = ns == .atom03 || (ns == .none && attributes.nonBlank("version") == "0.3") ? .atom03 : .atom10
        case "html", "HTML":
            root = .html
        default:
            root = .other(name)
        }
    }

    /// Records `xml:base` and `xml:lang` of the element just pushed.
    private func scopeAttributes(_ attributes: XMLAttributes) {
        let depth = tags.count
        if let i = attributes.index("base", in: .xml) {
            let value = FeedText.trim(FeedText.decodeAttribute(String(decoding: attributes.rawValue(i), as: UTF8.self)))
            bases.append((depth, Article.resolveURL(value, against: base)))
        }
        if let i = attributes.index("lang", in: .xml) {
            let value = FeedText.trim(String(decoding: attributes.rawValue(i), as: UTF8.self))
            langs.append((depth, value))
            if depth <= 2, !inItem, !value.isEmpty, info.language == nil { info.language = value }
        }
    }

    private func dispatch(_ tag: XMLTag, parent: XMLTag, attributes: XMLAttributes) {
        if tag == .unknown { return }
        if tags.count == 1 {
            if tag == .entry { beginItem(attributes) }
            return
        }
        switch parent {
        case .channel, .feed, .rdf, .rss:
            if tag == .item || tag == .entry {
                beginItem(attributes)
            } else if parent != .rss || tag != .channel {
                feedElement(tag, attributes: attributes)
            }
        case .item, .entry:
            if inItem { itemElement(tag, attributes: attributes) }
        case .mediaGroup, .mediaContent:
            guard inItem else { return }
            switch tag {
            case .mediaTitle, .mediaDescription, .mediaThumbnail, .mediaContent:
                itemElement(tag, attributes: attributes)
            default:
                break
            }
        case .author where personDepth == tags.count - 1:
            switch tag {
            case .name, .email: beginCapture(tag, scope: .person, mode: .plain)
            default: break
            }
        case .image:
            if tag == .url, !inItem { beginCapture(tag, scope: .image, mode: .plain) }
        default:
            break
        }
    }

    private func feedElement(_ tag: XMLTag, attributes: XMLAttributes) {
        switch tag {
        case .title, .dcTitle:
            beginTitle(tag, scope: .feed, attributes: attributes)
        case .link:
            if attributes.index("href") != nil { atomLink(attributes) } else { beginCapture(tag, scope: .feed, mode: .plain) }
        case .description, .subtitle, .tagline, .dcDescription:
            beginTitle(tag, scope: .feed, attributes: attributes)
        case .id, .updated, .modified, .lastBuildDate, .pubDate, .date, .language, .dcLanguage, .creator, .itunesAuthor,
             .managingEditor, .icon, .logo:
            beginCapture(tag, scope: .feed, mode: .plain)
        case .itunesImage:
            if let href = attributes.nonBlank("href") { setIcon(resolve(href), rank: 3) }
        case .author:
            beginPerson()
        case .generator:
            // Atom's `uri` (0.3's `url`) stands in for an empty text.
            generatorURI = attributes.nonBlank("uri") ?? attributes.nonBlank("url")
            beginCapture(tag, scope: .feed, mode: .plain)
        case .historyArchive:
            info.isArchive = true
        case .historyComplete:
            info.isComplete = true
        default:
            break
        }
    }

    @exclusivity(unchecked) private var generatorURI: String?

    private func itemElement(_ tag: XMLTag, attributes: XMLAttributes) {
        switch tag {
        case .title:
            beginTitle(tag, scope: .item, attributes: attributes)
        case .mediaTitle:
            beginTitle(tag, scope: .item, attributes: attributes)
        case .link:
            if attributes.index("href") != nil { atomLink(attributes) } else { beginCapture(tag, scope: .item, mode: .plain) }
        case .guid:
            captureFlag = attributes.value("isPermaLink").map { FeedText.trim($0).lowercased() != "false" } ?? true
            beginCapture(tag, scope: .item, mode: .plain, keepFlag: true)
        case .id, .rssAuthor, .creator, .itunesAuthor, .pubDate, .published, .issued, .created, .date, .updated,
             .modified, .subject, .itunesDuration, .slashComments:
            beginCapture(tag, scope: .item, mode: .plain)
        case .author:
            beginPerson()
        case .category:
            if let term = attributes.nonBlank("label") ?? attributes.nonBlank("term") {
                addCategory(term)
            } else {
                beginCapture(tag, scope: .item, mode: .plain)
            }
        case .enclosure:
            if let url = attributes.nonBlank("url") {
                addEnclosure(url: url, type: attributes.nonBlank("type"), length: attributes.nonBlank("length"))
            }
        case .mediaContent:
            if let url = attributes.nonBlank("url") {
                addEnclosure(url: url, type: attributes.nonBlank("type"), length: attributes.nonBlank("fileSize"))
            }
        case .mediaThumbnail:
            if item.thumbnail == nil, let url = attributes.nonBlank("url") { item.thumbnail = resolve(url) }
        case .itunesImage:
            if item.thumbnail == nil, let href = attributes.nonBlank("href") { item.thumbnail = resolve(href) }
        case .contentEncoded:
            beginBody(.full, type: .html, mode: .markup)
        case .xhtmlBody:
            beginBody(.full, type: .xhtml, mode: .xhtml)
        case .content:
            atomContent(attributes)
        case .summary:
            guard let (type, mode) = atomTextType(attributes, isContent: false) else { return }
            beginBody(.summary, type: type, mode: mode, unwrap: type == .xhtml)
        case .description:
            beginBody(.summary, type: .html, mode: .markup)
        case .dcDescription:
            beginBody(.fallback, type: .html, mode: .markup)
        case .itunesSummary:
            beginBody(.fallback, type: .text, mode: .plain)
        case .mediaDescription:
            let html = attributes.nonBlank("type")?.lowercased() == "html"
            beginBody(.fallback, type: html ? .html : .text, mode: html ? .markup : .plain)
        default:
            break
        }
    }

    // MARK: - Atom specifics

    /// The body type and how to gather an Atom text construct (`type` of Atom 1.0; `mode` and MIME `type` of Atom
    /// 0.3); nil for content to skip (base64, or out of line).
    private func atomTextType(_ attributes: XMLAttributes, isContent: Bool) -> (ContentType, Mode)? {
        let type = attributes.nonBlank("type")?.lowercased() ?? "text"
        let mode = attributes.nonBlank("mode")?.lowercased()
        if mode == "base64" { return nil }
        switch type {
        case "text", "text/plain":
            return (.text, .plain)
        case "html", "text/html":
            if mode == "xml" { return (.xhtml, .xhtml) }
            return (.html, .markup)
        case "xhtml", "application/xhtml+xml":
            if mode == "escaped" { return (.html, .markup) }
            return (.xhtml, .xhtml)
        default:
            if type.hasPrefix("text/") { return (.text, .plain) }
            if type.hasSuffix("+xml") || type.hasSuffix("/xml") { return (.text, .plain) }
            // RFC 4287 4.1.3.3: any other type is base64: nothing to show.
            return nil
        }
    }

    private func atomContent(_ attributes: XMLAttributes) {
        if let src = attributes.nonBlank("src") {
            if itemOutOfLine == nil { itemOutOfLine = resolve(src) }
            return
        }
        guard let (type, mode) = atomTextType(attributes, isContent: true) else { return }
        beginBody(.full, type: type, mode: mode, unwrap: type == .xhtml)
    }

    private func atomLink(_ attributes: XMLAttributes) {
        guard let href = attributes.nonBlank("href") else { return }
        var rel = attributes.nonBlank("rel")?.lowercased() ?? "alternate"
        if rel.hasPrefix("http://www.iana.org/assignments/relation/") {
            rel.removeFirst("http://www.iana.org/assignments/relation/".count)
        }
        let url = resolve(href)
        let type = attributes.nonBlank("type")
        let isHTML = type.map { $0.lowercased().contains("html") } ?? true
        if inItem {
            switch rel {
            case "alternate":
                if itemAlternate == nil || (!itemAlternateIsHTML && isHTML) {
                    itemAlternate = url
                    itemAlternateIsHTML = isHTML
                }
            case "enclosure":
                addEnclosure(url: href, type: type, length: attributes.nonBlank("length"))
            default:
                break
            }
        } else {
            switch rel {
            case "alternate":
                if info.siteLink == nil { info.siteLink = url }
            case "self":
                if info.selfLink == nil { info.selfLink = url }
            default:
                // `next`, `prev-archive`, `current`, `hub`, ...: for backfill (RFC 5005).
                let link = FeedLink(rel: rel, href: url, type: type)
                if info.links.count < Self.feedLinkLimit, !info.links.contains(link) { info.links.append(link) }
            }
        }
    }

    /// At most this many feed-level links are kept (a feed has a handful).
    static let feedLinkLimit = 64

    // MARK: - Capture

    private func beginTitle(_ tag: XMLTag, scope: Scope, attributes: XMLAttributes) {
        if root == .atom || attributes.index("type") != nil {
            guard let (type, mode) = atomTextType(attributes, isContent: false) else { return }
            captureType = type
            beginCapture(tag, scope: scope, mode: mode, unwrap: type == .xhtml, keepType: true)
        } else {
            // RSS: text, unless it turns out to look like HTML.
            captureType = .text
            beginCapture(tag, scope: scope, mode: .markup, keepType: true, rssText: true)
        }
    }

    @exclusivity(unchecked) private var captureRSSText = false

    private func beginCapture(_ tag: XMLTag, scope: Scope, mode: Mode, unwrap: Bool = false, keepFlag: Bool = false,
                              keepType: Bool = false, rssText: Bool = false) {
        capturing = true
        captureDepth = tags.count
        captureTag = tag
        captureScope = scope
        captureMode = mode
        captureSlot = nil
        captureRSSText = rssText
        if !keepFlag { captureFlag = false }
        if !keepType { captureType = .text }
        wrapperPending = unwrap
        wrapperDepth = 0
        field.pointee.removeAll()
        buffer = field
    }

    private func beginBody(_ slot: Slot, type: ContentType, mode: Mode, unwrap: Bool = false) {
        guard !bodyFilled[slot.rawValue] else { return }
        // A full content makes a later summary useless: do not gather it.
        if slot != .full, bodyFilled[0] { return }
        beginCapture(.content, scope: .item, mode: mode, unwrap: unwrap)
        captureSlot = slot
        captureType = type
        body(slot.rawValue).pointee.removeAll()
        bodyBases[slot.rawValue] = base
        buffer = body(slot.rawValue)
    }

    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    private func writeStartTag(_ local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
                               uri: UnsafePointer<xmlChar>?, attributes: XMLAttributes) {
        if wrapperPending {
            wrapperPending = false
            if XMLNamespace.of(uri) == .xhtml,
               strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self), "div") == 0 {
                wrapperDepth = tags.count
                return
            }
        }
        buffer.pointee.append(byte: 0x3C)
        buffer.pointee.append(local, strlen(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self)))
        for i in 0..<attributes.count {
            guard let name = attributes.localName(i) else { continue }
            buffer.pointee.append(byte: 0x20)
            if let p = attributes.prefix(i) {
                buffer.pointee.append(p, strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))
                buffer.pointee.append(byte: 0x3A)
            }
            buffer.pointee.append(name, strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)))
            buffer.pointee.append("=\"")
            let v = attributes.rawValue(i)
            if let b = v.baseAddress {
                var start = 0
                for j in 0..<v.count where v[j] == 0x22 || v[j] == 0x3C {
                    buffer.pointee.append(b + start, j - start)
                    buffer.pointee.append(v[j] == 0x22 ? "&quot;" : "&lt;")
                    start = j + 1
                }
                buffer.pointee.append(b + start, v.count - start)
            }
            buffer.pointee.append(byte: 0x22)
        }
        buffer.pointee.append(byte: 0x3E)
    }

    private func writeEndTag(_ local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, depth: Int) {
        if depth == wrapperDepth {
            wrapperDepth = 0
            return
        }
        let name = String(cString: UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self))
        if Self.voidElements.contains(name) { return }
        buffer.pointee.append("</")
        buffer.pointee.append(name)
        buffer.pointee.append(byte: 0x3E)
    }

    private func finishCapture() {
        capturing = false
        if buffer.pointee.truncated {
            let limit = captureSlot == nil ? "64 KB" : "16 MB"
            note(message: "a text longer than \(limit) was cut (element at line \(line))", line: line)
        }
        if let slot = captureSlot {
            bodyFilled[slot.rawValue] = !buffer.pointee.isBlank
            bodyTypes[slot.rawValue] = captureType
            return
        }
        let raw = field.pointee.string
        switch captureScope {
        case .feed: finishFeedField(raw)
        case .item: finishItemField(raw)
        case .person:
            let text = FeedText.collapse(raw)
            guard !text.isEmpty else { return }
            if captureTag == .name { personName = text } else if captureTag == .email { personEmail = text }
        case .image:
            let text = FeedText.trim(raw)
            if !text.isEmpty { setIcon(resolve(text), rank: 1) }
        }
    }

    /// The plain text of a captured title-like field, by its type.
    private func titleText(_ raw: String) -> String {
        switch captureType {
        case .text:
            if captureRSSText, FeedText.looksLikeHTML(raw) { return FeedText.plainText(html: raw) }
            return FeedText.collapse(raw)
        case .html, .xhtml:
            return FeedText.plainText(html: raw)
        }
    }

    private func date(_ raw: String) -> FeedTimestamp? {
        let t = FeedText.trim(raw)
        return t.isEmpty ? nil : FeedDate.parse(t)
    }

    private func finishFeedField(_ raw: String) {
        switch captureTag {
        case .title, .dcTitle:
            let rank = captureTag == .title ? 0 : 1
            let text = titleText(raw)
            if rank < feedTitleRank, !text.isEmpty {
                info.title = text
                feedTitleRank = rank
            }
        case .link:
            let t = FeedText.trim(raw)
            if !t.isEmpty, !feedSiteFromRSS {
                info.siteLink = resolve(t)
                feedSiteFromRSS = true
            }
        case .description, .subtitle, .tagline, .dcDescription:
            let text = captureRSSText || captureType != .text ? FeedText.plainText(html: raw) : FeedText.collapse(raw)
            if info.description == nil, !text.isEmpty { info.description = text }
        case .id:
            let t = FeedText.trim(raw)
            if info.id == nil, !t.isEmpty { info.id = t }
        case .updated, .modified, .lastBuildDate, .pubDate, .date:
            let rank = captureTag == .pubDate || captureTag == .date ? 1 : 0
            if rank < feedUpdatedRank, let d = date(raw) {
                info.updated = d
                feedUpdatedRank = rank
            }
        case .language, .dcLanguage:
            let t = FeedText.trim(raw)
            if !t.isEmpty, !feedLanguageFromElement {
                info.language = t
                feedLanguageFromElement = true
            }
        case .creator, .itunesAuthor:
            addAuthor(FeedText.collapse(raw), toFeed: true)
        case .managingEditor:
            addAuthor(FeedText.personName(fromEmailField: raw), toFeed: true)
        case .icon, .logo:
            let t = FeedText.trim(raw)
            if !t.isEmpty { setIcon(resolve(t), rank: captureTag == .icon ? 0 : 2) }
        case .generator:
            let text = FeedText.collapse(raw)
            if info.generator == nil, let value = text.isEmpty ? generatorURI : text { info.generator = value }
        default:
            break
        }
    }

    private func finishItemField(_ raw: String) {
        switch captureTag {
        case .title:
            if !itemTitleSeen {
                item.title = titleText(raw)
                itemTitleSeen = true
            }
        case .mediaTitle:
            if itemMediaTitle == nil { itemMediaTitle = titleText(raw) }
        case .link:
            let t = FeedText.trim(raw)
            if itemRSSLink == nil, !t.isEmpty { itemRSSLink = resolve(t) }
        case .guid, .id:
            let t = FeedText.trim(raw)
            guard item.guid == nil || captureTag == .guid, !t.isEmpty else { return }
            item.guid = t
            if captureTag == .guid, captureFlag, FeedText.isWebURL(t) { itemPermalink = t } else { itemPermalink = nil }
        case .rssAuthor:
            addAuthor(FeedText.personName(fromEmailField: raw), toFeed: false)
        case .creator, .itunesAuthor:
            addAuthor(FeedText.collapse(raw), toFeed: false)
        case .pubDate, .published, .issued, .created, .date:
            if item.published == nil { item.published = date(raw) }
        case .updated, .modified:
            if item.updated == nil { item.updated = date(raw) }
        case .category, .subject:
            addCategory(FeedText.collapse(raw))
        case .itunesDuration:
            let t = FeedText.trim(raw)
            if !t.isEmpty { item.duration = t }
        case .slashComments:
            if let n = Int(FeedText.trim(raw)), n >= 0 { item.commentCount = n }
        default:
            break
        }
    }

    // MARK: - Items, people, the feed

    private func beginItem(_ attributes: XMLAttributes) {
        inItem = true
        itemDepth = tags.count
        items.append(FeedItem(language: lang, line: line))
        if let about = attributes.nonBlank("about", in: .rdf) { item.guid = about }
        for i in 0..<3 where bodyFilled[i] {
            bodyFilled[i] = false
            body(i).pointee.removeAll()
        }
        itemRSSLink = nil
        itemAlternate = nil
        itemAlternateIsHTML = false
        itemPermalink = nil
        itemMediaTitle = nil
        itemOutOfLine = nil
        itemTitleSeen = false
    }

    private func finishItem() {
        inItem = false
        if !itemTitleSeen || item.title.isEmpty, let media = itemMediaTitle { item.title = media }
        item.link = itemRSSLink ?? itemAlternate ?? itemPermalink.map { resolve($0) }
        if let slot = (0..<3).first(where: { bodyFilled[$0] }) {
            item.content = body(slot).pointee.string
            item.contentType = bodyTypes[slot]
            item.contentBase = bodyBases[slot]
            if slot != 0, let src = itemOutOfLine {
                item.content = (item.contentType == .text ? "<p>" + Self.escape(item.content) + "</p>" : item.content)
                    + Self.outOfLineNote(src)
                item.contentType = item.contentType == .xhtml ? .xhtml : .html
            }
        } else if let src = itemOutOfLine {
            item.content = Self.outOfLineNote(src)
            item.contentType = .html
            item.contentBase = base
        } else {
            item.contentBase = base
        }
        if item.contentBase == nil { item.contentBase = documentURL }
        if item.language == nil { item.language = info.language }
        if item.authors.isEmpty, root == .atom { item.authors = info.authors }
        for i in 0..<3 where bodyFilled[i] { body(i).pointee.removeAll() }
    }

    /// The items completed since the last call, in document order.
    func takeCompleted() -> [FeedItem] {
        var done: [FeedItem] = []
        swap(&done, &items)
        if inItem { items.append(done.removeLast()) }
        // The next piece holds about as many items as this one: growing the array by doubling would move every
        // item a few times (a tenth of the time for a feed of a million empty items).
        items.reserveCapacity(done.count + 1)
        return done
    }

    private static func outOfLineNote(_ url: String) -> String {
        let e = escape(url)
        return "<p>The content is not in the feed: <a href=\"\(e)\">\(e)</a></p>"
    }

    /// `s` escaped as HTML text or an attribute value (the buffer's own escaping, used for XHTML content too).
    private static func escape(_ s: String) -> String {
        var buffer = XMLTextBuffer(limit: .max, capacity: max(16, s.utf8.count + 16))
        defer { buffer.deallocate() }
        var s = s
        s.withUTF8 { b in
            if let p = b.baseAddress { buffer.appendEscaped(p, b.count, quotes: true) }
        }
        return String(decoding: UnsafeBufferPointer(start: buffer.bytes, count: buffer.count), as: UTF8.self)
    }

    private func beginPerson() {
        personDepth = tags.count
        personName = nil
        personEmail = nil
    }

    private func finishPerson() {
        personDepth = 0
        if let name = personName ?? personEmail { addAuthor(name, toFeed: !inItem) }
    }

    private func addAuthor(_ name: String, toFeed: Bool) {
        guard !name.isEmpty else { return }
        if toFeed {
            if !info.authors.contains(name) { info.authors.append(name) }
        } else if !item.authors.contains(name) {
            item.authors.append(name)
        }
    }

    private func addCategory(_ name: String) {
        guard !name.isEmpty, !item.categories.contains(name) else { return }
        item.categories.append(name)
    }

    private func addEnclosure(url: String, type: String?, length: String?) {
        let absolute = resolve(url)
        guard !item.enclosures.contains(where: { $0.url == absolute }) else { return }
        let bytes = length.flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
        item.enclosures.append(Enclosure(url: absolute, type: type, length: bytes))
    }

    private func setIcon(_ url: String, rank: Int) {
        guard rank < feedIconRank else { return }
        info.icon = url
        feedIconRank = rank
    }

    private func resolve(_ reference: String) -> String {
        Article.resolveURL(reference, against: base)
    }
}

extension String {
    /// `self` with every `target` replaced (no Foundation in this module).
    fileprivate func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var out = ""
        for c in unicodeScalars {
            if c == target { out += replacement } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}
