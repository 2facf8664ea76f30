import Posts

/// Indexes one source file a piece at a time (see `LibraryLoader`).
protocol SourceIndexer: AnyObject {
    /// The source's title as far as known (final once it finished).
    var title: String { get }
    /// Bytes read so far.
    var bytesRead: Int { get }
    var isFinished: Bool { get }
    /// Posts returned so far.
    var postCount: Int { get }
    /// Reads about `maxBytes` more and returns the posts completed meanwhile. Throws when the file cannot be read
    /// any more; the posts returned before stay valid.
    func index(maxBytes: Int) throws -> [Post]
    /// Problems to report once (a broken feed's first error), as whole lines naming the file.
    func takeWarnings() -> [String]
    /// Where the posts' bodies are read from once indexing is over (the indexer's own descriptors are closed then).
    var reader: SourceReader { get }
}

/// A text archive: `ArchiveIndexer` reads it; bodies are read again from the file when shown.
final class ArchiveSourceIndexer: SourceIndexer {
    private let indexer: ArchiveIndexer
    private let namedTitle: String

    /// `name`: how the user named the file (`-` for standard input, whose `path` is a temporary file's).
    init(path: String, name: String, archiveIndex: Int) throws {
        indexer = try ArchiveIndexer(path: path, archiveIndex: archiveIndex)
        namedTitle = name == StandardInput.path ? "standard input" : Archive.defaultTitle(name)
    }

    /// The header line, else the file's name.
    var title: String { indexer.author != nil || indexer.title != Archive.defaultTitle(indexer.file.path) ? indexer.title : namedTitle }
    var bytesRead: Int { indexer.bytesRead }
    var isFinished: Bool { indexer.isFinished }
    var postCount: Int { indexer.postCount }
    func index(maxBytes: Int) throws -> [Post] {
        // All of it at once (`Library.load`): a big file in two halves on two threads.
        if maxBytes == .max && indexer.bytesRead == 0 && !indexer.isFinished { return try indexer.indexAll() }
        return try indexer.index(maxBytes: maxBytes)
    }
    func takeWarnings() -> [String] { [] }

    var reader: SourceReader {
        // While indexing, through the indexer's own descriptor; afterwards opened for each read, checking the file
        // is still the one that was indexed.
        isFinished ? .archive(ArchiveFile(path: indexer.file.path, identity: indexer.identity))
                   : .archiveWhileIndexing(indexer.file)
    }
}
