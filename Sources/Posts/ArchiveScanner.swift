import Glibc

/// Builds the index of an archive (its header and its posts, with ids and body byte ranges) from its bytes, fed
/// chunk by chunk, in one pass, on UTF-8 bytes.
///
/// The format (see the sample in `seeds/`): a header line, then posts; a post is a title line, a `Posted on …`
/// line, body blocks separated by blank lines, and optionally a `[Source]` line last. The rule applied here:
/// - a line that is a `Posted on` line (`PostedOnLine`) marks a post; its title is the nearest preceding non-blank
///   line (none when that is the previous post's `Posted on` line);
/// - the body runs from the line after `Posted on` to the last non-blank line before the next post's title (or the
///   end of the file); when that last line has the shape `[…]`, it is the post's source and not part of the body;
/// - non-blank lines before the first post's title are the header (its first line is the archive's title); a file
///   whose first line is the first title has no header, unless that line reads `Author Archives …`;
/// - lines end with LF, CRLF or CR; a UTF-8 byte order mark at the start is skipped; blank means whitespace only
///   (no-break spaces included).
///
/// Ids follow `PostID.derive`, computed here while scanning: every line's non-whitespace bytes are fed to the
/// running hash of the open post, and the hash states before the last two non-blank lines are kept, so closing a
/// post can leave the next title and its own source line out of its body; a title's own hash is computed when its
/// `Posted on` line shows it is one.
///
/// Use: call `scan` with each chunk (after the bytes the previous call did not consume), then `finish`.
final class ArchiveScanner {
    /// A line is fed in pieces when it is longer than this and not yet complete in the caller's buffer.
    static let longLineThreshold = 32 * 1024
    /// Titles are cut to this many bytes (the id still covers the whole line).
    static let maxTitleBytes = 1024
    private static let maxSourceLine = 512
    private static let scratchSize = 64 * 1024

    private enum Kind: UInt8 { case none, text, postedOn }

    /// A non-blank line.
    private struct Mark {
        var kind = Kind.none
        var isSource = false
        var start = 0
        var end = 0
    }

    private struct OpenPost {
        var title: String
        var postedOn: PostedOnLine
        var bodyStart: Int
    }

    /// A long line still being read.
    private struct PartialLine {
        var start: Int
        var end: Int
        var before: XXH64
        var kept: Int
    }

    let archiveIndex: Int
    private(set) var posts: [Post] = []
    /// The first header line (nil until the first post is seen, and when there is no header).
    private(set) var header: String?
    /// The author named by the header.
    private(set) var archiveAuthor: String?

    /// Reads bytes of the archive that are no longer in the current chunk (a title or source line that ended just
    /// before a chunk boundary); it may return fewer bytes than asked.
    private let fetch: (Range<Int>) -> [UInt8]

    private var bomChecked = false
    private var m0 = Mark()  // the last non-blank line
    private var m1 = Mark()  // the one before
    private var m2 = Mark()  // and the one before that
    private var firstText: Range<Int>?
    /// Hash of the open post so far: title, 0xFF, body lines seen.
    private var current = XXH64()
    /// `current` as it was before `m0` and before `m1`: two slots used in turn (one copy per line).
    private var stateA = XXH64()
    private var stateB = XXH64()
    private var stateAIsLast = false
    private var before0: XXH64 { stateAIsLast ? stateA : stateB }
    private var before1: XXH64 { stateAIsLast ? stateB : stateA }
    private var open: OpenPost?
    private var partial: PartialLine?
    private var interned: [String: String] = [:]
    private let scratch: UnsafeMutablePointer<UInt8>
    private var chunk = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var chunkBase = 0

    /// Set for a scanner that starts in the middle of an archive, at the title line of a post (`ArchiveIndexer`
    /// splits big files in two): there is no header to look for, and the archive's author is filled in later.
    private let continuation: Bool

    init(archiveIndex: Int, continuation: Bool = false, fetch: @escaping (Range<Int>) -> [UInt8]) {
        self.archiveIndex = archiveIndex
        self.continuation = continuation
        self.fetch = fetch
        scratch = .allocate(capacity: Self.scratchSize)
    }

    deinit { scratch.deallocate() }

