import Feeds
import XCTest

/// Atom 1.0 (RFC 4287) and Atom 0.3 elements, one rule per test.
final class AtomElementTests: XCTestCase {
    func testFeedFields() throws {
        let feed = try readFeed(atom("", feed: """
            <title type="text">dive into mark</title><subtitle type="html">A &lt;em&gt;lot&lt;/em&gt; of effort</subtitle>
            <id>tag:example.org,2003:3</id><link rel="alternate" type="text/html" hreflang="en" href="http://example.org/"/>
            <link rel="self" type="application/atom+xml" href="http://example.org/feed.atom"/>
            <icon>/icon.png</icon><logo>/logo.png</logo><author><name>Mark Pilgrim</name></author>
            """, attributes: #"xml:lang="en""#))
        XCTAssertEqual(feed.info.format, .atom10)
        XCTAssertEqual(feed.info.title, "dive into mark")
        XCTAssertEqual(feed.info.description, "A lot of effort")
        XCTAssertEqual(feed.info.id, "tag:example.org,2003:3")
        XCTAssertEqual(feed.info.siteLink, "http://example.org/")
        XCTAssertEqual(feed.info.selfLink, "http://example.org/feed.atom")
        XCTAssertEqual(feed.info.authors, ["Mark Pilgrim"])
        XCTAssertEqual(feed.info.language, "en")
        // Awaits the real Article.resolveURL: relative to the feed's URL.
        XCTAssertEqual(feed.info.icon, "https://example.com/icon.png")
    }

    func testEntryFields() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><title>Atom draft-07 snapshot</title>
            <link rel="alternate" type="text/html" href="http://example.org/2005/04/02/atom"/>
            <link rel="enclosure" type="audio/mpeg" length="1337" href="http://example.org/audio/ph34r_my_podcast.mp3"/>
            <id>tag:example.org,2003:3.2397</id>
            <author><name>Mark Pilgrim</name><uri>http://example.org/</uri><email>f8dy@example.com</email></author>
            <contributor><name>Sam Ruby</name></contributor>
            <category term="tech"/><category term="x" label="Shown label"/>
            </entry>
            """)))
        XCTAssertEqual(item.title, "Atom draft-07 snapshot")
        XCTAssertEqual(item.link, "http://example.org/2005/04/02/atom")
        XCTAssertEqual(item.guid, "tag:example.org,2003:3.2397")
        XCTAssertEqual(item.authors, ["Mark Pilgrim"])
        XCTAssertEqual(item.categories, ["tech", "Shown label"])
        XCTAssertEqual(item.enclosures, [Enclosure(url: "http://example.org/audio/ph34r_my_podcast.mp3", type: "audio/mpeg",
                                                   length: 1337)])
    }

    func testLinkWithoutRelIsAlternate() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><link href="http://example.org/a"/><link rel="related" href="http://x/"/></entry>"#)))
        XCTAssertEqual(item.link, "http://example.org/a")
    }

    func testHTMLAlternatePreferredOverOtherTypes() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><link rel="alternate" type="application/pdf" href="http://e.org/a.pdf"/>
            <link rel="alternate" type="text/html" href="http://e.org/a.html"/></entry>
            """)))
        XCTAssertEqual(item.link, "http://e.org/a.html")
    }

    func testEmailOnlyAuthorIsTheEmail() throws {
        let item = onlyItem(try readFeed(atom("<entry><author><email>jo@example.org</email></author></entry>")))
        XCTAssertEqual(item.authors, ["jo@example.org"])
    }

    func testEntryWithoutAuthorTakesTheFeedsAuthors() throws {
        let item = onlyItem(try readFeed(atom("<entry><title>x</title></entry>",
                                              feed: "<title>T</title><author><name>Ann</name></author><author><name>Bob</name></author>")))
        XCTAssertEqual(item.authors, ["Ann", "Bob"])
    }

    func testContentWinsOverSummary() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><summary>short</summary><content type="html">&lt;p&gt;long&lt;/p&gt;</content></entry>
            """)))
        XCTAssertEqual(item.content, "<p>long</p>")
        XCTAssertEqual(item.contentType, .html)
    }

    func testTextContentIsText() throws {
        let item = onlyItem(try readFeed(atom("<entry><content>a &lt; b\nline two</content></entry>")))
        XCTAssertEqual(item.content, "a < b\nline two")
        XCTAssertEqual(item.contentType, .text)
    }

    func testXHTMLContentIsTheDivsInnerMarkup() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><content type="xhtml" xml:base="http://diveintomark.org/"><div xmlns="http://www.w3.org/1999/xhtml"><p><i>[Update: The Atom draft is finished.]</i> a &amp; b &lt; c</p><img src="x.png"/></div></content></entry>
            """)))
        XCTAssertEqual(item.content, #"<p><i>[Update: The Atom draft is finished.]</i> a &amp; b &lt; c</p><img src="x.png">"#)
        XCTAssertEqual(item.contentType, .xhtml)
        XCTAssertEqual(item.contentBase, "http://diveintomark.org/")
    }

    func testXHTMLWithPrefixedElements() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><content type="xhtml"><xh:div xmlns:xh="http://www.w3.org/1999/xhtml"><xh:p>Hi <xh:b>there</xh:b></xh:p></xh:div></content></entry>
            """)))
        XCTAssertEqual(item.content, "<p>Hi <b>there</b></p>")
    }

    func testHTMLTitleHasItsTagsRemoved() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><title type="html">&lt;em&gt;Hello&lt;/em&gt; world</title></entry>"#)))
        XCTAssertEqual(item.title, "Hello world")
    }

    func testXHTMLTitleHasItsTagsRemoved() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Less: <em> &lt; </em></div></title></entry>
            """)))
        // Awaits the real Article.plainText (which decodes the &lt; it is given back).
        XCTAssertEqual(item.title, "Less: <")
    }

    func testTextTitleKeepsAngleBrackets() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><title type="text">a &lt;b&gt; c</title></entry>"#)))
        XCTAssertEqual(item.title, "a <b> c")
    }

    func testOutOfLineContentSaysWhereItIs() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><content type="text/html" src="http://example.org/full.html"/></entry>"#)))
        XCTAssertTrue(item.content.contains(#"href="http://example.org/full.html""#), item.content)
        XCTAssertEqual(item.contentType, .html)
        // The URL is escaped where it stands in the note's markup.
        let odd = onlyItem(try readFeed(atom(#"<entry><content src="http://e.org/a?b=1&amp;c=&quot;&lt;x"/></entry>"#)))
        XCTAssertTrue(odd.content.contains(#"href="http://e.org/a?b=1&amp;c=&quot;&lt;x""#), odd.content)
    }

    func testOutOfLineContentKeepsTheSummary() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><summary>The gist</summary><content src="http://e.org/full"/></entry>"#)))
        XCTAssertTrue(item.content.hasPrefix("<p>The gist</p>"), item.content)
        XCTAssertTrue(item.content.contains("http://e.org/full"))
    }

    func testBase64ContentSkipsToSummary() throws {
        let item = onlyItem(try readFeed(atom(#"<entry><summary>shown</summary><content type="image/png">iVBORw0KGgo=</content></entry>"#)))
        XCTAssertEqual(item.content, "shown")
        XCTAssertEqual(item.contentType, .text)
    }

    func testDatesInTheirFields() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><published>2003-12-13T08:29:29-04:00</published><updated>2005-07-31T12:29:29Z</updated></entry>
            """)))
        // Awaits the real FeedDate.
        XCTAssertEqual(item.published, FeedTimestamp(secondsSince1970: 1071318569))
        XCTAssertEqual(item.updated, FeedTimestamp(secondsSince1970: 1122812969))
    }

    func testFeedUpdated() throws {
        let feed = try readFeed(atom("", feed: "<title>T</title><updated>2005-07-31T12:29:29Z</updated>"))
        // Awaits the real FeedDate.
        XCTAssertEqual(feed.info.updated, FeedTimestamp(secondsSince1970: 1122812969))
    }

    func testSourceElementsDoNotLeakIntoTheEntry() throws {
        let item = onlyItem(try readFeed(atom("""
            <entry><source><title>Other feed</title><id>urn:other</id><author><name>Other</name></author></source>
            <title>Mine</title><id>urn:mine</id></entry>
            """)))
        XCTAssertEqual(item.title, "Mine")
        XCTAssertEqual(item.guid, "urn:mine")
        XCTAssertEqual(item.authors, [])
    }

    func testAtom03() throws {
        let feed = try readFeed("""
            <?xml version="1.0" encoding="utf-8"?>
            <feed version="0.3" xmlns="http://purl.org/atom/ns#">
              <title>dive into mark</title><link rel="alternate" type="text/html" href="http://diveintomark.org/"/>
              <modified>2003-12-13T18:30:02Z</modified><tagline>A tagline</tagline>
              <author><name>Mark Pilgrim</name></author>
              <entry><title>Atom 0.3 snapshot</title><link rel="alternate" type="text/html" href="http://diveintomark.org/2003/12/13/atom03"/>
                <id>tag:diveintomark.org,2003:3.2397</id><issued>2003-12-13T08:29:29-04:00</issued><modified>2003-12-13T18:30:02Z</modified>
                <summary type="text/plain">The summary</summary>
                <content type="application/xhtml+xml" mode="xml" xml:lang="en-us"><div xmlns="http://www.w3.org/1999/xhtml"><p>Full</p></div></content>
                <content type="text/html" mode="escaped">&lt;p&gt;escaped&lt;/p&gt;</content>
              </entry>
            </feed>
            """)
        XCTAssertEqual(feed.info.format, .atom03)
        XCTAssertEqual(feed.info.title, "dive into mark")
        XCTAssertEqual(feed.info.siteLink, "http://diveintomark.org/")
        XCTAssertEqual(feed.info.description, "A tagline")
        let item = onlyItem(feed)
        XCTAssertEqual(item.link, "http://diveintomark.org/2003/12/13/atom03")
        XCTAssertEqual(item.content, "<p>Full</p>")
        XCTAssertEqual(item.contentType, .xhtml)
        XCTAssertEqual(item.authors, ["Mark Pilgrim"])
    }

    func testAtom03EscapedAndBase64Modes() throws {
        let feed = try readFeed("""
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry>
            <content type="text/html" mode="base64">PHA+aGk8L3A+</content><content type="text/html" mode="escaped">&lt;p&gt;hi&lt;/p&gt;</content>
            </entry></feed>
            """)
        let item = onlyItem(feed)
        XCTAssertEqual(item.content, "<p>hi</p>")
        XCTAssertEqual(item.contentType, .html)
    }

    func testAtomWithoutNamespace() throws {
        let feed = try readFeed(#"<feed><title>No ns</title><entry><title>E</title><link href="http://e.org/1"/></entry></feed>"#)
        XCTAssertEqual(feed.info.format, .atom10)
        XCTAssertEqual(feed.info.title, "No ns")
        XCTAssertEqual(onlyItem(feed).link, "http://e.org/1")
    }

    func testAtomWithPrefix() throws {
        let feed = try readFeed(#"<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title><a:entry><a:title>E</a:title></a:entry></a:feed>"#)
        XCTAssertEqual(feed.info.title, "P")
        XCTAssertEqual(onlyItem(feed).title, "E")
    }

    func testEntryDocument() throws {
        let feed = try readFeed(#"<entry xmlns="http://www.w3.org/2005/Atom"><title>Alone</title><id>urn:1</id></entry>"#)
        XCTAssertEqual(onlyItem(feed).title, "Alone")
    }
}
