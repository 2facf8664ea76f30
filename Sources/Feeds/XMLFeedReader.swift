internal import CLibXML2
import Glibc

/// Reads an RSS 0.90–2.0, RSS 1.0 (RDF) or Atom 0.3/1.0 feed a piece at a time, with libxml2's SAX2 push parser
/// (loaded on first use).
///
/// Each `read(maxBytes:)` reads chunks of `chunkSize` bytes into one reused buffer, decodes them to UTF-8
/// (`XMLTranscoder`) and pushes them into the parser; `XMLFeedBuilder` turns the parser's events into `info` and
/// items, which are handed out as soon as they are complete.
///
/// Safety: the parser runs with `XML_PARSE_NONET | XML_PARSE_RECOVER` and never with `XML_PARSE_NOENT`,
/// `XML_PARSE_DTDLOAD` or `XML_PARSE_HUGE` (DESIGN.md section 3): external entities are never read, entity
/// expansion is bounded by libxml2's defaults, and so are nesting depth (256) and the length of one text (10 MB).
/// Errors go to the builder, never to the terminal.
public final class XMLFeedReader: FeedReader {
    /// Bytes read and pushed at a time.
    static let chunkSize = 256 << 10
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue)

    private let input: FeedInput
    private let builder: XMLFeedBuilder
    private let transcoder = XMLTranscoder()
    /// libxml2's parser (its types stay out of this public class's layout, so that importers need no libxml2).
    private let parser: XMLPushParser
    private let buffer: UnsafeMutablePointer<UInt8>
    /// Bytes at the start of `buffer` not yet decoded (an incomplete character).
    private var filled = 0
    private var position = 0
    private var started = false

    public private(set) var isFinished = false
    public var bytesRead: Int { position }
    public var info: FeedInfo { builder.info }
    public var diagnostics: [FeedDiagnostic] { builder.diagnostics }

    /// A reader of `input`. Throws `FeedError` when libxml2 cannot be loaded.
    public init(input: FeedInput) throws {
        guard let api = gazette_xml_sax() else {
            let why = gazette_libxml2_error().map { String(cString: $0) } ?? "a function is missing"
            throw FeedError("libxml2 could not be loaded (\(why))")
        }
        self.input = input
        builder = XMLFeedBuilder(documentURL: input.documentURL)
        gazette_xml_sax_quiet_thread()
        var handler = Self.handler(api)
        // user_data stays the context itself (libxml2's own SAX2 callbacks, kept for the DTD, expect it); the
        // builder rides in `_private`, which libxml2 copies into the contexts it makes for entity content.
        guard let ctxt = api.pointee.xmlCreatePushParserCtxt(&handler, nil, nil, 0, nil) else {
            throw FeedError("libxml2 could not make a parser")
        }
        ctxt.pointee._private = Unmanaged.passUnretained(builder).toOpaque()
        _ = api.pointee.xmlCtxtUseOptions(ctxt, Self.options)
        parser = XMLPushParser(api: api, context: ctxt)
        builder.context = ctxt
        buffer = .allocate(capacity: Self.chunkSize)
    }

    deinit {
        close()
        buffer.deallocate()
    }

    /// Frees the parser.
    private func close() {
        parser.close()
        builder.context = nil
    }

    public func read(maxBytes: Int) throws -> [FeedItem] {
        guard !isFinished, let ctxt = parser.context else { return [] }
        let api = parser.api
        gazette_xml_sax_quiet_thread()
        let stop = position + max(1, min(maxBytes, Int.max - position))
        while position < stop, !isFinished {
            let got = try input.read(at: position, into: UnsafeMutableRawBufferPointer(start: buffer + filled,
                                                                                          count: Self.chunkSize - filled))
            position += got
            filled += got
            let isFinal = got == 0
            if !started {
                started = true
                try begin(isFinal: isFinal)
            }
            let lineBefore = Int(ctxt.pointee.input?.pointee.line ?? 1)
            let (bytes, used) = transcoder.convert(UnsafeBufferPointer(start: buffer, count: filled), isFinal: isFinal)
            if transcoder.noteIsNew, let note = transcoder.note {
                // The line of the first repair: libxml2's line, plus the line breaks before it in this chunk.
                transcoder.noteIsNew = false
                let end = min(transcoder.noteOffset, filled)
                var breaks = 0
                for i in 0..<end where buffer[i] == 0x0A { breaks += 1 }
                builder.note(message: note, line: lineBefore + breaks)
            }
            if let p = bytes.baseAddress, bytes.count > 0 {
                _ = api.pointee.xmlParseChunk(ctxt, UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self),
                                              Int32(bytes.count), 0)
            }
            if used < filled { memmove(buffer, buffer + used, filled - used) }
            filled -= used
            if isFinal {
                builder.finishing = true
                _ = api.pointee.xmlParseChunk(ctxt, nil, 0, 1)
                builder.finishing = false
                end()
            } else if ctxt.pointee.instate == XML_PARSER_EOF {
                // libxml2 gave up (too long a text, entities expanding without end): keep what was read.
                end(halted: true)
            }
            try checkRoot()
        }
        return builder.takeCompleted()
    }

    private func end(halted: Bool = false) {
        isFinished = true
        builder.finish(halted: halted)
        close()
    }

    /// The first bytes: an HTML page is refused at once; the encoding is decided.
    private func begin(isFinal: Bool) throws {
        let head = UnsafeBufferPointer(start: UnsafePointer(buffer), count: filled)
        if filled == 0, isFinal {
            isFinished = true
            close()
            throw FeedError("is empty")
        }
        if HTMLPageSniffer.looksLikeHTML(head) { try refuseHTML() }
        let skip = transcoder.decide(head)
        if skip > 0 {
            memmove(buffer, buffer + skip, filled - skip)
            filled -= skip
        }
    }

    private func refuseHTML() throws -> Never {
        isFinished = true
        close()
        var page = [UInt8](repeating: 0, count: Self.chunkSize)
        let n = (try? page.withUnsafeMutableBytes { try input.read(at: 0, into: $0) }) ?? 0
        let link = page.withUnsafeBufferPointer { HTMLPageSniffer.feedLink(in: UnsafeBufferPointer(rebasing: $0[0..<n]),
                                                                            base: input.documentURL) }
        throw FeedError("is an HTML page, not a feed" + (link.map { " (its feed is at \($0))" } ?? ""))
    }

    /// Throws once the root element shows the file is not a feed, or when the file ended without one.
    private func checkRoot() throws {
        switch builder.root {
        case .html:
            try refuseHTML()
        case .other(let name):
            isFinished = true
            close()
            throw FeedError("is XML but not a feed (its root element is <\(name)>)")
        case .none where isFinished:
            let why = builder.diagnostics.first.map { " (line \($0.line): \($0.message))" } ?? ""
            throw FeedError("is not a feed: no XML element found" + why)
        default:
            break
        }
    }

    /// The SAX2 callbacks, each handing the event to the builder in the context's `_private`.
    private static func handler(_ api: UnsafePointer<gazette_xml_sax_api>) -> xmlSAXHandler {
        var h = xmlSAXHandler()
        _ = api.pointee.xmlSAXVersion(&h, 2)
        // Only the document (for the DTD's entity declarations) is left to libxml2's SAX2 defaults: no tree is built.
        h.startElement = nil
        h.endElement = nil
        h.comment = nil
        h.processingInstruction = nil
        h.setDocumentLocator = nil
        h.startElementNs = { ctx, local, prefix, uri, namespaceCount, namespaces, attributeCount, _, attributes in
            guard let ctx, let local else { return }
            builderOf(ctx)._withUnsafeGuaranteedRef {
                $0.startElement(local, prefix: prefix, uri: uri, namespaceCount: namespaceCount, namespaces: namespaces,
                                attributes: XMLAttributes(count: attributeCount, pointers: attributes))
            }
        }
        h.endElementNs = { ctx, local, prefix, _ in
            guard let ctx, let local else { return }
            builderOf(ctx)._withUnsafeGuaranteedRef { $0.endElement(local, prefix: prefix) }
        }
        h.characters = { ctx, text, length in
            guard let ctx, let text else { return }
            builderOf(ctx)._withUnsafeGuaranteedRef { $0.characters(text, Int(length)) }
        }
        h.cdataBlock = h.characters
        h.ignorableWhitespace = h.characters
        h.reference = { _, _ in }
        h.getEntity = { ctx, name in
            guard let ctx, let name else { return nil }
            if let api = gazette_xml_sax(), let declared = api.pointee.xmlSAX2GetEntity(ctx, name) {
                return declared
            }
            return builderOf(ctx).takeUnretainedValue().entity(named: name)
        }
        h.serror = { ctx, error in
            guard let ctx, let error else { return }
            builderOf(ctx).takeUnretainedValue().error(error)
        }
        gazette_xml_sax_quiet_handler(&h)
        return h
    }
}

/// libxml2's push parser context, freed once (with the document it kept for the DTD's entities).
final class XMLPushParser {
    let api: UnsafePointer<gazette_xml_sax_api>
    private(set) var context: xmlParserCtxtPtr?

    init(api: UnsafePointer<gazette_xml_sax_api>, context: xmlParserCtxtPtr) {
        self.api = api
        self.context = context
    }

    deinit { close() }

    func close() {
        guard let ctxt = context else { return }
        if let doc = ctxt.pointee.myDoc {
            api.pointee.xmlFreeDoc(doc)
            ctxt.pointee.myDoc = nil
        }
        api.pointee.xmlFreeParserCtxt(ctxt)
        context = nil
    }
}

/// The builder of the parser context `ctx` (a callback's first argument), without reference counting (the reader
/// keeps it alive while the parser runs).
@inline(__always)
private func builderOf(_ ctx: UnsafeMutableRawPointer) -> Unmanaged<XMLFeedBuilder> {
    let context = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
    return Unmanaged<XMLFeedBuilder>.fromOpaque(context.pointee._private!)
}
