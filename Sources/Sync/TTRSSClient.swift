import Fetching
import Foundation

/// Tiny Tiny RSS's JSON API (`api/`), over Fetching's engine: POSTs of JSON, TLS verified, no redirect followed
/// (a redirect to another host, from https to http, or even to https on the same host is refused with what to
/// change in the configuration: a password is never sent where the configuration did not say). The session id
/// is kept in memory only; a `NOT_LOGGED_IN` (the session expired) logs in again once and retries. Calls given
/// together run at once (at most `FetchOptions.maxPerHost`, two by default). Not thread-safe except `cancel()`.
public final class TTRSSClient: @unchecked Sendable {
    public let account: TTRSSAccount
    private let options: FetchOptions
    private var fetcher: Fetcher?
    private var session: String?
    private let cancelled = CancelFlag()
    /// The API level the login reported.
    public private(set) var apiLevel: Int64?
    /// Requests made (for figures).
    public private(set) var requestCount = 0

    public init(account: TTRSSAccount, options: FetchOptions = TTRSSClient.defaultOptions) {
        self.account = account
        self.options = options
    }

    /// Two requests at a time (the server's PHP workers are few), 120 s a request (a page of 200 articles with
    /// content takes about a second; a slow server ten times that).
    public static var defaultOptions: FetchOptions {
        var options = FetchOptions()
        options.maxTransfers = 2
        options.maxPerHost = 2
        options.totalTimeout = 120
        options.userAgent = "Gazette (Tiny Tiny RSS sync)"
        return options
    }

    /// The server's name in messages (its host).
    public var serverName: String { URLResolution.host(of: account.url) ?? account.url }

    public func cancel() {
        cancelled.set()
        fetcher?.cancel()
    }

    // MARK: Calls

    /// Logs in (again): the password is asked from its source each time, never kept.
    public func login() throws(SyncError) {
        let password = try account.password.password()
        let answer: TTRSSLogin = try single("login", [("user", .string(account.login)), ("password", .string(password))],
                                            authenticated: false)
        session = answer.sessionID
        apiLevel = answer.apiLevel
    }

    public func getApiLevel() throws(SyncError) -> Int64 {
        let answer: TTRSSLevel = try call("getApiLevel", [])
        return answer.level
    }

    public func getCategories() throws(SyncError) -> [TTRSSCategory] {
        try call("getCategories", [("include_empty", .bool(true))])
    }

    /// Every real feed (`cat_id` -3: all feeds without the virtual ones).
    public func getFeeds() throws(SyncError) -> [TTRSSFeed] {
        try call("getFeeds", [("cat_id", .int(-3)), ("include_nested", .bool(true))])
    }

    public func getCounters() throws(SyncError) -> [TTRSSCounter] {
        try call("getCounters", [("output_mode", .string("f"))])
    }

    /// One page of headlines.
    public struct HeadlinesQuery: Hashable, Sendable {
        /// -4: every article.
        public var feedID: Int64 = -4
        public var sinceID: Int64 = 0
        public var skip = 0
        /// At most 200 (the server's own limit).
        public var limit = 200
        public var unreadOnly = false
        public var withContent = true

        public init(feedID: Int64 = -4, sinceID: Int64 = 0, skip: Int = 0, limit: Int = 200, unreadOnly: Bool = false,
                    withContent: Bool = true) {
            self.feedID = feedID
            self.sinceID = sinceID
            self.skip = skip
            self.limit = limit
            self.unreadOnly = unreadOnly
            self.withContent = withContent
        }

        var fields: [(String, TTRSSRequest.Value)] {
            var fields: [(String, TTRSSRequest.Value)] = [
                ("feed_id", .int(feedID)), ("limit", .int(Int64(min(200, max(1, limit))))), ("skip", .int(Int64(skip))),
                ("view_mode", .string(unreadOnly ? "unread" : "all_articles")), ("show_content", .bool(withContent)),
                ("include_attachments", .bool(withContent)), ("is_cat", .bool(false)),
            ]
            if sinceID > 0 { fields.append(("since_id", .int(sinceID))) }
            return fields
        }
    }

    public func getHeadlines(_ query: HeadlinesQuery) throws(SyncError) -> [TTRSSHeadline] {
        try call("getHeadlines", query.fields)
    }

    /// Several pages at once (two at a time), in the order given.
    public func getHeadlines(_ queries: [HeadlinesQuery]) throws(SyncError) -> [[TTRSSHeadline]] {
        try callAll(queries.map { ("getHeadlines", $0.fields) })
    }

    /// Marks articles read (`unread` false) or unread: `updateArticle` with field 2, up to `batch` ids a request,
    /// the requests two at a time. Returns when the server said OK to every one.
    public func setUnread(_ articles: [Int64], unread: Bool, batch: Int = 2000) throws(SyncError) {
        guard !articles.isEmpty else { return }
        var calls: [(String, [(String, TTRSSRequest.Value)])] = []
        var start = 0
        while start < articles.count {
            let chunk = articles[start..<min(articles.count, start + max(1, batch))]
            start += chunk.count
            calls.append(("updateArticle", [("article_ids", .string(chunk.map(String.init).joined(separator: ","))),
                                            ("mode", .int(unread ? 1 : 0)), ("field", .int(2))]))
        }
        let _: [TTRSSUpdated] = try callAll(calls)
    }

    // MARK: Plumbing

    public func call<T: Decodable>(_ op: String, _ fields: [(String, TTRSSRequest.Value)]) throws(SyncError) -> T {
        try callAll([(op, fields)])[0]
    }

