/// One bit per post (by index into `AppState.posts`), with searches a word at a time: the next or previous set
/// bit, and all set bits in order.
struct PostBits: Hashable, Sendable {
    private var words: [UInt64] = []
    /// How many bits (posts) there are.
    private(set) var count = 0

    init() {}

    /// `count` bits, those at `indices` set (indices out of range are left out).
    init(count: Int, setting indices: [Int]) {
        self.count = max(0, count)
        words = [UInt64](repeating: 0, count: (self.count + 63) >> 6)
        for index in indices where index >= 0 && index < self.count { self[index] = true }
    }

    mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    subscript(index: Int) -> Bool {
        get { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
        set {
            if newValue {
                words[index >> 6] |= 1 << UInt64(index & 63)
            } else {
                words[index >> 6] &= ~(1 << UInt64(index & 63))
            }
        }
    }

    /// The first set bit at or after `index` (and before `count`).
    func next(from index: Int) -> Int? {
        guard index < count else { return nil }
        var w = max(0, index) >> 6
        var word = words[w] & (~0 << UInt64(max(0, index) & 63))
        while true {
            if word != 0 {
                let found = w << 6 + word.trailingZeroBitCount
                return found < count ? found : nil
            }
            w += 1
            guard w < words.count else { return nil }
            word = words[w]
        }
    }

    /// The last set bit at or before `index` (and at least 0).
    func previous(from index: Int) -> Int? {
        guard index >= 0, count > 0 else { return nil }
        let index = min(index, count - 1)
        var w = index >> 6
        let keep = UInt64(index & 63)
        var word = words[w] & (keep == 63 ? ~0 : (1 << (keep + 1)) - 1)
        while true {
            if word != 0 { return w << 6 + 63 - word.leadingZeroBitCount }
            w -= 1
            guard w >= 0 else { return nil }
            word = words[w]
        }
    }

    /// The indices of the set bits, ascending.
    func indices(reservingCapacity capacity: Int = 0) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(capacity)
        for (w, full) in words.enumerated() {
            var word = full
            while word != 0 {
                result.append(w << 6 + word.trailingZeroBitCount)
                word &= word - 1
            }
        }
        return result
    }
}
