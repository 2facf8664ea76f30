#if canImport(Glibc)
import Glibc
#endif
import Synchronization

// Signal handling for the curses screen.
//
// Termination (SIGINT, SIGTERM, SIGHUP, SIGQUIT): restore the terminal, reset the signal to its
// default action and re-raise, so the process ends by that signal (the shell sees 128+n).
// Read marks are committed synchronously as they are made, so nothing is lost by not
// unwinding. A signal that was ignored when curses started (nohup) stays ignored.
// Crashes (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE): restore the terminal, put back the
// previous handler (the Swift runtime's backtracer, or the default) and let the signal reach it,
// so the crash is still reported, now on a sane screen.
// SIGTSTP (Ctrl-Z): ncurses' own handler restores the terminal, stops, and redraws after `fg`.
// We wrap it (installed without SA_RESTART) so that, once it returns, the blocked read fails
// with EINTR and `nextEvent` reports `.resumed` at once; it also notices a size change made
// while stopped, which ncurses alone would not see until the next key.
// SIGCONT (continued after SIGSTOP): sets the same flag. SIGWINCH stays with ncurses.
//
// Our handlers only call async-signal-safe functions (write, tcsetattr, sigaction,
// pthread_sigmask, raise, _exit, atomic stores) and never allocate: the bytes that undo the
// screen are computed from terminfo when curses starts, not in the handler. (endwin is not
// async-signal-safe; those bytes do to the terminal what it does.) The SIGTSTP wrapper is the
// exception: it runs ncurses' handler, as ncurses itself would have.

enum Signals {
    static let termination: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let crash: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    /// Set after a stop (SIGTSTP wrapper, SIGCONT handler), cleared by `nextEvent`. An atomic:
    /// lock-free, so safe to store from a handler.
    static let resumed = Atomic<Bool>(false)

    /// Records the dispositions the handlers replace. Call before `newterm`, which installs
    /// its own SIGINT/SIGTERM handlers (they exit with status 1) when it finds the defaults.
    static func saveOriginals() {
        let state = SignalState.shared
        guard !state.pointee.installed else { return }
        for sig in termination + crash + [SIGCONT, SIGTSTP] { state.pointee.save(sig) }
    }

    /// Saves what the handlers need and installs them. Idempotent per activation.
    static func install(restoreBytes: [UInt8], terminalFD: Int32, shellModes: termios?) {
        let state = SignalState.shared
        guard !state.pointee.installed else { return }
        state.pointee.setRestore(bytes: restoreBytes, fd: terminalFD, modes: shellModes)
        _ = resumed.exchange(false, ordering: .relaxed)
        ensureAlternateStack()

        for sig in termination {
            state.pointee.save(sig)
            // Respect an ignored signal (nohup, or a background job's SIGINT).
            if handlerBits(state.pointee.oldActions[Int(sig)]) == handlerBits(SIG_IGN) { continue }
            install(sig, handler: onTermination, saving: state)
        }
        for sig in crash {
            installInfo(sig, handler: onCrash, saving: state)
        }
        install(SIGCONT, handler: onContinue, saving: state, restart: true)
        // ncurses installed its SIGTSTP handler in newterm (only when SIGTSTP had its default
        // action: a shell without job control may ignore it, and then we leave it alone).
        var stop = sigaction()
        sigaction(SIGTSTP, nil, &stop)
        let bits = handlerBits(stop)
        if bits != handlerBits(SIG_DFL), bits != handlerBits(SIG_IGN), stop.sa_flags & SA_SIGINFO == 0,
           bits != handlerBits(onStop) {
            state.pointee.chainedStop = stop
            state.pointee.save(SIGTSTP)
            install(SIGTSTP, handler: onStop, saving: state, restart: false)
        }
        state.pointee.installed = true
    }

    /// Puts back every disposition saved by `saveOriginals` or `install` (also after a failed
    /// start, which may have left ncurses' SIGINT/SIGTERM/SIGTSTP handlers behind).
    static func uninstall() {
        let state = SignalState.shared
        for sig in Int32(1)..<Int32(SignalState.maxSignal) where state.pointee.saved[Int(sig)] {
            sigaction(sig, state.pointee.oldActions + Int(sig), nil)
            state.pointee.saved[Int(sig)] = false
        }
        state.pointee.restoreCount = 0
        state.pointee.installed = false
    }

    private static func install(_ sig: Int32, handler: @convention(c) (Int32) -> Void,
                                saving state: UnsafeMutablePointer<SignalState>, restart: Bool = false) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_ONSTACK | (restart ? SA_RESTART : 0)
        state.pointee.save(sig)
        sigaction(sig, &action, nil)
    }

    private static func installInfo(_ sig: Int32,
                                    handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void,
                                    saving state: UnsafeMutablePointer<SignalState>) {
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_ONSTACK | SA_SIGINFO
        state.pointee.save(sig)
        sigaction(sig, &action, nil)
    }

    static func handlerBits(_ action: sigaction) -> Int {
        unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }

    static func handlerBits(_ handler: __sighandler_t?) -> Int {
        unsafeBitCast(handler, to: Int.self)
    }

    /// A stack overflow is a SIGSEGV with no stack left to run the handler on: give the main
    /// thread an alternate stack unless something (the Swift runtime) already did.
    private static func ensureAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 64 * 1024
        guard let memory = malloc(size) else { return }
        var stack = stack_t(ss_sp: memory, ss_flags: 0, ss_size: size)
        if sigaltstack(&stack, nil) != 0 { free(memory) }
        // On success the memory stays for the life of the process, on purpose.
    }
}

