import ArgumentParser
import Configuration
import Foundation

/// `--config PATH`, and loading the configuration it (or the default location) names.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "The configuration file (default: $XDG_CONFIG_HOME/gazette/config).", valueName: "path"),
            completion: .file())
    var path: String?

    init() {}

    init(path: String?) { self.path = path }

    /// The configuration from the file (the defaults when there is none), and the problems in it.
    func load() throws -> LoadedConfiguration {
        try LoadedConfiguration.load(explicitPath: path, environment: ProcessInfo.processInfo.environment)
    }
}

/// A configuration file, read: its settings and what was wrong in it.
struct LoadedConfiguration {
    var value = Configuration()
    var diagnostics: [ConfigurationDiagnostic] = []
    /// The file that was read; `nil` when there was none (defaults).
    var path: String?

    /// Reads `explicitPath`, or the default location. A file named with `--config` must exist; the default
    /// one may be missing (the defaults apply).
    static func load(explicitPath: String?, environment: [String: String]) throws -> LoadedConfiguration {
        var loaded = LoadedConfiguration()
        guard let path = explicitPath ?? ConfigurationLocation.defaultPath(environment: environment) else { return loaded }
        let files = ConfigurationLocation.systemFiles(environment: environment)
        let text: String
        do throws(ConfigurationFiles.ReadError) {
            text = try files.read(path)
        } catch {
            if explicitPath != nil {
                throw CommandLineError.noInput("cannot read the configuration file \(path): \(error.reason)",
                                               "check the path given to --config")
            }
            if error.missing { return loaded }
            loaded.path = path
            loaded.diagnostics = [ConfigurationDiagnostic(file: path, line: nil, message: "cannot read: \(error.reason)")]
            return loaded
        }
        loaded.path = path
        loaded.diagnostics = ConfigurationParser(files: files).parse(text, file: path, into: &loaded.value)
        return loaded
    }

    /// One status-bar line about the problems, or `nil` when there are none: the first problem with the
    /// file's name alone (the status bar is short; stderr has the full paths), and how many more.
    var statusNote: String? {
        guard let first = diagnostics.first else { return nil }
        var short = first
        short.file = (first.file as NSString).lastPathComponent
        let more = diagnostics.count > 1 ? " (+\(diagnostics.count - 1) more: gazette config check)" : ""
        return "\(short)\(more)"
    }
}
