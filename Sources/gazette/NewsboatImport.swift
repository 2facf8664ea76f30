import Foundation
import Interop
import ReadState

/// `gazette import newsboat [DIR]`: newsboat's subscriptions (urls), stored items and read marks (cache.db, read
/// without writing to it: newsboat may be running). What it changes and why: `NewsboatMigration`.
enum NewsboatImport {
    static func run(directory: String?, dryRun: Bool, store: StoreOptions, urls: SubscriptionOptions) throws {
        // Everything of newsboat's is read first: a problem there changes nothing in Gazette.
        let location = try translating {
            try NewsboatLocation.find(directory: directory, environment: ProcessInfo.processInfo.environment)
        }
        let urlsText = try readURLs(location.urls)
        var cache: NewsboatCache?
        if FileManager.default.fileExists(atPath: location.cache) {
            cache = try translating { try NewsboatCache.read(path: location.cache) }
        } else {
            ErrorReport.printWarning("there is no newsboat cache at \(location.cache): importing the subscriptions only")
        }

        var file = try urls.load()
        let storeLocation = try store.location()
        let storeExists = FileManager.default.fileExists(atPath: storeLocation.path)
        let plan: NewsboatImportPlan
        if dryRun {
            let items = storeExists ? try ItemStore(path: storeLocation.path, readOnly: true) : nil
            let marks = storeExists ? try SQLiteReadStateStore(path: storeLocation.path, readOnly: true) : nil
            plan = try NewsboatMigration.plan(urlsText: urlsText, cache: cache, gazetteURLs: file.file, items: items,
                                              marks: marks)
        } else {
            try storeLocation.createDirectoryIfNeeded()
            let items = try ItemStore(path: storeLocation.path)
            let marks = try SQLiteReadStateStore(path: storeLocation.path)
            plan = try NewsboatMigration.plan(urlsText: urlsText, cache: cache, gazetteURLs: file.file, items: items,
                                              marks: marks)
            // Items and marks first, the urls file last: the subscriptions appear with their items, and an import
            // that stops midway leaves nothing visible half done (running it again completes it).
            try NewsboatMigration.apply(plan, items: items, marks: marks, now: Date())
            if NewsboatMigration.addSubscriptions(plan, to: &file.file) > 0 { try file.save() }
        }
        for line in plan.skippedLines { ErrorReport.printWarning("\(location.urls):\(line.line): \(line.message)") }
        let output = StandardOutput()
        try output.line(NewsboatMigration.summary(plan, from: location.description, dryRun: dryRun))
        try output.flush()
    }

    /// newsboat's urls file, as text.
    private static func readURLs(_ path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            throw CommandLineError.noInput("there is no newsboat urls file at \(path)",
                                           "pass the folder that holds newsboat's urls and cache.db")
        } catch {
            throw CommandLineError.noInput("cannot read newsboat's urls file \(path): \(error.localizedDescription)",
                                           "check its permissions")
        }
        guard data.count <= 16 << 20 else {
            throw CommandLineError.dataError("newsboat's urls file \(path) is larger than 16 MB", "is it the right file?")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `NewsboatError`s as the command line reports them.
    private static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NewsboatError {
            let status: ExitStatus = switch error.kind {
            case .missing, .unreadable: .noInput
            case .unknownSchema, .corrupt: .dataError
            case .locked: .tempFail
            }
            throw CommandLineError(problem: error.problem, advice: error.advice, status: status)
        }
    }
}
