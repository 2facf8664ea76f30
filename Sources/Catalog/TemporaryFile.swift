import Glibc

/// Unnamed temporary files, for what Gazette keeps only while it runs.
enum TemporaryFile {
    /// A new file in `$TMPDIR` (else `/tmp`) that has no name, so it is gone when closed, whatever happens to the
    /// process; its descriptor is close-on-exec. `nil` when no such directory can be written.
    static func make() -> Int32? {
        var dirs: [String] = []
        if let tmp = getenv("TMPDIR").map({ String(cString: $0) }), tmp.hasPrefix("/") { dirs.append(tmp) }
        dirs.append("/tmp")
        for dir in dirs {
            // O_TMPFILE (Linux): __O_TMPFILE | O_DIRECTORY; Glibc's module does not export the macro.
            let fd = open(dir, 0o20000000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
            if fd >= 0 { return fd }
            // No O_TMPFILE on this file system: a named file, unlinked at once.
            var template = Array((dir + "/gazette-XXXXXX").utf8CString)
            let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if named >= 0 {
                _ = fcntl(named, F_SETFD, FD_CLOEXEC)
                template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
                return named
            }
        }
        return nil
    }
}
