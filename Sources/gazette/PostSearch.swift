import Foundation
import Posts

/// Finds posts whose title or body contains a query, ignoring case and diacritics.
enum PostSearch {
    static func matches(of query: String, in posts: [Post], bodies: PostBodies, among candidates: [Int]?) -> [Int] {
        let needle = fold(query)
        guard !needle.isEmpty else { return candidates ?? Array(posts.indices) }
        let indices = candidates ?? Array(posts.indices)
        return indices.filter { index in
            let post = posts[index]
            if fold(post.title).contains(needle) { return true }
            return fold(bodies.bodyText(of: post)).contains(needle)
        }
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
