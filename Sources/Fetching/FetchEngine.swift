import CLibCurl
#if canImport(Glibc)
import Glibc
#endif

/// One request on its way: the hops of its redirect chain share it (and its easy handle).
final class Transfer {
    let request: FetchRequest
    /// The URL of the current hop.
    var url: String
    /// The host of the current hop (the per-host limits count it there).
    var host: String
    /// Every URL requested so far, without fragments (a redirect to one of them is a loop).
    var visited: Set<String>
    var redirects: [Redirect] = []
    var lines = HeaderLines()
    var body: [UInt8] = []
    /// The write callback refused bytes past the limit.
    var overLimit = false
    let maxBytes: Int
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// Monotonic seconds when the first hop started.
    var firstStart: Double?
    /// Seconds spent in finished hops (the total timeout covers the whole chain).
    var spent: Double = 0

    init(request: FetchRequest, host: String, maxBytes: Int) {
        self.request = request
        url = request.url
        self.host = host
        visited = [URLResolution.withoutFragment(request.url)]
        self.maxBytes = maxBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        errorBuffer.deallocate()
    }

    var errorText: String { String(cString: errorBuffer) }
}

/// libcurl's body callback: keeps decoded bytes up to the limit, and aborts the transfer (CURLE_WRITE_ERROR) past it.
private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                         _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    if transfer.body.count + length > transfer.maxBytes {
        transfer.overLimit = true
        return 0
    }
    if length > 0, let data { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}

/// libcurl's header callback: one whole header line (or status line) a call.
private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                           _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    if length > 0, let data {
        transfer.lines.add(String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self))
    }
    return length
}

/// Monotonic seconds.
private func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The requests waiting for one host, and what is under way there.
private final class HostQueue {
    var waiting: [Transfer] = []
    var head = 0
    var active = 0
    var lastStart = -Double.infinity

    var isEmpty: Bool { head == waiting.count }

    func take() -> Transfer {
        let transfer = waiting[head]
        head += 1
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        }
        return transfer
    }
}

/// One `Fetcher.run`: the queues per host, the transfers under way, the poll loop.
final class FetchEngine {
    private let api: gazette_curl_api
    private let multi: UnsafeMutableRawPointer
    private let options: FetchOptions
    private let isCancelled: () -> Bool
    private var hosts: [String: HostQueue] = [:]
    /// Hosts with waiting requests, in the order they first had one (each pass starts one per host: fair).
    private var waitingHosts: [String] = []
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var completion: (FetchResponse) -> Void = { _ in }

    init(api: gazette_curl_api, multi: UnsafeMutableRawPointer, options: FetchOptions,
         isCancelled: @escaping () -> Bool) {
        self.api = api
        self.multi = multi
        var options = options
        options.maxTransfers = max(1, options.maxTransfers)
        options.maxPerHost = max(1, options.maxPerHost)
        options.maxRedirects = max(0, options.maxRedirects)
        options.maxBytes = max(0, options.maxBytes)
        self.options = options
        self.isCancelled = isCancelled
    }

    func run(_ requests: [FetchRequest], completion: (FetchResponse) -> Void) {
        withoutActuallyEscaping(completion) { completion in
            self.completion = completion
            defer { self.completion = { _ in } }
            for request in requests {
                guard let scheme = URLResolution.scheme(of: request.url), scheme == "http" || scheme == "https",
                      let host = URLResolution.host(of: request.url) else {
                    completion(FetchResponse(request: request,
                                             error: .badURL("\(request.url) is not an http or https URL")))
                    continue
                }
                enqueue(Transfer(request: request, host: host, maxBytes: options.maxBytes), first: false)
            }
            loop()
        }
    }

