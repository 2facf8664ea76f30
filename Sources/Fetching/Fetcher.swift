// CONTRACT (issue 12): the public API of the HTTP engine.
import CLibCurl
import Synchronization

/// One URL to fetch, with what the store remembers of it for a conditional GET.
public struct FetchRequest: Hashable, Sendable {
    public var url: String
    /// Sent as `If-None-Match`.
    public var etag: String?
    /// Sent as `If-Modified-Since`, as the server wrote it.
    public var lastModified: String?
    /// The caller's own number for the request (returned in the response).
    public var tag: Int
    /// A body to send: the request is a POST when it has one (a GET otherwise).
    public var body: [UInt8]?
    /// The body's `Content-Type` (`application/json`).
    public var contentType: String?
    /// Whether redirects are followed. When not (an API: a password must never follow a redirect to another host
    /// or from https to http, and a POST must not silently become a GET), a 3xx with a `Location` ends the request
    /// with `FetchError.redirectRefused`.
    public var followsRedirects: Bool

    public init(url: String, etag: String? = nil, lastModified: String? = nil, tag: Int = 0) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.tag = tag
        self.body = nil
        self.contentType = nil
        self.followsRedirects = true
    }

    /// A POST of a JSON document (`Content-Type: application/json`) that follows no redirect: what an API call is.
    public static func post(url: String, json: [UInt8], tag: Int = 0) -> FetchRequest {
        var request = FetchRequest(url: url, tag: tag)
        request.body = json
        request.contentType = "application/json"
        request.followsRedirects = false
        return request
    }
}

/// How the engine fetches: limits, timeouts, identity. Defaults are the issue's.
public struct FetchOptions: Hashable, Sendable {
    /// Transfers at once.
    public var maxTransfers = 8
    /// Transfers at once to one host.
    public var maxPerHost = 2
    /// Seconds.
    public var connectTimeout: Double = 10
    /// Seconds for a whole transfer.
    public var totalTimeout: Double = 60
    /// The most decoded bytes a body may have (counted while they arrive, after decompression).
    public var maxBytes = 50 * 1024 * 1024
    /// Redirects followed before giving up.
    public var maxRedirects = 5
    /// A PEM file of CA certificates to trust besides the system's (`set ca-file`).
    public var caFile: String?
    public var userAgent = "Gazette"
    /// The least time between the starts of two requests to one host, in seconds (politeness; backfill uses 1).
    public var hostDelay: Double = 0

    public init() {}
}

/// One hop of a redirect chain.
public struct Redirect: Hashable, Sendable {
    public var status: Int
    /// Where it pointed (absolute).
    public var location: String

    public init(status: Int, location: String) {
        self.status = status
        self.location = location
    }

    /// 301 and 308: the resource moved for good.
    public var isPermanent: Bool { status == 301 || status == 308 }
}

/// A `Link` header's entry (RFC 8288): `<url>; rel="next"`.
public struct HeaderLink: Hashable, Sendable {
    public var url: String
    public var rel: String

    public init(url: String, rel: String) {
        self.url = url
        self.rel = rel
    }
}

/// What the engine read from the final response's headers.
public struct ResponseHeaders: Hashable, Sendable {
    public var etag: String?
    public var lastModified: String?
    public var contentType: String?
    /// `Retry-After`, as seconds from when the response came (a date is turned into seconds).
    public var retryAfter: Int?
    /// `Cache-Control: max-age`, in seconds.
    public var maxAge: Int?
    /// `Link` headers, relative URLs resolved against the final URL.
    public var links: [HeaderLink]

    public init(etag: String? = nil, lastModified: String? = nil, contentType: String? = nil, retryAfter: Int? = nil,
                maxAge: Int? = nil, links: [HeaderLink] = []) {
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.retryAfter = retryAfter
        self.maxAge = maxAge
        self.links = links
    }
}

/// Why a fetch gave no HTTP response. `description` is one line for a user: what went wrong and, where there is
/// one, what to change (`certificate not trusted (set ca-file to the CA's PEM file)`).
public enum FetchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libcurl could not be loaded (dlerror's text).
    case unavailable(String)
    case badURL(String)
    /// DNS, refused, unreachable.
    case connect(String)
    case timeout(String)
    case tls(String)
    /// The decoded body passed the limit (bytes).
    case tooLarge(limit: Int)
    case tooManyRedirects(Int)
    /// A redirect to a URL already visited.
    case redirectLoop(String)
    /// A redirect the request did not allow (`followsRedirects` false): its status and where it pointed (absolute).
    case redirectRefused(status: Int, location: String)
    /// The connection broke midway, or anything else libcurl reports.
    case transfer(String)
    case cancelled

    /// One line for a user.
    public var description: String {
        switch self {
        case .unavailable(let reason):
            return "cannot fetch: libcurl could not be loaded (\(reason)); install it (Debian: apt install libcurl4)"
        case .badURL(let detail): return "bad URL: \(detail)"
        case .connect(let detail), .timeout(let detail), .tls(let detail), .transfer(let detail): return detail
        case .tooLarge(let limit):
            return "the body passed the size limit of \(TransferFailure.bytes(limit)) (counted decompressed)"
        case .tooManyRedirects(let count): return "more than \(count) redirects"
        case .redirectLoop(let url): return "redirect loop: \(url) was reached twice"
        case .redirectRefused(let status, let location): return "redirected (\(status)) to \(location), not followed"
        case .cancelled: return "cancelled"
        }
    }
}

