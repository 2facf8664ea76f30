import Configuration
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ConfigurationLocation {
    /// The files on disk: regular files up to `ConfigurationParser.maximumFileSize`, as UTF-8 (invalid bytes
    /// become U+FFFD and then fail as names), identified by their real path.
    static func systemFiles(environment: [String: String]) -> ConfigurationFiles {
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        return ConfigurationFiles(read: { (path: String) throws(ConfigurationFiles.ReadError) -> String in
            try readFile(path)
        }, identity: { path in
            guard let real = realpath(path, nil) else { return (path as NSString).standardizingPath }
            defer { free(real) }
            return String(cString: real)
        }, home: home)
    }

    private static func readFile(_ path: String) throws(ConfigurationFiles.ReadError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw ConfigurationFiles.ReadError(reason: String(cString: strerror(errno)), missing: errno == ENOENT)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ConfigurationFiles.ReadError(reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ConfigurationFiles.ReadError(reason: "not a regular file") }
        guard Int(info.st_size) <= ConfigurationParser.maximumFileSize else {
            throw ConfigurationFiles.ReadError(reason: "larger than \(ConfigurationParser.maximumFileSize / 1024) KiB")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ConfigurationFiles.ReadError(reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            bytes += chunk[0..<n]
            guard bytes.count <= ConfigurationParser.maximumFileSize else {
                throw ConfigurationFiles.ReadError(reason: "larger than \(ConfigurationParser.maximumFileSize / 1024) KiB")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
