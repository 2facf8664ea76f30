public import CLibXML2

/// libxml2's errors in short words a reader understands ("unclosed element <item>", "invalid character"), for every
/// XML document Gazette reads (feeds, OPML). `document` names what is read in the messages that say so ("feed").
public enum XMLErrorMessage {
    public static func describe(_ e: UnsafePointer<xmlError>, document: String) -> String {
        let code = Int(e.pointee.code)
        let s1 = text(e.pointee.str1)
        let s2 = text(e.pointee.str2)
        let int1 = Int(e.pointee.int1)
        switch code {
        case Int(XML_ERR_TAG_NAME_MISMATCH.rawValue):
            if let open = s1, let close = s2 {
                let opened = int1 > 0 ? " (opened on line \(int1))" : ""
                return "</\(close)> does not close <\(open)>\(opened)"
            }
            return "an end tag does not match its start tag"
        case Int(XML_ERR_TAG_NOT_FINISHED.rawValue):
            return s1.map { "unclosed element <\($0)> at end of file" } ?? "unclosed element at end of file"
        case Int(XML_ERR_DOCUMENT_END.rawValue):
            return "text after the end of the \(document)"
        case Int(XML_ERR_DOCUMENT_EMPTY.rawValue):
            return "no XML element found"
        case Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_INVALID_CHARREF.rawValue),
             Int(XML_ERR_INVALID_DEC_CHARREF.rawValue), Int(XML_ERR_INVALID_HEX_CHARREF.rawValue):
            return "invalid character"
        case Int(XML_ERR_UNDECLARED_ENTITY.rawValue), Int(XML_WAR_UNDECLARED_ENTITY.rawValue):
            return s1.map { "unknown entity &\($0); (write &amp;\($0); for the text)" } ?? "unknown entity"
        case Int(XML_ERR_ENTITY_LOOP.rawValue):
            return "entities that expand without end (not expanded)"
        case Int(XML_ERR_ENTITYREF_SEMICOL_MISSING.rawValue):
            return "a bare & (write &amp;)"
        case Int(XML_ERR_NAME_REQUIRED.rawValue) where (e.pointee.message.map { String(cString: $0) } ?? "").contains("EntityRef"):
            return "a bare & (write &amp;)"
        case Int(XML_ERR_ATTRIBUTE_WITHOUT_VALUE.rawValue), Int(XML_ERR_ATTRIBUTE_NOT_STARTED.rawValue):
            return "an attribute without a quoted value"
        case Int(XML_ERR_ATTRIBUTE_NOT_FINISHED.rawValue):
            return "an attribute value without its closing quote"
        case Int(XML_ERR_GT_REQUIRED.rawValue):
            return "a tag without its closing >"
        case Int(XML_ERR_ATTRIBUTE_REDEFINED.rawValue):
            return s1.map { "attribute \($0) given twice" } ?? "an attribute given twice"
        case Int(XML_ERR_LT_IN_ATTRIBUTE.rawValue):
            return "< in an attribute value"
        case Int(XML_ERR_CDATA_NOT_FINISHED.rawValue):
            return "unclosed CDATA section"
        case Int(XML_ERR_COMMENT_NOT_FINISHED.rawValue):
            return "unclosed comment"
        case Int(XML_NS_ERR_UNDEFINED_NAMESPACE.rawValue):
            return s1.map { "undeclared namespace prefix \($0):" } ?? "undeclared namespace prefix"
        case Int(XML_ERR_INTERNAL_ERROR.rawValue) where (e.pointee.message.map { String(cString: $0) } ?? "").contains("Huge input lookup"):
            return "a text of more than 10 MB (the \(document) is read up to there)"
        default:
            break
        }
        if let m = e.pointee.message {
            var message = String(cString: m)
            while message.last == "\n" || message.last == " " { message.removeLast() }
            if message.contains("Excessive depth") { return "elements nested too deep (the \(document) is read up to there)" }
            if let first = message.first { message = first.lowercased() + message.dropFirst() }
            return message
        }
        return "not well-formed XML"
    }

    private static func text(_ p: UnsafeMutablePointer<CChar>?) -> String? {
        p.map { String(cString: $0) }
    }
}
