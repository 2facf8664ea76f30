import XCTest
@testable import Interop

final class InteropPlaceholderTests: XCTestCase {}
