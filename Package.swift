// swift-tools-version:6.2
import PackageDescription

/// Every target of ours builds with warnings as errors (issue 13). A setting rather than
/// `-warnings-as-errors` in unsafeFlags, so a package depending on Troupe can still use it.
let warningsAsErrors: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "Troupe",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Troupe", targets: ["Troupe"]),
        .library(name: "Jinja", targets: ["Jinja"]),
        .executable(name: "troupe", targets: ["troupe"]),
        .executable(name: "uptime", targets: ["uptime"]),
        .executable(name: "change-report", targets: ["change-report"]),
        .library(name: "TroupeController", targets: ["TroupeController"]),
        .library(name: "TroupeClient", targets: ["TroupeClient"]),
        .executable(name: "troupe-server", targets: ["troupe-server"]),
        .executable(name: "troupe-api", targets: ["troupe-api"]),
        .executable(name: "controller-client", targets: ["controller-client"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Controller (#14-#16): HTTP server, WebSocket, one SQL builder over SQLite and PostgreSQL.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Client (#17): the maintained NIO HTTP client (same event loops as the server's stack).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already in the graph through AsyncHTTPClient; named so the client can classify NIO
        // connection errors and configure TLS (custom CA) itself.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "Jinja", swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors),
        .systemLibrary(
            name: "CLibSSH",
            pkgConfig: "libssh",
            providers: [.apt(["libssh-dev"])]
        ),
        .target(
            name: "Troupe",
            dependencies: [
                "Jinja", "CLibSSH",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors
        ),
        .executableTarget(
            name: "troupe",
            dependencies: ["Troupe", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors
        ),
        .executableTarget(name: "uptime", dependencies: ["Troupe"], path: "examples/uptime",
                          swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors),
        .executableTarget(name: "change-report", dependencies: ["Troupe"], path: "examples/change-report",
                          swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors),
        .target(
            name: "TroupeController",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                // PBKDF2 for password hashes (BoringSSL-backed; already built for postgres-nio).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // YAML variables (validation, variable_data, inventory script).
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)] + warningsAsErrors
        ),
        .executableTarget(
            name: "troupe-server",
            dependencies: ["TroupeController", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: [.swiftLanguageMode(.v6)] + warningsAsErrors
        ),
        .target(
            name: "TroupeClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)] + warningsAsErrors
        ),
        // `troupe api …` execs this (as `troupe serve` execs troupe-server): the engine binary
        // does not link the HTTP client.
        .executableTarget(
            name: "troupe-api",
            dependencies: ["TroupeClient", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: [.swiftLanguageMode(.v6)] + warningsAsErrors
        ),
        .executableTarget(name: "controller-client", dependencies: ["TroupeClient"],
                          path: "examples/controller-client",
                          swiftSettings: [.swiftLanguageMode(.v6)] + warningsAsErrors),
        .testTarget(name: "TroupeControllerTests", dependencies: ["TroupeController"],
                    swiftSettings: [.swiftLanguageMode(.v6)] + warningsAsErrors),
        .testTarget(name: "TroupeClientTests",
                    dependencies: ["TroupeClient", "TroupeController",
                                   .product(name: "Hummingbird", package: "hummingbird"),
                                   .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket")],
                    swiftSettings: [.swiftLanguageMode(.v6)] + warningsAsErrors),
        // Fuzz targets for the parsers that read untrusted input (scripts/fuzz.sh, `make fuzz`
        // builds them with -sanitize=fuzzer); in an ordinary build it replays crash inputs.
        .executableTarget(name: "troupe-fuzz", dependencies: ["Troupe", "Jinja"], path: "Fuzz/Sources",
                          swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja"], resources: [.copy("Corpus")],
                    swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors),
        .testTarget(name: "TroupeTests", dependencies: ["Troupe"], resources: [.copy("Fixtures")],
                    swiftSettings: [.swiftLanguageMode(.v5)] + warningsAsErrors),
    ]
)
