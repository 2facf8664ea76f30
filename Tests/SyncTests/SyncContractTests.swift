import Sync
import XCTest

final class SyncContractTests: XCTestCase {
    func testTinyTinyRSSIsAService() {
        XCTAssertEqual(SyncService(rawValue: "ttrss"), .ttrss)
    }
}
