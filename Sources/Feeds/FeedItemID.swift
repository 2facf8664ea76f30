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
    // Straight from each string's UTF-8 (the generic `update` would copy every piece into an array).
    func add(_ text: String) {
        var text = text
        text.withUTF8 { hash.update(UnsafeRawBufferPointer($0)) }
    }
    func separator() {
        withUnsafeBytes(of: UInt8(0xFF)) { hash.update($0) }
    }
    let identity = [feed.selfLink, feed.id, feed.siteLink, feed.title].lazy.compactMap { $0.map(FeedText.trim) }
        .first(where: { !$0.isEmpty }) ?? ""
    add(identity)
    separator()
    if let guid = item.guid.map(FeedText.trim), !guid.isEmpty {
        add("g")
        separator()
        add(guid)
    } else if let link = item.link.map(FeedText.trim), !link.isEmpty {
        add("l")
        separator()
        add(link)
    } else {
        add("t")
        separator()
        add(FeedText.trim(item.title))
        separator()
        if let date = item.published ?? item.updated { add(String(date.secondsSince1970)) }
        separator()
        add(FeedText.trim(item.content))
    }
    return PostID(rawValue: hash.digest())
}
