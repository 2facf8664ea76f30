/// What a source file holds, told by its first bytes (never by its name).
public enum SourceKind: Hashable, Sendable {
    case textArchive
    case xmlFeed
    case jsonFeed
}
