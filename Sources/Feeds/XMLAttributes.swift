internal import CLibXML2
import Glibc

/// The attributes libxml2's SAX2 `startElementNs` passes: five pointers each (local name, prefix, namespace URI,
/// value start, value end), read without copying until a value is asked for.
struct XMLAttributes {
    let count: Int
    let pointers: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    init(count: Int32, pointers: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        self.count = pointers == nil ? 0 : Int(count)
        self.pointers = pointers
    }

    /// The raw value of attribute `i` (entities of the file decoded, `&` written `&#38;` by libxml2).
    func rawValue(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard let p = pointers, let start = p[i * 5 + 3], let end = p[i * 5 + 4] else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: start, count: end - start)
    }

    func localName(_ i: Int) -> UnsafePointer<xmlChar>? { pointers?[i * 5] }
    func prefix(_ i: Int) -> UnsafePointer<xmlChar>? { pointers?[i * 5 + 1] }
    func namespace(_ i: Int) -> XMLNamespace { XMLNamespace.of(pointers?[i * 5 + 2]) }

    /// The index of attribute `name` in namespace `ns` (`.none`: an attribute without a prefix), or nil.
    func index(_ name: StaticString, in ns: XMLNamespace = .none) -> Int? {
        guard let p = pointers else { return nil }
        let wanted = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
        for i in 0..<count {
            guard let local = p[i * 5] else { continue }
            if strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self), wanted) == 0,
               XMLNamespace.of(p[i * 5 + 2]) == ns {
                return i
            }
        }
        return nil
    }

    /// The value of attribute `name` (in `ns`), decoded, or nil when absent.
    func value(_ name: StaticString, in ns: XMLNamespace = .none) -> String? {
        guard let i = index(name, in: ns) else { return nil }
        return FeedText.decodeAttribute(String(decoding: rawValue(i), as: UTF8.self))
    }

    /// The value of attribute `name` (in `ns`), decoded and trimmed; nil when absent or blank.
    func nonBlank(_ name: StaticString, in ns: XMLNamespace = .none) -> String? {
        guard let v = value(name, in: ns) else { return nil }
        let t = FeedText.trim(v)
        return t.isEmpty ? nil : t
    }
}
