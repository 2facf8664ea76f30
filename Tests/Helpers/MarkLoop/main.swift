// MarkLoop: marks posts read as fast as it can, for the SIGKILL test (EndToEndTests/StoreCrashTests).
//
//     MarkLoop STATE_PATH FIRST_ID COUNT
//
// Opens the store at STATE_PATH (the real SQLiteReadStateStore, as `gazette` does), then marks ids FIRST_ID,
// FIRST_ID+1, ... read. Every seventh change is a batch of three ids in one call (one transaction, one undo
// group); the others are single ids, each followed by a session setting and a reading position, as the reader
// writes them. After each `setRead` returns, one line goes to standard output with a single write(2):
// `ack ID[,ID...]` (ids in hex). A line on stdout therefore means "committed": the test kills this process at
// random moments and then checks that every acknowledged id is read in the store. `open` is printed once the
// store is open. Exits 0 after COUNT changes, 1 with a message on stderr when the store fails.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Posts
import ReadState

func say(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { exit(2) }
        offset += n
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let first = UInt64(arguments[2]), let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: MarkLoop STATE_PATH FIRST_ID COUNT\n".utf8))
    exit(64)
}
do {
    let store = try SQLiteReadStateStore(path: arguments[1])
    say("open")
    var next = first
    for change in 0..<count {
        let size: UInt64 = change % 7 == 6 ? 3 : 1
        let ids = (next..<(next + size)).map { PostID(rawValue: $0) }
        next += size
        try store.setRead(ids, read: true, at: Date())
        say("ack " + ids.map(\.description).joined(separator: ","))
        if size == 1 {
            try store.setSetting("last-selection", ids[0].description)
            try store.setPosition(ReadingPosition(block: change % 50 + 1), of: ids[0], at: Date())
        }
    }
} catch {
    FileHandle.standardError.write(Data("MarkLoop: \(error)\n".utf8))
    exit(1)
}
