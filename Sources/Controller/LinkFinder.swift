/// Finds the link a post is about: posts have no URL field, so `o` takes the first http(s) URL in the text.
///
/// The rule, as people write links in prose: `http://` or `https://` (any case) not glued to a word before
/// it, then everything up to whitespace, a quote or angle bracket, a control character or non-ASCII
/// punctuation; trailing sentence punctuation (`.,;:!?'*`) and closing brackets without an opening one
/// inside the URL are not part of it (`(see https://x.org/a_(b))` keeps `a_(b)`). A URL without a host is
/// skipped. Only http and https are ever returned: nothing else may reach a browser.
public enum LinkFinder {
    /// The first web URL in `text`, or `nil` when it has none.
    public static func firstWebURL(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "h" || scalars[i] == "H" else { i += 1; continue }
            if i > 0, isWordScalar(scalars[i - 1]) { i += 1; continue }
            guard let schemeLength = schemeLength(scalars, at: i) else { i += 1; continue }
            var end = i + schemeLength
            while end < scalars.count, isURLScalar(scalars[end]) { end += 1 }
            end = trimmedEnd(scalars, from: i, to: end)
            let hostStart = i + schemeLength
            if end > hostStart, scalars[hostStart] != "/" {
                var url = String.UnicodeScalarView()
                url.append(contentsOf: scalars[i..<end])
                return String(url)
            }
            i = max(end, i + 1)
        }
        return nil
    }

    /// Whether `url` is an http or https URL with a host, safe to hand to a browser as one argument.
    public static func isWebURL(_ url: String) -> Bool {
        let scalars = Array(url.unicodeScalars)
        guard let length = schemeLength(scalars, at: 0), scalars.count > length, scalars[length] != "/" else {
            return false
        }
        return scalars.allSatisfy(isURLScalar)
    }

    /// Whether `url` may be handed to the browser: an http or https URL with a host (`isWebURL`), or a `mailto:`
    /// address. Nothing else (`javascript:`, `data:`, `file:`, ...) ever is.
    public static func mayOpen(_ url: String) -> Bool {
        if isWebURL(url) { return true }
        let scalars = Array(url.unicodeScalars)
        guard scalars.count > 7, String(String.UnicodeScalarView(scalars[0..<7])).lowercased() == "mailto:" else {
            return false
        }
        return scalars[7...].contains("@") && scalars.allSatisfy(isURLScalar)
    }

    /// 7 for `http://`, 8 for `https://` (any case) at `i`, else `nil`.
    private static func schemeLength(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        for scheme in ["http://", "https://"] {
            let pattern = Array(scheme.unicodeScalars)
            guard i + pattern.count <= s.count else { continue }
            var matches = true
            for (k, p) in pattern.enumerated() where lower(s[i + k]) != p {
                matches = false
                break
            }
            if matches { return pattern.count }
        }
        return nil
    }

    private static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(c.value + 0x20)! : c
    }

    private static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || ("0"..."9").contains(c)
    }

    /// Characters a URL in running text may contain: printable ASCII except space, quotes, angle brackets,
    /// braces, backslash, caret, backtick and the pipe; non-ASCII letters and digits (internationalised
    /// paths and hosts).
    private static func isURLScalar(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            guard c.value > 0x20, c.value < 0x7F else { return false }
            return !"\"'<>{}\\^`|".unicodeScalars.contains(c)
        }
        let properties = c.properties
        return properties.isAlphabetic || properties.numericType != nil
    }

    /// `end` moved back over trailing punctuation and unbalanced closing brackets.
    private static func trimmedEnd(_ s: [Unicode.Scalar], from start: Int, to end: Int) -> Int {
        var end = end
        while end > start {
            let last = s[end - 1]
            if ".,;:!?*".unicodeScalars.contains(last) {
                end -= 1
            } else if last == ")" || last == "]" {
                let open: Unicode.Scalar = last == ")" ? "(" : "["
                let opens = s[start..<end].filter { $0 == open }.count
                let closes = s[start..<end].filter { $0 == last }.count
                if closes > opens { end -= 1 } else { break }
            } else {
                break
            }
        }
        return end
    }
}