    private func loop() {
        while true {
            if isCancelled() {
                cancelAll()
                return
            }
            let wake = startReady()
            if active.isEmpty && waitingHosts.isEmpty { return }
            if !active.isEmpty {
                var running: Int32 = 0
                let code = api.multi_perform(multi, &running)
                if code != CURLM_OK {
                    failAll(.transfer("libcurl failed: \(text(api.multi_strerror(code)))"))
                    return
                }
            }
            var finished = false
            var queued: Int32 = 0
            while let message = api.multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                done(easy, result: message.pointee.data.result)
                finished = true
            }
            if finished { continue }  // start what waited for a free slot at once
            var timeout = 1000
            if let wake { timeout = min(timeout, max(1, Int(((wake - now()) * 1000).rounded(.up)))) }
            _ = api.multi_poll(multi, nil, 0, Int32(timeout), nil)
        }
    }

    // MARK: Scheduling

    private func enqueue(_ transfer: Transfer, first: Bool) {
        let queue: HostQueue
        if let existing = hosts[transfer.host] {
            queue = existing
        } else {
            queue = HostQueue()
            hosts[transfer.host] = queue
        }
        if queue.isEmpty && !waitingHosts.contains(transfer.host) { waitingHosts.append(transfer.host) }
        if first { queue.waiting.insert(transfer, at: queue.head) } else { queue.waiting.append(transfer) }
    }

    /// Starts what the limits allow; returns when the next host held back by `hostDelay` may start, if any.
    private func startReady() -> Double? {
        var wake: Double?
        var progress = true
        while progress && active.count < options.maxTransfers && !waitingHosts.isEmpty {
            progress = false
            wake = nil
            let time = now()
            for host in waitingHosts {
                guard active.count < options.maxTransfers else { break }
                guard let queue = hosts[host], !queue.isEmpty, queue.active < options.maxPerHost else { continue }
                let ready = queue.lastStart + options.hostDelay
                if time < ready {
                    wake = min(wake ?? ready, ready)
                    continue
                }
                queue.active += 1
                queue.lastStart = time
                start(queue.take(), at: time)
                progress = true
            }
            waitingHosts.removeAll { hosts[$0]?.isEmpty ?? true }
        }
        return wake
    }

    /// The per-host count of a hop that ended.
    private func release(_ transfer: Transfer) {
        if let queue = hosts[transfer.host] { queue.active -= 1 }
    }

    // MARK: Transfers

    private func start(_ transfer: Transfer, at time: Double) {
        if transfer.easy == nil && !configure(transfer) {
            release(transfer)
            finish(transfer, status: 0, error: .transfer("libcurl could not start a transfer"))
            return
        }
        guard let easy = transfer.easy else { return }
        let remaining = options.totalTimeout - transfer.spent
        if remaining <= 0 {
            release(transfer)
            finish(transfer, status: 0, error: .timeout("timed out after \(TransferFailure.seconds(options.totalTimeout)) following redirects"))
            return
        }
        transfer.lines = HeaderLines()
        transfer.body = []
        transfer.overLimit = false
        transfer.errorBuffer[0] = 0
        if transfer.firstStart == nil { transfer.firstStart = time }
        var ok = transfer.url.withCString { gazette_curl_setopt_ptr(easy, CURLOPT_URL, $0) } == CURLE_OK
        ok = ok && gazette_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(1, Int((remaining * 1000).rounded(.up)))) == CURLE_OK
        guard ok else {
            release(transfer)
            finish(transfer, status: 0, error: .badURL("\(transfer.url) cannot be fetched"))
            return
        }
        let code = api.multi_add_handle(multi, easy)
        guard code == CURLM_OK else {
            release(transfer)
            finish(transfer, status: 0, error: .transfer("libcurl failed: \(text(api.multi_strerror(code)))"))
            return
        }
        active[easy] = transfer
    }

    /// A new easy handle with everything that stays the same across the hops of a chain.
    private func configure(_ transfer: Transfer) -> Bool {
        guard let easy = api.easy_init() else { return false }
        transfer.easy = easy
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var codes: [CURLcode] = [
            gazette_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1),
            gazette_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0),
            gazette_curl_allow_http_only(easy),
            gazette_curl_setopt_long(easy, transfer.request.body == nil ? CURLOPT_HTTPGET : CURLOPT_POST, 1),
            // gzip, deflate, br, zstd: whatever this libcurl decodes.
            gazette_curl_setopt_ptr(easy, CURLOPT_ACCEPT_ENCODING, ""),
            options.userAgent.withCString { gazette_curl_setopt_ptr(easy, CURLOPT_USERAGENT, $0) },
            gazette_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int((options.connectTimeout * 1000).rounded(.up)))),
            // A proxy's `CONNECT` answer is not the server's headers.
            gazette_curl_setopt_long(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1),
            gazette_curl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer),
            gazette_curl_setopt_func(easy, CURLOPT_WRITEFUNCTION, receiveBody),
            gazette_curl_setopt_ptr(easy, CURLOPT_WRITEDATA, context),
            gazette_curl_setopt_func(easy, CURLOPT_HEADERFUNCTION, receiveHeader),
            gazette_curl_setopt_ptr(easy, CURLOPT_HEADERDATA, context),
        ]
        if let caFile = options.caFile {
            codes.append(caFile.withCString { gazette_curl_setopt_ptr(easy, CURLOPT_CAINFO, $0) })
            // Beside the system's certificates, not instead of them: a private CA for one server must not make every
            // public feed fail. (OpenSSL reads both CAINFO and the hashed directory CAPATH.)
            let systemDirectory = "/etc/ssl/certs"
            if access(systemDirectory, R_OK) == 0 {
                codes.append(systemDirectory.withCString { gazette_curl_setopt_ptr(easy, CURLOPT_CAPATH, $0) })
            }
        }
        if let body = transfer.request.body {
            // The size first: COPYPOSTFIELDS copies that many bytes (a body may hold any byte).
            codes.append(gazette_curl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            codes.append(body.withUnsafeBytes { bytes in
                guard let start = bytes.baseAddress else { return "".withCString { gazette_curl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0) } }
                return gazette_curl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, start)
            })
        }
        var list: UnsafeMutablePointer<curl_slist>?
        // `Expect:` empty: no `100-continue` round trip before a large body.
        var extra = [("Content-Type", transfer.request.contentType)]
        if transfer.request.body != nil { extra.append(("Expect", "")) }
        for (name, value) in extra {
            guard let value, !value.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { continue }
            guard let longer = api.slist_append(list, value.isEmpty ? "\(name):" : "\(name): \(value)") else { return false }
            list = longer
        }
        for (name, value) in [("If-None-Match", transfer.request.etag), ("If-Modified-Since", transfer.request.lastModified)] {
            // A value with a line break would smuggle in another header: send none then.
            guard let value, !value.isEmpty, !value.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { continue }
            guard let longer = api.slist_append(list, "\(name): \(value)") else { return false }
            list = longer
        }
        if let list {
            transfer.headerList = list
            codes.append(gazette_curl_setopt_ptr(easy, CURLOPT_HTTPHEADER, list))
        }
        return codes.allSatisfy { $0 == CURLE_OK }
    }

    /// A hop ended: a redirect starts the next one; anything else finishes the request.
    private func done(_ easy: UnsafeMutableRawPointer, result: CURLcode) {
        _ = api.multi_remove_handle(multi, easy)
        guard let transfer = active.removeValue(forKey: easy) else { return }
        release(transfer)
        var seconds = 0.0
        if gazette_curl_getinfo_double(easy, CURLINFO_TOTAL_TIME, &seconds) == CURLE_OK { transfer.spent += seconds }
        var code = 0
        _ = gazette_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
        guard result == CURLE_OK else {
            if result == CURLE_WRITE_ERROR && transfer.overLimit {
                finish(transfer, status: code, error: .tooLarge(limit: options.maxBytes))
            } else {
                finish(transfer, status: code, error: failure(transfer, easy: easy, result: result).error)
            }
            return
        }
        guard [301, 302, 303, 307, 308].contains(code), let location = transfer.lines.location, !location.isEmpty else {
            finish(transfer, status: code, error: nil)
            return
        }
        guard let next = URLResolution.resolve(location, against: transfer.url),
              let scheme = URLResolution.scheme(of: next), scheme == "http" || scheme == "https",
              let host = URLResolution.host(of: next) else {
            finish(transfer, status: code, error: .badURL("redirected to \(location), not an http or https URL"))
            return
        }
        guard transfer.request.followsRedirects else {
            finish(transfer, status: code, error: .redirectRefused(status: code, location: next))
            return
        }
        guard transfer.redirects.count < options.maxRedirects else {
            finish(transfer, status: code, error: .tooManyRedirects(options.maxRedirects))
            return
        }
        guard transfer.visited.insert(URLResolution.withoutFragment(next)).inserted else {
            finish(transfer, status: code, error: .redirectLoop(next))
            return
        }
        transfer.redirects.append(Redirect(status: code, location: next))
        transfer.url = next
        transfer.host = host
        enqueue(transfer, first: true)
    }

    private func failure(_ transfer: Transfer, easy: UnsafeMutableRawPointer, result: CURLcode) -> TransferFailure {
        var osErrno = 0
        _ = gazette_curl_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno)
        var connectTime: curl_off_t = 0
        _ = gazette_curl_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &connectTime)
        var length: curl_off_t = -1
        _ = gazette_curl_getinfo_off(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
        var detail = transfer.errorText
        if detail.isEmpty { detail = text(api.easy_strerror(result)) }
        let port = URLResolution.port(of: transfer.url)
        return TransferFailure(code: result, detail: detail, osErrno: Int32(truncatingIfNeeded: osErrno),
                               connected: connectTime > 0, answered: transfer.lines.answered,
                               received: transfer.body.count, expected: length >= 0 ? Int(length) : nil,
                               host: port.map { "\(transfer.host):\($0)" } ?? transfer.host,
                               connectTimeout: options.connectTimeout, totalTimeout: options.totalTimeout,
                               caFile: options.caFile)
    }

    private func finish(_ transfer: Transfer, status: Int, error: FetchError?) {
        if let easy = transfer.easy {
            api.easy_cleanup(easy)
            transfer.easy = nil
        }
        if let list = transfer.headerList {
            api.slist_free_all(list)
            transfer.headerList = nil
        }
        let elapsed = transfer.firstStart.map { now() - $0 } ?? 0
        let headers = transfer.lines.headers(url: transfer.url, now: Int(time(nil)))
        let body = error == nil && status != 304 ? transfer.body : []
        transfer.body = []
        completion(FetchResponse(request: transfer.request, status: status, body: body, finalURL: transfer.url,
                                 redirects: transfer.redirects, headers: headers, error: error, elapsed: elapsed))
    }

    private func cancelAll() {
        failAll(.cancelled)
    }

    /// Ends every transfer under way and every waiting one with `error`.
    private func failAll(_ error: FetchError) {
        let running = active
        active = [:]
        for (easy, transfer) in running {
            _ = api.multi_remove_handle(multi, easy)
            release(transfer)
            finish(transfer, status: 0, error: error)
        }
        for host in waitingHosts {
            guard let queue = hosts[host] else { continue }
            while !queue.isEmpty { finish(queue.take(), status: 0, error: error) }
        }
        waitingHosts = []
    }
}

/// A C string libcurl returned (never NULL in practice).
private func text(_ string: UnsafePointer<CChar>?) -> String {
    string.map { String(cString: $0) } ?? ""
}
