import Search
import XCTest

final class SearchContractTests: XCTestCase {
    func testWordsAreFoundCaseFolded() {
        let query = SearchQuery.parse("Korea")
        XCTAssertTrue(query.matchesText(title: "News of KOREA", author: "", body: ""))
        XCTAssertFalse(query.matchesText(title: "News of Japan", author: "", body: ""))
    }
}