/// What the handlers read. One instance at a fixed address, written only on the main thread,
/// and each part before the handler that reads it is installed (`install` fills the restore
/// bytes and saves a signal's old action before its `sigaction`; `uninstall` clears them after
/// putting the old actions back), so a handler never sees it half-written.
struct SignalState {
    static let maxSignal = 65
    static let restoreCapacity = 512

    /// `nonisolated(unsafe)`: C signal handlers cannot take part in Swift concurrency. The
    /// pointer itself is set once, at first use (before any handler exists), and never changes;
    /// see the type's comment for the pointee.
    nonisolated(unsafe) static let shared: UnsafeMutablePointer<SignalState> = {
        let p = UnsafeMutablePointer<SignalState>.allocate(capacity: 1)
        p.initialize(to: SignalState())
        return p
    }()

    var installed = false
    var oldActions: UnsafeMutablePointer<sigaction>
    var saved: UnsafeMutablePointer<Bool>
    var restore: UnsafeMutablePointer<UInt8>
    var restoreCount = 0
    var terminalFD: Int32 = 1
    var modes = termios()
    var hasModes = false
    /// ncurses' SIGTSTP handler, which `onStop` calls.
    var chainedStop = sigaction()

    init() {
        oldActions = .allocate(capacity: SignalState.maxSignal)
        oldActions.initialize(repeating: sigaction(), count: SignalState.maxSignal)
        saved = .allocate(capacity: SignalState.maxSignal)
        saved.initialize(repeating: false, count: SignalState.maxSignal)
        restore = .allocate(capacity: SignalState.restoreCapacity)
        restore.initialize(repeating: 0, count: SignalState.restoreCapacity)
    }

    mutating func setRestore(bytes: [UInt8], fd: Int32, modes: termios?) {
        restoreCount = min(bytes.count, SignalState.restoreCapacity)
        for i in 0..<restoreCount { restore[i] = bytes[i] }
        terminalFD = fd
        if let modes { self.modes = modes; hasModes = true } else { hasModes = false }
    }

    mutating func save(_ sig: Int32) {
        guard sig > 0, Int(sig) < SignalState.maxSignal, !saved[Int(sig)] else { return }
        sigaction(sig, nil, oldActions + Int(sig))
        saved[Int(sig)] = true
    }
}

/// Undo the screen: attributes off, cursor visible, keypad and mouse off, main screen back,
/// then the tty modes the shell had. Async-signal-safe.
private func restoreTerminalFromHandler() {
    let state = SignalState.shared
    var offset = 0
    let count = state.pointee.restoreCount
    while offset < count {
        let n = write(state.pointee.terminalFD, state.pointee.restore + offset, count - offset)
        if n <= 0 { break }  // hung-up terminal or EINTR in a dying process: give up
        offset += n
    }
    if state.pointee.hasModes {
        _ = withUnsafePointer(to: &state.pointee.modes) { tcsetattr(state.pointee.terminalFD, TCSANOW, $0) }
    }
}

/// Puts back the disposition saved for `sig` (the default when none was saved).
private func restorePreviousAction(_ sig: Int32) {
    let state = SignalState.shared
    if sig > 0, Int(sig) < SignalState.maxSignal, state.pointee.saved[Int(sig)] {
        sigaction(sig, state.pointee.oldActions + Int(sig), nil)
    } else {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigaction(sig, &action, nil)
    }
}

private let onTermination: @convention(c) (Int32) -> Void = { sig in
    restoreTerminalFromHandler()
    // The default action, not the previous handler: before us that is the Swift runtime's
    // backtracer for SIGQUIT, which would hold a dying reader at an interactive prompt.
    var action = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(sig, &action, nil)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, sig)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    raise(sig)
    // Not reached: the default action of these four signals ends the process.
    _exit(128 + sig)
}

private let onCrash: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { sig, info, _ in
    restoreTerminalFromHandler()
    restorePreviousAction(sig)
    // A fault raised by the CPU (si_code > 0) happens again when the handler returns, now
    // reaching the previous handler with its real context. A signal sent by raise/kill/abort
    // (si_code <= 0), or a trap whose return address is past the trapping instruction, is
    // raised again: it stays pending until this handler returns.
    let code = info?.pointee.si_code ?? 0
    if code <= 0 || sig == SIGTRAP || sig == SIGABRT {
        raise(sig)
    }
}

private let onContinue: @convention(c) (Int32) -> Void = { _ in
    Signals.resumed.store(true, ordering: .relaxed)
}

private let onStop: @convention(c) (Int32) -> Void = { sig in
    // ncurses: endwin, stop (time passes, then `fg`), redraw the screen it knows.
    SignalState.shared.pointee.chainedStop.__sigaction_handler.sa_handler?(sig)
    Signals.resumed.store(true, ordering: .relaxed)
}
