/// The one place the version is written.
enum GazetteVersion {
    static let current = "0.1.0"
}

import CursesTerminal
import ReadState

extension GazetteVersion {
    /// `gazette --version --verbose`: the version and the libraries it runs on.
    static var verbose: String {
        "\(current)\nncurses: \(CursesTerminal.libraryVersion)\nSQLite: \(SQLiteVersion.library)"
    }
}
