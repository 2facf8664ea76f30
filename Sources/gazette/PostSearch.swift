import Foundation
import Posts

/// Finds posts whose title or body contains a query, ignoring case and diacritics.
enum PostSearch {
    /// The indices (into `posts`) that match, in order; `nil` when `stillWanted` said stop first.
    /// `stillWanted` is asked every `every` posts, so a search for an older query ends quickly.
    static func matches(of query: String, in posts: [Post], bodies: PostBodies, among candidates: [Int]?,
                        every: Int = .max, stillWanted: () -> Bool = { true }) -> [Int]? {
        let needle = fold(query)
        let indices = candidates ?? Array(posts.indices)
        guard !needle.isEmpty else { return indices }
        var found: [Int] = []
        for (n, index) in indices.enumerated() {
            if n % max(1, every) == 0, n > 0, !stillWanted() { return nil }
            let post = posts[index]
            if fold(post.title).contains(needle) || fold(bodies.bodyText(of: post)).contains(needle) {
                found.append(index)
            }
        }
        return found
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
