// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Gazette",
    products: [
        .executable(name: "gazette", targets: ["gazette"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),

        // Pure layers.
        .target(name: "TextCells"),
        .target(name: "Posts", dependencies: ["TextCells"]),
        .target(name: "ReadState", dependencies: ["Posts", "CSQLite"]),
        .target(name: "Controller", dependencies: ["Posts"]),
        .target(name: "TerminalUI", dependencies: ["Controller", "Posts", "TextCells"]),

        // The only module that imports ncurses.
        .target(name: "CursesTerminal", dependencies: ["TerminalUI", "CNcursesw"]),

        .executableTarget(
            name: "gazette",
            dependencies: [
                "Posts", "ReadState", "Controller", "TerminalUI", "CursesTerminal", "TextCells",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "PostsTests", dependencies: ["Posts", "TextCells"]),
        .testTarget(name: "ReadStateTests", dependencies: ["ReadState", "Posts"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Posts"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Controller", "Posts", "TextCells"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: ["gazette"]),
    ],
    swiftLanguageModes: [.v6]
)
