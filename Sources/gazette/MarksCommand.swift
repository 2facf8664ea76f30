import ArgumentParser
import Foundation
import Posts
import ReadState

/// `gazette marks export [FILE]`, `gazette marks import FILE|- [--dry-run]`: read marks as JSON Lines, between
/// machines (`ssh other gazette marks export | gazette marks import -`).
struct MarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marks",
        abstract: "Export read marks as JSON Lines, or merge such a file in (the later change of each post wins).",
        discussion: """
            Keeping two machines in step: ssh other gazette marks export | gazette marks import -, and the \
            reverse (gazette marks export | ssh other gazette marks import -). Importing both ways converges; \
            importing twice changes nothing; 'u' in the reader undoes a whole import.
            """,
        subcommands: [MarksExportCommand.self, MarksImportCommand.self])
}

/// `gazette marks export [FILE]`: every mark, one JSON object a line, by post id.
struct MarksExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every read mark (read, or marked unread, with its time) as JSON Lines.",
        discussion: "A FILE is replaced atomically (mode 0600); without one, or with -, the marks go to standard output.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Where to write them (default: standard output).", valueName: "file"))
    var file: String?

    func run() throws {
        let location = try store.location()
        // No store yet: no marks, and nothing is created.
        let source = FileManager.default.fileExists(atPath: location.path)
            ? try SQLiteReadStateStore(path: location.path) : nil
        if let file, file != "-" {
            let output = try AtomicFile(path: file)
            do {
                let count = try Self.write(from: source, to: { try output.write($0) })
                try output.commit()
                print("Exported \(count) mark\(count == 1 ? "" : "s") to \(file)")
            } catch {
                output.discard()
                throw error
            }
        } else {
            let output = StandardOutput()
            try Self.write(from: source, to: { try output.write($0) })
            try output.flush()
        }
    }

    /// The header and one line per mark; returns the number of marks.
    @discardableResult
    static func write(from store: SQLiteReadStateStore?, to write: (String) throws -> Void) throws -> Int {
        try write(MarkExchangeFormat.header + "\n")
        var count = 0
        try store?.exportMarks { mark in
            try write(MarkExchangeFormat.line(for: mark) + "\n")
            count += 1
        }
        return count
    }
}

