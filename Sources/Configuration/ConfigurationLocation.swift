import Foundation

/// Where the configuration file is (reading it is the executable's job: `ConfigurationFiles` is injected).
public enum ConfigurationLocation {
    /// `$XDG_CONFIG_HOME/gazette/config`, or `~/.config/gazette/config` when `XDG_CONFIG_HOME` is unset,
    /// empty or relative (the XDG spec says to ignore a relative one); `nil` without a home directory.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return (xdg as NSString).appendingPathComponent("gazette/config")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return (home as NSString).appendingPathComponent(".config/gazette/config")
    }
}
