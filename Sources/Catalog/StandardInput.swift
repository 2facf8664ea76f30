import Glibc
import Posts

/// `-` as a path: an archive or a feed piped into Gazette (`curl -s URL | gazette -`). Standard input is copied once
/// into an unnamed temporary file, so that it can be read again like any file (bodies are read when shown); the
/// reader then takes its keys from the terminal, as `less` does.
public enum StandardInput {
    /// The path that stands for standard input.
    public static let path = "-"

    /// Copies standard input to an unnamed temporary file and returns a path that opens it
    /// (`/proc/self/fd/N`: the descriptor stays open for the life of the process).
    static func spool() throws -> String {
        if isatty(STDIN_FILENO) == 1 { throw ArchiveError.standardInputIsATerminal }
        var st = stat()
        if fstat(STDIN_FILENO, &st) == 0, st.st_mode & S_IFMT == S_IFREG {
            // Redirected from a file (`gazette - < feed.xml`): read it where it is, through a descriptor of its own
            // (the reader then puts the terminal on standard input).
            let copy = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
            if copy >= 0 { return "/proc/self/fd/\(copy)" }
        }
        guard let fd = TemporaryFile.make() else {
            throw ArchiveError.readFailed(path: path, reason: "no temporary file to keep standard input in (set TMPDIR)")
        }
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            let got = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress!, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw ArchiveError.system(errno, path: path) }
            if got == 0 { break }
            var written = 0
            while written < got {
                let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + written, got - written) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { throw ArchiveError.readFailed(path: path, reason: "the temporary file cannot be written (disk full?)") }
                written += n
            }
        }
        return "/proc/self/fd/\(fd)"
    }

    /// After standard input was read (`-`), makes the terminal standard input again, for the reader's keys.
    /// False when there is no terminal to be had.
    public static func takeKeysFromTerminal() -> Bool {
        if isatty(STDIN_FILENO) == 1 { return true }
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else { return false }
        defer { close(tty) }
        return dup2(tty, STDIN_FILENO) >= 0
    }
}
