// What the tokenizer makes of each non-ASCII scalar, computed once per block of 256 scalars (Unicode properties
// and Foundation's folding are slow; the tokenizer is on the index build path) and shared by every thread.
import Foundation
import Synchronization

/// What a scalar is to the tokenizer.
enum ScalarKind: UInt8 {
    /// Ends a word or a CJK run.
    case separator
    /// A letter or digit: part of a word, folded to `folded`.
    case word
    /// A combining mark (or a soft hyphen): inside a word or CJK run it is part of it and folds to nothing;
    /// elsewhere it is nothing.
    case ignorable
    /// Han, Kana or Hangul: part of a CJK run, as `folded` (one character).
    case cjk
}

/// The folding of 256 consecutive scalars. Immutable once built.
final class FoldPage: Sendable {
    struct Entry: Sendable {
        var offset: UInt16
        var count: UInt8
        var kind: ScalarKind
    }

    let entries: [Entry]
    /// Every entry's folded UTF-8, one after the other. Never freed (pages live as long as the process).
    nonisolated(unsafe) let bytes: UnsafeMutablePointer<UInt8>

    init(index: Int) {
        var entries: [Entry] = []
        entries.reserveCapacity(256)
        var all: [UInt8] = []
        for low in 0..<256 {
            let value = UInt32(index << 8 | low)
            guard let scalar = Unicode.Scalar(value) else {
                entries.append(Entry(offset: 0, count: 0, kind: .separator))
                continue
            }
            let (kind, folded) = ScalarFolding.classify(scalar)
            var utf8: [UInt8] = []
            for s in folded { utf8.append(contentsOf: Array(String(s).utf8)) }
            // A fold longer than a token is cut at a character (no real letter comes near).
            while utf8.count > 60 {
                utf8.removeLast()
                while let last = utf8.last, last & 0xC0 == 0x80 { utf8.removeLast() }
                if let last = utf8.last, last >= 0xC0 { utf8.removeLast() }
            }
            entries.append(Entry(offset: UInt16(all.count), count: UInt8(utf8.count), kind: kind))
            all.append(contentsOf: utf8)
        }
        self.entries = entries
        bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(all.count, 1))
        bytes.initialize(from: all, count: all.count)
    }
}

/// Pages built so far, shared by every thread (the indexer, the search worker, the reader).
private let sharedPages = Mutex<[FoldPage?]>(Array(repeating: nil, count: 0x110000 >> 8))

/// A tokenizer call's view of the shared pages: the last page used is kept, so the lock is taken only when a
/// text moves to another block of 256 scalars.
struct FoldPageCache {
    private var index = -1
    private var last: FoldPage?

    @inline(__always)
    mutating func page(_ index: Int) -> FoldPage {
        if index == self.index, let last { return last }
        let page = Self.shared(index)
        self.index = index
        last = page
        return page
    }

    static func shared(_ index: Int) -> FoldPage {
        if let page = sharedPages.withLock({ $0[index] }) { return page }
        let built = FoldPage(index: index)
        return sharedPages.withLock { pages in
            if let page = pages[index] { return page }
            pages[index] = built
            return built
        }
    }
}

/// The folding of one scalar, from its Unicode properties and Foundation (computed once per scalar).
enum ScalarFolding {
    /// Letters that lose something but do not decompose: folded as a reader would type them.
    static let special: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h",
        "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
        "ŧ": "t", "Ŧ": "t", "ƀ": "b", "ɨ": "i", "ƚ": "l", "ʉ": "u",
    ]

    static func isMark(_ p: Unicode.Scalar.Properties) -> Bool {
        p.generalCategory == .nonspacingMark || p.generalCategory == .enclosingMark
    }

    static func classify(_ scalar: Unicode.Scalar) -> (ScalarKind, [Unicode.Scalar]) {
        if SearchTokenizer.isPlainCJK(scalar.value) { return (.cjk, [scalar]) }
        if scalar.value < 0x80 {
            let b = UInt8(scalar.value)
            if b >= 65 && b <= 90 { return (.word, [Unicode.Scalar(b + 32)]) }
            if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) { return (.word, [scalar]) }
            return (.separator, [])
        }
        let p = scalar.properties
        if isMark(p) || scalar.value == 0xAD { return (.ignorable, []) }
        guard p.isAlphabetic || p.generalCategory == .decimalNumber || p.generalCategory == .spacingMark else {
            return (.separator, [])
        }
        let folded = fold(scalar)
        if folded.count == 1, SearchTokenizer.isPlainCJK(folded[0].value) { return (.cjk, folded) }
        let kept = folded.filter { s in
            if SearchTokenizer.isPlainCJK(s.value) { return false }
            if s.value < 0x80 { return (s.value >= 97 && s.value <= 122) || (s.value >= 48 && s.value <= 57) }
            let q = s.properties
            return !isMark(q) && (q.isAlphabetic || q.generalCategory == .decimalNumber || q.generalCategory == .spacingMark)
        }
        return kept.isEmpty ? (.ignorable, []) : (.word, kept)
    }

    /// Case folding, diacritics and width removed, compatibility decomposition, marks dropped, lowercase, the
    /// special letters, other decimal digits to ASCII; repeated until nothing changes.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var current: [Unicode.Scalar] = [scalar]
        for _ in 0..<6 {
            var text = ""
            text.unicodeScalars.append(contentsOf: current)
            text = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            text = text.decomposedStringWithCompatibilityMapping
            var next: [Unicode.Scalar] = []
            for s in text.unicodeScalars {
                let p = s.properties
                if isMark(p) { continue }
                if let replacement = special[s] {
                    next.append(contentsOf: replacement.unicodeScalars)
                } else if p.generalCategory == .decimalNumber, let v = p.numericValue, v >= 0, v <= 9,
                          let digit = Unicode.Scalar(48 + UInt32(v)) {
                    next.append(digit)
                } else {
                    next.append(contentsOf: p.lowercaseMapping.unicodeScalars)
                }
            }
            if next == current { break }
            current = next
        }
        return current
    }
}
