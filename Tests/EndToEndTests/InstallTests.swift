import Foundation
import XCTest

/// `make install` puts the binary, the man page and the shell completions where each belongs.
///
/// `make install` itself builds a release binary first, which takes minutes; this test runs its second
/// half, `make install-files`, with the debug binary the tests were built with (`BINARY=`), into a
/// temporary DESTDIR.
final class InstallTests: XCTestCase {
    func testInstallFilesIntoDestdir() throws {
        guard Spawn.which("make") != nil else { throw XCTSkip("make is not installed") }
        let binary = try Fixtures.gazette()
        let destdir = try Fixtures.temporaryDirectory(for: self)
        let result = try Spawn.run(["make", "-s", "-C", Fixtures.packageRoot, "install-files", "BINARY=\(binary)",
                                    "DESTDIR=\(destdir)", "PREFIX=/usr"], timeout: 60)
        XCTAssertEqual(result.status, 0, result.output)

        let root = destdir + "/usr"
        let installed = root + "/bin/gazette"
        XCTAssertEqual(access(installed, X_OK), 0, "an executable binary")
        let version = try Spawn.run([installed, "--version"])
        XCTAssertEqual(version.status, 0)

        let man = try String(contentsOfFile: root + "/share/man/man1/gazette.1", encoding: .utf8)
        XCTAssertTrue(man.hasPrefix(".\\\""), "the roff source")
        XCTAssertTrue(man.contains(".SH KEYS"))

        let bash = try String(contentsOfFile: root + "/share/bash-completion/completions/gazette", encoding: .utf8)
        XCTAssertTrue(bash.contains("complete") && bash.contains("gazette"), bash)
        XCTAssertTrue(bash.contains("--mark-read"), "the reader's options are completed")
        let zsh = try String(contentsOfFile: root + "/share/zsh/site-functions/_gazette", encoding: .utf8)
        XCTAssertTrue(zsh.hasPrefix("#compdef gazette"), zsh)
        let fish = try String(contentsOfFile: root + "/share/fish/vendor_completions.d/gazette.fish", encoding: .utf8)
        XCTAssertTrue(fish.contains("complete -c 'gazette'") || fish.contains("complete -c gazette"), fish)
        XCTAssertTrue(fish.contains("config"), "subcommands are completed")

        // Nothing lands outside DESTDIR/PREFIX.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: destdir), ["usr"])
    }
}
