import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command to completion with `posix_spawnp`, its output (stdout and stderr together)
/// captured through a temporary file.
///
/// Not `Foundation.Process`: inside `swift test` the test threads block SIGCHLD, SIGTERM and
/// SIGWINCH, children inherit that mask, and tmux hangs or the program never sees a resize.
/// Here the child starts with an empty signal mask and every signal at its default action.
enum Spawn {
    struct Result {
        var status: Int32
        var output: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `arguments` (looked up in PATH) with `environment` (this process's when `nil`),
    /// stdin from /dev/null. Kills it and throws when it outlives `timeout`.
    static func run(_ arguments: [String], environment: [String: String]? = nil,
                    timeout: TimeInterval = 10) throws -> Result {
        precondition(!arguments.isEmpty)
        let outputPath = NSTemporaryDirectory() + "gazette-spawn-\(getpid())-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        let pid = try start(arguments, environment: environment, output: outputPath)

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0, errno != EINTR {
                throw Failure(description: "waitpid failed for \(arguments.joined(separator: " "))")
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw Failure(description: "timed out after \(timeout) s: \(arguments.joined(separator: " "))")
            }
            usleep(2_000)
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(status: exitCode(status), output: output)
    }

    /// Starts `arguments` (looked up in PATH) without waiting: stdin from /dev/null, stdout and stderr
    /// appended to `output`, an empty signal mask and default dispositions. Returns its pid; reap it with
    /// `waitpid`.
    static func start(_ arguments: [String], environment: [String: String]? = nil, output: String) throws -> pid_t {
        precondition(!arguments.isEmpty)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = environment ?? ProcessInfo.processInfo.environment
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }

        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw Failure(description: "cannot run \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        return pid
    }

    /// The shell's view of a wait status: the exit code, or 128 + the signal that ended it.
    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// The full path of `name` in PATH, if it is there.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
