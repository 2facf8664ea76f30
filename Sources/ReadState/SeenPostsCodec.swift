import Posts

/// The blob format of the seen-posts set: ids sorted ascending, each as 8 little-endian bytes.
enum SeenPostsCodec {
    static func encode(_ ids: Set<PostID>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 8)
        for id in ids.map(\.rawValue).sorted() {
            withUnsafeBytes(of: id.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Decodes whole 8-byte ids; a trailing partial id (a damaged blob) is ignored.
    static func decode(_ bytes: [UInt8]) -> Set<PostID> {
        var ids = Set<PostID>(minimumCapacity: bytes.count / 8)
        var offset = 0
        while offset + 8 <= bytes.count {
            var value: UInt64 = 0
            for i in 0..<8 { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            ids.insert(PostID(rawValue: value))
            offset += 8
        }
        return ids
    }
}
