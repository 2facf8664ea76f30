internal import CLibXML2

/// libxml2's HTML parser (loaded with dlopen, `gazette_xml_html`) feeding an `HTMLBlockBuilder`.
enum HTMLDocument {
    /// Never `HTML_PARSE_HUGE`: libxml2's limits stay on. Nothing is printed, nothing fetched. Not
    /// `HTML_PARSE_NOIMPLIED`: without an implied `body`, libxml2 2.9 keeps everything after the first element inside
    /// it (a second list nests in the first).
    private static let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue
        | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)

    /// Whether libxml2 could be loaded.
    static var isAvailable: Bool { gazette_xml_html() != nil }

    /// Parses `html` (prepared by `HTMLPreprocessor`) and walks it into `builder`; false when libxml2 is missing.
    static func walk(_ html: [UInt8], into builder: inout HTMLBlockBuilder) -> Bool {
        guard let api = gazette_xml_html() else { return false }
        guard !html.isEmpty else { return true }
        guard html.count < Int(Int32.max),
              let read = api.pointee.htmlReadMemory, let free = api.pointee.xmlFreeDoc else { return false }
        let parsed = html.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                read($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        guard let doc = parsed else { return true }
        defer { free(doc) }
        walk(from: doc.pointee.children, api: api, into: &builder)
        return true
    }

    /// Visits the nodes from `first` in document order without recursion (parent and sibling pointers).
    private static func walk(from first: xmlNodePtr?, api: UnsafePointer<gazette_xml_html_api>,
                             into builder: inout HTMLBlockBuilder) {
        var node = first
        outer: while let current = node {
            var entered = false
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                entered = builder.open(Element(node: current, api: api))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    var length = 0
                    while content[length] != 0 { length += 1 }
                    builder.text(UnsafeBufferPointer(start: content, count: length))
                }
            default:
                break  // comments, processing instructions, DTDs
            }
            if entered {
                if let child = current.pointee.children {
                    node = child
                    continue
                }
                builder.close()
            }
            var done = current
            while true {
                if let next = done.pointee.next {
                    node = next
                    continue outer
                }
                guard let parent = done.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { break outer }
                builder.close()
                done = parent
            }
        }
    }

    /// An element node.
    private struct Element: HTMLElementView {
        let node: xmlNodePtr
        let api: UnsafePointer<gazette_xml_html_api>

        /// libxml2's HTML parser gives names in lower case.
        var name: String { node.pointee.name.map { String(cString: $0) } ?? "" }

        func attribute(_ name: String) -> String? {
            Self.attribute(name, of: node, api: api)
        }

        func childElementCount(named name: String) -> Int {
            var count = 0
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE, let n = c.pointee.name, String(cString: n) == name { count += 1 }
                child = c.pointee.next
            }
            return count
        }

        func childAttribute(_ attribute: String, ofFirst element: String) -> String? {
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE, let n = c.pointee.name, String(cString: n) == element {
                    return Self.attribute(attribute, of: c, api: api)
                }
                child = c.pointee.next
            }
            return nil
        }

        private static func attribute(_ name: String, of node: xmlNodePtr, api: UnsafePointer<gazette_xml_html_api>) -> String? {
            guard let get = api.pointee.xmlGetProp, let free = api.pointee.xmlFree,
                  let value = get(node, name) else { return nil }
            defer { free(value) }
            return String(cString: value)
        }
    }
}
