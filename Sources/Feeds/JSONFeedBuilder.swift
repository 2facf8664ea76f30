import Article

/// Builds a JSON Feed's `FeedInfo` and `FeedItem`s from the events of `JSONParser`, keeping only the values it
/// uses and each of them only up to its limit (a hostile file cannot make one item big).
struct JSONFeedBuilder: JSONEventHandler {
    /// Titles, descriptions, ids and URLs.
    static let textLimit = 64 << 10
    /// Bodies (`content_html`, `content_text`, `summary`).
    static let contentLimit = 16 << 20
    /// Names, tags, languages and MIME types.
    static let nameLimit = 4 << 10
    /// Tags, authors and attachments kept per item (and authors per feed).
    static let listLimit = 1000
    /// Diagnostics kept; more are counted in the last one.
    static let diagnosticLimit = 100

    /// What the `version` key said.
    enum Version: Equatable {
        case unknown
        case known
        /// Not a jsonfeed.org version: what it was instead.
        case invalid(String)
    }

    /// The containers the builder is inside of (containers of no interest are only counted, in `ignoredDepth`).
    private enum Frame: Equatable {
        case root, items, item, tags, attachments, attachment
        /// An `authors` array, of the feed or of an item.
        case people(feed: Bool)
        /// An author object: 1.0's `author` (`single`) or an element of `authors`.
        case person(feed: Bool, single: Bool)
    }

    let documentURL: String?
    private(set) var info = FeedInfo(format: .jsonFeed11)
    private(set) var version = Version.unknown
    /// The top level was something other than an object.
    private(set) var topLevelIsNotAnObject = false
    /// Items completed and not yet taken.
    var items: [FeedItem] = []
    private(set) var diagnostics: [FeedDiagnostic] = []
    private var droppedDiagnostics = 0

    private var frames: [Frame] = []
    private var ignoredDepth = 0
    private var key = JSONFeedKey.none

    private var feedAuthors: [String] = []
    private var feedAuthor10: [String] = []
    private var icon: String?
    private var favicon: String?

    private var item = FeedItem()
    /// 0 none, 1 `summary`, 2 `content_text`, 3 `content_html`: the best body seen in the item so far.
    private var contentRank = 0
    private var itemAuthors: [String] = []
    private var itemAuthor10: [String] = []
    private var externalURL: String?
    private var image: String?
    private var bannerImage: String?
    private var personName: String?
    private var personURL: String?
    private var enclosureURL: String?
    private var enclosureType: String?
    private var enclosureLength: Int64?

    init(documentURL: String?) { self.documentURL = documentURL }

    /// What relative URLs are resolved against: the feed's `feed_url` once known, else where the file came from.
    var base: String? { info.selfLink ?? documentURL }

    // MARK: - Events

    mutating func beginObject(line: Int) {
        guard ignoredDepth == 0 else { return ignoredDepth += 1 }
        guard let frame = frames.last else {
            frames.append(.root)
            return
        }
        switch (frame, key) {
        case (.root, .author): startPerson(feed: true, single: true)
        case (.item, .author): startPerson(feed: false, single: true)
        case (.people(let feed), _): startPerson(feed: feed, single: false)
        case (.items, _): startItem(line: line)
        case (.attachments, _):
            (enclosureURL, enclosureType, enclosureLength) = (nil, nil, nil)
            frames.append(.attachment)
        default: ignoredDepth = 1
        }
        key = .none
    }

    mutating func endObject() {
        guard ignoredDepth == 0 else { return ignoredDepth -= 1 }
        switch frames.removeLast() {
        case .item: finishItem()
        case .attachment:
            if let url = enclosureURL, item.enclosures.count < Self.listLimit {
                item.enclosures.append(Enclosure(url: resolve(url), type: enclosureType, length: enclosureLength))
            }
        case .person(let feed, let single):
            guard let name = personName ?? personURL else { break }
            switch (feed, single) {
            case (true, true): if feedAuthor10.count < Self.listLimit { feedAuthor10.append(name) }
            case (true, false): if feedAuthors.count < Self.listLimit { feedAuthors.append(name) }
            case (false, true): if itemAuthor10.count < Self.listLimit { itemAuthor10.append(name) }
            case (false, false): if itemAuthors.count < Self.listLimit { itemAuthors.append(name) }
            }
            if feed { info.authors = feedAuthors.isEmpty ? feedAuthor10 : feedAuthors }
        default: break
        }
    }

