import CLibCurl
import XCTest
@testable import Fetching

/// The engine's pure parts: URL resolution (redirects, Link targets), HTTP dates, Retry-After, Cache-Control, Link
/// headers, the header lines of a response, and the one-line messages of failures.
final class FetcherParserTests: XCTestCase {
    // MARK: URL resolution

    /// RFC 3986 section 5.4: every normal and abnormal example.
    func testResolvesTheExamplesOfRFC3986() {
        let base = "http://a/b/c/d;p?q"
        let examples: [(String, String)] = [
            ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"),
            (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("g;x?y#s", "http://a/b/c/g;x?y#s"),
            ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"),
            ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"),
            ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."),
            ("..g", "http://a/b/c/..g"), ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"),
            ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
            ("g;x=1/../y", "http://a/b/c/y"), ("g?y/./x", "http://a/b/c/g?y/./x"), ("g#s/../x", "http://a/b/c/g#s/../x"),
        ]
        for (reference, expected) in examples {
            XCTAssertEqual(URLResolution.resolve(reference, against: base), expected, "reference \(reference)")
        }
    }

    func testResolvesLocationsAsServersWriteThem() {
        let base = "https://Example.org/blog/feed/?format=rss"
        XCTAssertEqual(URLResolution.resolve("HTTPS://example.org/new", against: base), "https://example.org/new")
        XCTAssertEqual(URLResolution.resolve("  /feed.xml \r\n", against: base), "https://Example.org/feed.xml")
        XCTAssertEqual(URLResolution.resolve("/a feed/é", against: base), "https://Example.org/a%20feed/%C3%A9")
        XCTAssertEqual(URLResolution.resolve("atom", against: "http://example.org"), "http://example.org/atom")
        XCTAssertEqual(URLResolution.resolve("//cdn.example.net/f", against: base), "https://cdn.example.net/f")
        XCTAssertNil(URLResolution.resolve("feed", against: "not a base"))
    }

    func testTellsHostsAndPorts() {
        XCTAssertEqual(URLResolution.host(of: "https://user:pw@Example.ORG:8443/x"), "example.org")
        XCTAssertEqual(URLResolution.host(of: "http://[::1]:8080/"), "::1")
        XCTAssertEqual(URLResolution.host(of: "http://127.0.0.1/"), "127.0.0.1")
        XCTAssertNil(URLResolution.host(of: "mailto:someone@example.org"))
        XCTAssertNil(URLResolution.host(of: "http:///path"))
        XCTAssertEqual(URLResolution.port(of: "http://example.org:8080/x"), 8080)
        XCTAssertEqual(URLResolution.port(of: "http://[::1]:81/"), 81)
        XCTAssertNil(URLResolution.port(of: "http://example.org/x"))
        XCTAssertEqual(URLResolution.scheme(of: "HTTPS://example.org"), "https")
        XCTAssertNil(URLResolution.scheme(of: "example.org/feed"))
        XCTAssertEqual(URLResolution.withoutFragment("http://a/b#c"), "http://a/b")
    }

    // MARK: Dates and Retry-After

    func testParsesTheThreeFormsOfHTTPDates() {
        // RFC 9110 section 5.6.7's example: 1994-11-06 08:49:37 UTC.
        XCTAssertEqual(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_777)
        XCTAssertEqual(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT"), 784_111_777)
        XCTAssertEqual(HTTPDate.parse("Sun Nov  6 08:49:37 1994"), 784_111_777)
        XCTAssertEqual(HTTPDate.parse("06 Nov 1994 08:49:37 UTC"), 784_111_777)
        XCTAssertEqual(HTTPDate.parse("Thu, 29 Feb 2024 23:59:59 GMT"), 1_709_251_199)
        XCTAssertEqual(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0)
        for bad in ["", "soon", "Sun, 06 Nov 1994", "Thu, 29 Feb 2023 00:00:00 GMT", "Sun, 06 Nov 1994 25:00:00 GMT",
                    "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT"] {
            XCTAssertNil(HTTPDate.parse(bad), bad)
        }
    }

    func testFormatsIMFFixdates() {
        XCTAssertEqual(HTTPDate.format(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(HTTPDate.format(1_709_251_199), "Thu, 29 Feb 2024 23:59:59 GMT")
        XCTAssertEqual(HTTPDate.parse(HTTPDate.format(2_000_000_000)), 2_000_000_000)
    }

    func testRetryAfterInSecondsOrAsADate() {
        let now = 784_111_777
        XCTAssertEqual(HeaderParsing.retryAfter("120", now: now), 120)
        XCTAssertEqual(HeaderParsing.retryAfter(" 0 ", now: now), 0)
        XCTAssertEqual(HeaderParsing.retryAfter("Sun, 06 Nov 1994 08:51:37 GMT", now: now), 120)
        XCTAssertEqual(HeaderParsing.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now), 0, "a past date: now")
        XCTAssertEqual(HeaderParsing.retryAfter("99999999999999999999", now: now), 315_360_000, "capped, not dropped")
        XCTAssertNil(HeaderParsing.retryAfter("soon", now: now))
        XCTAssertNil(HeaderParsing.retryAfter("-5", now: now))
        XCTAssertNil(HeaderParsing.retryAfter("", now: now))
    }

    func testReadsMaxAgeFromCacheControl() {
        XCTAssertEqual(HeaderParsing.maxAge(["public, max-age=300"]), 300)
        XCTAssertEqual(HeaderParsing.maxAge(["no-cache", "MAX-AGE=\"60\", must-revalidate"]), 60)
        XCTAssertNil(HeaderParsing.maxAge(["s-maxage=10, private"]))
        XCTAssertNil(HeaderParsing.maxAge(["max-age=soon"]))
        XCTAssertNil(HeaderParsing.maxAge([]))
    }

    // MARK: Link headers

    func testParsesSeveralLinksPerHeaderAndSeveralHeaders() {
        let links = HeaderParsing.links([
            #"<https://example.org/feed?page=2>; rel="next", </feed?page=1>; rel=prev; title="a, b; c""#,
            #"<archive/1>; type="application/atom+xml"; rel="prev-archive""#,
            #"<https://example.org/wp-json/>; rel="https://api.w.org/""#,
        ], base: "https://example.org/blog/feed/")
        XCTAssertEqual(links, [
            HeaderLink(url: "https://example.org/feed?page=2", rel: "next"),
            HeaderLink(url: "https://example.org/feed?page=1", rel: "prev"),
            HeaderLink(url: "https://example.org/blog/feed/archive/1", rel: "prev-archive"),
            HeaderLink(url: "https://example.org/wp-json/", rel: "https://api.w.org/"),
        ])
    }

    func testLinkRelationsSplitFirstRelCountsAndLinksWithoutRelAreDropped() {
        let links = HeaderLinkFixtures.parse([
            #"<a>; rel="Next Archives", <no-rel>; title="x", <b>;rel=self;rel=alternate"#,
            #"garbage, <c> ; REL = "first""#,
        ])
        XCTAssertEqual(links, [
            HeaderLink(url: "http://h/d/a", rel: "next"), HeaderLink(url: "http://h/d/a", rel: "archives"),
            HeaderLink(url: "http://h/d/b", rel: "self"), HeaderLink(url: "http://h/d/c", rel: "first"),
        ])
    }

    // MARK: Header lines

    func testHeaderLinesStartOverAtEachStatusLine() {
        var lines = HeaderLines()
        lines.add("HTTP/1.1 301 Moved Permanently\r\n")
        lines.add("Location: /new\r\n")
        lines.add("ETag: \"old\"\r\n")
        lines.add("HTTP/1.1 200 OK\r\n")
        lines.add("etag:   \"v2\"  \r\n")
        lines.add("Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n")
        lines.add("CONTENT-TYPE: application/atom+xml; charset=utf-8\r\n")
        lines.add("Retry-After: 30\r\n")
        lines.add("Cache-Control: max-age=900\r\n")
        lines.add("Link: <page/2>; rel=next\r\n")
        lines.add("Link: <page/0>; rel=prev\r\n")
        lines.add("\r\n")
        XCTAssertTrue(lines.answered)
        XCTAssertNil(lines.location)
        let headers = lines.headers(url: "http://h/feed/", now: 0)
        XCTAssertEqual(headers, ResponseHeaders(
            etag: "\"v2\"", lastModified: "Sun, 06 Nov 1994 08:49:37 GMT",
            contentType: "application/atom+xml; charset=utf-8", retryAfter: 30, maxAge: 900,
            links: [HeaderLink(url: "http://h/feed/page/2", rel: "next"), HeaderLink(url: "http://h/feed/page/0", rel: "prev")]))
    }

    // MARK: Messages

    func testFailuresReadAsOneLineAUserCanActOn() {
        func message(_ code: CURLcode, detail: String = "", errno: Int32 = 0, connected: Bool = false,
                     answered: Bool = false, received: Int = 0, expected: Int? = nil, caFile: String? = nil) -> FetchError {
            TransferFailure(code: code, detail: detail, osErrno: errno, connected: connected, answered: answered,
                            received: received, expected: expected, host: "example.org", connectTimeout: 10,
                            totalTimeout: 60, caFile: caFile).error
        }
        XCTAssertEqual(message(CURLE_COULDNT_CONNECT, errno: 111), .connect("connection refused by example.org"))
        XCTAssertEqual(message(CURLE_COULDNT_RESOLVE_HOST), .connect("host not found: example.org"))
        XCTAssertEqual(message(CURLE_OPERATION_TIMEDOUT), .timeout("timed out after 10 s while connecting to example.org"))
        XCTAssertEqual(message(CURLE_OPERATION_TIMEDOUT, connected: true),
                       .timeout("timed out after 60 s waiting for example.org to answer"))
        XCTAssertEqual(message(CURLE_OPERATION_TIMEDOUT, connected: true, answered: true, received: 3),
                       .timeout("timed out after 60 s while reading the body (3 bytes received)"))
        XCTAssertEqual(message(CURLE_PEER_FAILED_VERIFICATION,
                               detail: "SSL certificate problem: unable to get local issuer certificate"),
                       .tls("certificate not trusted: unable to get local issuer certificate (set ca-file to trust a private CA)"))
        XCTAssertEqual(message(CURLE_PEER_FAILED_VERIFICATION,
                               detail: "SSL: no alternative certificate subject name matches target host name 'example.org'"),
                       .tls("certificate is not for example.org: no alternative certificate subject name matches target host name 'example.org'"))
        XCTAssertEqual(message(CURLE_RECV_ERROR, detail: "Recv failure: Connection reset by peer", errno: 104,
                               connected: true, answered: true, received: 2048),
                       .transfer("connection reset while reading the body (2 KB received)"))
        XCTAssertEqual(message(CURLE_PARTIAL_FILE, connected: true, answered: true, received: 10, expected: 100),
                       .transfer("connection closed before the body was complete (10 bytes of 100 bytes)"))
        XCTAssertEqual(message(CURLE_GOT_NOTHING, connected: true), .transfer("example.org closed the connection without answering"))
        XCTAssertEqual(message(CURLE_UNSUPPORTED_PROTOCOL, detail: "Protocol \"ftp\" not supported"),
                       .badURL("only http and https URLs can be fetched (Protocol \"ftp\" not supported)"))
    }

    func testEveryErrorDescribesItself() {
        XCTAssertEqual(FetchError.tooLarge(limit: 50 * 1024 * 1024).description,
                       "the body passed the size limit of 50 MB (counted decompressed)")
        XCTAssertEqual(FetchError.tooManyRedirects(5).description, "more than 5 redirects")
        XCTAssertEqual(FetchError.redirectLoop("http://h/a").description, "redirect loop: http://h/a was reached twice")
        XCTAssertEqual(FetchError.connect("connection refused by h:80").description, "connection refused by h:80")
        XCTAssertEqual(FetchError.badURL("ftp://x is not an http or https URL").description,
                       "bad URL: ftp://x is not an http or https URL")
        XCTAssertEqual(FetchError.cancelled.description, "cancelled")
        XCTAssertTrue(FetchError.unavailable("libcurl.so.4: cannot open shared object file").description
            .contains("libcurl.so.4: cannot open shared object file"))
    }
}

private enum HeaderLinkFixtures {
    static func parse(_ values: [String]) -> [HeaderLink] { HeaderParsing.links(values, base: "http://h/d/e") }
}
