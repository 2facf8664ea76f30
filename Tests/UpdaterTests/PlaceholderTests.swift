import XCTest
@testable import Updater

final class UpdaterPlaceholderTests: XCTestCase {}
