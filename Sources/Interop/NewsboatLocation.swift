import Foundation

/// Where newsboat keeps its `urls` and `cache.db`.
public struct NewsboatLocation: Hashable, Sendable {
    public var urls: String
    public var cache: String

    public init(urls: String, cache: String) {
        self.urls = urls
        self.cache = cache
    }

    /// What to call them in messages: the folder when both are in one, else both paths.
    public var description: String {
        let folder = (urls as NSString).deletingLastPathComponent
        return folder == (cache as NSString).deletingLastPathComponent ? folder : "\(urls), \(cache)"
    }

    /// `directory/urls` and `directory/cache.db` when a folder is given. Otherwise newsboat's own choice
    /// (its `configpaths`): the XDG layout when `$XDG_CONFIG_HOME/newsboat` (default `~/.config/newsboat`) is a
    /// folder, with the cache in `$XDG_DATA_HOME/newsboat` (default `~/.local/share/newsboat`); else `~/.newsboat`.
    /// Throws `.missing` when the folder given, or every default one, is not there (naming where it looked).
    public static func find(directory: String?, environment: [String: String]) throws(NewsboatError) -> NewsboatLocation {
        let fileManager = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var flag: ObjCBool = false
            return fileManager.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
        if let directory {
            guard isDirectory(directory) else {
                throw NewsboatError(
                    kind: .missing,
                    problem: fileManager.fileExists(atPath: directory) ? "\(directory) is not a folder"
                        : "there is no folder \(directory)",
                    advice: "pass the folder that holds newsboat's urls and cache.db (~/.newsboat, or ~/.config/newsboat)")
            }
            let urls = (directory as NSString).appendingPathComponent("urls")
            var cache = (directory as NSString).appendingPathComponent("cache.db")
            // Given newsboat's XDG config folder: its cache is in the data folder.
            let xdg = xdgFolders(environment: environment)
            if !fileManager.fileExists(atPath: cache), standardized(directory) == standardized(xdg.config) {
                cache = (xdg.data as NSString).appendingPathComponent("cache.db")
            }
            return NewsboatLocation(urls: urls, cache: cache)
        }
        let xdg = xdgFolders(environment: environment)
        if isDirectory(xdg.config) {
            return NewsboatLocation(urls: (xdg.config as NSString).appendingPathComponent("urls"),
                                    cache: (xdg.data as NSString).appendingPathComponent("cache.db"))
        }
        let dot = (home(environment) as NSString).appendingPathComponent(".newsboat")
        guard isDirectory(dot) else {
            throw NewsboatError(kind: .missing, problem: "no newsboat folder: neither \(xdg.config) nor \(dot) is there",
                                advice: "pass the folder that holds newsboat's urls and cache.db")
        }
        return NewsboatLocation(urls: (dot as NSString).appendingPathComponent("urls"),
                                cache: (dot as NSString).appendingPathComponent("cache.db"))
    }

    /// newsboat's XDG folders: `$XDG_CONFIG_HOME/newsboat` and `$XDG_DATA_HOME/newsboat`, each variable used only
    /// when absolute (as the XDG specification says), else `~/.config` and `~/.local/share`.
    static func xdgFolders(environment: [String: String]) -> (config: String, data: String) {
        let home = home(environment)
        func base(_ variable: String, _ fallback: String) -> String {
            if let value = environment[variable], value.hasPrefix("/") { return value }
            return (home as NSString).appendingPathComponent(fallback)
        }
        return ((base("XDG_CONFIG_HOME", ".config") as NSString).appendingPathComponent("newsboat"),
                (base("XDG_DATA_HOME", ".local/share") as NSString).appendingPathComponent("newsboat"))
    }

    private static func home(_ environment: [String: String]) -> String {
        environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? NSHomeDirectory()
    }

    private static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
