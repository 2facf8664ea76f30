import Glibc

/// Why an archive path could not be loaded. Each description is one line that names the path and says what to do.
public enum ArchiveError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing at this path.
    case notFound(path: String)
    /// The file or directory may not be read.
    case permissionDenied(path: String)
    /// Not a regular file or a directory (`kind`: "a FIFO", "a character device", ...).
    case notARegularFile(path: String, kind: String)
    /// `Archive.open` was given a directory.
    case isADirectory(path: String)
    /// A directory with no regular, non-hidden file in it.
    case emptyDirectory(path: String)
    /// The file (or, for a directory or several paths, every file) holds no post.
    case noPosts(path: String)
    /// Every descriptor is in use.
    case tooManyOpenFiles(path: String)
    /// Any other system error while opening or reading.
    case readFailed(path: String, reason: String)
    /// `Library.load` was given no path.
    case noPaths
    /// The file is neither a text archive nor a feed (`reason`: "is an HTML page, not a feed", ...).
    case notAnArchiveOrFeed(path: String, reason: String)
    /// `-` was given but standard input is a terminal.
    case standardInputIsATerminal

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory (check the path)"
        case .permissionDenied(let path):
            return "\(path): permission denied (check its permissions, e.g. chmod u+r)"
        case .notARegularFile(let path, let kind):
            return "\(path): is \(kind), not an archive (pass a text file or a directory of them)"
        case .isADirectory(let path):
            return "\(path): is a directory (load it as a library to read every archive in it)"
        case .emptyDirectory(let path):
            return "\(path): no archive or feed files in this directory (expected text archives such as seeds/*.txt, RSS, Atom or JSON Feed files)"
        case .noPosts(let path):
            return "\(path): no posts found (expected a title line followed by a \"Posted on\" line)"
        case .tooManyOpenFiles(let path):
            return "\(path): too many open files (raise the limit with ulimit -n, or pass fewer archives)"
        case .readFailed(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .noPaths:
            return "no archive given (pass an archive file or a directory)"
        case .notAnArchiveOrFeed(let path, let reason):
            return "\(path): \(reason)"
        case .standardInputIsATerminal:
            return "-: standard input is a terminal (pipe an archive or a feed into it: curl -s URL | gazette -)"
        }
    }

    /// The error for a failed system call on `path`, from `errno`.
    public static func system(_ code: Int32, path: String) -> ArchiveError {
        switch code {
        case ENOENT, ENOTDIR: return .notFound(path: path)
        case EACCES, EPERM: return .permissionDenied(path: path)
        case EMFILE, ENFILE: return .tooManyOpenFiles(path: path)
        case EISDIR: return .isADirectory(path: path)
        default: return .readFailed(path: path, reason: String(cString: strerror(code)))
        }
    }

    /// "a FIFO", "a directory", ... for a `st_mode`, or nil for a regular file.
    public static func kind(ofMode mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }
}
