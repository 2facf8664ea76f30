import Glibc

/// The object keys of JSON Feed 1.0 and 1.1 the reader uses (any other key is `other`, and its value skipped).
enum JSONFeedKey: UInt8 {
    case none, other
    case version, title, homePageURL, feedURL, description, icon, favicon, author, authors, language, items
    case id, url, externalURL, contentHTML, contentText, summary, image, bannerImage, datePublished, dateModified
    case tags, attachments, name, mimeType, sizeInBytes, durationInSeconds
    case nextURL

    /// The key spelled by `bytes`: chosen by length, then compared byte for byte (this runs for every key of every
    /// item, so it neither builds a string nor tries every name).
    init(_ bytes: UnsafeBufferPointer<UInt8>, truncated: Bool) {
        self = .other
        guard !truncated, let p = bytes.baseAddress else { return }
        func match(_ name: StaticString) -> Bool { memcmp(p, name.utf8Start, bytes.count) == 0 }
        switch bytes.count {
        case 2 where match("id"): self = .id
        case 3 where match("url"): self = .url
        case 4 where match("icon"): self = .icon
        case 4 where match("tags"): self = .tags
        case 4 where match("name"): self = .name
        case 5 where match("title"): self = .title
        case 5 where match("items"): self = .items
        case 5 where match("image"): self = .image
        case 6 where match("author"): self = .author
        case 7 where match("version"): self = .version
        case 7 where match("favicon"): self = .favicon
        case 7 where match("authors"): self = .authors
        case 7 where match("summary"): self = .summary
        case 8 where match("feed_url"): self = .feedURL
        case 8 where match("language"): self = .language
        case 8 where match("next_url"): self = .nextURL
        case 9 where match("mime_type"): self = .mimeType
        case 11 where match("description"): self = .description
        case 11 where match("attachments"): self = .attachments
        case 12 where match("external_url"): self = .externalURL
        case 12 where match("content_html"): self = .contentHTML
        case 12 where match("content_text"): self = .contentText
        case 12 where match("banner_image"): self = .bannerImage
        case 13 where match("home_page_url"): self = .homePageURL
        case 13 where match("date_modified"): self = .dateModified
        case 13 where match("size_in_bytes"): self = .sizeInBytes
        case 14 where match("date_published"): self = .datePublished
        case 19 where match("duration_in_seconds"): self = .durationInSeconds
        default: break
        }
    }
}
