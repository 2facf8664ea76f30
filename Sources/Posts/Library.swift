import Glibc

/// The archives the reader was given, and all their posts in order.
public struct Library: PostBodies {
    public let archives: [Archive]
    /// The posts of every archive, concatenated in the order the archives were given; `archiveIndex` says whose.
    public let posts: [Post]
    /// One line per file that was skipped (no posts, unreadable), naming it; shown to the user, not fatal.
    public let warnings: [String]

    public init(archives: [Archive], warnings: [String] = []) {
        self.archives = archives
        // One archive: share its array instead of copying it (100,000 posts are about 13 MB).
        self.posts = archives.count == 1 ? archives[0].posts : archives.flatMap(\.posts)
        self.warnings = warnings
    }

    public func archive(of post: Post) -> Archive { archives[post.archiveIndex] }

    /// The post's blocks, or none when the post is not from this library.
    public func body(of post: Post) -> [Block] {
        guard archives.indices.contains(post.archiveIndex) else { return [] }
        return archives[post.archiveIndex].body(of: post)
    }

    /// The post's body as plain text (for search).
    public func bodyText(of post: Post) -> String {
        guard archives.indices.contains(post.archiveIndex) else { return "" }
        return archives[post.archiveIndex].bodyText(of: post)
    }

    /// Loads archive files and directories of them.
    ///
    /// A directory stands for every regular, non-hidden file directly in it, sorted by name (subdirectories,
    /// FIFOs and devices in it are ignored). A path that is missing, unreadable, a FIFO or device, or an empty
    /// directory is an error. A file without posts (or an unreadable file inside a directory) is skipped with a
    /// warning when other files have posts; when no post is found at all, loading fails.
    public static func load(paths: [String]) throws -> Library {
        let files = try resolve(paths: paths)
        var archives: [Archive] = []
        var warnings: [String] = []
        var firstNoPosts: ArchiveError?
        for file in files {
            do {
                archives.append(try Archive.open(path: file.path, archiveIndex: archives.count))
            } catch let error as ArchiveError {
                switch error {
                case .noPosts:
                    firstNoPosts = firstNoPosts ?? error
                    warnings.append("\(error); skipped")
                case .tooManyOpenFiles:
                    throw error
                case _ where !file.explicit:
                    // A file in a directory that is unreadable, or changed since the directory was listed.
                    warnings.append("\(error); skipped")
                default:
                    throw error
                }
            }
        }
        if archives.isEmpty {
            if files.count == 1, let e = firstNoPosts { throw e }
            throw ArchiveError.noPosts(path: paths.joined(separator: ", "))
        }
        return Library(archives: archives, warnings: warnings)
    }

    /// The files `paths` stand for, in order (see `load`); `explicit` for a file named on its own.
    static func resolve(paths: [String]) throws -> [(path: String, explicit: Bool)] {
        guard !paths.isEmpty else { throw ArchiveError.noPaths }
        var files: [(path: String, explicit: Bool)] = []
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else { throw ArchiveError.system(errno, path: path) }
            if st.st_mode & S_IFMT == S_IFDIR {
                let names = try regularFiles(in: path)
                guard !names.isEmpty else { throw ArchiveError.emptyDirectory(path: path) }
                files += names.map { (join(path, $0), false) }
            } else if let kind = ArchiveError.kind(ofMode: st.st_mode) {
                throw ArchiveError.notARegularFile(path: path, kind: kind)
            } else {
                files.append((path, true))
            }
        }
        return files
    }

    /// Names of the regular (or symlinked-to-regular), non-hidden files in `dir`, sorted by their bytes.
    private static func regularFiles(in dir: String) throws -> [String] {
        guard let d = opendir(dir) else { throw ArchiveError.system(errno, path: dir) }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            var st = stat()
            guard stat(join(dir, name), &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            names.append(name)
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
