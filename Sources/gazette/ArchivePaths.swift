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
}
