/// A failure the command line reports as `gazette: <problem> (<advice>)` with its exit status.
struct CommandLineError: Error, CustomStringConvertible {
    var problem: String
    var advice: String
    var status: ExitStatus

    var description: String { "\(problem) (\(advice))" }

    static func usage(_ problem: String, _ advice: String) -> CommandLineError {
        CommandLineError(problem: problem, advice: advice, status: .usage)
    }

    static func dataError(_ problem: String, _ advice: String) -> CommandLineError {
        CommandLineError(problem: problem, advice: advice, status: .dataError)
    }

    static func noInput(_ problem: String, _ advice: String) -> CommandLineError {
        CommandLineError(problem: problem, advice: advice, status: .noInput)
    }

    static func ioError(_ problem: String, _ advice: String) -> CommandLineError {
        CommandLineError(problem: problem, advice: advice, status: .ioError)
    }
}

/// Standard output was closed by the reader (EPIPE): stop quietly.
struct OutputClosed: Error {}
