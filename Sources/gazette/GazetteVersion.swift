/// The one place the version is written.
enum GazetteVersion {
    static let current = "0.1.0"
}
