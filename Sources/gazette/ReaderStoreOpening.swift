import Foundation
import ReadState

/// Opening the store for the interactive reader, which, unlike `list`, `show` and `mark`, repairs what it can:
/// a damaged store is moved aside (never deleted) and a new one started, and the user is told on screen and on
/// stderr (see `DamagedStoreFile` for which stores qualify).
enum ReaderStoreOpening {
    /// The open store, and a one-line notice for the status bar when the old one was moved aside.
    static func open(_ location: StoreLocation) throws -> (SQLiteReadStateStore, notice: String?) {
        do {
            return (try SQLiteReadStateStore(location: location), nil)
        } catch let error as StoreError where DamagedStoreFile.canSetAside(error, location: location) {
            // Another reader starting at the same moment may have replaced it already: look once more.
            if let store = try? SQLiteReadStateStore(location: location) { return (store, nil) }
            let aside = try DamagedStoreFile.setAside(location.path)
            let store = try SQLiteReadStateStore(location: location)
            ErrorReport.printWarning("\(error.problem); moved it to \(aside) and started a new state database")
            let name = (aside as NSString).lastPathComponent
            return (store, "Damaged state file moved aside to \(name); started a new one")
        }
    }
}
