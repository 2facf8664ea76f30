import XCTest

final class CatalogPlaceholderTests: XCTestCase {
    func testModuleBuilds() {}
}
