/// An element of a parsed HTML document, as `HTMLBlockBuilder` reads it.
protocol HTMLElementView {
    /// The tag name, lower case.
    var name: String { get }
    /// The value of attribute `name`, entities decoded, or `nil`.
    func attribute(_ name: String) -> String?
    /// How many child elements are named `name` (the items of a list).
    func childElementCount(named name: String) -> Int
    /// Attribute `attribute` of the first child element named `element` (a `video`'s `source`).
    func childAttribute(_ attribute: String, ofFirst element: String) -> String?
}
