internal import CLibXML2
internal import XMLDiagnostics
import Glibc

/// Reads an OPML document with libxml2's SAX2 push parser (loaded on first use), a chunk at a time, into feeds and
/// problems.
///
/// Safety: `XML_PARSE_NONET | XML_PARSE_RECOVER` (and `IGNORE_ENC`: the bytes were made UTF-8 by `OPMLText`),
/// never `NOENT`, `DTDLOAD` or `HUGE`: no external entity is read, entity expansion is bounded by libxml2, and so is
/// nesting (256 elements deep: deeper than that libxml2 stops, and what was read before is kept, with a problem).
/// Nothing here keeps more than one frame per open element (at most 257 of them, whatever the file), nor recurses.
final class OPMLReader {
    static let chunkSize = 256 << 10
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue)
    /// At most this many enclosing folders become tags (the outermost ones).
    static let maxFolderTags = 32
    /// At most this many XML errors are listed one by one.
    static let maxXMLErrors = 10
    /// Elements deeper than this are skipped, with what they hold (libxml2's own limit without `XML_PARSE_HUGE`,
    /// which its push parser does not apply when no tree is built).
    static let maxDepth = 256

    enum Root: Equatable {
        case none
        case opml
        case other(String)
    }

    /// One open element.
    private struct Frame {
        var isOutline: Bool
        /// It pushed a folder tag.
        var pushedTag: Bool
        var line: Int
        var hasChildOutline = false
        /// Reported at its end when it turns out to have no child outline (a leaf that is neither feed nor folder).
        var leafProblem: String?
        var name: String
    }

    private(set) var root: Root = .none
    private(set) var feeds: [OPMLFeed] = []
    private(set) var problems: [OPMLProblem] = []
    private(set) var sawBody = false
    private(set) var outlines = 0
    /// The parser stopped before the end (nesting too deep).
    private(set) var halted = false

    fileprivate var context: xmlParserCtxtPtr?
    private var bytes: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
    /// Offsets of every line break, for the line of an offset.
    private var lineBreaks: [Int] = []
    private var frames: [Frame] = []
    private var folderTags: [String] = []
    private var index: [String: Int] = [:]
    private var xmlErrors = 0
    private var firstXMLError: OPMLProblem?
    private var reportedDeepFolders = false
    /// Open elements below `maxDepth`, not kept.
    private var overflow = 0
    private var overflowOutlines = 0
    private var overflowLine = 0
    /// Where the parser was at the last XML error (an outline whose start tag it is in is damaged).
    private var lastErrorOffset = -1
    private var lastErrorLine = 0
    private var lastErrorMessage = ""

    /// Parses `utf8` (already decoded by `OPMLText`). Throws when libxml2 cannot be loaded.
    func parse(_ utf8: [UInt8]) throws(OPMLError) {
        guard let api = gazette_xml_sax() else {
            let why = gazette_libxml2_error().map { String(cString: $0) } ?? "a function is missing"
            throw OPMLError("libxml2 could not be loaded (\(why))")
        }
        gazette_xml_sax_quiet_thread()
        var handler = Self.handler(api)
        guard let ctxt = api.pointee.xmlCreatePushParserCtxt(&handler, nil, nil, 0, nil) else {
            throw OPMLError("libxml2 could not make a parser")
        }
        context = ctxt
        ctxt.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        _ = api.pointee.xmlCtxtUseOptions(ctxt, Self.options)
        defer {
            if let doc = ctxt.pointee.myDoc {
                api.pointee.xmlFreeDoc(doc)
                ctxt.pointee.myDoc = nil
            }
            api.pointee.xmlFreeParserCtxt(ctxt)
            context = nil
        }
        lineBreaks = Self.lineBreaks(utf8)
        // About one outline a line in most files: room for them without growing.
        index.reserveCapacity(min(lineBreaks.count + 1, 1 << 20))
        feeds.reserveCapacity(min(lineBreaks.count + 1, 1 << 20))
        utf8.withUnsafeBufferPointer { all in
            bytes = all
            defer { bytes = UnsafeBufferPointer(start: nil, count: 0) }
            var offset = 0
            while offset < all.count {
                let n = min(Self.chunkSize, all.count - offset)
                let start = UnsafeRawPointer(all.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                _ = api.pointee.xmlParseChunk(ctxt, start, Int32(n), 0)
                offset += n
                if ctxt.pointee.instate == XML_PARSER_EOF { break }
            }
            if ctxt.pointee.instate != XML_PARSER_EOF || offset >= all.count {
                _ = api.pointee.xmlParseChunk(ctxt, nil, 0, 1)
            }
        }
        finish()
    }

    // MARK: - Events

    fileprivate func startElement(_ local: UnsafePointer<xmlChar>, attributes: Attributes) {
        let depth = frames.count
        if overflow > 0 || depth >= Self.maxDepth {
            if overflow == 0 { overflowLine = startLine().line }
            overflow += 1
            if Self.lowercasedName(local) == "outline" { overflowOutlines += 1 }
            return
        }
        if depth == 0, root == .none {
            let name = String(cString: local)
            if name.lowercased() == "opml" {
                root = .opml
            } else {
                root = .other(name)
                stop()
                return
            }
        }
        let name = Self.lowercasedName(local)
        guard name == "outline" else {
            if name == "body" { sawBody = true }
            frames.append(Frame(isOutline: false, pushedTag: false, line: 0, name: name))
            return
        }
        outlines += 1
        if let parent = frames.indices.last { frames[parent].hasChildOutline = true }
        let (line, offset) = startLine()
        var frame = Frame(isOutline: true, pushedTag: false, line: line, name: name)
        let a = attributes.opml()
        let type = a.type.map { OPMLValues.clean($0).lowercased() } ?? ""
        var shown: String { Self.firstName(a.title, a.text).map { "outline \"\($0)\"" } ?? "an outline" }
        if lastErrorOffset >= offset {
            // libxml2 recovered from an error inside this start tag: its values may be cut (a file cut short in
            // the middle of an xmlUrl gives the start of the URL).
            problem(line, "\(shown) is damaged (\(lastErrorMessage)); skipped")
        } else if let raw = a.xmlUrl ?? (type == "link" || type == "include" ? nil : a.url) {
            feed(raw: raw, attributes: a, line: line)
        } else if type == "rss" || type == "atom" || type == "feed" {
            problem(line, "\(shown) (type \(type)) has no xmlUrl; skipped")
        } else if type == "include" {
            let target = a.url.map { ": \(OPMLValues.clean($0))" } ?? ""
            problem(line, "\(shown) includes another OPML file\(target) (not followed); skipped")
        } else if type == "link" {
            frame.leafProblem = "\(shown) is a link to a page (type link), not a feed; skipped"
        } else {
            // A folder: its text (else title) is a tag of everything inside it.
            let folder = Self.firstName(a.text, a.title)
            if let folder {
                if folderTags.count < Self.maxFolderTags {
                    folderTags.append(OPMLValues.tag(folder))
                    frame.pushedTag = true
                } else if !reportedDeepFolders {
                    reportedDeepFolders = true
                    problem(line, "folders nested more than \(Self.maxFolderTags) deep: only the outer \(Self.maxFolderTags) "
                        + "become tags")
                }
            }
            if a.htmlUrl != nil {
                frame.leafProblem = "\(shown) has an htmlUrl but no xmlUrl (not a feed); skipped"
            }
        }
        frames.append(frame)
    }

    fileprivate func endElement() {
        if overflow > 0 {
            overflow -= 1
            if overflow == 0 {
                problem(overflowLine, "elements nested more than \(Self.maxDepth) deep: the \(overflowOutlines) outline"
                    + (overflowOutlines == 1 ? "" : "s") + " inside skipped")
                overflowOutlines = 0
            }
            return
        }
        guard let frame = frames.popLast() else { return }
        if frame.pushedTag { folderTags.removeLast() }
        if let leafProblem = frame.leafProblem, !frame.hasChildOutline { problem(frame.line, leafProblem) }
    }

    fileprivate func error(_ e: UnsafePointer<xmlError>) {
        guard e.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = XMLErrorMessage.describe(e, document: "file")
        let line = max(Int(e.pointee.line), 1)
        if e.pointee.level == XML_ERR_FATAL, let ctxt = context, let input = ctxt.pointee.input,
           let base = input.pointee.base, let cur = input.pointee.cur {
            lastErrorOffset = Int(input.pointee.consumed) + (cur - base)
        }
        if lastErrorLine != line || lastErrorMessage.isEmpty { lastErrorMessage = message }
        if message.hasPrefix("elements nested too deep") {
            halted = true
            problem(line, "elements nested more than \(Self.maxDepth) deep: the file is read up to here")
            return
        }
        let code = Int(e.pointee.code)
        if code == Int(XML_ERR_DOCUMENT_END.rawValue) || code == Int(XML_ERR_TAG_NOT_FINISHED.rawValue), !frames.isEmpty {
            // The file ended inside elements: reported at the end, with the element and where it opened.
            return
        }
        // One error a line: libxml2 often follows one with others of the same cause.
        guard line != lastErrorLine else { return }
        lastErrorLine = line
        xmlErrors += 1
        let found = OPMLProblem(line: line, message: message)
        if firstXMLError == nil { firstXMLError = found }
        if root == .opml, xmlErrors <= Self.maxXMLErrors { problems.append(found) }
    }

    private func finish() {
        if root == .opml {
            if xmlErrors > Self.maxXMLErrors {
                problems.append(OPMLProblem(line: lineBreaks.count + 1,
                                            message: "\(xmlErrors - Self.maxXMLErrors) more XML errors not listed"))
            }
            if overflow > 0 {
                problem(overflowLine, "elements nested more than \(Self.maxDepth) deep: the \(overflowOutlines) outline"
                    + (overflowOutlines == 1 ? "" : "s") + " inside skipped")
            }
            if let open = frames.first(where: { $0.isOutline }) ?? frames.last, !halted {
                let element = open.isOutline ? "<outline>" : "<\(open.name)>"
                let opened = open.isOutline ? " (opened on line \(open.line))" : ""
                problems.append(OPMLProblem(line: lineBreaks.count + 1,
                                            message: "unclosed \(element)\(opened) at end of file: the file may be cut short"))
            }
            if !sawBody, outlines == 0 {
                problems.append(OPMLProblem(line: 1, message: "no <body> element: no subscriptions in the file"))
            }
        }
        frames = []
        problems = OPMLProblem.sorted(problems)
    }

    /// The first XML error, for a file that is not OPML at all.
    var firstError: OPMLProblem? { firstXMLError }

    // MARK: - Feeds

    private func feed(raw: String, attributes a: OPMLAttributeValues, line: Int) {
        let url: String
        switch OPMLValues.feedURL(raw) {
        case .failure(let why):
            let shown = Self.firstName(a.title, a.text).map { "outline \"\($0)\"" } ?? "an outline"
            problem(line, "\(shown): \(why); skipped")
            return
        case .success(let good):
            url = good
        }
        var name = Self.firstName(a.title, a.text)
        if name == url { name = nil }
        let site = a.htmlUrl.flatMap { OPMLValues.siteURL($0) }
        var tags = folderTags
        if let category = a.category { tags += OPMLValues.categoryTags(category) }
        tags = OPMLValues.unique(tags.filter { !$0.isEmpty })
        if let at = index[url] {
            var merged = feeds[at]
            for tag in tags where !merged.tags.contains(tag) { merged.tags.append(tag) }
            if merged.name == nil { merged.name = name }
            if merged.siteURL == nil { merged.siteURL = site }
            feeds[at] = merged
        } else {
            index[url] = feeds.count
            feeds.append(OPMLFeed(url: url, name: name, siteURL: site, tags: tags, line: line))
        }
    }

    private func problem(_ line: Int, _ message: String) {
        problems.append(OPMLProblem(line: line, message: message))
    }

    // MARK: - Positions

    private func stop() {
        guard let ctxt = context, let api = gazette_xml_sax() else { return }
        api.pointee.xmlStopParser(ctxt)
    }

    /// The line and offset of the `<` that starts the element just read (libxml2's own line is where the start
    /// tag ends).
    private func startLine() -> (line: Int, offset: Int) {
        guard let ctxt = context, let input = ctxt.pointee.input, let base = input.pointee.base,
              let cur = input.pointee.cur else { return (1, 0) }
        var offset = Int(input.pointee.consumed) + (cur - base)
        offset = min(max(offset, 0), bytes.count)
        var i = offset - 1
        while i >= 0, bytes[i] != UInt8(ascii: "<") { i -= 1 }
        i = max(i, 0)
        return (line(ofOffset: i), i)
    }

    /// The first of `values` that is not blank once cleaned.
    private static func firstName(_ values: String?...) -> String? {
        for value in values {
            if let value, let name = OPMLValues.nonEmpty(OPMLValues.clean(value)) { return name }
        }
        return nil
    }

    private func line(ofOffset offset: Int) -> Int {
        // The number of line breaks before `offset`, plus one.
        var low = 0
        var high = lineBreaks.count
        while low < high {
            let mid = (low + high) / 2
            if lineBreaks[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low + 1
    }

    private static func lineBreaks(_ b: [UInt8]) -> [Int] {
        var breaks: [Int] = []
        b.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                if p[i] == 0x0A {
                    breaks.append(i)
                } else if p[i] == 0x0D, i + 1 >= p.count || p[i + 1] != 0x0A {
                    breaks.append(i)
                }
                i += 1
            }
        }
        return breaks
    }

    private static func lowercasedName(_ p: UnsafePointer<xmlChar>) -> String {
        var bytes: [UInt8] = []
        var i = 0
        while p[i] != 0, i < 64 {
            let c = p[i]
            bytes.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c)
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Callbacks

    private static func handler(_ api: UnsafePointer<gazette_xml_sax_api>) -> xmlSAXHandler {
        var h = xmlSAXHandler()
        _ = api.pointee.xmlSAXVersion(&h, 2)
        h.startElement = nil
        h.endElement = nil
        h.comment = nil
        h.processingInstruction = nil
        h.setDocumentLocator = nil
        h.characters = nil
        h.cdataBlock = nil
        h.ignorableWhitespace = nil
        h.reference = { _, _ in }
        h.startElementNs = { ctx, local, _, _, _, _, attributeCount, _, attributes in
            guard let ctx, let local else { return }
            readerOf(ctx)._withUnsafeGuaranteedRef {
                $0.startElement(local, attributes: Attributes(count: attributeCount, pointers: attributes))
            }
        }
        h.endElementNs = { ctx, _, _, _ in
            guard let ctx else { return }
            readerOf(ctx)._withUnsafeGuaranteedRef { $0.endElement() }
        }
        h.serror = { ctx, error in
            guard let ctx, let error else { return }
            readerOf(ctx).takeUnretainedValue().error(error)
        }
        gazette_xml_sax_quiet_handler(&h)
        return h
    }
}

extension OPMLProblem {
    /// By line; problems of one line in the order they were found.
    static func sorted(_ problems: [OPMLProblem]) -> [OPMLProblem] {
        problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}

/// The reader of the parser context `ctx` (a callback's first argument), without reference counting.
@inline(__always)
private func readerOf(_ ctx: UnsafeMutableRawPointer) -> Unmanaged<OPMLReader> {
    let context = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
    return Unmanaged<OPMLReader>.fromOpaque(context.pointee._private!)
}

/// The attributes an outline may have (names compared without case: `xmlUrl`, `xmlurl` and `XMLURL` are seen in
/// the wild), their values decoded.
struct OPMLAttributeValues {
    var xmlUrl: String?
    var url: String?
    var title: String?
    var text: String?
    var htmlUrl: String?
    var type: String?
    var category: String?
}

/// libxml2's SAX2 attributes: five pointers each (local name, prefix, URI, value start, value end).
struct Attributes {
    let count: Int
    let pointers: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    init(count: Int32, pointers: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        self.count = pointers == nil ? 0 : Int(count)
        self.pointers = pointers
    }

    func opml() -> OPMLAttributeValues {
        var values = OPMLAttributeValues()
        guard let p = pointers else { return values }
        for i in 0..<count {
            // Attributes with a prefix (another vocabulary's) are not OPML's.
            guard let local = p[i * 5], p[i * 5 + 1] == nil else { continue }
            let key = Self.key(local)
            guard key != .none, let start = p[i * 5 + 3], let end = p[i * 5 + 4] else { continue }
            let value = OPMLValues.decodeAttribute(String(decoding: UnsafeBufferPointer(start: start, count: end - start),
                                                          as: UTF8.self))
            switch key {
            case .xmlUrl: if values.xmlUrl == nil { values.xmlUrl = value }
            case .url: if values.url == nil { values.url = value }
            case .title: if values.title == nil { values.title = value }
            case .text: if values.text == nil { values.text = value }
            case .htmlUrl: if values.htmlUrl == nil { values.htmlUrl = value }
            case .type: if values.type == nil { values.type = value }
            case .category: if values.category == nil { values.category = value }
            case .none: break
            }
        }
        return values
    }

    private enum Key { case none, xmlUrl, url, title, text, htmlUrl, type, category }

    private static func key(_ p: UnsafePointer<xmlChar>) -> Key {
        @inline(__always) func lower(_ i: Int) -> UInt8 {
            let c = p[i]
            return c >= 0x41 && c <= 0x5A ? c + 0x20 : c
        }
        /// Whether the name is `word` (lowercase ASCII), without case.
        func matches(_ word: StaticString) -> Bool {
            let w = word.utf8Start
            for i in 0..<word.utf8CodeUnitCount where lower(i) != w[i] { return false }
            return p[word.utf8CodeUnitCount] == 0
        }
        switch lower(0) {
        case UInt8(ascii: "x"): return matches("xmlurl") ? .xmlUrl : .none
        case UInt8(ascii: "u"): return matches("url") ? .url : .none
        case UInt8(ascii: "t"): return matches("title") ? .title : matches("text") ? .text : matches("type") ? .type : .none
        case UInt8(ascii: "h"): return matches("htmlurl") ? .htmlUrl : .none
        case UInt8(ascii: "c"): return matches("category") ? .category : .none
        default: return .none
        }
    }
}