    mutating func beginArray() {
        guard ignoredDepth == 0 else { return ignoredDepth += 1 }
        switch (frames.last, key) {
        case (nil, _):
            topLevelIsNotAnObject = true
            ignoredDepth = 1
        case (.root?, .items): frames.append(.items)
        case (.root?, .authors): frames.append(.people(feed: true))
        case (.item?, .authors): frames.append(.people(feed: false))
        case (.item?, .tags): frames.append(.tags)
        case (.item?, .attachments): frames.append(.attachments)
        default: ignoredDepth = 1
        }
        key = .none
    }

    mutating func endArray() {
        guard ignoredDepth == 0 else { return ignoredDepth -= 1 }
        frames.removeLast()
    }

    mutating func key(_ bytes: UnsafeBufferPointer<UInt8>, truncated: Bool) {
        guard ignoredDepth == 0 else { return }
        key = JSONFeedKey(bytes, truncated: truncated)
    }

    mutating func stringLimit() -> Int {
        guard ignoredDepth == 0 else { return 0 }
        guard let frame = frames.last else {
            topLevelIsNotAnObject = true
            return 0
        }
        switch frame {
        case .root:
            switch key {
            case .version, .title, .homePageURL, .feedURL, .description, .icon, .favicon, .nextURL: return Self.textLimit
            case .language: return Self.nameLimit
            default: return 0
            }
        case .item:
            switch key {
            case .id, .url, .externalURL, .title, .image, .bannerImage: return Self.textLimit
            case .datePublished, .dateModified, .language: return Self.nameLimit
            case .contentHTML: return Self.contentLimit
            case .contentText: return contentRank < 3 ? Self.contentLimit : 0
            case .summary: return contentRank < 2 ? Self.contentLimit : 0
            default: return 0
            }
        case .tags: return item.categories.count < Self.listLimit ? Self.nameLimit : 0
        case .person:
            switch key {
            case .name: return Self.nameLimit
            case .url: return Self.textLimit
            default: return 0
            }
        case .attachment:
            switch key {
            case .url: return Self.textLimit
            case .mimeType: return Self.nameLimit
            default: return 0
            }
        case .items, .attachments, .people: return 0
        }
    }

    mutating func string(_ value: String, truncated: Bool, line: Int) {
        guard let frame = frames.last else { return }
        if truncated {
            let what = frame == .tags ? "tag" : Self.name(of: key)
            note(line: line, "\(what) longer than \(Self.describe(limit: stringLimit())), cut short")
        }
        switch frame {
        case .root:
            switch key {
            case .version: readVersion(value)
            case .title: info.title = JSONFeedText.collapsingWhitespace(value)
            case .homePageURL: info.siteLink = JSONFeedText.url(value).map(resolve)
            case .feedURL: info.selfLink = JSONFeedText.url(value).map { Article.resolveURL($0, against: documentURL) }
            case .description: info.description = value
            case .icon: icon = JSONFeedText.url(value).map(resolve)
            case .favicon: favicon = JSONFeedText.url(value).map(resolve)
            case .language: info.language = value
            case .nextURL:
                // The next page (for backfill), resolved against where this page came from: a page's `feed_url`
                // names the feed's first page, not this one.
                info.links.removeAll { $0.rel == "next" }
                if let url = JSONFeedText.url(value) {
                    info.links.append(FeedLink(rel: "next", href: Article.resolveURL(url, against: documentURL ?? base)))
                }
            default: break
            }
            info.icon = icon ?? favicon
        case .item:
            switch key {
            case .id: item.guid = value
            case .url: item.link = JSONFeedText.url(value)
            case .externalURL: externalURL = JSONFeedText.url(value)
            case .title: item.title = JSONFeedText.collapsingWhitespace(value)
            case .image: image = JSONFeedText.url(value)
            case .bannerImage: bannerImage = JSONFeedText.url(value)
            case .datePublished: item.published = FeedDate.parse(value)
            case .dateModified: item.updated = FeedDate.parse(value)
            case .language: item.language = value
            case .contentHTML: setContent(value, rank: 3, type: .html)
            case .contentText: setContent(value, rank: 2, type: .text)
            case .summary: setContent(value, rank: 1, type: .text)
            default: break
            }
        case .tags:
            item.categories.append(value)
        case .person:
            if key == .name { personName = value } else if key == .url { personURL = value }
        case .attachment:
            if key == .url { enclosureURL = JSONFeedText.url(value) } else if key == .mimeType { enclosureType = value }
        case .items, .attachments, .people:
            break
        }
    }

