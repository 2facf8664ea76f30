/// Streaming XXH64 (xxHash, 64-bit), with the published constants and algorithm
/// (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md). Used for post ids, so it must never change.
public struct XXH64: Sendable {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    private var v4: UInt64
    private let seed: UInt64
    private var totalLength: UInt64 = 0
    /// Bytes not yet consumed as a 32-byte stripe.
    private var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var bufferCount = 0

    public init(seed: UInt64 = 0) {
        self.seed = seed
        v1 = seed &+ Self.prime1 &+ Self.prime2
        v2 = seed &+ Self.prime2
        v3 = seed
        v4 = seed &- Self.prime1
    }

    @inline(__always)
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        var acc = acc &+ input &* prime2
        acc = (acc << 31) | (acc >> 33)
        return acc &* prime1
    }

    @inline(__always)
    private static func mergeRound(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        let acc = acc ^ round(0, val)
        return acc &* prime1 &+ prime4
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always)
    private static func load64(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { update(Array(bytes)) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress, bytes.count > 0 else { return }
        var n = bytes.count
        totalLength &+= UInt64(n)
        if bufferCount + n < 32 {
            withUnsafeMutableBytes(of: &buffer) { b in
                b.baseAddress!.advanced(by: bufferCount).copyMemory(from: p, byteCount: n)
            }
            bufferCount += n
            return
        }
        if bufferCount > 0 {
            let fill = 32 - bufferCount
            withUnsafeMutableBytes(of: &buffer) { b in
                b.baseAddress!.advanced(by: bufferCount).copyMemory(from: p, byteCount: fill)
            }
            p += fill
            n -= fill
            v1 = Self.round(v1, UInt64(littleEndian: buffer.0))
            v2 = Self.round(v2, UInt64(littleEndian: buffer.1))
            v3 = Self.round(v3, UInt64(littleEndian: buffer.2))
            v4 = Self.round(v4, UInt64(littleEndian: buffer.3))
            bufferCount = 0
        }
        if n >= 32 {
            var a = v1, b = v2, c = v3, d = v4
            while n >= 32 {
                a = Self.round(a, Self.load64(p))
                b = Self.round(b, Self.load64(p + 8))
                c = Self.round(c, Self.load64(p + 16))
                d = Self.round(d, Self.load64(p + 24))
                p += 32
                n -= 32
            }
            v1 = a; v2 = b; v3 = c; v4 = d
        }
        if n > 0 {
            withUnsafeMutableBytes(of: &buffer) { b in b.baseAddress!.copyMemory(from: p, byteCount: n) }
            bufferCount = n
        }
    }

    public func digest() -> UInt64 {
        var h: UInt64
        if totalLength >= 32 {
            h = Self.rotl(v1, 1) &+ Self.rotl(v2, 7) &+ Self.rotl(v3, 12) &+ Self.rotl(v4, 18)
            h = Self.mergeRound(h, v1)
            h = Self.mergeRound(h, v2)
            h = Self.mergeRound(h, v3)
            h = Self.mergeRound(h, v4)
        } else {
            h = seed &+ Self.prime5
        }
        h &+= totalLength
        var rest = buffer
        let count = bufferCount
        withUnsafeBytes(of: &rest) { raw in
            var p = raw.baseAddress!
            var n = count
            while n >= 8 {
                h ^= Self.round(0, Self.load64(p))
                h = Self.rotl(h, 27) &* Self.prime1 &+ Self.prime4
                p += 8
                n -= 8
            }
            if n >= 4 {
                h ^= UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))) &* Self.prime1
                h = Self.rotl(h, 23) &* Self.prime2 &+ Self.prime3
                p += 4
                n -= 4
            }
            while n > 0 {
                h ^= UInt64(p.load(as: UInt8.self)) &* Self.prime5
                h = Self.rotl(h, 11) &* Self.prime1
                p += 1
                n -= 1
            }
        }
        h ^= h >> 33
        h &*= Self.prime2
        h ^= h >> 29
        h &*= Self.prime3
        h ^= h >> 32
        return h
    }
}
