/// The HTML5 named character references (`htmlEntityTable`), as a dictionary built on first use.
enum HTMLEntities {
    /// Name as written after `&` (`amp;`, `amp`, `NotNestedLessLess;`) to its text.
    static let byName: [String: String] = {
        var table: [String: String] = [:]
        table.reserveCapacity(2300)
        for line in htmlEntityTable.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            var value = ""
            for hex in line[line.index(after: space)...].split(separator: ",") {
                if let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) { value.unicodeScalars.append(scalar) }
            }
            table[String(line[..<space])] = value
        }
        return table
    }()

    /// The longest name of the table, `;` included.
    static let longestName = 32

    /// The longest legacy name (one HTML5 accepts without `;`).
    static let longestLegacyName = 6
}
