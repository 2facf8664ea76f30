import Foundation
@testable import Feeds

/// What a whole JSON Feed file gave: its info, items and diagnostics.
struct JSONFeedResult {
    var info: FeedInfo
    var items: [FeedItem]
    var diagnostics: [FeedDiagnostic]
}

enum JSONFeedSupport {
    /// The bytes of `Tests/FeedsTests/Fixtures/json/NAME`.
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/json").appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }

    /// Reads `bytes` to the end, `chunkSize` bytes at a time and `maxBytes` per call.
    static func read(_ bytes: [UInt8], documentURL: String? = nil, chunkSize: Int = JSONFeedReader.defaultChunkSize,
                     maxBytes: Int = .max) throws -> JSONFeedResult {
        try read(FeedInput(bytes: bytes, documentURL: documentURL), chunkSize: chunkSize, maxBytes: maxBytes)
    }

    static func read(_ input: FeedInput, chunkSize: Int = JSONFeedReader.defaultChunkSize,
                     maxBytes: Int = .max) throws -> JSONFeedResult {
        let reader = JSONFeedReader(input: input, chunkSize: chunkSize)
        var items: [FeedItem] = []
        var calls = 0
        while !reader.isFinished {
            items += try reader.read(maxBytes: maxBytes)
            calls += 1
            precondition(calls < 100_000_000, "the reader does not finish")
        }
        return JSONFeedResult(info: reader.info, items: items, diagnostics: reader.diagnostics)
    }

    static func read(_ text: String, documentURL: String? = nil, chunkSize: Int = JSONFeedReader.defaultChunkSize)
        throws -> JSONFeedResult {
        try read(Array(text.utf8), documentURL: documentURL, chunkSize: chunkSize)
    }

    /// The `FeedError` reading `text` throws, or nil.
    static func error(_ text: String) -> FeedError? {
        do {
            _ = try read(text)
            return nil
        } catch let error as FeedError {
            return error
        } catch {
            return FeedError("unexpected \(error)")
        }
    }

    /// True once `Article.resolveURL` really resolves (it is a placeholder returning the reference until then):
    /// tests of relative URLs skip themselves before.
    static var resolverIsReal: Bool {
        let probe = #"{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"b"}]}"#
        return (try? read(probe, documentURL: "https://example.org/a/"))?.items.first?.link == "https://example.org/a/b"
    }
}
