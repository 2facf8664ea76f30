/// A URL reference split as RFC 3986 appendix B does: `scheme:` `//authority` path `?query` `#fragment`. Pure; the
/// one parser and resolver that the article renderer (links in HTML) and the HTTP engine (`Location`, `Link`) share.
public struct URLReference: Equatable, Sendable {
    public var scheme: String?
    public var authority: String?
    public var path = ""
    public var query: String?
    public var fragment: String?

    public init() {}

    /// Splits `text` as it is (the scheme keeps its case).
    public init(_ text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if let colon = rest.firstIndex(of: ":"), Self.isScheme(rest[..<colon]) {
            scheme = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    /// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), with no `/` before the colon.
    public static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy {
            isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "+")
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// Section 5.3: the parts put back together.
    public var string: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }

    /// Section 5.2.2: this reference made absolute against `base`; nil when `base` has no scheme.
    public func resolved(against base: URLReference) -> URLReference? {
        if scheme != nil {
            var t = self
            t.path = Self.removeDotSegments(path)
            return t
        }
        guard base.scheme != nil else { return nil }
        var t = URLReference()
        t.scheme = base.scheme
        t.fragment = fragment
        if authority != nil {
            t.authority = authority
            t.path = Self.removeDotSegments(path)
            t.query = query
        } else {
            t.authority = base.authority
            if path.isEmpty {
                t.path = base.path
                t.query = query ?? base.query
            } else {
                if path.hasPrefix("/") {
                    t.path = Self.removeDotSegments(path)
                } else if base.authority != nil && base.path.isEmpty {
                    // Section 5.2.3, merge.
                    t.path = Self.removeDotSegments("/" + path)
                } else if let slash = base.path.lastIndex(of: "/") {
                    t.path = Self.removeDotSegments(String(base.path[...slash]) + path)
                } else {
                    t.path = Self.removeDotSegments(path)
                }
                t.query = query
            }
        }
        return t
    }

    /// Section 5.2.4.
    public static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output = ""
        func dropLastSegment() {
            if let slash = output.lastIndex(of: "/") { output.removeSubrange(slash...) } else { output = "" }
        }
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = "/" + input.dropFirst(3)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = "/" + input.dropFirst(4)
                dropLastSegment()
            } else if input == "/.." {
                input = "/"
                dropLastSegment()
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let start = input.hasPrefix("/") ? input.index(after: input.startIndex) : input.startIndex
                let end = input[start...].firstIndex(of: "/") ?? input.endIndex
                output += input[..<end]
                input = input[end...]
            }
        }
        return output
    }
}
