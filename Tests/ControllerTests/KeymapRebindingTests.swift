import Foundation
import XCTest
import Posts
@testable import Controller

final class KeymapRebindingTests: XCTestCase {
    func testBindInAPaneKeepsTheOtherPane() {
        var keymap = Keymap.standard
        keymap.bind(.character("j"), to: .toggleRead, in: .list)
        XCTAssertEqual(keymap.command(for: .character("j"), in: .list), .toggleRead)
        XCTAssertEqual(keymap.command(for: .character("j"), in: .reading), .down)
    }

    func testBindGloballyReplacesEveryBindingOfTheKey() {
        var keymap = Keymap.standard
        keymap.bind(.character("q"), to: .toggleRead)
        XCTAssertEqual(keymap.command(for: .character("q"), in: .list), .toggleRead)
        XCTAssertEqual(keymap.command(for: .character("q"), in: .reading), .toggleRead)
        XCTAssertEqual(keymap.bindings.filter { $0.key == .character("q") }.count, 1)
    }

    func testBindANewKeyJoinsItsGroupWithTheStandardHelp() {
        var keymap = Keymap.standard
        keymap.bind(.control("d"), to: .pageDown, in: .reading)
        let row = keymap.helpRows.first { $0.context == .reading && $0.help == "scroll down a page" }
        XCTAssertEqual(row?.keys, "PgDn Space ^D")
        XCTAssertEqual(keymap.helpRows.count, Keymap.standard.helpRows.count, "no new row")
        keymap.bind(.function(5), to: .toggleFilter, in: .list)
        XCTAssertEqual(keymap.bindings.last?.help, "show all posts / only unread", "the global help when the pane has none")
        keymap.bind(.character("x"), to: .openLink, in: .list, help: "my own words")
        XCTAssertEqual(keymap.bindings.first { $0.key == .character("x") }?.help, "my own words")
    }

    func testBindingTheSameTwiceKeepsOne() {
        var keymap = Keymap.standard
        keymap.bind(.character("j"), to: .down, in: .list)
        XCTAssertEqual(keymap, Keymap.standard)
    }

    func testUnbindEverywhere() {
        var keymap = Keymap.standard
        XCTAssertTrue(keymap.unbind(.character("q")))
        XCTAssertNil(keymap.command(for: .character("q"), in: .list))
        XCTAssertNil(keymap.command(for: .character("q"), in: .reading))
        XCTAssertFalse(keymap.unbind(.character("q")), "nothing left to unbind")
    }

    func testUnbindInOnePane() {
        var keymap = Keymap.standard
        keymap.unbind(.character("q"), in: .list)
        XCTAssertNil(keymap.command(for: .character("q"), in: .list))
        XCTAssertEqual(keymap.command(for: .character("q"), in: .reading), .back)
    }

    func testUnbindAGlobalKeyInOnePaneKeepsItInTheOther() {
        var keymap = Keymap.standard
        keymap.unbind(.character("m"), in: .reading)
        XCTAssertNil(keymap.command(for: .character("m"), in: .reading))
        XCTAssertEqual(keymap.command(for: .character("m"), in: .list), .toggleRead)
        XCTAssertFalse(keymap.bindings.contains { $0.key == .character("m") && $0.context == .global })
    }

    func testUnbindAll() {
        var keymap = Keymap.standard
        keymap.unbindAll()
        XCTAssertTrue(keymap.bindings.isEmpty)
        XCTAssertNil(keymap.command(for: .character("Q"), in: .list))
    }

    func testAReboundKeyDrivesTheReducer() {
        var keymap = Keymap.standard
        keymap.bind(.character("x"), to: .down, in: .list)
        keymap.unbind(.character("j"), in: .list)
        var state = makeState()
        _ = state.reduce(key: .character("x"), keymap: keymap)
        XCTAssertEqual(state.selection, 1)
        _ = state.reduce(key: .character("j"), keymap: keymap)
        XCTAssertEqual(state.selection, 1, "j does nothing in the list any more")
    }

    func testEveryCommandHasASummaryAndAStandardKey() {
        for command in Command.allCases {
            XCTAssertFalse(command.summary.isEmpty)
            XCTAssertTrue(Keymap.standard.bindings.contains { $0.command == command }, "\(command) has no key")
        }
    }

    func testStandardHelpIsTheSameForEveryKeyOfAGroup() {
        for binding in Keymap.standard.bindings {
            XCTAssertEqual(Keymap.defaultHelp(for: binding.command, in: binding.context), binding.help, "\(binding)")
        }
    }
}
