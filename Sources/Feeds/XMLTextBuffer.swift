/// A reusable byte buffer that a field's text is gathered in, up to a limit (so that a 100 MB title costs 64 KB).
/// A value with manual memory (`deallocate()`), kept by the builder at a fixed address so that appending a piece of
/// text costs no reference counting.
struct XMLTextBuffer {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// The most bytes kept; what comes after is dropped and `truncated` set.
    let limit: Int
    private(set) var truncated = false

    init(limit: Int, capacity: Int = 256) {
        self.limit = limit
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
    }

    /// Frees the memory (once, when the buffer is no longer used).
    func deallocate() { bytes.deallocate() }

    var isEmpty: Bool { count == 0 }

    mutating func removeAll() {
        if count == 0, !truncated { return }
        count = 0
        truncated = false
        // A buffer that grew for one huge field does not keep the memory for the rest of the file.
        if capacity > 1 << 20 {
            bytes.deallocate()
            capacity = 4096
            bytes = .allocate(capacity: capacity)
        }
    }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var n = n
        if count + n > limit {
            n = max(0, limit - count)
            // Do not cut a UTF-8 sequence in two.
            while n > 0, p[n] & 0xC0 == 0x80 { n -= 1 }
            truncated = true
            if n == 0 { return }
        }
        if count + n > capacity { grow(count + n) }
        if n <= 8 {
            // Entity references arrive one character at a time: no call to memmove for those.
            for i in 0..<n { bytes[count + i] = p[i] }
        } else {
            (bytes + count).update(from: p, count: n)
        }
        count += n
    }

    mutating func append(_ s: StaticString) {
        append(s.utf8Start, s.utf8CodeUnitCount)
    }

    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { b in
            if let p = b.baseAddress { append(p, b.count) }
        }
    }

    mutating func append(byte: UInt8) {
        var b = byte
        append(&b, 1)
    }

    /// Appends `p[0..<n]` with `&`, `<`, `>` and (with `quotes`) `"` escaped, as XHTML text or an attribute.
    mutating func appendEscaped(_ p: UnsafePointer<UInt8>, _ n: Int, quotes: Bool = false) {
        var start = 0
        for i in 0..<n {
            let c = p[i]
            let entity: StaticString
            switch c {
            case 0x26: entity = "&amp;"
            case 0x3C: entity = "&lt;"
            case 0x3E: entity = "&gt;"
            case 0x22 where quotes: entity = "&quot;"
            default: continue
            }
            if i > start { append(p + start, i - start) }
            append(entity)
            start = i + 1
        }
        if n > start { append(p + start, n - start) }
    }

    private mutating func grow(_ needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        new.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = new
        capacity = c
    }

    /// The text, as a String (invalid UTF-8, which cannot come from libxml2, would be repaired).
    var string: String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// True when the text is nothing but whitespace.
    var isBlank: Bool {
        for i in 0..<count where !(bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D) {
            return false
        }
        return true
    }
}
