import SeededRandom
import Foundation
import Posts
import ReadState
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The store never loses an acknowledged mark: processes that mark posts are killed with SIGKILL at random
/// moments, again and again, and after every kill the database passes `PRAGMA integrity_check` and holds every
/// mark whose write had returned.
///
/// `make test` runs a short version (20 kills of the marking helper, 10 of `gazette mark`); `make stress` a long
/// one (`GAZETTE_KILL_CYCLES`, `GAZETTE_CLI_KILL_CYCLES`). Each test prints its figures.
final class StoreCrashTests: XCTestCase {
    /// `MarkLoop` (the real `SQLiteReadStateStore`, marking as fast as it can and printing `ack IDS` after each
    /// `setRead` returns) is killed after a random number of acknowledged marks plus a random delay of up to 3 ms,
    /// or (one cycle in five) at a random moment from its start, so that kills also land while it opens the
    /// store and, in the first cycle, while it creates the schema.
    func testSIGKILLWhileMarkingLosesNoAcknowledgedMark() throws {
        let cycles = TestScale.count("GAZETTE_KILL_CYCLES", default: 20)
        let helper = try Fixtures.helper("MarkLoop")
        let directory = try Fixtures.temporaryDirectory(for: self)
        let store = directory + "/state.sqlite3"
        let seed = UInt64(Date().timeIntervalSince1970 * 1000)
        var random = SplitMix64(seed: seed)
        var acknowledged: [PostID] = []
        var killsBeforeOpen = 0
        var marksBeyondAcknowledged = 0
        var writingTime: TimeInterval = 0

        for cycle in 0..<cycles {
            let first = UInt64(cycle + 1) * 1_000_000
            let output = directory + "/cycle-\(cycle).out"
            let started = Date()
            let pid = try Spawn.start([helper, store, "\(first)", "1000000"], output: output)
            if cycle % 5 == 4 {
                usleep(UInt32(random.next() % 40_000))
            } else {
                let target = Int(random.next() % 40) + 1
                let deadline = Date().addingTimeInterval(20)
                while Self.acknowledgements(in: output).count < target, Date() < deadline, Self.isRunning(pid) {
                    usleep(500)
                }
                usleep(UInt32(random.next() % 3_000))
            }
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            writingTime += Date().timeIntervalSince(started)
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            guard Spawn.exitCode(status) == 128 + SIGKILL else {
                return XCTFail("cycle \(cycle) (seed \(seed)): MarkLoop ended by itself (\(Spawn.exitCode(status))): \(text)")
            }
            if !text.hasPrefix("open") { killsBeforeOpen += 1 }
            let acks = Self.acknowledgements(in: output)
            acknowledged += acks.flatMap { $0 }

            // What the next start sees. A read-only connection, so that the WAL left by the killed process is
            // not checkpointed away: the next cycle starts on it. Every tenth cycle a read-write open and close
            // checkpoints, as a quitting reader does.
            let exists = FileManager.default.fileExists(atPath: store)
            if !exists {
                XCTAssertTrue(acknowledged.isEmpty, "the store vanished after \(acknowledged.count) marks")
                continue
            }
            let readOnly = cycle % 10 != 9 && !acknowledged.isEmpty
            let reader = try SQLiteReadStateStore(path: store, readOnly: readOnly)
            XCTAssertEqual(try reader.integrityCheck(), ["ok"], "cycle \(cycle) (seed \(seed))")
            let marks = try reader.readMarks()
            let missing = acknowledged.filter { marks[$0] == nil }
            XCTAssertTrue(missing.isEmpty, "cycle \(cycle) (seed \(seed)): acknowledged marks lost: \(missing.prefix(10))")
            // Beyond the acknowledged ones, at most the change in flight: all of its ids or none (one transaction).
            let acknowledgedHere = Set(acks.flatMap { $0 })
            let extra = marks.keys.filter { ($0.rawValue / 1_000_000) == UInt64(cycle + 1) && !acknowledgedHere.contains($0) }
            let next = acks.flatMap { $0 }.map(\.rawValue).max().map { $0 + 1 } ?? first
            let inFlight = Set((next..<(next + Self.changeSize(after: acks.count))).map { PostID(rawValue: $0) })
            XCTAssertTrue(extra.isEmpty || Set(extra) == inFlight,
                          "cycle \(cycle) (seed \(seed)): unexpected marks \(extra.sorted().prefix(5)), in flight \(inFlight.sorted())")
            marksBeyondAcknowledged += extra.count
        }

        let final = try SQLiteReadStateStore(path: store)
        XCTAssertEqual(try final.integrityCheck(), ["ok"])
        let marks = try final.readMarks()
        XCTAssertTrue(acknowledged.allSatisfy { marks[$0] != nil }, "acknowledged marks lost after the last reopen")
        XCTAssertGreaterThan(acknowledged.count, cycles, "the helper should have marked something in most cycles")
        print("StoreCrashTests: \(cycles) SIGKILLs of MarkLoop (\(killsBeforeOpen) before the store was open), "
              + "\(acknowledged.count) acknowledged marks checked after every kill, all present; "
              + "\(marksBeyondAcknowledged) committed but unacknowledged; integrity ok; seed \(seed); "
              + String(format: "%.0f marks/s while marking", Double(acknowledged.count) / max(writingTime, 0.001)))
    }