    /// Calls at once; a `NOT_LOGGED_IN` answer (or no session yet) logs in and retries those calls once.
    public func callAll<T: Decodable>(_ calls: [(String, [(String, TTRSSRequest.Value)])]) throws(SyncError) -> [T] {
        if session == nil { try login() }
        var results = [T?](repeating: nil, count: calls.count)
        var pending = Array(calls.indices)
        for attempt in 0..<2 {
            let outcomes: [Outcome<T>] = try run(pending.map { calls[$0] }, authenticated: true)
            var expired: [Int] = []
            for (slot, outcome) in zip(pending, outcomes) {
                switch outcome {
                case .value(let value): results[slot] = value
                case .notLoggedIn: expired.append(slot)
                }
            }
            if expired.isEmpty { break }
            if attempt == 1 {
                throw .refused("\(serverName) ended the session again right after a new login of \(account.login)")
            }
            session = nil
            try login()
            pending = expired
        }
        return results.map { $0! }
    }

    private enum Outcome<T> {
        case value(T)
        case notLoggedIn
    }

    private func single<T: Decodable>(_ op: String, _ fields: [(String, TTRSSRequest.Value)],
                                      authenticated: Bool) throws(SyncError) -> T {
        let outcomes: [Outcome<T>] = try run([(op, fields)], authenticated: authenticated)
        guard case .value(let value) = outcomes[0] else {
            throw .refused("\(serverName) refused the login of \(account.login) (NOT_LOGGED_IN)")
        }
        return value
    }

    private func run<T: Decodable>(_ calls: [(String, [(String, TTRSSRequest.Value)])],
                                   authenticated: Bool) throws(SyncError) -> [Outcome<T>] {
        if cancelled.isSet { throw .cancelled }
        let fetcher = try engine()
        let requests = calls.enumerated().map { index, call in
            var fields: [(String, TTRSSRequest.Value)] = [("op", .string(call.0))]
            if authenticated, let session { fields.append(("sid", .string(session))) }
            fields += call.1
            return FetchRequest.post(url: account.apiURL, json: TTRSSRequest.encode(fields), tag: index)
        }
        var responses = [FetchResponse?](repeating: nil, count: requests.count)
        fetcher.run(requests) { responses[$0.request.tag] = $0 }
        requestCount += requests.count
        var outcomes: [Outcome<T>] = []
        for (index, response) in responses.enumerated() {
            guard let response else { throw .cancelled }
            outcomes.append(try outcome(response, op: calls[index].0))
        }
        return outcomes
    }

    private func engine() throws(SyncError) -> Fetcher {
        if let fetcher { return fetcher }
        do {
            let made = try Fetcher(options: options)
            fetcher = made
            return made
        } catch {
            throw .configuration("cannot sync: \(error)")
        }
    }

    private func outcome<T: Decodable>(_ response: FetchResponse, op: String) throws(SyncError) -> Outcome<T> {
        if let error = response.error { throw describe(error) }
        let server = serverName
        switch response.status {
        case 200: break
        case 401, 403:
            throw .refused("\(server) answered HTTP \(response.status) to the API: check ttrss-url (a web server's password is not supported)")
        case 404:
            throw .configuration("\(server) has no API at \(account.apiURL) (HTTP 404): check ttrss-url")
        case 500...599:
            throw .unreachable("\(server) answered HTTP \(response.status) (a server error: try again later)")
        default:
            throw .protocolError("\(server) answered HTTP \(response.status) to \(op)")
        }
        let body = response.body
        guard let first = body.first(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) else {
            throw .protocolError("\(server) answered \(op) with an empty page instead of the API's JSON")
        }
        if first == UInt8(ascii: "<") {
            throw .protocolError("\(server) answered \(op) with an HTML page instead of the API's JSON: is ttrss-url the address of Tiny Tiny RSS?")
        }
        let envelope: TTRSSEnvelope<T>
        do {
            envelope = try JSONDecoder().decode(TTRSSEnvelope<T>.self, from: Data(body))
        } catch {
            throw .protocolError("\(server) answered \(op) with something that is not the API's JSON")
        }
        switch envelope.answer {
        case .ok(let value):
            return .value(value)
        case .error("NOT_LOGGED_IN"):
            if op == "login" { throw .refused("the server refused login \(account.login): check ttrss-login and the password") }
            return .notLoggedIn
        case .error("LOGIN_ERROR"):
            throw .refused("the server refused login \(account.login): check ttrss-login and the password")
        case .error("API_DISABLED"):
            throw .refused("the API is disabled for \(account.login): enable it in tt-rss's Preferences (Enable API)")
        case .error(let code):
            let shown = String(code.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(60))
            throw .protocolError("\(server) refused \(op): \(shown)")
        }
    }

    private func describe(_ error: FetchError) -> SyncError {
        let server = serverName
        switch error {
        case .cancelled:
            return .cancelled
        case .unavailable:
            return .configuration("cannot sync: \(error)")
        case .badURL:
            return .configuration("ttrss-url \(account.url) cannot be used: \(error)")
        case let .redirectRefused(status, location):
            let fromScheme = URLResolution.scheme(of: account.apiURL)
            let toScheme = URLResolution.scheme(of: location)
            let toHost = URLResolution.host(of: location)
            if toHost != URLResolution.host(of: account.apiURL) {
                return .refused("\(server) redirected the API to another host (\(location), HTTP \(status)): refused; set ttrss-url to the server's own address")
            }
            if fromScheme == "https" && toScheme == "http" {
                return .refused("\(server) redirected the API from https to http (\(location)): refused, the password would travel unencrypted")
            }
            if fromScheme == "http" && toScheme == "https" {
                return .refused("\(server) redirects the API to https: set ttrss-url to its https address")
            }
            return .refused("\(server) redirected the API to \(location) (HTTP \(status)): set ttrss-url to the API's own address")
        default:
            return .unreachable("cannot reach \(server): \(error)")
        }
    }
}

/// A flag set from any thread.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
