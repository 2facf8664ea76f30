import Foundation

/// Tiny Tiny RSS's answers. Its PHP writes ids as numbers or strings depending on the database driver, and
/// booleans as `true`, `1` or `"t"`: the decoding here takes any of them. Fields a sync does not need are not read.

/// `{"seq": 0, "status": 0, "content": ...}`; status 1 carries `{"error": "NOT_LOGGED_IN"}`.
struct TTRSSEnvelope<Content: Decodable>: Decodable {
    enum Answer {
        case ok(Content)
        case error(String)
    }

    let answer: Answer

    private enum Keys: String, CodingKey { case status, content }
    private struct ErrorContent: Decodable { let error: String? }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let status = try container.decode(Loose.self, forKey: .status).int ?? -1
        if status == 0 {
            answer = .ok(try container.decode(Content.self, forKey: .content))
        } else {
            let error = (try? container.decode(ErrorContent.self, forKey: .content))?.error
            answer = .error(error ?? "status \(status)")
        }
    }
}

/// A number, a string, a boolean or null: whatever PHP wrote.
struct Loose: Decodable, Hashable {
    var int: Int64?
    var string: String?
    var bool: Bool?

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() { return }
        if let number = try? value.decode(Int64.self) {
            int = number
            string = String(number)
            bool = number != 0
        } else if let flag = try? value.decode(Bool.self) {
            bool = flag
            int = flag ? 1 : 0
        } else if let number = try? value.decode(Double.self) {
            int = Int64(exactly: number.rounded()) ?? nil
            string = String(number)
        } else if let text = try? value.decode(String.self) {
            string = text
            int = Int64(text.trimmingCharacters(in: .whitespaces))
            switch text {
            case "t", "true", "1": bool = true
            case "f", "false", "0", "": bool = false
            default: bool = nil
            }
        }
    }
}

extension KeyedDecodingContainer {
    /// A field of any type as `Loose`, or nil when missing or of a shape not understood.
    func loose(_ key: Key) -> Loose? { (try? decodeIfPresent(Loose.self, forKey: key)) ?? nil }
    func int(_ key: Key) -> Int64? { loose(key)?.int }
    func string(_ key: Key) -> String? { loose(key)?.string }
    func bool(_ key: Key) -> Bool? { loose(key)?.bool }
}

struct TTRSSLogin: Decodable {
    let sessionID: String
    let apiLevel: Int64?
    private enum Keys: String, CodingKey { case session_id, api_level }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        guard let id = c.string(.session_id), !id.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .session_id, in: c, debugDescription: "no session id")
        }
        sessionID = id
        apiLevel = c.int(.api_level)
    }
}

struct TTRSSLevel: Decodable {
    let level: Int64
    private enum Keys: String, CodingKey { case level }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        guard let level = c.int(.level) else {
            throw DecodingError.dataCorruptedError(forKey: .level, in: c, debugDescription: "no level")
        }
        self.level = level
    }
}

/// `getCategories`: `[{"id": 1, "title": "News", "unread": 3, "order_id": 0}, ...]`.
public struct TTRSSCategory: Decodable, Hashable, Sendable {
    public let id: Int64
    public let title: String
    private enum Keys: String, CodingKey { case id, title }
    public init(id: Int64, title: String) {
        self.id = id
        self.title = title
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        guard let id = c.int(.id) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "no id")
        }
        self.id = id
        title = c.string(.title) ?? ""
    }
}

/// `getFeeds`: `[{"feed_url": "...", "title": "...", "id": 3, "unread": 5, "cat_id": 1, ...}, ...]`.
public struct TTRSSFeed: Decodable, Hashable, Sendable {
    public let id: Int64
    public let title: String
    public let feedURL: String?
    public let categoryID: Int64?
    public let unread: Int64
    private enum Keys: String, CodingKey { case id, title, feed_url, cat_id, unread }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        guard let id = c.int(.id) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "no id")
        }
        self.id = id
        title = c.string(.title) ?? ""
        feedURL = c.string(.feed_url)
        categoryID = c.int(.cat_id)
        unread = c.int(.unread) ?? 0
    }
}

/// One entry of `getCounters`: a feed's has a positive numeric id and no `kind`; categories have `kind: "cat"`,
/// and `global-unread` and `subscribed-feeds` have those strings as ids.
public struct TTRSSCounter: Decodable, Hashable, Sendable {
    public let id: String
    public let kind: String?
    public let counter: Int64
    private enum Keys: String, CodingKey { case id, kind, counter }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        id = c.string(.id) ?? ""
        kind = c.string(.kind)
        counter = c.int(.counter) ?? 0
    }

    /// The feed's id when this is a real feed's counter.
    public var feedID: Int64? {
        guard kind == nil || kind == "", let id = Int64(id), id > 0 else { return nil }
        return id
    }
}

/// `getHeadlines` (with `show_content` and `include_attachments`): one article.
public struct TTRSSHeadline: Decodable, Hashable, Sendable {
    public struct Attachment: Decodable, Hashable, Sendable {
        public let url: String
        public let type: String?
        private enum Keys: String, CodingKey { case content_url, content_type }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            url = c.string(.content_url) ?? ""
            type = c.string(.content_type).flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    public let id: Int64
    public let guid: String?
    public let unread: Bool
    /// Seconds since 1970.
    public let updated: Int64?
    public let title: String
    public let link: String?
    public let feedID: Int64
    public let feedTitle: String?
    public let tags: [String]
    public let author: String?
    public let content: String?
    public let attachments: [Attachment]

    private enum Keys: String, CodingKey {
        case id, guid, unread, updated, title, link, feed_id, feed_title, tags, author, content, attachments
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        guard let id = c.int(.id) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "no id")
        }
        self.id = id
        guid = c.string(.guid)
        unread = c.bool(.unread) ?? false
        updated = c.int(.updated).flatMap { $0 > 0 ? $0 : nil }
        title = c.string(.title) ?? ""
        link = c.string(.link).flatMap { $0.isEmpty ? nil : $0 }
        feedID = c.int(.feed_id) ?? 0
        feedTitle = c.string(.feed_title)
        tags = ((try? c.decodeIfPresent([Loose].self, forKey: .tags)) ?? nil)?.compactMap(\.string)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        author = c.string(.author).flatMap { $0.isEmpty ? nil : $0 }
        content = c.string(.content)
        attachments = ((try? c.decodeIfPresent([Attachment].self, forKey: .attachments)) ?? nil)?.filter { !$0.url.isEmpty } ?? []
    }
}

/// `updateArticle`: `{"status": "OK", "updated": 3}`.
struct TTRSSUpdated: Decodable {
    let updated: Int64?
    private enum Keys: String, CodingKey { case status, updated }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        guard c.string(.status) == "OK" else {
            throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "not OK")
        }
        updated = c.int(.updated)
    }
}

/// Anything: for calls whose answer is not read.
struct TTRSSAnything: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// One JSON request body, encoded by hand (keys and values are the client's own: strings, integers, booleans).
public enum TTRSSRequest {
    public enum Value: Sendable {
        case string(String)
        case int(Int64)
        case bool(Bool)
    }

    static func encode(_ fields: [(String, Value)]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(key, into: &out)
            out.append(UInt8(ascii: ":"))
            switch value {
            case .string(let text): string(text, into: &out)
            case .int(let number): out += Array(String(number).utf8)
            case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func string(_ text: String, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
