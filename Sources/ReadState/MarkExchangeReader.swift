#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Everything read from a marks file: the marks of its valid lines and why each other line was skipped.
public struct MarkFileContents: Sendable {
    /// The marks in the order of the file (duplicates included: `mergeMarks` keeps the latest of each post).
    public var marks: [ExchangedMark] = []
    /// The line (1-based) of each of `marks`.
    public var markLines: [Int] = []
    /// The skipped lines, 1-based, with the reason.
    public var problems: [(line: Int, reason: String)] = []
    /// The number of lines read (a last line without a newline counts).
    public var lineCount = 0
    /// Bytes read: 0 for an empty file.
    public var byteCount = 0
    /// Set when a header names a newer format: reading stopped at that line (`line`, `version`).
    public var newerFormat: (line: Int, version: Int)?

    public init() {}
}

/// Reads a marks file as a stream: 64 KB at a time, one line at a time, never the whole file in memory (only
/// the marks themselves, a hundred bytes or so each). A line longer than `MarkExchangeFormat.maxLineLength` is
/// skipped without being kept.
public enum MarkFileReader {
    /// Reads `descriptor` to its end. Throws `POSIXError` when a read fails.
    public static func contents(of descriptor: Int32) throws -> MarkFileContents {
        var contents = MarkFileContents()
        var line: [UInt8] = []
        var overlong = false
        var chunk = [UInt8](repeating: 0, count: 1 << 16)

        /// Returns false to stop reading.
        func finishLine() -> Bool {
            contents.lineCount += 1
            defer {
                line.removeAll(keepingCapacity: line.count < 4096)
                overlong = false
            }
            if overlong {
                contents.problems.append((contents.lineCount, "longer than 1 MB"))
                return true
            }
            switch MarkExchangeFormat.parse(line) {
            case .success(.mark(let mark)):
                contents.marks.append(mark)
                contents.markLines.append(contents.lineCount)
            case .success(.blank): break
            case .success(.header(let version)):
                if version > MarkExchangeFormat.version {
                    contents.newerFormat = (contents.lineCount, version)
                    return false
                }
            case .failure(let error): contents.problems.append((contents.lineCount, error.reason))
            }
            return true
        }

        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if count == 0 { break }
            contents.byteCount += count
            var start = 0
            while start < count {
                let newline = chunk[start..<count].firstIndex(of: UInt8(ascii: "\n"))
                let end = newline ?? count
                if !overlong {
                    if line.count + (end - start) > MarkExchangeFormat.maxLineLength {
                        overlong = true
                        line.removeAll()
                    } else {
                        line.append(contentsOf: chunk[start..<end])
                    }
                }
                guard let newline else { break }
                if !finishLine() { return contents }
                start = newline + 1
            }
        }
        if !line.isEmpty || overlong { _ = finishLine() }
        return contents
    }
}
