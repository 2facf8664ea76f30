import Posts

/// Post ids on the command line: exactly 16 hex digits, as `gazette list` prints them (either case).
enum PostIDArgument {
    static func isPostID(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy(isHexDigit)
    }

    static func parse(_ text: String) throws -> PostID {
        guard isPostID(text), let id = PostID(hex: text.lowercased()) else {
            throw CommandLineError.usage("not a post id: '\(text)'",
                                         "a post id is 16 hex digits, as printed by 'gazette list PATH'")
        }
        return id
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