/// The outcome of one request.
public struct FetchResponse: Sendable {
    public var request: FetchRequest
    /// The final response's status (after redirects); 0 when there was none (`error` says why).
    public var status: Int
    /// The decoded body (after gzip/deflate/br); empty for 304 and errors.
    public var body: [UInt8]
    /// The URL of the final response.
    public var finalURL: String
    /// Every redirect followed, in order.
    public var redirects: [Redirect]
    public var headers: ResponseHeaders
    public var error: FetchError?
    /// Seconds from the first byte sent to the last received.
    public var elapsed: Double

    public init(request: FetchRequest, status: Int = 0, body: [UInt8] = [], finalURL: String? = nil,
                redirects: [Redirect] = [], headers: ResponseHeaders = ResponseHeaders(), error: FetchError? = nil,
                elapsed: Double = 0) {
        self.request = request
        self.status = status
        self.body = body
        self.finalURL = finalURL ?? request.url
        self.redirects = redirects
        self.headers = headers
        self.error = error
        self.elapsed = elapsed
    }

    public var notModified: Bool { status == 304 }

    /// The new URL to store when every redirect followed was permanent (301/308); `nil` otherwise.
    public var permanentURL: String? {
        guard !redirects.isEmpty, redirects.allSatisfy(\.isPermanent) else { return nil }
        return redirects.last?.location
    }
}


/// libcurl's multi interface on the calling thread: many transfers at once, each finished one handed back as soon
/// as it is done. libcurl is loaded (dlopen) when the first Fetcher is made.
///
/// Redirects are followed here, not by libcurl, so that each hop's status is known (a permanent one updates the
/// stored URL) and each hop sends the conditional headers and counts against the per-host limit of its own host.
/// The body's limit counts decoded bytes as they arrive (libcurl's CURLOPT_MAXFILESIZE counts compressed ones).
/// Proxies come from `http_proxy`, `https_proxy` and `no_proxy`, which libcurl reads itself.
public final class Fetcher: @unchecked Sendable {
    public let options: FetchOptions
    private let api: gazette_curl_api
    private let multi: UnsafeMutableRawPointer
    private let cancelled = Atomic<Bool>(false)

    /// libcurl can be loaded.
    public static var isAvailable: Bool { gazette_curl() != nil }

    /// Why libcurl cannot be loaded (dlerror's text), or nil when it can.
    public static var unavailableReason: String? { gazette_curl_error().map { String(cString: $0) } }

    /// Throws `.unavailable` when libcurl cannot be loaded.
    public init(options: FetchOptions) throws(FetchError) {
        guard let table = gazette_curl() else {
            throw .unavailable(Fetcher.unavailableReason ?? "libcurl.so.4 could not be loaded")
        }
        guard let multi = table.pointee.multi_init() else { throw .unavailable("curl_multi_init failed") }
        self.options = options
        self.api = table.pointee
        self.multi = multi
    }

    deinit {
        _ = api.multi_cleanup(multi)
    }

    /// Fetches every request (at most `maxTransfers` at once, `maxPerHost` to one host, starts to one host at
    /// least `hostDelay` apart), following redirects; calls `completion` on this thread as each one finishes, in
    /// the order they finish. Returns when all finished or `cancel()` was called (the rest then complete with
    /// `.cancelled`). One failing request never stops the others. One `run` at a time per Fetcher (connections
    /// are kept between runs); `completion` may call `cancel()` but not `run`.
    public func run(_ requests: [FetchRequest], completion: (FetchResponse) -> Void) {
        let engine = FetchEngine(api: api, multi: multi, options: options) { [unowned self] in
            self.cancelled.load(ordering: .acquiring)
        }
        engine.run(requests, completion: completion)
    }

    /// Stops `run` soon (thread-safe): transfers under way and those waiting complete with `.cancelled`. A cancelled
    /// Fetcher stays cancelled (a later `run` completes everything with `.cancelled` at once): make a new one.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
        _ = api.multi_wakeup(multi)
    }
}
