import Configuration
import Controller
import XCTest

/// The configuration fuzz body on hand-picked inputs (libFuzzer explores further where `make fuzz` runs it).
final class ConfigurationFuzzCheckTests: XCTestCase {
    func testTrickyInputsKeepTheInvariants() {
        let inputs: [String] = [
            "", "\n\n\n", "#", "\"", "set", "set archives \"\"", "bind-key \"#\" help\nunbind-key -a\nunbind-key -a",
            "include /fuzz/config", "include config\ninclude config", "bind-key ^@ quit\nbind-key M-\" zoom",
            "color normal color255 color0 bold dim reverse underline italic",
            "set pager \"a\\\\b\"\nset browser \"#%s\"", "\u{FEFF}set mouse yes\r\n", "bind-key \u{0} quit",
            "bind-key \u{FFFD} quit\nbind-key ┐ help list", "set archives ~ ~/ ./ ../..", "unbind-key q list\nunbind-key q reading",
            Configuration().dump,
        ]
        for input in inputs {
            XCTAssertEqual(ConfigurationFuzzCheck.check(Array(input.utf8)), [], input)
        }
        XCTAssertEqual(ConfigurationFuzzCheck.check([0xFF, 0xFE, 0x0A, 0xC3]), [])
    }
}
