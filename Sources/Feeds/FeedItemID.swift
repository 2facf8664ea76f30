import Posts

/// The Gazette id of a feed item. THE RULE (never change it: ids are the keys of people's read state;
/// `FeedItemIDTests` pins golden values):
///
///     id = XXH64(seed 0) of  feed ++ [0xFF] ++ kind ++ [0xFF] ++ key
///
/// - `feed` is the feed's identity: its self link, else its Atom `id`, else its site link, else its title (never
///   the file's path or URL, so that two copies of a file agree), UTF-8, whitespace-trimmed; empty when it has none;
/// - `kind` and `key` are the item's own identity:
///   - `g` and its guid (RSS `guid`, Atom `id`, JSON `id`) when it has a non-blank one;
///   - else `l` and its link;
///   - else `t` and title ++ [0xFF] ++ date ++ [0xFF] ++ content, where date is the published (else updated)
///     moment as decimal seconds since 1970 (empty when there is none);
///   each text UTF-8 and whitespace-trimmed;
/// - XXH64 is xxHash's published 64-bit algorithm (`XXH64.swift`).
///
/// So the same item read twice (two copies of a file, or the feed fetched again) is one post, and items of two
/// feeds with the same guids ("1", "2") are not confused.
public func postID(for item: FeedItem, in feed: FeedInfo) -> PostID {
    var hash = XXH64()
    let identity = [feed.selfLink, feed.id, feed.siteLink, feed.title].lazy.compactMap { $0.map(FeedText.trim) }
        .first(where: { !$0.isEmpty }) ?? ""
    hash.update(Array(identity.utf8))
    hash.update(CollectionOfOne(0xFF))
    if let guid = item.guid.map(FeedText.trim), !guid.isEmpty {
        hash.update(Array("g".utf8))
        hash.update(CollectionOfOne(0xFF))
        hash.update(Array(guid.utf8))
    } else if let link = item.link.map(FeedText.trim), !link.isEmpty {
        hash.update(Array("l".utf8))
        hash.update(CollectionOfOne(0xFF))
        hash.update(Array(link.utf8))
    } else {
        hash.update(Array("t".utf8))
        hash.update(CollectionOfOne(0xFF))
        hash.update(Array(FeedText.trim(item.title).utf8))
        hash.update(CollectionOfOne(0xFF))
        if let date = item.published ?? item.updated { hash.update(Array(String(date.secondsSince1970).utf8)) }
        hash.update(CollectionOfOne(0xFF))
        hash.update(Array(FeedText.trim(item.content).utf8))
    }
    return PostID(rawValue: hash.digest())
}