    /// The real command line: `gazette mark ID` runs again and again and is killed at a random moment of its
    /// short life (start-up, opening the store, committing, exiting). A run that exited 0 before the kill is an
    /// acknowledged mark.
    func testSIGKILLingGazetteMarkLosesNoAcknowledgedMark() throws {
        let attempts = TestScale.count("GAZETTE_CLI_KILL_CYCLES", default: 10)
        let gazette = try GazetteHarness(test: self)
        let store = gazette.dataHome + "/state.sqlite3"
        let output = gazette.dataHome + "/mark.out"
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = gazette.dataHome

        // How long one run takes here, to spread the kills over it.
        let timing = Date()
        let warmUp = try Spawn.run([gazette.binary, "mark", "--state", store, "00000000000000ff"], environment: environment)
        XCTAssertEqual(warmUp.status, 0, warmUp.output)
        let runTime = max(0.005, Date().timeIntervalSince(timing))

        var random = SplitMix64(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        var acknowledged: [PostID] = [PostID(rawValue: 0xFF)]
        var kills = 0
        for attempt in 0..<attempts {
            let id = PostID(rawValue: 0x1000 + UInt64(attempt))
            let pid = try Spawn.start([gazette.binary, "mark", "--state", store, id.description],
                                      environment: environment, output: output)
            usleep(UInt32(Double(random.next() % 1000) / 1000 * runTime * 1.2 * 1_000_000))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            switch Spawn.exitCode(status) {
            case 0: acknowledged.append(id)
            case 128 + SIGKILL: kills += 1
            case let other:
                XCTFail("gazette mark failed (\(other)): \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
            }
            let check = try SQLiteReadStateStore(path: store, readOnly: true)
            XCTAssertEqual(try check.integrityCheck(), ["ok"], "attempt \(attempt)")
            let marks = try check.readMarks()
            XCTAssertTrue(acknowledged.allSatisfy { marks[$0] != nil }, "attempt \(attempt): an acknowledged mark is lost")
        }
        let final = try SQLiteReadStateStore(path: store)
        XCTAssertEqual(try final.integrityCheck(), ["ok"])
        XCTAssertEqual(Set(try final.readMarks().keys).intersection(acknowledged).count, acknowledged.count)
        print("StoreCrashTests: \(attempts) runs of 'gazette mark', \(kills) SIGKILLed at a random moment, "
              + "\(acknowledged.count) acknowledged marks checked after each, all present, integrity ok")
    }

    // MARK: Helpers

    /// The ids of each `ack` line MarkLoop wrote so far (a partial last line is ignored).
    static func acknowledgements(in path: String) -> [[PostID]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // after the last newline: empty, or a line still being written
        return lines.compactMap { line in
            guard line.hasPrefix("ack ") else { return nil }
            return line.dropFirst(4).split(separator: ",").compactMap { PostID(hex: $0) }
        }
    }

    /// MarkLoop's change number `n` (0-based) marks three ids when `n % 7 == 6`, else one.
    static func changeSize(after changes: Int) -> UInt64 { changes % 7 == 6 ? 3 : 1 }

    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }
}

