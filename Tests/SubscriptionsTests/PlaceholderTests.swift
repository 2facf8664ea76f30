import XCTest
@testable import Subscriptions

final class SubscriptionsPlaceholderTests: XCTestCase {}
