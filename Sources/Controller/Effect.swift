import Posts

/// Work the reducer asks the outside world to do. The run loop performs effects and feeds
/// their results back as actions; the reducer itself never touches a store or a terminal.
public enum Effect: Hashable, Sendable {
    /// Commit these posts' read state to the store, then report `readStateSaved` or `readStateFailed`.
    case persistRead(ids: [PostID], read: Bool)
    /// Leave the reader.
    case quit
}
