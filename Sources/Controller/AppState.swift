import Foundation
import Posts

/// Which pane the keys go to.
public enum Focus: String, Hashable, Sendable {
    case list
    case reading
}

/// A one-line message in the status bar.
public struct StatusMessage: Hashable, Sendable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Everything the reader shows, as a value. Only `reduce` changes it.
public struct AppState: Hashable, Sendable {
    /// The archive's (or archives') name, for the title line.
    public var title: String
    /// All posts, in archive order. Index positions are what the list shows.
    public let posts: [Post]
    /// Read marks by post id, with the time each was made. Absent means unread.
    public private(set) var readMarks: [PostID: Date]
    /// How many posts (list entries) are unread; kept up to date as marks change.
    public private(set) var unreadCount: Int

    /// Index of the selected post in `posts`.
    public internal(set) var selection: Int
    /// Index of the first visible row of the list.
    public internal(set) var listTop: Int
    public internal(set) var focus: Focus
    /// First visible line of the selected article in the reading pane.
    public internal(set) var readingTop: Int
    public internal(set) var viewport: Viewport
    public internal(set) var showingHelp: Bool
    public internal(set) var status: StatusMessage?
    /// Set when marks cannot be saved (store read-only or unavailable); shown in the status bar.
    public var readOnlyReason: String?

    /// How many entries share each id (the same post in two files is one post, read once for both).
    let occurrences: [PostID: Int]

    public init(title: String, posts: [Post], readMarks: [PostID: Date] = [:], selection: Int = 0) {
        self.title = title
        self.posts = posts
        self.readMarks = readMarks
        var occurrences: [PostID: Int] = [:]
        occurrences.reserveCapacity(posts.count)
        var unread = 0
        for post in posts {
            occurrences[post.id, default: 0] += 1
            if readMarks[post.id] == nil { unread += 1 }
        }
        self.occurrences = occurrences
        self.unreadCount = unread
        self.selection = posts.isEmpty ? 0 : min(max(0, selection), posts.count - 1)
        self.listTop = 0
        self.focus = .list
        self.readingTop = 0
        self.viewport = Viewport(listRows: 1, readingRows: 1, article: nil)
        self.showingHelp = false
        self.status = nil
        self.readOnlyReason = nil
    }

    /// The selected post, if there is any post at all.
    public var selectedPost: Post? { posts.isEmpty ? nil : posts[selection] }

    public func isRead(_ post: Post) -> Bool { readMarks[post.id] != nil }

    /// Records marks that the store has committed.
    mutating func apply(ids: [PostID], read: Bool, at date: Date) {
        for id in Set(ids) {
            let wasRead = readMarks[id] != nil
            let count = occurrences[id] ?? 0
            if read {
                if !wasRead { unreadCount -= count }
                readMarks[id] = date
            } else if wasRead {
                unreadCount += count
                readMarks[id] = nil
            }
        }
    }

    /// Replaces the read marks wholesale (another instance changed the store).
    public mutating func reloadMarks(_ marks: [PostID: Date]) {
        readMarks = marks
        unreadCount = posts.reduce(0) { $0 + (marks[$1.id] == nil ? 1 : 0) }
    }
}
