import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs another program in the foreground, as `system(3)` would but without a shell: an argument
/// vector for `posix_spawnp`, so nothing in a URL or a setting is interpreted.
///
/// The child starts with an empty signal mask and default dispositions (the reader ignores SIGPIPE and
/// handles SIGINT, SIGTSTP…; a pager must not inherit that). While it runs, the reader ignores SIGINT
/// and SIGQUIT, so a Ctrl-C meant for the pager does not end the reader too.
enum ChildProcess {
    enum Outcome: Equatable {
        /// It ran and exited with this status (128 + n when signal n ended it).
        case exited(Int32)
        /// It could not be started (`errno`: not found, not executable).
        case notStarted(Int32)
    }

    /// Runs `arguments` with the terminal as stdin, or `input` fed through a pipe.
    static func run(_ arguments: [String], input: [UInt8]? = nil) -> Outcome {
        guard !arguments.isEmpty else { return .notStarted(ENOENT) }
        var pipeFDs: [Int32] = [-1, -1]
        if input != nil {
            guard pipe(&pipeFDs) == 0 else { return .notStarted(errno) }
            // Neither end may leak into the child except as its stdin (dup2 clears the flag on fd 0).
            for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil { posix_spawn_file_actions_adddup2(&actions, pipeFDs[0], 0) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGWINCH, SIGCONT] {
            sigaddset(&defaults, sig)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }

        // Like system(3): the reader ignores the terminal's interrupt keys while the child has the terminal.
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&ignore.sa_mask)
        var oldInt = sigaction(), oldQuit = sigaction()
        sigaction(SIGINT, &ignore, &oldInt)
        sigaction(SIGQUIT, &ignore, &oldQuit)
        defer {
            sigaction(SIGINT, &oldInt, nil)
            sigaction(SIGQUIT, &oldQuit, nil)
        }

        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        if input != nil { close(pipeFDs[0]) }
        guard rc == 0 else {
            if input != nil { close(pipeFDs[1]) }
            return .notStarted(rc)
        }
        if let input {
            // A pager that quits early closes the pipe: EPIPE (SIGPIPE is ignored), and we stop writing.
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = write(pipeFDs[1], bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(pipeFDs[1])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(127) }
        }
        let signal = status & 0x7F
        return .exited(signal == 0 ? (status >> 8) & 0xFF : 128 + signal)
    }
}
