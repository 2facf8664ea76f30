/// What `JSONParser` reports as it goes through a document, in document order.
///
/// A string value is built only when the handler asks for it (`stringLimit()` above 0), and only up to that many
/// UTF-8 bytes: the rest is scanned and dropped. Keys are passed as their decoded bytes (at most
/// `JSONParser.maxKeyBytes`; a longer key arrives with `truncated` set).
protocol JSONEventHandler {
    mutating func beginObject(line: Int)
    mutating func endObject()
    mutating func beginArray()
    mutating func endArray()
    mutating func key(_ bytes: UnsafeBufferPointer<UInt8>, truncated: Bool)
    /// How many bytes of the string value starting now to keep; 0 skips it (no `string` call follows).
    mutating func stringLimit() -> Int
    /// A string value asked for, which started on `line`; `truncated` when it was longer than the limit.
    mutating func string(_ value: String, truncated: Bool, line: Int)
    /// A number, as written (at most `JSONParser.maxNumberBytes` of it).
    mutating func number(_ text: String)
    /// `true`, `false` or `null`.
    mutating func literal(_ value: JSONLiteral)
}

/// The three JSON literals.
enum JSONLiteral: UInt8 {
    case `true`, `false`, null
}
