// CONTRACT placeholder (issue 13): `gazette import newsboat [DIR]`.
enum NewsboatImport {
    static func run(directory: String?, dryRun: Bool, store: StoreOptions, urls: SubscriptionOptions) throws {
        throw CommandLineError.usage("newsboat import is not there yet", "issue 13")
    }
}
