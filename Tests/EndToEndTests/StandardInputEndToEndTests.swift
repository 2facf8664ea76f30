import Foundation
import XCTest

/// `-` reads an archive (or a feed) from standard input, as `curl -s URL | gazette -` does; the reader then takes
/// its keys from the terminal, as less does. And libraries of thousands of files under a low descriptor limit.
final class StandardInputEndToEndTests: XCTestCase {
    func testListReadsAPipeAndARedirectedFile() throws {
        let gazette = try GazetteHarness(test: self)
        let fromFile = try gazette.list()
        for script in ["cat \"$1\" | \"$0\" list -", "\"$0\" list - < \"$1\""] {
            var env = ProcessInfo.processInfo.environment
            env.merge(gazette.environment) { $1 }
            let result = try Spawn.run(["/bin/sh", "-c", script, gazette.binary, Fixtures.seedFile], environment: env)
            XCTAssertEqual(result.status, 0, result.output)
            let titles = result.output.split(separator: "\n").map { String($0.split(separator: "\t")[2]) }
            XCTAssertEqual(titles, fromFile.map(\.title), script)
            let ids = result.output.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
            XCTAssertEqual(ids, fromFile.map(\.id), "the same posts have the same ids, wherever they are read from")
        }
    }

    func testTheReaderReadsAPipeAndTakesItsKeysFromTheTerminal() throws {
        let gazette = try GazetteHarness(test: self)
        let posts = try gazette.list()
        let session = try TmuxSession(command: ["/bin/sh", "-c", "cat \"$1\" | \"$0\" -", gazette.binary,
                                                Fixtures.seedFile],
                                      environment: gazette.environment)
        defer { session.close() }
        try session.waitFor(text: String(posts[0].title.prefix(30)))
        try session.send(keys: "j", "Enter")
        try session.waitFor(text: "read just now")
        try session.send(keys: "q", "q")
        XCTAssertEqual(session.exitStatus(), 0)
        XCTAssertEqual(try gazette.list().filter(\.read).map(\.id), [posts[1].id],
                       "the mark made on piped text holds for the file")
    }

    func testDashWithATerminalOnStandardInputIsAClearError() throws {
        let gazette = try GazetteHarness(test: self)
        let session = try TmuxSession(command: [gazette.binary, "list", "-"], environment: gazette.environment)
        defer { session.close() }
        XCTAssertEqual(session.exitStatus(), 66)
        try session.waitFor(text: "standard input is a terminal")
    }

    func testTenThousandFilesOpenUnderUlimit256() throws {
        let gazette = try GazetteHarness(test: self)
        let dir = try Fixtures.temporaryDirectory(for: self) + "/many"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for n in 0..<10_000 {
            let fd = open(dir + "/\(100_000 + n).txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 0)
            let text = Array("Post \(n)\n\nPosted on by\n\nBody \(n).\n".utf8)
            XCTAssertEqual(write(fd, text, text.count), text.count)
            close(fd)
        }
        var env = ProcessInfo.processInfo.environment
        env.merge(gazette.environment) { $1 }
        let result = try Spawn.run(["/bin/sh", "-c", "ulimit -n 256 && exec \"$0\" list \"$1\"", gazette.binary, dir],
                                   environment: env, timeout: 60)
        XCTAssertEqual(result.status, 0, String(result.output.prefix(500)))
        XCTAssertEqual(result.output.split(separator: "\n").count, 10_000)
    }
}
