import XCTest
@testable import Subscriptions

/// The urls file in newsboat's syntax: what is read from it, what is reported, and edits that keep every other
/// byte of it.
final class UrlsFileTests: XCTestCase {
    func testURLsTagsAndDisplayNames() {
        let file = UrlsFile(text: """
            https://example.org/feed/ news tech "~Example Site"
            http://blog.example.com/atom.xml "tag with space" !hidden
            https://example.net/rss\t\tpodcasts
            """)
        XCTAssertEqual(file.subscriptions, [
            Subscription(url: "https://example.org/feed/", tags: ["news", "tech"], name: "Example Site", line: 1),
            Subscription(url: "http://blog.example.com/atom.xml", tags: ["tag with space", "!hidden"], line: 2),
            Subscription(url: "https://example.net/rss", tags: ["podcasts"], line: 3),
        ])
        XCTAssertEqual(file.problems, [])
    }

    func testCommentsBlankLinesAndFragments() {
        let file = UrlsFile(text: """
            # my feeds

               # indented comment
            https://example.org/#top tag # a comment "with an unclosed quote
            https://example.org/feed#frag#more

            """)
        XCTAssertEqual(file.subscriptions.map(\.url), ["https://example.org/#top", "https://example.org/feed#frag#more"])
        XCTAssertEqual(file.subscriptions.map(\.tags), [["tag"], []])
        XCTAssertEqual(file.subscriptions.map(\.line), [4, 5])
        XCTAssertEqual(file.problems, [])
    }

