import Foundation

/// How long the reliability tests run: a short version by default (`make test`), longer when `make stress`
/// sets the variable.
enum TestScale {
    /// The integer in environment variable `name`, or `value`.
    static func count(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? value
    }
}
