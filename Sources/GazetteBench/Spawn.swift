import Glibc

/// Starting programs with `posix_spawnp` (an empty signal mask and default dispositions, so tmux and the programs
/// it runs behave as from a shell).
enum Spawn {
    /// Runs `arguments` to completion; returns its exit status and its standard output (through a temporary
    /// file: a daemon it starts, as tmux does, may keep a pipe open long after it exits).
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String]? = nil) -> (status: Int32, output: String) {
        var template = Array("/tmp/gazette-bench-out.XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return (127, "") }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer {
            close(fd)
            unlink(path)
        }
        guard let child = start(arguments, environment: environment, pipeInput: false, outputPath: path)
        else { return (127, "") }
        let status = wait(child.pid)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = read(fd, &buffer, buffer.count)
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            output += buffer[0..<got]
        }
        return (status, String(decoding: output, as: UTF8.self))
    }

    struct Child {
        var pid: pid_t
        /// Write end of its standard input (with `pipeInput`), else -1.
        var input: Int32
        /// Read end of its standard output (standard error goes to /dev/null).
        var output: Int32
    }

    /// Starts `arguments`; its output goes to a pipe, or to the file at `outputPath`.
    static func start(_ arguments: [String], environment: [String: String]? = nil, pipeInput: Bool,
                      outputPath: String? = nil) -> Child? {
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        if outputPath == nil { guard pipe(&outPipe) == 0 else { return nil } }
        if pipeInput { guard pipe(&inPipe) == 0 else { return nil } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if pipeInput {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_addclose(&actions, inPipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let outputPath {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_TRUNC, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_addclose(&actions, outPipe[0])
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var env = environment ?? currentEnvironment()
        if environment != nil { env = currentEnvironment().merging(environment!) { _, new in new } }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        if outputPath == nil { close(outPipe[1]) }
        if pipeInput { close(inPipe[0]) }
        guard rc == 0 else {
            if outputPath == nil { close(outPipe[0]) }
            if pipeInput { close(inPipe[1]) }
            return nil
        }
        return Child(pid: pid, input: pipeInput ? inPipe[1] : -1, output: outPipe[0])
    }

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }

    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        return result
    }

    /// Whether `name` is a program on the PATH.
    static func available(_ name: String) -> Bool {
        run(["sh", "-c", "command -v \(name)"]).status == 0
    }
}
