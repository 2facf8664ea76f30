import XCTest
@testable import Interop

/// OPML as other readers write it: feeds, names, tags and the problems a user is told about.
final class OPMLReadTests: XCTestCase {
    private func read(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> (feeds: [OPMLFeed], problems: [OPMLProblem]) {
        try OPML.read(Array(text.utf8))
    }

    private func feed(_ url: String, in feeds: [OPMLFeed], file: StaticString = #filePath, line: UInt = #line) throws
        -> OPMLFeed {
        try XCTUnwrap(feeds.first { $0.url == url }, "no feed \(url) in \(feeds.map(\.url))", file: file, line: line)
    }

    func testNewsboatExportOPML1() throws {
        let (feeds, problems) = try read("""
            <?xml version="1.0"?>
            <opml version="1.0">
              <head>
                <title>newsboat - Exported Feeds</title>
              </head>
              <body>
                <outline type="rss" xmlUrl="https://lwn.net/headlines/rss" htmlUrl="https://lwn.net" title="LWN.net"/>
                <outline type="rss" xmlUrl="https://example.org/feed?a=1&amp;b=2" htmlUrl="" title=""/>
              </body>
            </opml>
            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(feeds, [
            OPMLFeed(url: "https://lwn.net/headlines/rss", name: "LWN.net", siteURL: "https://lwn.net", tags: [], line: 7),
            OPMLFeed(url: "https://example.org/feed?a=1&b=2", name: nil, siteURL: nil, tags: [], line: 8),
        ])
    }

    func testNewsboatOPML2CategoryEntriesAreTagsAsWritten() throws {
        let (feeds, problems) = try read("""
            <?xml version="1.0"?>
            <opml version="2.0">
              <head><title>Newsboat - Exported Feeds</title></head>
              <body>
                <outline type="rss" xmlUrl="http://feeds.bbci.co.uk/news/business/rss.xml?edition=int" htmlUrl="" title="" text="BBC" category="tag one,tag_two,tag/three"/>
              </body>
            </opml>
            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(feeds.map(\.tags), [["tag one", "tag_two", "tag/three"]])
        XCTAssertEqual(feeds.map(\.name), ["BBC"], "an empty title gives way to text")
    }

    func testFeedlyFoldersBecomeTagsAndDuplicatesMergeTheirTags() throws {
        let (feeds, problems) = try read("""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="1.0">
              <head><title>Alice subscriptions in feedly Cloud</title></head>
              <body>
                <outline text="Tech" title="Tech">
                  <outline type="rss" text="Ars Technica" title="Ars Technica" xmlUrl="http://feeds.arstechnica.com/arstechnica/index" htmlUrl="https://arstechnica.com"/>
                  <outline type="rss" text="LWN" title="LWN" xmlUrl="https://lwn.net/headlines/rss" htmlUrl="https://lwn.net"/>
                </outline>
                <outline text="News" title="News">
                  <outline type="rss" text="LWN again" title="LWN again" xmlUrl="https://lwn.net/headlines/rss" htmlUrl="https://lwn.net"/>
                </outline>
                <outline text="Empty folder" title="Empty folder"></outline>
                <outline text="Another empty one"/>
              </body>
            </opml>
            """)
        XCTAssertEqual(problems, [], "folders without feeds are ignored without a word")
        XCTAssertEqual(feeds.map(\.url), ["http://feeds.arstechnica.com/arstechnica/index", "https://lwn.net/headlines/rss"])
        let lwn = try feed("https://lwn.net/headlines/rss", in: feeds)
        XCTAssertEqual(lwn.tags, ["Tech", "News"])
        XCTAssertEqual(lwn.name, "LWN", "the first outline's name stays")
        XCTAssertEqual(lwn.line, 7)
        XCTAssertEqual(try feed("http://feeds.arstechnica.com/arstechnica/index", in: feeds).siteURL, "https://arstechnica.com")
    }

    func testInoreaderNestedFoldersCaseVariantsAndCategoryPaths() throws {
        let (feeds, problems) = try read("""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="1.0">
              <head><title>Subscriptions from Inoreader</title></head>
              <body>
                <outline text="Software" title="Software">
                  <outline text="Linux" title="Linux">
                    <outline text="Kernel Newbies" title="Kernel Newbies" type="rss" xmlUrl="https://kernelnewbies.org/feed" htmlUrl="https://kernelnewbies.org/"/>
                  </outline>
                  <outline text="Rust Blog" type="rss" xmlurl="https://blog.rust-lang.org/feed.xml"/>
                </outline>
                <outline text="Podcast" type="rss" XMLURL="https://example.com/podcast.rss" category="/Audio/Talk, Weekly ,,"/>
              </body>
            </opml>
            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(try feed("https://kernelnewbies.org/feed", in: feeds).tags, ["Software", "Linux"])
        let rust = try feed("https://blog.rust-lang.org/feed.xml", in: feeds)
        XCTAssertEqual(rust.tags, ["Software"])
        XCTAssertEqual(rust.name, "Rust Blog")
        XCTAssertEqual(try feed("https://example.com/podcast.rss", in: feeds).tags, ["Audio", "Talk", "Weekly"])
    }

    func testOPML1WithoutTypeAndTheURLAttributeNewsboatAlsoReads() throws {
        let (feeds, problems) = try read("""
            <opml version="1.1">
            <body>
            <outline title="Old Reader Feed" xmlUrl="http://old.example/rss.xml"/>
            <outline text="By url" url="https://url.example/atom"/>
            <outline text="A page" type="link" url="https://page.example/"/>
            </body>
            </opml>
            """)
        XCTAssertEqual(feeds.map(\.url), ["http://old.example/rss.xml", "https://url.example/atom"])
        XCTAssertEqual(feeds.map(\.name), ["Old Reader Feed", "By url"])
        XCTAssertEqual(problems.map(\.line), [5])
        XCTAssertTrue(problems[0].message.contains("is a link to a page"), problems[0].message)
    }

    func testUnusableURLsAreReportedWithTheirLinesAndTheRestIsRead() throws {
        let (feeds, problems) = try read("""
            <opml version="2.0"><body>
            <outline text="no url" type="rss"/>
            <outline text="empty" type="rss" xmlUrl="   "/>
            <outline text="liferea" type="rss" xmlUrl="|/usr/bin/fortune"/>
            <outline text="exec" type="rss" xmlUrl="exec:rm -rf ~"/>
            <outline text="ftp" type="rss" xmlUrl="ftp://ftp.example/feed"/>
            <outline text="spaced" type="rss" xmlUrl="https://a.example/has space"/>
            <outline text="piped" type="rss" xmlUrl="https://a.example/a|b"/>
            <outline text="no host" type="rss" xmlUrl="https:///feed"/>
            <outline text="trimmed" type="rss" xmlUrl="  https://trim.example/feed&#10; "/>
            <outline text="feed scheme" type="rss" xmlUrl="feed://feedscheme.example/rss"/>
            <outline text="site only" htmlUrl="https://site.example/"/>
            <outline text="include" type="include" url="https://other.example/list.opml"/>
            </body></opml>
            """)
        XCTAssertEqual(feeds.map(\.url), ["https://trim.example/feed", "http://feedscheme.example/rss"])
        XCTAssertEqual(problems.map(\.line), [2, 3, 4, 5, 6, 7, 8, 9, 12, 13])
        let messages = problems.map(\.message)
        XCTAssertTrue(messages[0].contains("\"no url\" (type rss) has no xmlUrl"), messages[0])
        XCTAssertTrue(messages[1].contains("empty xmlUrl"), messages[1])
        XCTAssertTrue(messages[2].contains("command") && messages[2].contains("never run"), messages[2])
        XCTAssertTrue(messages[3].contains("exec:"), messages[3])
        XCTAssertTrue(messages[4].contains("not an http:// or https:// URL"), messages[4])
        XCTAssertTrue(messages[5].contains("space"), messages[5])
        XCTAssertTrue(messages[6].contains("|"), messages[6])
        XCTAssertTrue(messages[7].contains("no host"), messages[7])
        XCTAssertTrue(messages[8].contains("no xmlUrl"), messages[8])
        XCTAssertTrue(messages[9].contains("another OPML file"), messages[9])
        XCTAssertTrue(messages.allSatisfy { $0.hasSuffix("; skipped") })
    }

    func testTheLineIsWhereTheOutlineStartsAndNamesAreOneLine() throws {
        let (feeds, _) = try read("""
            <opml version="2.0"><body>
            <outline
               type="rss"
               title="Two&#10;lines&#9;and\u{85}more"
               xmlUrl="https://multi.example/feed"
            />
            <outline text="~Tilde folder"><outline type="rss" xmlUrl="https://tilde.example/" category="~x,,/ /"/></outline>
            </body></opml>
            """)
        XCTAssertEqual(feeds.map(\.line), [2, 7])
        XCTAssertEqual(feeds[0].name, "Two lines and more")
        XCTAssertEqual(feeds[1].tags, ["Tilde folder", "x"], "a leading ~ would make a tag a name in the urls file")
    }

    // MARK: - Bad input

    func testAFileCutShortKeepsWhatWasReadAndSaysWhere() throws {
        let (feeds, problems) = try read("""
            <?xml version="1.0"?>
            <opml version="2.0">
              <body>
                <outline text="Folder">
                  <outline type="rss" text="One" xmlUrl="https://one.example/feed"/>
                  <outline type="rss" text="Two" xmlUrl="https://two.example/feed"/>
                  <outline type="rss" text="Three" xmlUrl="https://thr
            """)
        XCTAssertEqual(feeds.map(\.url), ["https://one.example/feed", "https://two.example/feed"])
        XCTAssertEqual(feeds.map(\.tags), [["Folder"], ["Folder"]])
        XCTAssertTrue(problems.contains { $0.line == 7 && $0.message.contains("outline \"Three\" is damaged") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.message.contains("unclosed <outline> (opened on line 4)") }, "\(problems)")
    }

    func testMismatchedTagsAreReportedAndTheFeedsAroundThemRead() throws {
        let (feeds, problems) = try read("""
            <opml version="2.0"><body>
            <outline text="A"><outline type="rss" xmlUrl="https://a.example/feed"/></outlin>
            <outline type="rss" xmlUrl="https://b.example/feed"/>
            </body></opml>
            """)
        XCTAssertTrue(feeds.contains { $0.url == "https://a.example/feed" })
        XCTAssertTrue(feeds.contains { $0.url == "https://b.example/feed" })
        XCTAssertTrue(problems.contains { $0.line == 2 && $0.message.contains("</outlin> does not close <outline>") }, "\(problems)")
    }

    func testLatin1DeclaredAsUTF8IsReadAsWindows1252WithANote() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"1.0\"><body>\n".utf8)
        bytes += Array("<outline type=\"rss\" title=\"Caf".utf8) + [0xE9, 0x20, 0x93] + Array("quoted".utf8) + [0x94]
        bytes += Array("\" xmlUrl=\"https://cafe.example/\"/>\n</body></opml>\n".utf8)
        let (feeds, problems) = try OPML.read(bytes)
        XCTAssertEqual(feeds.count, 1)
        XCTAssertEqual(feeds[0].name, "Café \u{201C}quoted\u{201D}")
        XCTAssertEqual(problems.map(\.line), [3])
        XCTAssertTrue(problems[0].message.contains("not UTF-8"), problems[0].message)
    }

    func testUTF8DeclaredAsLatin1IsReadAsUTF8WithANote() throws {
        let text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<opml version=\"1.0\"><body>\n"
            + "<outline type=\"rss\" title=\"Zürich Ωmega\" xmlUrl=\"https://zurich.example/\"/>\n</body></opml>\n"
        let (feeds, problems) = try OPML.read(Array(text.utf8))
        XCTAssertEqual(feeds.map(\.name), ["Zürich Ωmega"])
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.line, 3)
        XCTAssertTrue(problems.first?.message.contains("but it is UTF-8") == true, "\(problems)")
    }

    func testAnUnknownEncodingIsReadAsUTF8AndSaid() throws {
        let text = "<?xml version=\"1.0\" encoding=\"x-no-such-thing\"?>\n<opml version=\"1.0\"><body>"
            + "<outline type=\"rss\" title=\"Plain\" xmlUrl=\"https://plain.example/\"/></body></opml>"
        let (feeds, problems) = try OPML.read(Array(text.utf8))
        XCTAssertEqual(feeds.map(\.name), ["Plain"])
        XCTAssertTrue(problems.contains { $0.message.contains("unknown encoding x-no-such-thing") }, "\(problems)")
    }

    func testUTF16WithAByteOrderMarkAndDeclaredEncodingsThatAreRight() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<opml version=\"1.0\"><body>"
            + "<outline type=\"rss\" title=\"Ünïcode\" xmlUrl=\"https://utf16.example/\"/></body></opml>"
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let (feeds, problems) = try OPML.read(utf16)
        XCTAssertEqual(feeds.map(\.name), ["Ünïcode"])
        XCTAssertEqual(problems, [])

        var latin1 = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml><body><outline type=\"rss\" title=\"Caf".utf8)
        latin1 += [0xE9] + Array("\" xmlUrl=\"https://latin1.example/\"/></body></opml>".utf8)
        let (latinFeeds, latinProblems) = try OPML.read(latin1)
        XCTAssertEqual(latinFeeds.map(\.name), ["Café"])
        XCTAssertEqual(latinProblems, [])
    }

    func testAHundredThousandOutlines() throws {
        var text = "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head><title>big</title></head><body>\n"
        for folder in 0..<100 {
            text += "<outline text=\"Folder \(folder)\">\n"
            for i in 0..<1_000 {
                text += "<outline type=\"rss\" text=\"Feed \(folder)-\(i)\" xmlUrl=\"https://f\(folder).example/\(i).xml\"/>\n"
            }
            text += "</outline>\n"
        }
        text += "</body></opml>\n"
        let (feeds, problems) = try read(text)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(feeds.count, 100_000)
        XCTAssertEqual(feeds.last?.url, "https://f99.example/999.xml")
        XCTAssertEqual(feeds.last?.tags, ["Folder 99"])
        XCTAssertEqual(feeds.last?.line, 3 + 99 * 1_002 + 1_000)
    }

    func testNestingTenThousandDeepSkipsWhatIsDeeperThanLibxml2sLimit() throws {
        var text = "<opml version=\"2.0\"><body>\n<outline type=\"rss\" xmlUrl=\"https://before.example/\"/>\n"
        for i in 0..<10_000 { text += "<outline text=\"L\(i)\">" }
        text += "<outline type=\"rss\" xmlUrl=\"https://deep.example/\"/>"
        text += String(repeating: "</outline>", count: 10_000)
        text += "\n<outline type=\"rss\" xmlUrl=\"https://after.example/\"/>\n</body></opml>\n"
        let (feeds, problems) = try read(text)
        XCTAssertEqual(feeds.map(\.url), ["https://before.example/", "https://after.example/"])
        XCTAssertEqual(problems.map(\.message), ["folders nested more than 32 deep: only the outer 32 become tags",
                                                 "elements nested more than 256 deep: the 9747 outlines inside skipped"])
        XCTAssertEqual(problems.map(\.line), [3, 3])
    }

    func testFoldersDeeperThanTheTagLimitAreNotTags() throws {
        var text = "<opml version=\"2.0\"><body>\n"
        for i in 0..<100 { text += "<outline text=\"L\(i)\">" }
        text += "<outline type=\"rss\" xmlUrl=\"https://deep.example/\"/>"
        text += String(repeating: "</outline>", count: 100)
        text += "\n</body></opml>\n"
        let (feeds, problems) = try read(text)
        XCTAssertEqual(feeds.first?.tags.count, OPMLReader.maxFolderTags)
        XCTAssertEqual(feeds.first?.tags.first, "L0")
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].message.contains("only the outer"), problems[0].message)
    }

    func testFilesThatAreNotOPMLAtAll() {
        func message(_ text: String) -> String {
            do {
                _ = try OPML.read(Array(text.utf8))
                return "read"
            } catch {
                return error.message
            }
        }
        XCTAssertEqual(message(""), "is empty")
        XCTAssertEqual(message("  \n"), "is empty")
        XCTAssertTrue(message("<!DOCTYPE html><html><body><p>hi</p></body></html>").contains("HTML page"))
        XCTAssertTrue(message("<html><head><title>x</title></head></html>").contains("HTML page"))
        XCTAssertTrue(message("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>").contains("is a feed, not OPML"))
        XCTAssertTrue(message("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>").contains("is a feed, not OPML"))
        XCTAssertEqual(message("<?xml version=\"1.0\"?>\n<config><outline xmlUrl=\"https://x.example/\"/></config>"),
                       "is XML but not OPML (its root element is <config>, not <opml>)")
        XCTAssertTrue(message("https://just.a.url.example/feed\n").hasPrefix("is not OPML: no XML element in it"))
        XCTAssertTrue(message("\u{0}\u{1}\u{2}binary").hasPrefix("is not OPML"))
    }

    func testAnOPMLWithoutABodySaysSo() throws {
        let (feeds, problems) = try read("<opml version=\"2.0\"><head><title>x</title></head></opml>")
        XCTAssertEqual(feeds, [])
        XCTAssertEqual(problems.map(\.message), ["no <body> element: no subscriptions in the file"])
    }

    func testEntitiesAreNeitherLoadedNorExpandedWithoutEnd() throws {
        let (feeds, problems) = try read("""
            <?xml version="1.0"?>
            <!DOCTYPE opml [
              <!ENTITY xxe SYSTEM "file:///etc/passwd">
              <!ENTITY a "aaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            ]>
            <opml version="2.0"><body>
            <outline type="rss" title="&xxe;" xmlUrl="https://xxe.example/"/>
            <outline type="rss" title="&c;" xmlUrl="https://laughs.example/"/>
            </body></opml>
            """)
        XCTAssertEqual(feeds.map(\.url), ["https://laughs.example/"])
        XCTAssertEqual(feeds.map(\.name), ["&c;"], "the document's own entities are left as written, not expanded")
        XCTAssertEqual(problems.map(\.line), [9, 9])
        XCTAssertTrue(problems[1].message.contains("outline \"&xxe;\" is damaged (attribute references external entity"),
                      problems[1].message)
    }
}
