import Glibc

/// The bytes of a feed file, read in chunks from the start: a descriptor (read with `pread`, so that it can be
/// shared; the caller keeps it open while reading and closes it) or bytes in memory (tests, fuzzing).
public struct FeedInput: Sendable {
    private enum Storage: Sendable {
        case descriptor(Int32)
        case memory([UInt8])
    }

    private let storage: Storage
    /// Where the feed came from, for resolving relative links when the feed gives no `xml:base` (a `file://`
    /// URL for a file, the URL it was fetched from).
    public let documentURL: String?

    public init(descriptor: Int32, documentURL: String?) {
        self.storage = .descriptor(descriptor)
        self.documentURL = documentURL
    }

    public init(bytes: [UInt8], documentURL: String? = nil) {
        self.storage = .memory(bytes)
        self.documentURL = documentURL
    }

    /// Copies up to `buffer.count` bytes from `offset` into `buffer`; 0 at the end. Throws `FeedError` with the
    /// system's reason when the file cannot be read.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        switch storage {
        case .memory(let bytes):
            guard offset < bytes.count else { return 0 }
            let n = min(buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { src in base.copyMemory(from: src.baseAddress! + offset, byteCount: n) }
            return n
        case .descriptor(let fd):
            while true {
                let got = pread(fd, base, buffer.count, off_t(offset))
                if got >= 0 { return got }
                if errno == EINTR { continue }
                throw FeedError("cannot read: \(String(cString: strerror(errno)))")
            }
        }
    }
}
