// swift-tools-version:6.0
// walt-swift: WalT rebuilt in Swift, as one multi-call executable.
// The executable target is only the dispatcher; every personality lives in a library
// so tests can import it and so each personality only touches its own module.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]
/// For the modules every short-lived personality runs: metadata of concrete generic types
/// (`[String]`'s storage, optionals of our enums...) is reached through direct accessors,
/// not looked up by mangled name at run time, which demangles the name and searches the
/// binary's type records on every start (a tenth of the client's own instructions).
let fastStart: [SwiftSetting] = strict + [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
]

let package = Package(
    name: "walt-swift",
    products: [
        .executable(name: "walt", targets: ["walt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        .executableTarget(
            name: "walt",
            dependencies: ["WaltCommon", "WaltClient", "WaltServer", "WaltTools", "CArgv"],
            swiftSettings: fastStart
        ),
        // Replaces the Swift runtime's argv lookup (a scan of /proc/self/maps at every start).
        .target(name: "CArgv"),
        // `make bench`: pickle codec figures beside CPython's (not installed).
        .executableTarget(name: "walt-wire-bench", dependencies: ["WaltCommon"], swiftSettings: strict),
        // `make bench`: the daemon's RPC, log intake and realtime figures (not installed).
        .executableTarget(name: "walt-daemon-bench", dependencies: ["WaltCommon"], swiftSettings: strict),
        // Shared wire formats and constants. No NIO, no Foundation: the client links it.
        .target(name: "WaltCommon", swiftSettings: fastStart),
        // The `walt` command. Blocking sockets, no NIO, no Foundation, no libpq.
        .target(name: "WaltClient", dependencies: ["WaltCommon"], swiftSettings: fastStart),
        // libpq headers only: the library itself is dlopen'ed at run time by WaltStore,
        // so personalities other than the daemon never map libpq and its 22 dependencies.
        .systemLibrary(name: "CLibpq"),
        .target(name: "WaltStore", dependencies: ["CLibpq", "WaltCommon"], swiftSettings: strict),
        .target(
            name: "WaltServer",
            dependencies: [
                "WaltCommon", "WaltStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        // Small server-side helpers: dhcpd hook, lldpd wrapper, network config.
        .target(name: "WaltTools", dependencies: ["WaltCommon"], swiftSettings: fastStart),

        .testTarget(name: "WaltCommonTests", dependencies: ["WaltCommon"], swiftSettings: strict),
        .testTarget(name: "WaltClientTests", dependencies: ["WaltClient"], swiftSettings: strict),
        .testTarget(name: "WaltStoreTests", dependencies: ["WaltStore"], swiftSettings: strict),
        .testTarget(name: "WaltServerTests", dependencies: ["WaltServer"], swiftSettings: strict),
        .testTarget(name: "WaltToolsTests", dependencies: ["WaltTools"], swiftSettings: strict),
        // Drives the built binary (all five names) as a user or a service manager would.
        .testTarget(
            name: "WaltEndToEndTests", dependencies: ["WaltCommon"], exclude: ["Fixtures"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
