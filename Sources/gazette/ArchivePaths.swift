import Foundation
import Glibc
import Catalog
import Posts

/// Loading the archives named on the command line (`Library.load` checks the paths; `ErrorReport` maps its
/// errors to exit statuses: a missing or unreadable path 66, no posts 65).
enum ArchivePaths {
    /// Loads `paths` (files or directories), printing the loader's warnings. `command` completes the usage
    /// hint when no path is given.
    static func load(_ paths: [String], usage command: String, stored: StoredLibrary? = nil) throws -> Library {
        guard !paths.isEmpty || stored != nil else { throw noSources(command) }
        let library: Library
        do {
            library = try Library.load(paths: paths, stored: stored)
        } catch ArchiveError.noPosts where paths.isEmpty && stored != nil {
            throw noStoredPosts(stored!)
        }
        for warning in library.warnings { ErrorReport.printWarning(warning) }
        if library.posts.isEmpty {
            throw ArchiveError.noPosts(path: paths.joined(separator: ", "))
        }
        return library
    }

    /// Opens the archives `paths` names for the reader and indexes the first posts (`firstPosts`: more than the
    /// list of the terminal shows), the caller indexes the rest (`BackgroundIndexer`). Feeds read slower than text
    /// archives (XML at about a tenth of the speed): a screenful is what the first frame waits for.
    /// Fails as `load` does; warnings so far are printed, and returned for the status bar.
    static func startLoading(_ paths: [String], usage command: String, stored: StoredLibrary? = nil,
                             firstPosts: Int = screenful(),
                             firstBytes: Int = 2 << 20) throws -> (LibraryLoader, [Post], warnings: [String]) {
        guard !paths.isEmpty || stored != nil else { throw noSources(command) }
        let loader = try LibraryLoader(paths: paths, stored: stored)
        var posts: [Post] = []
        // At least one post (or the end): a file without posts must fail here, before the screen is taken.
        while !loader.isFinished && (posts.isEmpty || (posts.count < firstPosts && loader.bytesRead < firstBytes)) {
            posts += loader.index(maxBytes: 256 << 10)
        }
        let warnings = loader.takeWarnings()
        for warning in warnings { ErrorReport.printWarning(warning) }
        if posts.isEmpty, paths.isEmpty, let stored { throw noStoredPosts(stored) }
        if posts.isEmpty { throw loader.noPostsError }
        return (loader, posts, warnings)
    }

    /// Subscriptions, none of them fetched yet (or every fetch failed).
    static func noStoredPosts(_ stored: StoredLibrary) -> CommandLineError {
        let n = stored.feeds.count
        return .dataError("no posts yet in your \(n) subscription\(n == 1 ? "" : "s")",
                          "fetch them first with gazette fetch; gazette feeds says why a feed failed")
    }

    /// Nothing to read: no path, no `set archives`, no subscription with items.
    static func noSources(_ command: String) -> CommandLineError {
        .usage("no archive given and no subscriptions with items",
               "pass archive files or directories (gazette \(command)), or subscribe: gazette add URL, then gazette fetch")
    }

    /// The paths given, else the configured archives and the stored subscriptions (for `list`, `show`, `mark`).
    static func loadDefaulting(_ paths: [String], usage command: String, statePath: String?) throws -> Library {
        guard paths.isEmpty else { return try load(paths, usage: command) }
        let configuration = try LoadedConfiguration.load(explicitPath: nil, environment: ProcessInfo.processInfo.environment)
        let (resolved, stored) = try DefaultSources.resolve(paths: paths, archives: configuration.value.archives,
                                                            statePath: statePath)
        return try load(resolved, usage: command, stored: stored)
    }

    /// A few more posts than the terminal has rows (150 when its size is unknown).
    static func screenful() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return 150 }
        return Int(size.ws_row) + 20
    }
}
