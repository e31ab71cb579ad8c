// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Troupe",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Troupe", targets: ["Troupe"]),
        .library(name: "Jinja", targets: ["Jinja"]),
        .executable(name: "troupe", targets: ["troupe"]),
        .executable(name: "uptime", targets: ["uptime"]),
        .executable(name: "change-report", targets: ["change-report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "Jinja", swiftSettings: [.swiftLanguageMode(.v5)]),
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
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "troupe",
            dependencies: ["Troupe", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(name: "uptime", dependencies: ["Troupe"], path: "examples/uptime",
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "change-report", dependencies: ["Troupe"], path: "examples/change-report",
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        // Fuzz targets for the parsers that read untrusted input (scripts/fuzz.sh, `make fuzz`
        // builds them with -sanitize=fuzzer); in an ordinary build it replays crash inputs.
        .executableTarget(name: "troupe-fuzz", dependencies: ["Troupe", "Jinja"], path: "Fuzz/Sources",
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja"], resources: [.copy("Corpus")],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "TroupeTests", dependencies: ["Troupe"], resources: [.copy("Fixtures")],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