/// `gazette marks import FILE|- [--dry-run]`: merges a marks file; the later change of each post wins.
struct MarksImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Merge a marks file (or - for standard input): for each post the later change wins.",
        discussion: """
            Lines that cannot be read are reported as FILE:LINE and skipped; the others are merged, all in one \
            transaction and one undo step ('u' in the reader takes the whole import back). A mark for a post not \
            fetched here yet is kept and applies when it arrives. A time in the future is taken as the time of the \
            import.
            """)

    @OptionGroup var store: StoreOptions

    @Flag(name: .customLong("dry-run"), help: "Show what would change; change nothing.")
    var dryRun = false

    @Argument(help: ArgumentHelp("A file written by 'gazette marks export', or - (standard input).", valueName: "file"))
    var file: String

    /// At most this many lines are reported one by one, per kind of problem; the rest are counted.
    static let reportLimit = 20

    func run() throws {
        let contents = try readContents()
        let name = file
        if contents.byteCount == 0 {
            throw CommandLineError.dataError("\(file == "-" ? "standard input" : file) is empty: no marks, not even the header line",
                                             "check that 'gazette marks export' worked on the other machine")
        }
        if let newer = contents.newerFormat {
            throw CommandLineError.dataError(
                "\(name):\(newer.line): marks format \(newer.version) is newer than this Gazette reads (\(MarkExchangeFormat.version))",
                "upgrade Gazette; nothing was imported")
        }
        for (line, reason) in contents.problems.prefix(Self.reportLimit) {
            ErrorReport.printWarning("\(name):\(line): \(reason); line skipped")
        }
        if contents.problems.count > Self.reportLimit {
            ErrorReport.printWarning("\(name): \(contents.problems.count - Self.reportLimit) more lines skipped")
        }

        let now = Date()
        let nowText = MarkExchangeFormat.timestamp(Int64((now.timeIntervalSince1970 * 1000).rounded()))
        let future = zip(contents.marks, contents.markLines).filter { $0.0.changedAt > now }
        for (mark, line) in future.prefix(Self.reportLimit) {
            let at = MarkExchangeFormat.timestamp(Int64((mark.changedAt.timeIntervalSince1970 * 1000).rounded()))
            ErrorReport.printWarning("\(name):\(line): the time \(at) is in the future; taken as \(nowText)")
        }
        if future.count > Self.reportLimit {
            ErrorReport.printWarning("\(name): \(future.count - Self.reportLimit) more times in the future taken as \(nowText)")
        }

        // No mark (a header alone, or nothing valid): nothing to compare, and no store to create.
        let result = contents.marks.isEmpty ? MarkMergeResult() : try merge(contents.marks, now: now)
        print(Self.summary(result, skipped: contents.problems.count, dryRun: dryRun))
        if contents.marks.isEmpty && !contents.problems.isEmpty {
            throw CommandLineError.dataError("no line of \(name) is a mark",
                                             "pass a file written by 'gazette marks export'")
        }
    }

    /// Reads the whole file (or standard input) as marks, as a stream.
    private func readContents() throws -> MarkFileContents {
        let descriptor: Int32
        if file == "-" {
            guard isatty(STDIN_FILENO) == 0 else {
                throw CommandLineError.usage("-: standard input is a terminal",
                                             "pipe the marks into it: ssh other gazette marks export | gazette marks import -")
            }
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw CommandLineError.noInput("cannot read \(file): \(String(cString: strerror(errno)))",
                                               "pass a file written by 'gazette marks export', or -")
            }
            var info = stat()
            if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                close(descriptor)
                throw CommandLineError.noInput("cannot read \(file): it is a directory",
                                               "pass a file written by 'gazette marks export', or -")
            }
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        do {
            return try MarkFileReader.contents(of: descriptor)
        } catch let error as POSIXError {
            throw CommandLineError.noInput("cannot read \(file): \(String(cString: strerror(error.code.rawValue)))",
                                           "check the file or the command that writes into the pipe")
        }
    }

    /// Merges into the store, or in a dry run compares with it. A dry run without a store compares with an empty
    /// one in a temporary directory: nothing is created where the store would be.
    private func merge(_ marks: [ExchangedMark], now: Date) throws -> MarkMergeResult {
        let location = try store.location()
        if dryRun && !FileManager.default.fileExists(atPath: location.path) {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("gazette-marks-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(at: directory) }
            let empty = try SQLiteReadStateStore(path: directory.appendingPathComponent("state.sqlite3").path)
            return try empty.mergeMarks(marks, now: now, dryRun: true)
        }
        let target = dryRun ? try SQLiteReadStateStore(path: location.path) : try SQLiteReadStateStore(location: location)
        return try target.mergeMarks(marks, now: now, dryRun: dryRun)
    }

    /// `Merged 120 marks: 30 newer here kept, 85 applied, 5 unchanged; 2 lines skipped`.
    static func summary(_ result: MarkMergeResult, skipped: Int, dryRun: Bool) -> String {
        func count(_ number: Int, _ one: String, _ many: String) -> String { "\(number) \(number == 1 ? one : many)" }
        var text = (dryRun ? "Would merge " : "Merged ") + count(result.total, "mark", "marks")
            + ": \(result.keptNewerHere) newer here kept, \(result.applied) \(dryRun ? "to apply" : "applied"), "
            + "\(result.unchanged) unchanged"
        var notes: [String] = []
        if skipped > 0 { notes.append(count(skipped, "line skipped", "lines skipped")) }
        if result.duplicates > 0 {
            notes.append(count(result.duplicates, "repeated post", "repeated posts") + " (the latest mark taken)")
        }
        if result.fromTheFuture > 0 { notes.append("\(result.fromTheFuture) from the future taken as now") }
        if result.foundByGuid > 0 { notes.append("\(result.foundByGuid) found by feed and guid") }
        if !notes.isEmpty { text += "; " + notes.joined(separator: "; ") }
        if dryRun { text += " (dry run: nothing changed)" }
        return text
    }
}

/// A file written beside its destination and renamed over it once complete: readers see the old file or the
/// whole new one, never a part.
private final class AtomicFile {
    let path: String
    private let temporaryPath: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        var template = Array((url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw CommandLineError.ioError("cannot write \(path): \(String(cString: strerror(errno)))",
                                           "check that its directory exists and can be written")
        }
        self.descriptor = descriptor
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandLineError.ioError("cannot write \(path): \(String(cString: strerror(errno)))",
                                               "check the disk; the file was left as it was")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func commit() throws {
        try flush()
        closed = true
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw CommandLineError.ioError("cannot write \(path): \(String(cString: strerror(errno)))",
                                           "check the disk; the file was left as it was")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw CommandLineError.ioError("cannot write \(path): \(reason)", "check the file and its directory")
        }
    }

    func discard() {
        if !closed { close(descriptor) }
        unlink(temporaryPath)
    }
}
