import Glibc

/// Which file a path named, and in what state, when it was read: device, inode, size and modification time. A file
/// re-dumped, appended to or truncated since has another identity.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modifiedSeconds: Int64
    public var modifiedNanoseconds: Int64

    public init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modifiedSeconds = Int64(st.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(st.st_mtim.tv_nsec)
    }

    /// The identity of the open file `descriptor`, or `nil` when `fstat` fails.
    public static func of(descriptor: Int32) -> FileIdentity? {
        var st = stat()
        return fstat(descriptor, &st) == 0 ? FileIdentity(st) : nil
    }

    /// The identity of the file at `path` now, or `nil` when it is gone or cannot be read.
    public static func of(path: String) -> FileIdentity? {
        var st = stat()
        return stat(path, &st) == 0 ? FileIdentity(st) : nil
    }
}
