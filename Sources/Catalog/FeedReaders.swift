import Feeds

/// The feed reader for a kind of source.
enum FeedReaders {
    static func make(_ kind: SourceKind, input: FeedInput) throws -> FeedReader {
        switch kind {
        case .jsonFeed: return try JSONFeedReader(input: input)
        default: return try XMLFeedReader(input: input)
        }
    }
}