    func testBackslashEscapesInsideQuotes() {
        let file = UrlsFile(text: #"https://example.org/ "say \"hi\"" "back\\slash" "~A \"quoted\" name""#)
        XCTAssertEqual(file.subscriptions.first?.tags, [#"say "hi""#, #"back\slash"#])
        XCTAssertEqual(file.subscriptions.first?.name, #"A "quoted" name"#)
    }

    func testQuotedURLAndAdjacentQuotedTokens() {
        let file = UrlsFile(text: #""https://example.org/feed" "a""b""#)
        XCTAssertEqual(file.subscriptions.first?.url, "https://example.org/feed")
        XCTAssertEqual(file.subscriptions.first?.tags, ["a", "b"])
    }

    func testFirstDisplayNameCountsAndEmptyOneIsIgnored() {
        let file = UrlsFile(text: #"https://example.org/ "~" "~First" "~Second" tag"#)
        XCTAssertEqual(file.subscriptions.first?.name, "First")
        XCTAssertEqual(file.subscriptions.first?.tags, ["tag"])
    }

    func testUnsupportedLinesAreProblemsWithTheirLine() {
        let file = UrlsFile(text: """
            https://ok.example/feed
            "query:Unread Articles:unread = \\"yes\\""
            "exec:~/bin/make-feed.sh"
            "filter:~/bin/filter.py:https://example.org/feed"
            file:///home/me/feed.xml
            ftp://example.org/feed
            example.org/feed
            HTTPS://UPPER.EXAMPLE/FEED
            """)
        XCTAssertEqual(file.subscriptions.map(\.url), ["https://ok.example/feed", "HTTPS://UPPER.EXAMPLE/FEED"])
        XCTAssertEqual(file.problems.map(\.line), [2, 3, 4, 5, 6, 7])
        XCTAssertEqual(file.problems[0].message, "query feeds are not supported; skipped")
        XCTAssertTrue(file.problems[1].message.hasPrefix("exec feeds are not supported"), file.problems[1].message)
        XCTAssertTrue(file.problems[2].message.hasPrefix("filter feeds are not supported"), file.problems[2].message)
        XCTAssertTrue(file.problems[3].message.contains("file URLs are not supported"), file.problems[3].message)
        XCTAssertTrue(file.problems[4].message.contains("not an http:// or https:// URL: ftp://example.org/feed"))
        XCTAssertTrue(file.problems[5].message.contains("example.org/feed"))
        XCTAssertEqual(file.problems[0].description, "2: query feeds are not supported; skipped")
    }

    func testDuplicateKeepsTheFirst() {
        let file = UrlsFile(text: "https://a.example/feed first\nhttps://b.example/\nhttps://a.example/feed second\n")
        XCTAssertEqual(file.subscriptions.map(\.url), ["https://a.example/feed", "https://b.example/"])
        XCTAssertEqual(file.subscriptions.first?.tags, ["first"])
        XCTAssertEqual(file.problems, [UrlsProblem(line: 3, message: "duplicate of line 1; skipped")])
    }

    func testUnclosedQuoteIsAProblemAndTheLineIsSkipped() {
        let file = UrlsFile(text: "https://a.example/ \"unclosed tag\nhttps://b.example/\n")
        XCTAssertEqual(file.subscriptions.map(\.url), ["https://b.example/"])
        XCTAssertEqual(file.problems.map(\.line), [1])
        XCTAssertTrue(file.problems[0].message.contains("unclosed quote"), file.problems[0].message)
    }

    func testCRLFAndByteOrderMark() {
        let file = UrlsFile(text: "\u{FEFF}https://a.example/ tag\r\n# c\r\nhttps://b.example/\r\n")
        XCTAssertEqual(file.subscriptions.map(\.url), ["https://a.example/", "https://b.example/"])
        XCTAssertEqual(file.subscriptions.map(\.tags), [["tag"], []])
        XCTAssertEqual(file.subscriptions.map(\.line), [1, 3])
    }

    func testEmptyFile() {
        XCTAssertEqual(UrlsFile(text: "").subscriptions, [])
        XCTAssertEqual(UrlsFile(text: "\n\n  \n").problems, [])
    }

    // MARK: - add

    func testAddAppendsACanonicalLineKeepingTheRestByteForByte() {
        let original = "# mine\nhttps://a.example/   odd    spacing # note\n\"query:x:y\"\n"
        var file = UrlsFile(text: original)
        XCTAssertTrue(file.add(url: "https://b.example/feed", tags: ["tag", "two words", "#hash", "quo\"te"], name: "B Site"))
        XCTAssertEqual(file.text, original + ##"https://b.example/feed tag "two words" "#hash" "quo\"te" "~B Site""## + "\n")
        XCTAssertEqual(file.subscriptions.last, Subscription(url: "https://b.example/feed",
                                                             tags: ["tag", "two words", "#hash", "quo\"te"],
                                                             name: "B Site", line: 4))
        XCTAssertEqual(file.problems.map(\.line), [3], "the query line is still reported")
    }

    func testAddKeepsAMissingFinalLineBreakMissing() {
        var file = UrlsFile(text: "https://a.example/")
        XCTAssertTrue(file.add(url: "https://b.example/", tags: [], name: nil))
        XCTAssertEqual(file.text, "https://a.example/\nhttps://b.example/")
    }

    func testAddToAnEmptyFileAndToACRLFFile() {
        var empty = UrlsFile(text: "")
        XCTAssertTrue(empty.add(url: "https://a.example/", tags: ["t"], name: nil))
        XCTAssertEqual(empty.text, "https://a.example/ t\n")
        var crlf = UrlsFile(text: "https://a.example/\r\n")
        XCTAssertTrue(crlf.add(url: "https://b.example/", tags: [], name: "Bee"))
        XCTAssertEqual(crlf.text, "https://a.example/\r\nhttps://b.example/ \"~Bee\"\r\n")
    }

    func testAddingAnExistingURLChangesNothing() {
        var file = UrlsFile(text: "https://a.example/ tag\n")
        XCTAssertFalse(file.add(url: "https://a.example/", tags: ["other"], name: "X"))
        XCTAssertEqual(file.text, "https://a.example/ tag\n")
    }

    func testWhatAddWritesReadsBack() {
        var file = UrlsFile(text: "")
        let tags = ["plain", "with space", "back\\slash", "\"", "!hidden", "tab\there"]
        XCTAssertTrue(file.add(url: "https://a.example/?q=1&b=2#frag", tags: tags, name: "Name with \"quotes\""))
        let reread = UrlsFile(text: file.text)
        XCTAssertEqual(reread.subscriptions, [Subscription(url: "https://a.example/?q=1&b=2#frag", tags: tags,
                                                           name: "Name with \"quotes\"", line: 1)])
    }

    func testAddManyAppendsEachNewURLOnceInOneGo() {
        var file = UrlsFile(text: "https://a.example/ old\r\n")
        let added = file.add([
            Subscription(url: "https://a.example/", tags: ["ignored"]),
            Subscription(url: "https://b.example/", tags: ["two words"], name: "Bee"),
            Subscription(url: "https://b.example/", tags: ["again"]),
            Subscription(url: "https://c.example/"),
        ])
        XCTAssertEqual(added, ["https://b.example/", "https://c.example/"])
        XCTAssertEqual(file.text, "https://a.example/ old\r\nhttps://b.example/ \"two words\" \"~Bee\"\r\nhttps://c.example/\r\n")
        XCTAssertEqual(file.subscriptions.map(\.url), ["https://a.example/", "https://b.example/", "https://c.example/"])
        var none = UrlsFile(text: "https://a.example/")
        XCTAssertEqual(none.add([Subscription(url: "https://a.example/")]), [])
        XCTAssertEqual(none.text, "https://a.example/")
    }

    // MARK: - addTags

    func testAddTagsAppendsOnlyTheMissingOnesBeforeTheComment() {
        var file = UrlsFile(text: "# top\nhttps://a.example/   tech \"~Ay\"   # mine\nhttps://b.example/\n")
        XCTAssertEqual(file.addTags(url: "https://a.example/", tags: ["tech", "two words", "~name", "", "news", "news"]),
                       ["two words", "news"])
        XCTAssertEqual(file.text, "# top\nhttps://a.example/   tech \"~Ay\" \"two words\" news   # mine\nhttps://b.example/\n")
        XCTAssertEqual(file.subscriptions.first, Subscription(url: "https://a.example/", tags: ["tech", "two words", "news"],
                                                              name: "Ay", line: 2))
    }

    func testAddTagsToAnUnknownURLOrTagsAlreadyThereChangesNothing() {
        let original = "https://a.example/ tech\n"
        var file = UrlsFile(text: original)
        XCTAssertEqual(file.addTags(url: "https://zzz.example/", tags: ["x"]), [])
        XCTAssertEqual(file.addTags(url: "https://a.example/", tags: ["tech"]), [])
        XCTAssertEqual(file.text, original)
    }

    func testAddTagsToManyLinesInOneGo() {
        var file = UrlsFile(text: "https://a.example/\nhttps://b.example/ x\nhttps://c.example/")
        let added = file.addTags(["https://a.example/": ["t1"], "https://c.example/": ["t2", "t3"], "https://b.example/": ["x"]])
        XCTAssertEqual(added, ["https://a.example/": ["t1"], "https://c.example/": ["t2", "t3"]])
        XCTAssertEqual(file.text, "https://a.example/ t1\nhttps://b.example/ x\nhttps://c.example/ t2 t3")
    }

    // MARK: - remove

    func testRemoveByURLRemovesOnlyThatLine() {
        var file = UrlsFile(text: "# top\nhttps://a.example/ t\n  # between\nhttps://b.example/ \"~Bee\"\nhttps://c.example/")
        XCTAssertEqual(file.remove("https://b.example/")?.name, "Bee")
        XCTAssertEqual(file.text, "# top\nhttps://a.example/ t\n  # between\nhttps://c.example/")
        XCTAssertEqual(file.subscriptions.map(\.line), [2, 4])
    }

    func testRemoveByDisplayNameWithoutCase() {
        var file = UrlsFile(text: "https://a.example/ \"~Alpha Feed\"\nhttps://b.example/\n")
        XCTAssertEqual(file.remove("alpha feed")?.url, "https://a.example/")
        XCTAssertEqual(file.text, "https://b.example/\n")
    }

    func testRemoveTheLastLineKeepsTheFileEndingAsItWas() {
        var withBreak = UrlsFile(text: "https://a.example/\nhttps://b.example/\n")
        XCTAssertNotNil(withBreak.remove("https://b.example/"))
        XCTAssertEqual(withBreak.text, "https://a.example/\n")
        var without = UrlsFile(text: "https://a.example/\nhttps://b.example/")
        XCTAssertNotNil(without.remove("https://b.example/"))
        XCTAssertEqual(without.text, "https://a.example/")
    }

    func testRemoveMatchesAURLWithOrWithoutItsFinalSlash() {
        var file = UrlsFile(text: "https://a.example/feed/\nhttps://b.example/feed\n")
        XCTAssertEqual(file.remove("https://a.example/feed")?.url, "https://a.example/feed/")
        XCTAssertEqual(file.remove("https://b.example/feed/")?.url, "https://b.example/feed")
        XCTAssertEqual(file.text, "")
    }

    func testRemovingAnUnknownOneChangesNothing() {
        var file = UrlsFile(text: "https://a.example/ # c\n")
        XCTAssertNil(file.remove("https://z.example/"))
        XCTAssertNil(file.remove("# c"))
        XCTAssertEqual(file.text, "https://a.example/ # c\n")
    }

    // MARK: - replaceURL

    func testReplaceURLRewritesOnlyTheURLToken() {
        var file = UrlsFile(text: "# c\n  https://old.example/feed\t tag  \"~Name\" # note\r\nhttps://b.example/\n")
        XCTAssertTrue(file.replaceURL("https://old.example/feed", with: "https://new.example/feed"))
        XCTAssertEqual(file.text, "# c\n  https://new.example/feed\t tag  \"~Name\" # note\r\nhttps://b.example/\n")
        XCTAssertEqual(file.subscriptions.first, Subscription(url: "https://new.example/feed", tags: ["tag"], name: "Name",
                                                              line: 2))
    }

    func testReplaceAQuotedURL() {
        var file = UrlsFile(text: "\"https://old.example/\" t\n")
        XCTAssertTrue(file.replaceURL("https://old.example/", with: "https://new.example/a b"))
        XCTAssertEqual(file.text, "\"https://new.example/a b\" t\n")
        XCTAssertEqual(file.subscriptions.first?.url, "https://new.example/a b")
    }

    func testReplaceURLRefusesUnknownOrAlreadySubscribed() {
        var file = UrlsFile(text: "https://a.example/\nhttps://b.example/\n")
        XCTAssertFalse(file.replaceURL("https://z.example/", with: "https://y.example/"))
        XCTAssertFalse(file.replaceURL("https://a.example/", with: "https://b.example/"))
        XCTAssertEqual(file.text, "https://a.example/\nhttps://b.example/\n")
    }

    // MARK: - location

    func testLocationFollowsXDGThenHome() {
        XCTAssertEqual(UrlsFile.location(environment: ["XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u"]), "/xdg/gazette/urls")
        XCTAssertEqual(UrlsFile.location(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/u"]),
                       "/home/u/.config/gazette/urls")
        XCTAssertEqual(UrlsFile.location(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/u"]),
                       "/home/u/.config/gazette/urls")
        XCTAssertTrue(UrlsFile.location(environment: [:]).hasSuffix("/.config/gazette/urls"))
    }
}
