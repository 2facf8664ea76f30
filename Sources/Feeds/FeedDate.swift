/// Dates as feeds write them.
public enum FeedDate {
    /// The moment `text` names, or `nil` when it is not a date.
    public static func parse(_ text: String) -> FeedTimestamp? {
        // Placeholder until the date parser lands.
        nil
    }
}
