import Glibc
import Catalog
import Posts

/// Loading the archives named on the command line (`Library.load` checks the paths; `ErrorReport` maps its
/// errors to exit statuses: a missing or unreadable path 66, no posts 65).
enum ArchivePaths {
    /// Loads `paths` (files or directories), printing the loader's warnings. `command` completes the usage
    /// hint when no path is given.
    static func load(_ paths: [String], usage command: String) throws -> Library {
        guard !paths.isEmpty else {
            throw CommandLineError.usage("no archive given", "pass archive files or directories: gazette \(command)")
        }
        let library = try Library.load(paths: paths)
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
    static func startLoading(_ paths: [String], usage command: String, firstPosts: Int = screenful(),
                             firstBytes: Int = 2 << 20) throws -> (LibraryLoader, [Post], warnings: [String]) {
        guard !paths.isEmpty else {
            throw CommandLineError.usage("no archive given", "pass archive files or directories: gazette \(command)")
        }
        let loader = try LibraryLoader(paths: paths)
        var posts: [Post] = []
        // At least one post (or the end): a file without posts must fail here, before the screen is taken.
        while !loader.isFinished && (posts.isEmpty || (posts.count < firstPosts && loader.bytesRead < firstBytes)) {
            posts += loader.index(maxBytes: 256 << 10)
        }
        let warnings = loader.takeWarnings()
        for warning in warnings { ErrorReport.printWarning(warning) }
        if posts.isEmpty { throw loader.noPostsError }
        return (loader, posts, warnings)
    }

    /// A few more posts than the terminal has rows (150 when its size is unknown).
    static func screenful() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return 150 }
        return Int(size.ws_row) + 20
    }
}
