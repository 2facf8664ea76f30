/// The compact binary form of records kept by Catalog: lengths and integers as LEB128 varints, strings as UTF-8
/// with their length first, optional values behind a 0/1 byte. Shared by `FeedItemRecord` (private to one run)
/// and `StoredItemCodec` (persisted: see its rules about versions).

/// Appends values to `bytes`.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional(_ s: String?) {
        guard let s else { return byte(0) }
        byte(1)
        string(s)
    }

    mutating func strings(_ list: [String]) {
        varint(UInt64(list.count))
        for s in list { string(s) }
    }

    mutating func optionalInt(_ value: Int64?) {
        guard let value else { return byte(0) }
        byte(1)
        varint(UInt64(bitPattern: value))
    }
}

/// Reads values back from `bytes`; every read returns `nil` (or `.none` for optionals) past the end or for a
/// malformed value, never traps.
struct BinaryReader {
    let bytes: [UInt8]
    var at = 0

    mutating func byte() -> UInt8? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let b = byte() {
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    mutating func string() -> String? {
        guard let n = varint(), n <= UInt64(bytes.count - at) else { return nil }
        defer { at += Int(n) }
        return String(decoding: bytes[at..<(at + Int(n))], as: UTF8.self)
    }

    /// `.some(nil)` for an absent string, `nil` for a broken record.
    mutating func optional() -> String?? {
        switch byte() {
        case 0: return .some(nil)
        case 1: return string().map { .some($0) } ?? nil
        default: return nil
        }
    }

    mutating func strings() -> [String]? {
        guard let n = varint(), n <= UInt64(bytes.count) else { return nil }
        var list: [String] = []
        for _ in 0..<n {
            guard let s = string() else { return nil }
            list.append(s)
        }
        return list
    }

    mutating func optionalInt() -> Int64?? {
        switch byte() {
        case 0: return .some(nil)
        case 1: return varint().map { .some(Int64(bitPattern: $0)) } ?? nil
        default: return nil
        }
    }
}
