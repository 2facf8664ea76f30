import Configuration
import Fetching
import Updater

extension FetchSettings {
    /// The updater's settings from the configuration's (`force`: `--force`).
    func updateSettings(force: Bool) -> UpdateSettings {
        var fetch = FetchOptions()
        fetch.maxTransfers = maxTransfers
        fetch.maxPerHost = maxPerHost
        fetch.connectTimeout = Double(connectTimeout)
        fetch.totalTimeout = Double(fetchTimeout)
        fetch.maxBytes = maxSizeMB << 20
        fetch.caFile = caFile
        fetch.userAgent = "Gazette/\(GazetteVersion.current) (terminal feed reader)"
        return UpdateSettings(fetch: fetch, minInterval: minInterval, force: force, keepReadDays: keepReadDays)
    }
}
