import Feeds

/// The feed readers (`XMLFeedReader`, `JSONFeedReader`: a `{` first makes a JSON Feed) on arbitrary bytes.
///
/// Invariants: no crash and no hang (libxml2 and the JSON parser stop entity loops and deep nesting); reading a
/// byte at a time gives the same items and feed as reading everything at once (the incremental path is the
/// reader's path); bytes read never exceed the input; every item's line is in the file; fields keep their caps
/// (titles 64 KB), so a hostile file keeps memory bounded.
public enum FeedFuzz: FuzzTarget {
    public static let name = "feed"

    public static func check(_ input: [UInt8]) -> [String] {
        let whole = read(input, step: .max)
        let pieces = read(input, step: 1)
        var problems: [String] = []
        switch (whole, pieces) {
        case (.failure(let a), .failure(let b)):
            if a.message.isEmpty { problems.append("an error without a message") }
            if a != b { problems.append("errors differ read whole and in pieces: \(debugQuoted(a.message)) vs \(debugQuoted(b.message))") }
        case (.success(let a), .success(let b)):
            if a.items != b.items { problems.append("items differ read whole (\(a.items.count)) and in pieces (\(b.items.count))") }
            if a.info != b.info { problems.append("the feed's own fields differ read whole and in pieces") }
            let lines = input.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            for (index, item) in a.items.enumerated() {
                if item.title.utf8.count > 64 << 10 + 4 { problems.append("item \(index): a title of \(item.title.utf8.count) bytes") }
                if item.line < 0 || item.line > lines + 1 { problems.append("item \(index): line \(item.line) of \(lines)") }
            }
            if a.bytesRead > input.count { problems.append("read \(a.bytesRead) bytes of \(input.count)") }
        case (.success, .failure(let e)), (.failure(let e), .success):
            problems.append("read whole and in pieces disagree on failing: \(debugQuoted(e.message))")
        }
        return problems
    }

    private struct Outcome {
        var info: FeedInfo
        var items: [FeedItem]
        var bytesRead: Int
    }

    private static func read(_ input: [UInt8], step: Int) -> Result<Outcome, FeedError> {
        do {
            let isJSON = input.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "{")
            let source = FeedInput(bytes: input)
            let reader: FeedReader = isJSON ? try JSONFeedReader(input: source) : try XMLFeedReader(input: source)
            var items: [FeedItem] = []
            var rounds = 0
            while !reader.isFinished {
                items += try reader.read(maxBytes: step)
                rounds += 1
                if rounds > input.count + 16 { return .failure(FeedError("the reader does not finish")) }
            }
            return .success(Outcome(info: reader.info, items: items, bytesRead: reader.bytesRead))
        } catch let error as FeedError {
            return .failure(error)
        } catch {
            return .failure(FeedError("\(error)"))
        }
    }
}