    mutating func number(_ text: String) {
        if frames.isEmpty { topLevelIsNotAnObject = true }
        guard ignoredDepth == 0, let frame = frames.last else { return }
        switch (frame, key) {
        case (.root, .version): version = .invalid(text)
        case (.item, .id): item.guid = text
        case (.attachment, .sizeInBytes): enclosureLength = JSONFeedText.byteCount(text)
        case (.attachment, .durationInSeconds): if item.duration == nil { item.duration = text }
        default: break
        }
    }

    mutating func literal(_ value: JSONLiteral) {
        if frames.isEmpty { topLevelIsNotAnObject = true }
        guard ignoredDepth == 0, let frame = frames.last else { return }
        switch (frame, key) {
        case (.root, .version): version = .invalid("\(value)")
        case (.item, .id) where value != .null: item.guid = "\(value)"
        default: break
        }
    }

    /// Records a problem (the first `diagnosticLimit`; the rest are counted).
    mutating func note(line: Int, _ message: String) {
        if diagnostics.count < Self.diagnosticLimit {
            diagnostics.append(FeedDiagnostic(line: line, message: message))
        } else {
            droppedDiagnostics += 1
        }
    }

    /// The diagnostics, with a last one counting those left out.
    var allDiagnostics: [FeedDiagnostic] {
        guard droppedDiagnostics > 0 else { return diagnostics }
        return diagnostics + [FeedDiagnostic(line: diagnostics.last?.line ?? 0,
                                             message: "\(droppedDiagnostics) more problems not listed")]
    }

    // MARK: - Pieces

    private mutating func readVersion(_ value: String) {
        let text = JSONFeedText.trimmed(value)
        for prefix in ["https://jsonfeed.org/version/", "http://jsonfeed.org/version/"] where text.hasPrefix(prefix) {
            let number = text.dropFirst(prefix.count)
            version = .known
            if number == "1" || number == "1/" {
                info.format = .jsonFeed10
            } else {
                info.format = .jsonFeed11
                if number != "1.1" && number != "1.1/" {
                    note(line: 1, "unknown JSON Feed version \(text), read as 1.1")
                }
            }
            return
        }
        version = .invalid("\"\(text.prefix(100))\"")
    }

    private mutating func startPerson(feed: Bool, single: Bool) {
        (personName, personURL) = (nil, nil)
        frames.append(.person(feed: feed, single: single))
    }

    private mutating func startItem(line: Int) {
        item = FeedItem(line: line)
        contentRank = 0
        itemAuthors.removeAll()
        itemAuthor10.removeAll()
        (externalURL, image, bannerImage) = (nil, nil, nil)
        frames.append(.item)
    }

    private mutating func setContent(_ value: String, rank: Int, type: ContentType) {
        guard rank >= contentRank else { return }
        contentRank = rank
        item.content = value
        item.contentType = type
    }

    private mutating func finishItem() {
        if let link = item.link ?? externalURL { item.link = resolve(link) }
        if let picture = image ?? bannerImage { item.thumbnail = resolve(picture) }
        item.authors = !itemAuthors.isEmpty ? itemAuthors : !itemAuthor10.isEmpty ? itemAuthor10 : info.authors
        if item.language == nil { item.language = info.language }
        item.contentBase = base
        items.append(item)
        item = FeedItem()
    }

    private func resolve(_ url: String) -> String { Article.resolveURL(url, against: base) }

    private static func name(of key: JSONFeedKey) -> String {
        switch key {
        case .title: "title"
        case .description: "description"
        case .contentHTML: "content_html"
        case .contentText: "content_text"
        case .summary: "summary"
        case .name: "name"
        case .id: "id"
        default: "value"
        }
    }

    private static func describe(limit: Int) -> String {
        limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit >> 10) KB"
    }
}
