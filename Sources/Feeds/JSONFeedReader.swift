/// Reads a JSON Feed 1.0 or 1.1 file (https://jsonfeed.org/version/1.1) a piece at a time, with memory bounded by
/// one chunk, one item's values (each cut to `JSONFeedBuilder`'s limits) and the items not yet returned, however
/// big the file.
///
/// Top-level keys may come in any order: `info` is complete for the keys before `items` once the first items are
/// returned, and the keys after `items` fill it in as they are read (items already returned were resolved against
/// what was known then: `feed_url`, the feed's authors and language). Items are held back until `version` was
/// read, since only it says the file is a JSON Feed (it comes first in every feed seen in practice).
///
/// A file that is not JSON, not an object, or has no jsonfeed.org `version` throws `FeedError`; broken JSON after
/// the version gives the items completed before the error and a diagnostic with its line.
public final class JSONFeedReader: FeedReader {
    /// Bytes per read.
    static let defaultChunkSize = 256 << 10

    public var info: FeedInfo { builder.info }
    public private(set) var isFinished = false
    public private(set) var bytesRead = 0
    public var diagnostics: [FeedDiagnostic] { builder.allDiagnostics + (parseError.map { [$0] } ?? []) }

    private let input: FeedInput
    private var parser = JSONParser()
    private var builder: JSONFeedBuilder
    private var parseError: FeedDiagnostic?
    private let buffer: UnsafeMutablePointer<UInt8>
    private let chunkSize: Int
    private var bomBytesSeen = 0
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public convenience init(input: FeedInput) throws {
        self.init(input: input, chunkSize: Self.defaultChunkSize)
    }

    /// A reader that reads `chunkSize` bytes at a time (tests use tiny chunks to cut every token somewhere).
    init(input: FeedInput, chunkSize: Int) {
        self.input = input
        self.builder = JSONFeedBuilder(documentURL: input.documentURL)
        self.chunkSize = max(1, chunkSize)
        self.buffer = .allocate(capacity: self.chunkSize)
    }

    deinit { buffer.deallocate() }

    public func read(maxBytes: Int) throws -> [FeedItem] {
        guard !isFinished else { return [] }
        let stop = bytesRead + min(max(1, maxBytes), Int.max - bytesRead)
        while bytesRead < stop && !isFinished {
            let got = try input.read(at: bytesRead, into: UnsafeMutableRawBufferPointer(start: buffer, count: chunkSize))
            // A UTF-8 byte order mark at the start is skipped (it may come in pieces with tiny chunks).
            var start = 0
            while bomBytesSeen < 3 && start < got && buffer[start] == Self.byteOrderMark[bomBytesSeen] {
                start += 1
                bomBytesSeen += 1
            }
            if start < got { bomBytesSeen = 3 }
            let chunk = UnsafeBufferPointer(start: buffer + start, count: got - start)
            bytesRead += got
            if got == 0 {
                parser.finish(&builder)
                isFinished = true
            } else {
                parser.parse(chunk, &builder)
            }
            try check()
            if parser.error != nil { isFinished = true }
        }
        guard builder.version == .known, !builder.items.isEmpty else { return [] }
        let items = builder.items
        builder.items = []
        return items
    }

    /// Throws when the file has shown it is no JSON Feed; records a JSON error in a feed as a diagnostic.
    private func check() throws {
        if builder.topLevelIsNotAnObject {
            isFinished = true
            throw FeedError("not a JSON Feed: the file is JSON but not an object")
        }
        if case .invalid(let value) = builder.version {
            isFinished = true
            throw FeedError("not a JSON Feed: version is \(value), not https://jsonfeed.org/version/1.1")
        }
        if let error = parser.error, parseError == nil {
            isFinished = true
            guard builder.version == .known else {
                throw FeedError("not a JSON Feed: line \(error.line): \(error.message)")
            }
            parseError = error
        }
        if isFinished && parser.error == nil && builder.version == .unknown {
            throw FeedError("not a JSON Feed: no version (a JSON Feed has \"version\": \"https://jsonfeed.org/version/1.1\")")
        }
    }
}
