import CLibCurl

/// What libcurl said about a failed transfer, and what the engine knew of it, turned into one `FetchError` whose
/// text a user can act on. Pure (libcurl's codes are constants from its headers).
struct TransferFailure {
    var code: CURLcode
    /// libcurl's CURLOPT_ERRORBUFFER text (the detail: `SSL certificate problem: …`), or empty.
    var detail: String
    /// CURLINFO_OS_ERRNO: the errno of the last failed connect or read.
    var osErrno: Int32 = 0
    /// The TCP (or proxy) connection was made.
    var connected = false
    /// A status line arrived.
    var answered = false
    /// Decoded body bytes received.
    var received = 0
    /// Content-Length, when the server sent one.
    var expected: Int?
    var host: String
    var connectTimeout: Double
    var totalTimeout: Double
    var caFile: String?

    var error: FetchError {
        let detail = self.detail.isEmpty ? "libcurl error \(code.rawValue)" : self.detail
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL:
            return .badURL("only http and https URLs can be fetched (\(detail))")
        case CURLE_URL_MALFORMAT:
            return .badURL("malformed URL (\(detail))")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return .connect("proxy host not found (check http_proxy and https_proxy): \(detail)")
        case CURLE_COULDNT_RESOLVE_HOST:
            return .connect("host not found: \(host)")
        case CURLE_COULDNT_CONNECT:
            switch osErrno {
            case 111: return .connect("connection refused by \(host)")  // ECONNREFUSED
            case 101: return .connect("network unreachable (is this machine online?)")  // ENETUNREACH
            case 113: return .connect("host unreachable: \(host)")  // EHOSTUNREACH
            default: return .connect("could not connect to \(host): \(detail)")
            }
        case CURLE_OPERATION_TIMEDOUT:
            if !connected {
                return .timeout("timed out after \(Self.seconds(min(connectTimeout, totalTimeout))) while connecting to \(host)")
            }
            if !answered {
                return .timeout("timed out after \(Self.seconds(totalTimeout)) waiting for \(host) to answer")
            }
            return .timeout("timed out after \(Self.seconds(totalTimeout)) while reading the body (\(Self.bytes(received)) received)")
        case CURLE_PEER_FAILED_VERIFICATION:
            let reason = Self.withoutPrefix(detail)
            if reason.contains("subject name") || reason.contains("does not match") || reason.contains("doesn't match") {
                return .tls("certificate is not for \(host): \(reason)")
            }
            if reason.contains("expired") {
                return .tls("certificate expired: \(reason)")
            }
            let hint = caFile == nil ? "set ca-file to trust a private CA" : "is ca-file the CA that signed it?"
            return .tls("certificate not trusted: \(reason) (\(hint))")
        case CURLE_SSL_CACERT_BADFILE:
            return .tls("cannot read the CA certificates in \(caFile ?? "the system's bundle"): \(detail)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_CERTPROBLEM, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED,
             CURLE_SSL_CLIENTCERT:
            return .tls("TLS handshake with \(host) failed: \(Self.withoutPrefix(detail))")
        case CURLE_RECV_ERROR:
            let what = osErrno == 104 || detail.contains("reset") ? "connection reset" : "connection broke"
            if !answered { return .transfer("\(what) before \(host) answered") }
            return .transfer("\(what) while reading the body (\(Self.bytes(received)) received)")
        case CURLE_SEND_ERROR:
            return .transfer("connection broke while sending the request to \(host)")
        case CURLE_PARTIAL_FILE:
            if let expected {
                return .transfer("connection closed before the body was complete (\(Self.bytes(received)) of \(Self.bytes(expected)))")
            }
            return .transfer("connection closed before the body was complete (\(Self.bytes(received)) received)")
        case CURLE_GOT_NOTHING:
            return .transfer("\(host) closed the connection without answering")
        case CURLE_WEIRD_SERVER_REPLY:
            return .transfer("\(host) did not answer in HTTP: \(detail)")
        case CURLE_BAD_CONTENT_ENCODING:
            return .transfer("the body's compression is broken: \(detail)")
        case CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3:
            return .transfer("HTTP/2 error from \(host): \(detail)")
        case CURLE_TOO_MANY_REDIRECTS:
            return .transfer("too many redirects: \(detail)")
        case CURLE_OUT_OF_MEMORY:
            return .transfer("out of memory")
        default:
            return .transfer(detail)
        }
    }

    /// `SSL certificate problem: unable to get local issuer certificate` → `unable to get local issuer certificate`.
    private static func withoutPrefix(_ text: String) -> String {
        for prefix in ["SSL certificate problem: ", "SSL peer certificate or SSH remote key was not OK: ", "SSL: "]
            where text.hasPrefix(prefix) {
            return String(text.dropFirst(prefix.count))
        }
        return text
    }

    /// `10 s`, `2.5 s`.
    static func seconds(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e9 { return "\(Int(value)) s" }
        return "\(Double(Int(value * 10)) / 10) s"
    }

    /// `512 bytes`, `12 KB`, `50 MB`.
    static func bytes(_ count: Int) -> String {
        if count >= 1024 * 1024, count % (1024 * 1024) == 0 { return "\(count / (1024 * 1024)) MB" }
        if count >= 10 * 1024 * 1024 { return "\(count / (1024 * 1024)) MB" }
        if count >= 1024, count % 1024 == 0 { return "\(count / 1024) KB" }
        if count >= 10 * 1024 { return "\(count / 1024) KB" }
        return count == 1 ? "1 byte" : "\(count) bytes"
    }
}
