import XCTest
@testable import Fetching

final class FetchingPlaceholderTests: XCTestCase {}
