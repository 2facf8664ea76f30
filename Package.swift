// swift-tools-version:6.0
import PackageDescription

/// For the targets that import CLibXML2: where libxml2's headers are (Debian's libxml2-dev).
let libxml2Headers: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-I/usr/include/libxml2"])]

let package = Package(
    name: "Gazette",
    products: [
        .executable(name: "gazette", targets: ["gazette"]),
        .executable(name: "gazette-bench", targets: ["GazetteBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // libxml2, loaded with dlopen on first use (never linked: text archives do not pay for it). Its headers are
        // in /usr/include/libxml2; targets that import it need the path too (`libxml2Headers`).
        // DWARF 4: valgrind 3.19 (make order-file) cannot read the DWARF 5 that clang writes by default.
        .target(name: "CLibXML2", cSettings: [.unsafeFlags(["-I/usr/include/libxml2", "-gdwarf-4"])],
                linkerSettings: [.linkedLibrary("dl")]),
        // libcurl (Debian's libcurl4-openssl-dev for the headers), loaded with dlopen when a fetch starts, never
        // linked: a reader that only reads does not pay for libcurl's 30 shared libraries (DESIGN.md section 3).
        .target(name: "CLibCurl", cSettings: [.unsafeFlags(["-gdwarf-4"])], linkerSettings: [.linkedLibrary("dl")]),

        // Pure layers.
        .target(name: "TextCells"),
        // libxml2's errors in short words, for every XML document read (feeds, OPML).
        .target(name: "XMLDiagnostics", dependencies: ["CLibXML2"], swiftSettings: libxml2Headers),
        // URL references (RFC 3986): one parser and resolver for links in articles and for redirects and Link headers.
        .target(name: "URLReferences"),
        .target(name: "SeededRandom"),
        .target(name: "Posts", dependencies: ["TextCells"]),
        // Search (issue 14): one tokenizer (folding, CJK bigrams) for the index and the highlighting, the query language.
        .target(name: "Search", dependencies: ["Posts"]),
        .target(name: "ReadState", dependencies: ["Posts", "CSQLite", "Search"]),
        // HTML bodies of feed items, rendered into blocks for the reading pane (issue 11).
        .target(name: "Article", dependencies: ["Posts", "TextCells", "CLibXML2", "URLReferences"], swiftSettings: libxml2Headers),
        // RSS, RDF, Atom (libxml2's SAX2 push parser) and JSON Feed files, read a piece at a time (issue 11).
        .target(name: "Feeds", dependencies: ["Posts", "Article", "CLibXML2", "XMLDiagnostics"], swiftSettings: libxml2Headers),
        // The sources the reader was given (text archives and feed files, on disk or standard input), told apart by
        // content, loaded a piece at a time, their bodies read when shown.
        .target(name: "Catalog", dependencies: ["Posts", "Feeds", "Article", "ReadState"]),
        // HTTP for subscriptions (issue 12): libcurl's multi interface on one thread, conditional GET, redirects,
        // a limit on decoded bytes, Retry-After; the only module that imports CLibCurl.
        .target(name: "Fetching", dependencies: ["CLibCurl", "URLReferences"]),
        // Subscriptions (issue 12): the urls file (newsboat's syntax), feed discovery in HTML pages, backfill paging.
        .target(name: "Subscriptions", dependencies: ["Posts", "Feeds", "Article", "CLibXML2"], swiftSettings: libxml2Headers),
        // Fetching subscriptions into the store, politely, and walking their history (backfill).
        .target(name: "Updater", dependencies: ["Fetching", "Feeds", "Subscriptions", "ReadState", "Catalog", "Posts"],
                swiftSettings: libxml2Headers),
        // Moving in and out (issue 13): OPML, newsboat's urls and cache.db, read marks as JSON Lines.
        .target(name: "Interop", dependencies: ["Subscriptions", "ReadState", "Catalog", "Feeds", "Posts", "CLibXML2",
                                                  "XMLDiagnostics"],
                swiftSettings: libxml2Headers),
        // Sync with a feed server (issue 15): Tiny Tiny RSS's JSON API over Fetching, applied to the item store.
        .target(name: "Sync", dependencies: ["Fetching", "ReadState", "Catalog", "Posts", "Feeds", "Article"],
                swiftSettings: libxml2Headers),
        .target(name: "Controller", dependencies: ["Posts", "Search"]),
        .target(name: "TerminalUI", dependencies: ["Controller", "Posts", "TextCells", "Search"]),
        // Configuration files (issue 7): parser, key names, dump, generated key tables. Pure, no terminal.
        .target(name: "Configuration", dependencies: ["Controller", "TerminalUI"]),

        // The only module that imports ncurses.
        .target(name: "CursesTerminal", dependencies: ["TerminalUI", "CNcursesw"]),

        .executableTarget(
            name: "gazette",
            dependencies: [
                "Posts", "Catalog", "ReadState", "Controller", "TerminalUI", "CursesTerminal", "TextCells", "Configuration",
                "Subscriptions", "Fetching", "Updater", "Feeds", "Interop", "Search", "Sync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: libxml2Headers
        ),

        // The benchmark suite (`make bench`): synthetic archives, in-process figures, tmux measurements.
        .executableTarget(name: "GazetteBench", dependencies: ["SeededRandom", "Posts", "Catalog", "ReadState", "Controller",
                                                              "TerminalUI", "TestServers", "Search"]),

        // Reliability (issue 6). The fuzz targets' bodies, shared by the libFuzzer executables (`make fuzz`) and
        // FuzzCorpusTests, which replays Tests/FuzzCorpus; and a helper that marks posts as fast as it can for
        // the SIGKILL test (StoreCrashTests).
        .target(name: "FuzzTargets", dependencies: ["Posts", "TextCells", "TerminalUI", "Configuration", "Article", "Feeds"],
                swiftSettings: libxml2Headers),
        .executableTarget(name: "FuzzArchiveParser", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "FuzzSanitizer", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "FuzzWrapper", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "FuzzConfiguration", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "FuzzArticle", dependencies: ["FuzzTargets"], swiftSettings: libxml2Headers),
        .executableTarget(name: "FuzzFeed", dependencies: ["FuzzTargets"], swiftSettings: libxml2Headers),
        // Real servers for the tests (nginx on 127.0.0.1 with a generated configuration, a fault server on plain
        // sockets): used by test targets and the bench only.
        .target(name: "TestServers", path: "Tests/Helpers/TestServers"),
        .executableTarget(name: "MarkLoop", dependencies: ["ReadState", "Posts"], path: "Tests/Helpers/MarkLoop"),

        .testTarget(name: "PostsTests", dependencies: ["Posts", "TextCells", "SeededRandom"]),
        .testTarget(name: "ArticleTests", dependencies: ["Article", "Posts", "TerminalUI"], exclude: ["Snapshots"],
                    swiftSettings: libxml2Headers),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "Posts"], exclude: ["Fixtures"],
                    swiftSettings: libxml2Headers),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Feeds", "Posts", "TextCells", "ReadState"],
                    swiftSettings: libxml2Headers),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "TestServers"]),
        .testTarget(name: "SubscriptionsTests", dependencies: ["Subscriptions", "Feeds", "Posts"],
                    swiftSettings: libxml2Headers),
        .testTarget(name: "UpdaterTests", dependencies: ["Updater", "Fetching", "Subscriptions", "ReadState", "Catalog",
                                                        "TestServers", "Posts"], swiftSettings: libxml2Headers),
        .testTarget(name: "InteropTests", dependencies: ["Interop", "Subscriptions", "ReadState", "Posts", "TestServers"],
                    swiftSettings: libxml2Headers),
        .testTarget(name: "ReadStateTests", dependencies: ["ReadState", "Posts", "Search"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Posts"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "Fetching", "ReadState", "Catalog", "Posts", "TestServers"],
                    swiftSettings: libxml2Headers),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Posts", "Search"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "Controller", "TerminalUI"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Controller", "Posts", "Catalog", "TextCells", "SeededRandom"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: ["gazette", "MarkLoop", "SeededRandom", "ReadState", "Posts", "TextCells",
                                                          "TestServers"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets", "SeededRandom"]),
    ],
    swiftLanguageModes: [.v6]
)
