import XCTest
@testable import Subscriptions

/// Finding the feeds an HTML page links to, as `gazette add PAGE` does.
final class FeedDiscoveryTests: XCTestCase {
    private func feeds(_ html: String, page: String = "https://example.org/author/grant-montgomery/") -> [DiscoveredFeed] {
        FeedDiscovery.feeds(inHTML: Array(html.utf8), pageURL: page)
    }

    /// The head of a WordPress author archive: the site's feeds, the author's, and REST API links that are not feeds.
    func testWordPressAuthorPage() {
        let found = feeds("""
            <!DOCTYPE html>
            <html lang="en-US"><head>
            <meta charset="UTF-8">
            <title>Grant Montgomery &#8211; Example</title>
            <link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/block-library/style.min.css' />
            <link rel="alternate" type="application/rss+xml" title="Example &raquo; Feed" href="https://example.org/feed/" />
            <link rel="alternate" type="application/rss+xml" title="Example &raquo; Comments Feed" href="https://example.org/comments/feed/" />
            <link rel="alternate" type="application/rss+xml" title="Example &raquo; Posts by Grant Montgomery Feed" href="https://example.org/author/grant-montgomery/feed/" />
            <link rel="https://api.w.org/" href="https://example.org/wp-json/" />
            <link rel="alternate" title="JSON" type="application/json" href="https://example.org/wp-json/wp/v2/users/5" />
            <link rel="alternate" type="application/json+oembed" href="https://example.org/wp-json/oembed/1.0/embed?url=x" />
            <link rel="EditURI" type="application/rsd+xml" title="RSD" href="https://example.org/xmlrpc.php?rsd" />
            </head><body class="archive author"><h1>Author Archives: Grant Montgomery</h1></body></html>
            """)
        XCTAssertEqual(found, [
            DiscoveredFeed(url: "https://example.org/feed/", title: "Example » Feed", type: "application/rss+xml"),
            DiscoveredFeed(url: "https://example.org/comments/feed/", title: "Example » Comments Feed",
                           type: "application/rss+xml"),
            DiscoveredFeed(url: "https://example.org/author/grant-montgomery/feed/",
                           title: "Example » Posts by Grant Montgomery Feed", type: "application/rss+xml"),
        ])
    }

    func testEveryFeedTypeRelTokensAndCase() {
        let found = feeds("""
            <html><head>
            <LINK REL="Alternate" TYPE="Application/Atom+XML" HREF="/atom.xml">
            <link rel="home alternate" type="application/feed+json" href="feed.json" title="  JSON
               Feed ">
            <link rel="alternate" type="application/json" href="/feed.json?v=1">
            <link rel="alternate" type="application/rdf+xml" href="/index.rdf">
            <link rel="alternate" type="application/rss+xml; charset=utf-8" href="/rss">
            <link rel="alternate" type="text/html" href="/fr/" hreflang="fr">
            <link rel="stylesheet alternate" type="text/css" href="/dark.css">
            <link rel="feed" type="application/atom+xml" href="/old-feed">
            <link rel="next" type="application/rss+xml" href="/not-alternate">
            <link rel="alternate" href="/no-type">
            <link rel="alternate" type="application/rss+xml">
            </head></html>
            """, page: "https://example.org/blog/post.html")
        XCTAssertEqual(found.map(\.url), [
            "https://example.org/atom.xml", "https://example.org/blog/feed.json", "https://example.org/feed.json?v=1",
            "https://example.org/index.rdf", "https://example.org/rss", "https://example.org/old-feed",
        ])
        XCTAssertEqual(found.map(\.type), [
            "application/atom+xml", "application/feed+json", "application/json", "application/rdf+xml",
            "application/rss+xml", "application/atom+xml",
        ])
        XCTAssertEqual(found[1].title, "JSON Feed")
        XCTAssertNil(found[0].title)
    }

