import Controller
import Foundation
import TerminalUI

/// TEST ONLY: makes the reader crash on purpose, so that the end-to-end tests can check that a crash inside the
/// program gives the terminal back (TerminalRestoreTests).
///
/// When `GAZETTE_TEST_CRASH_KEY` names a key as the help screen writes it (`F12`, `^X`, `M-x`), pressing that
/// key in the reader stops the program with a Swift runtime trap (`fatalError`), as a bug would. Unset (always,
/// outside the tests), the terminal is used as it is and nothing changes.
enum TestCrashTrigger {
    static let variable = "GAZETTE_TEST_CRASH_KEY"

    /// `terminal`, or a wrapper that traps on the configured key.
    static func wrap(_ terminal: Terminal) -> Terminal {
        guard let name = ProcessInfo.processInfo.environment[variable], !name.isEmpty else { return terminal }
        return CrashingTerminal(terminal, keyName: name)
    }

    private final class CrashingTerminal: Terminal {
        private let base: Terminal
        private let keyName: String

        init(_ base: Terminal, keyName: String) {
            self.base = base
            self.keyName = keyName
        }

        var size: Size { base.size }
        func draw(_ frame: Frame) { base.draw(frame) }
        func invalidate() { base.invalidate() }
        func suspend() { base.suspend() }
        func resume() { base.resume() }

        func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
            let event = base.nextEvent(timeoutMilliseconds: timeoutMilliseconds)
            if case .key(let key) = event, key.displayName == keyName {
                fatalError("\(TestCrashTrigger.variable): \(keyName) pressed, crashing on purpose")
            }
            return event
        }
    }
}
