extension PostID {
    /// The id of a post with this title line and these body bytes. THE RULE (never change it: ids are the keys of
    /// people's read state; `PostIDTests` pins a golden value):
    ///
    ///     id = XXH64(seed 0) of  squeeze(title) ++ [0xFF] ++ squeeze(body)
    ///
    /// - `title` is the bytes of the title line, `body` the bytes of `Post.bodyRange`: from the line after
    ///   `Posted on` to the end of the last body line, without the `[Source]` line;
    /// - `squeeze` keeps the bytes as stored in the file (UTF-8, invalid sequences included) and drops every
    ///   whitespace byte (space, tab, LF, VT, FF, CR) and every no-break space (the pair C2 A0);
    /// - XXH64 is xxHash's published 64-bit algorithm (`XXH64.swift`).
    ///
    /// So line endings (LF, CRLF, CR), trailing spaces, indentation, extra blank lines and re-wrapped lines leave an
    /// id unchanged, the same post in two files has the same id, and the author, date and source lines do not
    /// count. `ArchiveScanner` computes the same value incrementally while indexing.
    public static func derive(title: some Collection<UInt8>, body: some Collection<UInt8>) -> PostID {
        var hash = XXH64()
        squeeze(Array(title), into: &hash)
        hash.update(CollectionOfOne(0xFF))
        squeeze(Array(body), into: &hash)
        return PostID(rawValue: hash.digest())
    }

    private static func squeeze(_ bytes: [UInt8], into hash: inout XXH64) {
        bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            let out = UnsafeMutablePointer<UInt8>.allocate(capacity: b.count)
            defer { out.deallocate() }
            let k = ByteText.compact(p, b.count, into: out)
            hash.update(UnsafeRawBufferPointer(start: out, count: k))
        }
    }
}

extension Post {
    /// The title shown for a post whose title line is missing.
    public static let untitled = "(untitled)"
}