    func testBaseHrefResolvesRelativeLinksEvenWhenItComesAfterThem() {
        let found = feeds("""
            <html><head>
            <link rel="alternate" type="application/rss+xml" href="feed.xml">
            <base href="/sub/dir/">
            <base href="https://ignored.example/">
            </head></html>
            """, page: "https://example.org/a/b")
        XCTAssertEqual(found.map(\.url), ["https://example.org/sub/dir/feed.xml"])
    }

    func testEntitiesInAttributesAreDecoded() {
        let found = feeds("""
            <html><head><link rel="alternate" type="application/rss+xml" title="Tom &amp; Jerry&#39;s &eacute;t&eacute;"
            href="/feed?a=1&amp;b=2"></head></html>
            """)
        XCTAssertEqual(found, [DiscoveredFeed(url: "https://example.org/feed?a=1&b=2", title: "Tom & Jerry's été",
                                              type: "application/rss+xml")])
    }

    func testDuplicatesRemovedAfterResolution() {
        let found = feeds("""
            <html><head>
            <link rel="alternate" type="application/rss+xml" href="/feed/" title="first">
            <link rel="alternate" type="application/atom+xml" href="https://example.org/feed/" title="second">
            </head></html>
            """)
        XCTAssertEqual(found.map(\.title), ["first"])
    }

    func testLinksInTheBody() {
        let found = feeds("""
            <html><head><title>t</title></head><body><div><p>text</p>
            <link rel="alternate" type="application/atom+xml" href="/in-body.xml"></div>
            </body></html>
            """)
        XCTAssertEqual(found.map(\.url), ["https://example.org/in-body.xml"])
    }

    /// libxml2 stops at 256 open elements (its limits stay on): what came before, the head's links, is kept.
    func testHeadLinksSurviveABodyNestedTooDeep() {
        let deep = String(repeating: "<div>", count: 5000) + "x" + String(repeating: "</div>", count: 5000)
        let found = feeds("""
            <html><head><link rel="alternate" type="application/rss+xml" href="/feed/"></head><body>\(deep)
            </body></html>
            """)
        XCTAssertEqual(found.map(\.url), ["https://example.org/feed/"])
    }

    func testPageWithoutFeedsOrWithoutMarkup() {
        XCTAssertEqual(feeds("<html><head><title>none</title></head><body><a href=/feed>feed</a></body></html>"), [])
        XCTAssertEqual(feeds(""), [])
        XCTAssertEqual(feeds("just text"), [])
        XCTAssertEqual(FeedDiscovery.feeds(inHTML: [0xFF, 0xFE, 0x00, 0x3C], pageURL: "https://x.example/"), [])
    }

    func testDeclaredCharsetIsHonoured() {
        // "Caf\xe9" in ISO-8859-1.
        let bytes = Array("<html><head><meta charset=\"iso-8859-1\"><link rel=\"alternate\" type=\"application/rss+xml\" title=\"Caf".utf8)
            + [0xE9] + Array("\" href=\"/f\"></head></html>".utf8)
        XCTAssertEqual(FeedDiscovery.feeds(inHTML: bytes, pageURL: "https://x.example/").first?.title, "Café")
    }

    // MARK: - looksLikeHTML

    func testLooksLikeHTML() {
        for page in ["<!DOCTYPE html><html>", "\u{FEFF}  <!doctype HTML>", "<html lang=en>", "<!-- c --><HTML>",
                     "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", "<head><title>",
                     "\n\n<meta charset=utf-8>", "<body>", "<p>hello", "<title>x</title>"] {
            XCTAssertTrue(FeedDiscovery.looksLikeHTML(Array(page.utf8)), page)
        }
        for other in ["<?xml version=\"1.0\"?><rss version=\"2.0\">", "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
                      "<rdf:RDF>", "{\"version\": \"https://jsonfeed.org/version/1.1\"}", "", "plain text",
                      "<!-- unclosed comment <html>", "<html5-thing>", "<pre>", "<link2>"] {
            XCTAssertFalse(FeedDiscovery.looksLikeHTML(Array(other.utf8)), other)
        }
    }
}
