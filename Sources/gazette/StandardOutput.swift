import Foundation

/// Buffered writes to standard output with write(2), so that a closed pipe is an `OutputClosed` error
/// (SIGPIPE is ignored in `Gazette.main`) and a full disk is a clear error rather than lost text.
final class StandardOutput {
    private var buffer: [UInt8] = []
    private let limit = 1 << 16

    init() { buffer.reserveCapacity(limit) }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= limit { try flush() }
    }

    func line(_ text: String = "") throws {
        try write(text)
        try write("\n")
    }

    func flush() throws {
        var offset = 0
        defer { buffer.removeAll(keepingCapacity: true) }
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { bytes in
                Foundation.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written >= 0 {
                offset += written
            } else if errno == EINTR {
                continue
            } else if errno == EPIPE {
                throw OutputClosed()
            } else if errno == EBADF {
                // `gazette list PATH >&-`: fd 1 is closed (or now some read-only file).
                throw CommandLineError.ioError("standard output is closed",
                                               "send it somewhere: '> FILE' or '| less'")
            } else {
                throw CommandLineError.ioError("cannot write the output: \(String(cString: strerror(errno)))",
                                               "check the disk or the file the output goes to")
            }
        }
    }
}