    /// Scans the complete lines of `bytes`, the archive's bytes from offset `offset`, and returns how many bytes it
    /// consumed. The caller passes the unconsumed rest again at the start of the next call (at most
    /// `longLineThreshold` bytes are left unconsumed); with `isFinal`, everything is consumed.
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, isFinal: Bool) -> Int {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return 0 }
        chunk = bytes
        chunkBase = offset
        defer { chunk = UnsafeBufferPointer(start: nil, count: 0) }
        let n = bytes.count
        var s = 0
        if !bomChecked {
            if n < 3 && !isFinal { return 0 }
            bomChecked = true
            if offset == 0 && n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { s = 3 }
        }
        // Positions of the next LF and CR at or after `s` (n: none), searched with memchr and reused until passed,
        // so that each byte is searched once even for CR-only files.
        var nextLF = -1
        var nextCR = -1
        while s < n {
            if nextLF < s { nextLF = Self.find(0x0A, p, s, n) }
            if nextCR < s { nextCR = Self.find(0x0D, p, s, n) }
            let e: Int
            let next: Int
            if nextCR < nextLF {
                e = nextCR
                if nextCR + 1 < n {
                    next = p[nextCR + 1] == 0x0A ? nextCR + 2 : nextCR + 1
                } else if isFinal {
                    next = n
                } else {
                    break  // a CR at the end of the chunk: the LF may follow
                }
            } else if nextLF < n {
                e = nextLF
                next = nextLF + 1
            } else if isFinal {
                e = n
                next = n
            } else {
                break
            }
            line(p + s, e - s, start: offset + s, end: offset + e, next: offset + next)
            s = next
        }
        if !isFinal && n - s > Self.longLineThreshold {
            var cut = n - 1  // keep the last byte: it may be a CR before an LF
            if p[cut - 1] == 0xC2 { cut -= 1 }  // and never split a no-break space
            feedPartial(p + s, cut - s, start: offset + s)
            s = cut
        }
        return s
    }

    /// Takes the header found by the scanner of the front half of a split file (`ArchiveIndexer.indexAll`).
    func adopt(header: String?, author: String?) {
        self.header = header
        self.archiveAuthor = author
    }

    /// The posts completed since the previous call (or since the start), in file order; they are not kept.
    func takePosts() -> [Post] {
        defer { posts = [] }
        return posts
    }

    /// Closes the last post and returns the posts not yet taken, in file order.
    func finish() -> [Post] {
        if let pl = partial {  // only when the caller never passed isFinal
            partial = nil
            if pl.kept > 0 { push(Mark(kind: .text, start: pl.start, end: pl.end), before: pl.before) }
        }
        if let o = open {
            open = nil
            close(o, last: m0, beforeLast: m1, hashAfterLast: current, hashBeforeLast: before0)
        }
        return posts
    }

    @inline(__always)
    private static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, _ s: Int, _ n: Int) -> Int {
        guard let hit = memchr(p + s, Int32(byte), n - s) else { return n }
        return p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    // MARK: Lines

    private func line(_ p: UnsafePointer<UInt8>, _ len: Int, start: Int, end: Int, next: Int) {
        if var pl = partial {
            partial = nil
            pl.kept += feed(p, len)
            if pl.kept > 0 { push(Mark(kind: .text, start: pl.start, end: end), before: pl.before) }
            return
        }
        let content = ByteText.trim(p, 0, len)
        if content.isEmpty { return }  // blank
        if len <= PostedOnLine.maxLength && p[content.lowerBound] | 0x20 == UInt8(ascii: "p"),
           let info = PostedOnLine.parse(p, len) {
            postedOn(info, start: start, end: end, next: next)
            return
        }
        let isSource = len <= Self.maxSourceLine && Self.isSourceShape(p, content)
        push(Mark(kind: .text, isSource: isSource, start: start, end: end), before: current)
        feed(p, len)
    }

    private func feedPartial(_ p: UnsafePointer<UInt8>, _ len: Int, start: Int) {
        var pl = partial ?? PartialLine(start: start, end: start, before: current, kept: 0)
        pl.kept += feed(p, len)
        pl.end += len
        partial = pl
    }

    /// Feeds the non-whitespace bytes of `p[0..<len]` to the open post's hash; returns their count.
    @discardableResult
    private func feed(_ p: UnsafePointer<UInt8>, _ len: Int) -> Int {
        Self.squeeze(p, len, scratch) { current.update($0) }
    }

    /// Calls `body` with the non-whitespace bytes of `p[0..<len]`, in pieces; returns their count.
    private static func squeeze(_ p: UnsafePointer<UInt8>, _ len: Int, _ scratch: UnsafeMutablePointer<UInt8>,
                                _ body: (UnsafeRawBufferPointer) -> Void) -> Int {
        var total = 0
        var q = p
        var left = len
        while left > 0 {
            var piece = min(left, scratchSize)
            if piece < left && q[piece - 1] == 0xC2 { piece -= 1 }
            let k = ByteText.compact(q, piece, into: scratch)
            if k > 0 { body(UnsafeRawBufferPointer(start: scratch, count: k)) }
            total += k
            q += piece
            left -= piece
        }
        return total
    }

    /// Makes `mark` the last non-blank line; `before` is the open post's hash state before it.
    private func push(_ mark: Mark, before: XXH64) {
        m2 = m1
        m1 = m0
        m0 = mark
        if stateAIsLast { stateB = before } else { stateA = before }
        stateAIsLast.toggle()
        if mark.kind == .text && firstText == nil { firstText = mark.start..<mark.end }
    }

    /// XXH64 of the squeezed bytes of the line in `range` (a title), from the chunk or else through `fetch`.
    private func lineHash(_ range: Range<Int>) -> XXH64 {
        var hash = XXH64()
        if let base = chunk.baseAddress, range.lowerBound >= chunkBase, range.upperBound <= chunkBase + chunk.count {
            _ = Self.squeeze(base + (range.lowerBound - chunkBase), range.count, scratch) { hash.update($0) }
            return hash
        }
        var at = range.lowerBound
        while at < range.upperBound {
            let bytes = fetch(at..<min(range.upperBound, at + Self.scratchSize))
            guard !bytes.isEmpty else { break }
            // Keep a final C2 for the next piece: it may start a no-break space.
            let usable = bytes.count > 1 && at + bytes.count < range.upperBound && bytes.last == 0xC2
                ? bytes.count - 1 : bytes.count
            bytes.withUnsafeBufferPointer { b in
                _ = Self.squeeze(b.baseAddress!, usable, scratch) { hash.update($0) }
            }
            at += usable
        }
        return hash
    }

    /// `[…]` after trimming, with no other bracket inside and something in it.
    private static func isSourceShape(_ p: UnsafePointer<UInt8>, _ r: Range<Int>) -> Bool {
        guard r.count >= 3, p[r.lowerBound] == UInt8(ascii: "["), p[r.upperBound - 1] == UInt8(ascii: "]")
        else { return false }
        for k in (r.lowerBound + 1)..<(r.upperBound - 1) where p[k] == UInt8(ascii: "[") || p[k] == UInt8(ascii: "]") {
            return false
        }
        return !ByteText.trim(p, r.lowerBound + 1, r.upperBound - 1).isEmpty
    }

    // MARK: Posts

    private func postedOn(_ info: PostedOnLine, start: Int, end: Int, next: Int) {
        var title: Mark? = m0.kind == .text ? m0 : nil
        if let o = open {
            if title != nil {
                close(o, last: m1, beforeLast: m2, hashAfterLast: before0, hashBeforeLast: before1)
            } else {
                close(o, last: m0, beforeLast: m1, hashAfterLast: current, hashBeforeLast: before0)
            }
        } else if !continuation {
            if let first = firstText {
                let text = self.text(first, cap: Self.maxTitleBytes)
                if let t = title, t.start == first.lowerBound {
                    // The first line is the title, unless it reads like a header.
                    if PostedOnLine.author(fromHeader: text) != nil {
                        header = text
                        title = nil
                    }
                } else {
                    header = text
                }
            }
            archiveAuthor = header.flatMap(PostedOnLine.author(fromHeader:))
        }
        current = title.map { lineHash($0.start..<$0.end) } ?? XXH64()
        current.update(CollectionOfOne(0xFF))
        var info = info
        info.author = info.author.map(intern)
        info.dateText = info.dateText.map(intern)
        open = OpenPost(title: title.map { text($0.start..<$0.end, cap: Self.maxTitleBytes) } ?? "",
                        postedOn: info, bodyStart: next)
        push(Mark(kind: .postedOn, start: start, end: end), before: current)
    }

    /// Appends the post `o`, whose last non-blank line is `last` (preceded by `beforeLast`); the post's hash state
    /// is `hashBeforeLast` before `last` and `hashAfterLast` after it.
    private func close(_ o: OpenPost, last: Mark, beforeLast: Mark, hashAfterLast: XXH64, hashBeforeLast: XXH64) {
        var source: String?
        var bodyEnd = o.bodyStart
        var hash = hashAfterLast
        if last.kind == .text {
            if last.isSource {
                source = intern(text(last.start..<last.end, cap: Self.maxSourceLine, unbracket: true))
                hash = hashBeforeLast
                if beforeLast.kind == .text { bodyEnd = beforeLast.end }
            } else {
                bodyEnd = last.end
            }
        }
        posts.append(Post(
            id: PostID(rawValue: hash.digest()),
            title: o.title.isEmpty ? Post.untitled : o.title,
            author: o.postedOn.author ?? archiveAuthor,
            date: o.postedOn.date,
            dateText: o.postedOn.dateText,
            source: source,
            bodyRange: o.bodyStart..<max(o.bodyStart, bodyEnd),
            archiveIndex: archiveIndex))
    }

    /// The trimmed text of the archive's bytes in `range` (inside the brackets with `unbracket`), from the current
    /// chunk or else through `fetch`.
    private func text(_ range: Range<Int>, cap: Int, unbracket: Bool = false) -> String {
        func decode(_ p: UnsafePointer<UInt8>, _ r: Range<Int>) -> String {
            guard unbracket else { return ByteText.text(p, r, cap: cap) }
            let t = ByteText.trim(p, r.lowerBound, min(r.upperBound, r.lowerBound + cap))
            return ByteText.text(p, t.count >= 2 ? (t.lowerBound + 1)..<(t.upperBound - 1) : t)
        }
        if let base = chunk.baseAddress, range.lowerBound >= chunkBase, range.upperBound <= chunkBase + chunk.count {
            return decode(base, (range.lowerBound - chunkBase)..<(range.upperBound - chunkBase))
        }
        let bytes = fetch(range.lowerBound..<min(range.upperBound, range.lowerBound + cap))
        return bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return "" }
            return decode(p, 0..<b.count)
        }
    }

    /// One shared copy of each repeated author, date or source (strings of up to 15 bytes are stored inline).
    private func intern(_ s: String) -> String {
        if s.utf8.count <= 15 { return s }
        if let known = interned[s] { return known }
        interned[s] = s
        return s
    }
}
