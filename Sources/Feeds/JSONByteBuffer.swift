/// A growable run of bytes owned by one parser: appends are a copy and a count (no copy-on-write checks, no
/// reference counting), which is most of the cost of building strings at hundreds of megabytes a second.
struct JSONByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The last byte, or nil when empty.
    var last: UInt8? { count > 0 ? base[count - 1] : nil }

    /// Makes room for at least `minimum` bytes in all.
    mutating func reserve(_ minimum: Int) {
        guard minimum > capacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: minimum)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = minimum
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { reserve(2 * capacity) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        if count + n > capacity { reserve(max(2 * capacity, count + n)) }
        (base + count).update(from: bytes, count: n)
        count += n
    }

    mutating func removeLast() { count -= 1 }

    /// Empties the buffer; gives back its memory when it grew past `keeping` bytes.
    mutating func removeAll(keeping: Int) {
        count = 0
        if capacity > keeping {
            base.deallocate()
            capacity = 256
            base = .allocate(capacity: capacity)
        }
    }

    /// The bytes as a string (invalid UTF-8 as U+FFFD).
    func string() -> String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: base, count: count))
    }
}
