// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Tributary",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tributary-fe", targets: ["tributary-fe"]),
        .executable(name: "tributary-cn", targets: ["tributary-cn"]),
        .executable(name: "kafka-mock", targets: ["kafka-mock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // System libraries (Debian: libssl-dev, librdkafka-dev, libcurl4-openssl-dev, libavro-dev). libsqlite3 is wired through GRDB's GRDBSQLite target.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CAvro", pkgConfig: "avro-c",
                       providers: [.apt(["libavro-dev"])]),

        // sqlite3_config is variadic, so Swift cannot call it: one C function makes the process-wide settings.
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "MySQLProtocol", dependencies: ["COpenSSL"]),
        .target(name: "SQLParser"),
        .target(name: "Expressions", dependencies: ["SQLParser"]),
        .target(name: "CatalogStore", dependencies: [
            "SQLParser",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Storage", dependencies: [
            "SQLParser", "Expressions", "CatalogStore", "CSQLiteSetup",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .target(name: "Kafka", dependencies: ["CRdKafka"]),
        .target(name: "ObjectStore", dependencies: ["CCurl", "COpenSSL"]),
        .target(name: "TaskContract", dependencies: ["CatalogStore", "SQLParser", "ObjectStore"]),
        .target(name: "LoadPipeline", dependencies: ["TaskContract", "SQLParser", "Expressions", "CatalogStore", "CAvro"]),
        .target(name: "JobScheduler", dependencies: ["TaskContract", "CatalogStore", "SQLParser", "Expressions", "Kafka",
                                              .product(name: "HeapModule", package: "swift-collections"),
                                              .product(name: "DequeModule", package: "swift-collections")]),
        .target(name: "ComputeNode", dependencies: [
            "COpenSSL", "TaskContract", "LoadPipeline", "Kafka", "Storage", "SQLParser", "ObjectStore",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "FlyingSocks", package: "FlyingFox"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FrontendServer", dependencies: [
            "COpenSSL", "MySQLProtocol", "SQLParser", "Expressions", "CatalogStore", "Storage", "Kafka", "TaskContract", "JobScheduler",
            "LoadPipeline", "ComputeNode", "ObjectStore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .executableTarget(name: "tributary-fe", dependencies: [
            "FrontendServer", "TaskContract", "Storage",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "tributary-cn", dependencies: [
            "ComputeNode", "Kafka", "TaskContract", "Storage",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "kafka-mock", dependencies: [
            "Kafka",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared by the test targets: tables written as SQL, columns.
        .target(name: "TestSupport", dependencies: ["CatalogStore", "SQLParser"], path: "Tests/TestSupport"),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions"]),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka"]),
        .testTarget(name: "ObjectStoreTests", dependencies: ["ObjectStore"]),
        .testTarget(name: "MySQLProtocolTests", dependencies: ["MySQLProtocol"]),
        .testTarget(name: "SQLParserTests", dependencies: ["SQLParser"]),
        .testTarget(name: "CatalogStoreTests", dependencies: ["CatalogStore", "SQLParser", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Expressions", "SQLParser", "CatalogStore", "TestSupport",
                                                      .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .testTarget(name: "ComputeNodeTests", dependencies: [
            "ComputeNode", "TaskContract", "Kafka", "LoadPipeline", "CatalogStore", "TestSupport", "SQLParser", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "LoadPipelineTests", dependencies: ["LoadPipeline", "TaskContract", "Expressions", "SQLParser", "CatalogStore", "Storage", "TestSupport"]),
        .testTarget(name: "JobSchedulerTests", dependencies: ["JobScheduler", "TaskContract", "SQLParser"]),
        .testTarget(name: "FrontendServerTests", dependencies: ["FrontendServer", "MySQLProtocol", "SQLParser", "CatalogStore", "Storage", "ComputeNode", "TaskContract", "JobScheduler",
                                                             .product(name: "Logging", package: "swift-log")]),
    ]
)
