import Configuration
import Foundation

/// `S` in the reader: the search is appended to the configuration file as `set search NAME QUERY` (the file is
/// created with its directory when there is none); the rest of the file is left byte for byte as it was.
enum SavedSearchFile {
    static func append(_ saved: SavedSearch, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var existing = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        if let last = existing.last, last != 0x0A { existing.append(0x0A) }
        existing.append(Data((saved.configurationLine + "\n").utf8))
        // Written beside and renamed over: a crash leaves the old file or the new one, never half of one.
        let temporary = path + ".gazette-new"
        try existing.write(to: URL(fileURLWithPath: temporary))
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let permissions = attributes?[.posixPermissions] {
            try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandLineError(problem: "cannot save the search in \(path): \(reason)",
                                   advice: "add it by hand: \(saved.configurationLine)", status: .ioError)
        }
    }
}
