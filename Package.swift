// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "lending",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lending", targets: ["lending"]),
        .library(name: "LendingModel", targets: ["LendingModel"]),
        .library(name: "LendingCSV", targets: ["LendingCSV"]),
        .library(name: "LendingScoring", targets: ["LendingScoring"]),
        .library(name: "LendingTraining", targets: ["LendingTraining"]),
        .library(name: "LendingPipeline", targets: ["LendingPipeline"]),
        .library(name: "LendingStore", targets: ["LendingStore"]),
        .library(name: "LendingSimulation", targets: ["LendingSimulation"]),
        .library(name: "LendingHTTP", targets: ["LendingHTTP"]),
        .library(name: "LendingIdentity", targets: ["LendingIdentity"]),
        .library(name: "LendingFraud", targets: ["LendingFraud"]),
        .library(name: "LendingPreCredit", targets: ["LendingPreCredit"]),
        .library(name: "LendingDecisioning", targets: ["LendingDecisioning"]),
        .library(name: "LendingLedger", targets: ["LendingLedger"]),
        .library(name: "LendingServicing", targets: ["LendingServicing"]),
        .library(name: "LendingDisbursement", targets: ["LendingDisbursement"]),
        .library(name: "LendingCollections", targets: ["LendingCollections"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Bottom: values shared by every module (money, days, diagnostics).
        .target(name: "LendingModel"),
        // Foundations.
        .target(name: "LendingCSV", dependencies: ["LendingModel"]),
        .target(name: "LendingScoring"),
        .target(name: "LendingReportKit"),
        .target(name: "LendingLedger", dependencies: ["LendingModel", .product(name: "Crypto", package: "swift-crypto")]),
        // Stages: pure functions of values.
        .target(name: "LendingIdentity", dependencies: ["LendingModel"]),
        .target(name: "LendingFraud", dependencies: ["LendingModel", "LendingScoring"]),
        .target(name: "LendingPreCredit", dependencies: ["LendingModel"]),
        .target(name: "LendingDecisioning", dependencies: ["LendingModel", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LendingServicing", dependencies: ["LendingModel", "LendingLedger"]),
        .target(name: "LendingCollections", dependencies: ["LendingModel", "LendingReportKit"]),
        .target(name: "LendingDisbursement", dependencies: ["LendingModel"]),
        // Offline: binning, regression, scaling, metrics. Services link scoring, not this.
        .target(name: "LendingTraining", dependencies: ["LendingModel", "LendingScoring", "LendingReportKit"]),
        // Synthetic data: applications with labelled fraud, repayment behaviour.
        .target(name: "LendingSimulation", dependencies: ["LendingModel", "LendingIdentity", "LendingCSV"]),
        // Orchestration: the one place that performs I/O.
        .target(
            name: "LendingPipeline",
            dependencies: [
                "LendingModel", "LendingCSV", "LendingScoring", "LendingTraining",
                "LendingIdentity", "LendingFraud", "LendingPreCredit", "LendingDecisioning",
                "LendingLedger", "LendingServicing", "LendingDisbursement", "LendingCollections", "LendingSimulation",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Adapters: SQLite (GRDB) implements the pipeline's store ports.
        .target(
            name: "LendingStore",
            dependencies: [
                "LendingPipeline", "LendingModel", "LendingDecisioning", "LendingPreCredit", "LendingFraud",
                "LendingLedger", "LendingServicing", "LendingDisbursement", "LendingCollections",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Adapters: HTTP (Hummingbird) over the pipeline.
        .target(
            name: "LendingHTTP",
            dependencies: [
                "LendingPipeline", "LendingScoring", "LendingModel", "LendingDecisioning", "LendingServicing", "LendingCSV",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Tests only.
        .target(name: "LendingTestSupport", dependencies: ["LendingModel"]),
        // Executable: thin.
        .executableTarget(
            name: "lending",
            dependencies: [
                "LendingPipeline", "LendingStore", "LendingSimulation", "LendingScoring", "LendingTraining",
                "LendingCSV", "LendingModel", "LendingHTTP", "LendingServicing", "LendingLedger", "LendingDisbursement",
                "LendingCollections",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "LendingModelTests", dependencies: ["LendingModel", "LendingTestSupport"]),
        .testTarget(name: "LendingCSVTests", dependencies: ["LendingCSV", "LendingTestSupport"]),
        .testTarget(name: "LendingLedgerTests", dependencies: ["LendingLedger", "LendingModel", "LendingTestSupport"]),
        .testTarget(name: "LendingIdentityTests", dependencies: ["LendingIdentity", "LendingModel"]),
        .testTarget(name: "LendingFraudTests", dependencies: ["LendingFraud", "LendingScoring", "LendingModel", "LendingTestSupport"]),
        .testTarget(name: "LendingPreCreditTests", dependencies: ["LendingPreCredit", "LendingModel"]),
        .testTarget(name: "LendingDecisioningTests", dependencies: ["LendingDecisioning", "LendingModel"]),
        .testTarget(name: "LendingServicingTests", dependencies: ["LendingServicing", "LendingLedger", "LendingModel", "LendingTestSupport"]),
        .testTarget(name: "LendingDisbursementTests", dependencies: ["LendingDisbursement", "LendingModel", "LendingTestSupport"]),
        .testTarget(
            name: "LendingHTTPTests",
            dependencies: [
                "LendingHTTP", "LendingPipeline", "LendingStore", "LendingScoring", "LendingModel", "LendingTestSupport",
                "LendingIdentity", "LendingPreCredit", "LendingDecisioning",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "LendingCollectionsTests", dependencies: ["LendingCollections", "LendingModel", "LendingTestSupport"]),
        .testTarget(name: "LendingSimulationTests", dependencies: ["LendingSimulation", "LendingIdentity", "LendingModel", "LendingCSV", "LendingTestSupport"]),
        .testTarget(name: "LendingTrainingTests", dependencies: ["LendingTraining", "LendingScoring", "LendingModel", "LendingTestSupport"]),
        .testTarget(name: "LendingScoringTests", dependencies: ["LendingScoring", "LendingTestSupport"]),
        .testTarget(
            name: "LendingPipelineTests",
            dependencies: [
                "LendingPipeline", "LendingScoring", "LendingCSV", "LendingModel", "LendingTestSupport", "LendingIdentity",
                "LendingDecisioning", "LendingPreCredit", "LendingFraud", "LendingServicing", "LendingLedger",
                "LendingCollections", "LendingSimulation",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "LendingStoreTests",
            dependencies: [
                "LendingStore", "LendingPipeline", "LendingDecisioning", "LendingPreCredit", "LendingFraud", "LendingModel", "LendingTestSupport",
                "LendingLedger", "LendingServicing", "LendingDisbursement", "LendingCollections", "LendingSimulation",
            ]
        ),
        .testTarget(name: "LendingCLITests", dependencies: ["LendingTestSupport", "lending"]),
    ]
)
