import ArgumentParser
import Catalog
import Controller
import Foundation
import Posts
import ReadState
import Search
import TextCells

/// `gazette search QUERY [PATH…] [--json]`: the posts that match, printed like `list`, through the index (brought
/// up to date first: only new or changed posts are indexed). Exit status 1 when nothing matches, as grep's.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "List the posts that match a query (the reader's / syntax), like list does.",
        discussion: """
            QUERY is one argument: words (all of them), "a phrase", word* (a prefix), -word (not), title:WORD, \
            author:WORD, source:TEXT (the [Source] line), feed:NAME, tag:TAG, is:unread, is:read, \
            after:2020-04-01, before:2020-04-01. Case and diacritics are ignored; Chinese, Japanese and Korean are \
            found without spaces. The index lives beside the state database (search.sqlite) and is brought up to \
            date first. Exit status 1 when nothing matches.
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print a JSON array instead of lines.")
    var json = false

    @Argument(help: "The query, quoted as one argument (words, \"phrases\", -word, title:, author:, is:unread, …).")
    var query: String

    @Argument(help: ArgumentHelp("Archive or feed files, directories of them, or - (standard input).", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        let parsed = SearchQuery.parse(query)
        for problem in parsed.problems { ErrorReport.printWarning(problem) }
        let library = try ArchivePaths.loadDefaulting(paths, usage: "search QUERY PATH", statePath: store.state)
        let marks = try store.openForReading().readMarks()
        let catalog = try Self.catalog(of: library, statePath: store.state, usesDefaults: paths.isEmpty)
        let (index, coverage) = Self.indexUpToDate(catalog, bodies: library, statePath: store.state)
        let found = catalog.matches(parsed, index: index, coverage: coverage, bodies: library,
                                    isRead: { marks[$0] != nil }) ?? []
        let posts = found.map { library.posts[$0] }
        let output = StandardOutput()
        if json {
            try PostJSON.write(posts, marks: marks, bodies: library, to: output)
        } else {
            for post in posts {
                try output.line("\(post.id)\t\(marks[post.id] == nil ? "unread" : "read")\t\(Sanitizer.clean(post.title))")
            }
        }
        try output.flush()
        if posts.isEmpty { throw ExitCode(ExitStatus.noMatch.rawValue) }
    }

    /// The library's posts grouped as the index keys them (subscriptions with their items' versions).
    static func catalog(of library: Library, statePath: String?, usesDefaults: Bool) throws -> SearchCatalog {
        let setup = usesDefaults ? try? DefaultSources.setup(statePath: statePath, quiet: true) : nil
        let summaries = SourceSummaries.make(sources: library.sourcesBySlot, subscriptions: setup?.subscriptions ?? [],
                                             states: setup?.states ?? [:])
        var versions: [PostID: Int64] = [:]
        if let setup, let items = try? ItemStore(path: setup.library.storePath, readOnly: true).itemVersions() {
            versions.reserveCapacity(items.count)
            for item in items { versions[item.id] = item.changedAt }
        }
        return SearchCatalog(posts: library.posts, sources: summaries, itemVersions: versions)
    }

    /// The index with every post of `catalog` in it, or `nil` (and a warning) when there can be none here: then the
    /// posts are scanned.
    static func indexUpToDate(_ catalog: SearchCatalog, bodies: PostBodies,
                              statePath: String?) -> (SearchIndex?, SearchCoverage?) {
        guard SearchIndex.isAvailable else {
            ErrorReport.printWarning("this system's SQLite has no FTS5: searching reads every post instead of an index")
            return (nil, nil)
        }
        do {
            let index = try SearchIndex.open(path: try SearchCatalog.indexPath(statePath: statePath))
            if let notice = index.notice { ErrorReport.printWarning(notice) }
            let coverage = SearchCoverage()
            let terminal = isatty(STDERR_FILENO) == 1
            var shown = false
            try catalog.update(index, bodies: bodies, coverage: coverage, progress: { done, total in
                guard terminal, total >= 1000 else { return }
                shown = true
                FileHandle.standardError.write(Data("\rgazette: indexing \(done)/\(total) posts".utf8))
            })
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            return (index, coverage)
        } catch {
            ErrorReport.printWarning("\(error); searching reads every post instead")
            return (nil, nil)
        }
    }
}
