import XCTest

final class ArticlePlaceholderTests: XCTestCase {
    func testModuleBuilds() {}
}
