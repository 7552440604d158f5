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
        .library(name: "LendingStorePorts", targets: ["LendingStorePorts"]),
        .library(name: "LendingApplications", targets: ["LendingApplications"]),
        .library(name: "LendingLoanBook", targets: ["LendingLoanBook"]),
        .library(name: "LendingPostLoan", targets: ["LendingPostLoan"]),
        .library(name: "LendingBatchScoring", targets: ["LendingBatchScoring"]),
        .library(name: "LendingModelOps", targets: ["LendingModelOps"]),
        .library(name: "LendingMemoryStore", targets: ["LendingMemoryStore"]),
        .library(name: "LendingStore", targets: ["LendingStore"]),
        .library(name: "LendingPostgres", targets: ["LendingPostgres"]),
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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
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
        .target(
            name: "LendingSimulation", dependencies: ["LendingModel", "LendingIdentity", "LendingCSV"],
            resources: [.copy("Resources/german-credit.csv")]
        ),
        // Storage ports: what every store adapter implements (records, transactions, the loan-state
        // byte format, the personal-data seal). Adapters depend on this, never on the jobs.
        .target(
            name: "LendingStorePorts",
            dependencies: [
                "LendingModel", "LendingDecisioning", "LendingFraud", "LendingPreCredit", "LendingLedger", "LendingServicing",
                "LendingDisbursement", "LendingCollections",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Jobs, one module per stage of the lifecycle; the only places that perform I/O.
        // Applications: input, processor, policy, apply, whitelist/blacklist and decision jobs.
        .target(
            name: "LendingApplications",
            dependencies: [
                "LendingStorePorts", "LendingModel", "LendingCSV", "LendingScoring", "LendingIdentity", "LendingFraud",
                "LendingPreCredit", "LendingDecisioning",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Resources/fraud-model.json")]
        ),
        // Loan book: products, agreement, disburse, reconcile, repay, draw, end of day, ledger check, loan view.
        .target(
            name: "LendingLoanBook",
            dependencies: [
                "LendingStorePorts", "LendingModel", "LendingCSV", "LendingLedger", "LendingServicing", "LendingDisbursement",
                "LendingDecisioning",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Post-loan: the daily post-loan run, collections record and check, portfolio report, collection scorer.
        .target(
            name: "LendingPostLoan",
            dependencies: [
                "LendingStorePorts", "LendingLoanBook", "LendingModel", "LendingCSV", "LendingScoring", "LendingLedger",
                "LendingServicing", "LendingCollections", "LendingDecisioning",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("Resources/collection-model.json")]
        ),
        // Batch scoring: CSV in, scores and reasons out, on every core.
        .target(name: "LendingBatchScoring", dependencies: ["LendingModel", "LendingCSV", "LendingScoring"]),
        // Model operations: train, evaluate, import, describe (offline: links training).
        .target(
            name: "LendingModelOps",
            dependencies: [
                "LendingModel", "LendingCSV", "LendingScoring", "LendingTraining",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The demo: the whole lifecycle on generated data.
        .target(
            name: "LendingDemo",
            dependencies: [
                "LendingApplications", "LendingLoanBook", "LendingPostLoan", "LendingStorePorts", "LendingSimulation",
                "LendingModel", "LendingCSV", "LendingScoring", "LendingServicing", "LendingDisbursement", "LendingCollections",
                "LendingPreCredit", "LendingDecisioning",
            ]
        ),
        // Adapters: every port in memory (tests, embedding, services that keep nothing).
        .target(
            name: "LendingMemoryStore",
            dependencies: [
                "LendingStorePorts", "LendingModel", "LendingDecisioning", "LendingFraud", "LendingPreCredit", "LendingLedger",
                "LendingServicing", "LendingDisbursement", "LendingCollections",
            ]
        ),
        // Adapters: SQLite (GRDB) implements every store port.
        .target(
            name: "LendingStore",
            dependencies: [
                "LendingStorePorts", "LendingModel", "LendingDecisioning", "LendingPreCredit", "LendingFraud",
                "LendingLedger", "LendingServicing", "LendingDisbursement", "LendingCollections",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Adapters: PostgreSQL (postgres-nio) implements every store port, for many processes on one book.
        .target(
            name: "LendingPostgres",
            dependencies: [
                "LendingStorePorts", "LendingModel", "LendingDecisioning", "LendingPreCredit", "LendingFraud",
                "LendingLedger", "LendingServicing", "LendingDisbursement", "LendingCollections",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [
                .embedInCode("Resources/migrations/v1-applications.sql"),
                .embedInCode("Resources/migrations/v2-servicing.sql"),
                .embedInCode("Resources/migrations/v3-idempotency.sql"),
                .embedInCode("Resources/migrations/v4-collections.sql"),
                .embedInCode("Resources/migrations/v5-back-office.sql"),
                .embedInCode("Resources/migrations/v6-contacts.sql"),
                .embedInCode("Resources/migrations/v7-repayments-by-loan.sql"),
                .embedInCode("Resources/migrations/v8-refunds.sql"),
                .embedInCode("Resources/migrations/v9-suspense.sql"),
            ]
        ),
        // Adapters: HTTP (Hummingbird) over the application and loan-book jobs: scoring, not training.
        .target(
            name: "LendingHTTP",
            dependencies: [
                "LendingStorePorts", "LendingApplications", "LendingLoanBook", "LendingPostLoan", "LendingScoring", "LendingModel",
                "LendingDecisioning", "LendingServicing", "LendingCSV", "LendingFraud", "LendingCollections", "LendingDisbursement",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("Resources/openapi.yaml")]
        ),
        // Tests only.
        .target(
            name: "LendingTestSupport",
            dependencies: [
                "LendingModel", "LendingCSV", "LendingScoring", "LendingIdentity", "LendingDisbursement", "LendingStorePorts",
                "LendingLoanBook", "LendingDecisioning", "LendingFraud", "LendingLedger", "LendingServicing",
            ]
        ),
        // Executable: thin.
        .executableTarget(
            name: "lending",
            dependencies: [
                "LendingApplications", "LendingBatchScoring", "LendingCSV", "LendingCollections", "LendingDemo",
                "LendingDisbursement", "LendingFraud", "LendingHTTP", "LendingLoanBook", "LendingModel",
                "LendingModelOps", "LendingPostLoan", "LendingPostgres", "LendingScoring", "LendingServicing", "LendingSimulation", "LendingStore",
                "LendingStorePorts", "LendingTraining", .product(name: "ArgumentParser",
                package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LendingApplicationsTests",
            dependencies: [
                "LendingApplications", "LendingCSV", "LendingDecisioning", "LendingFraud", "LendingIdentity",
                "LendingMemoryStore", "LendingModel", "LendingPreCredit", "LendingScoring", "LendingStorePorts",
                "LendingTestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "LendingBatchScoringTests",
            dependencies: [
                "LendingBatchScoring", "LendingCSV", "LendingModel", "LendingModelOps", "LendingScoring",
                "LendingTestSupport",
            ]
        ),
        .testTarget(
            name: "LendingCLITests",
            dependencies: [
                "LendingTestSupport", "LendingPostgres", "lending", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "LendingCSVTests", dependencies: ["LendingCSV", "LendingTestSupport"]),
        .testTarget(name: "LendingCollectionsTests", dependencies: ["LendingCollections", "LendingModel", "LendingTestSupport"]),
        .testTarget(name: "LendingDecisioningTests", dependencies: ["LendingDecisioning", "LendingModel"]),
        .testTarget(
            name: "LendingDisbursementTests",
            dependencies: [
                "LendingDisbursement", "LendingModel", "LendingTestSupport",
            ]
        ),
        .testTarget(
            name: "LendingFraudTests",
            dependencies: [
                "LendingFraud", "LendingModel", "LendingScoring", "LendingTestSupport",
            ]
        ),
        .testTarget(
            name: "LendingHTTPTests",
            dependencies: [
                "LendingApplications", "LendingBatchScoring", "LendingCollections", "LendingDecisioning", "LendingHTTP", "LendingIdentity",
                "LendingLoanBook", "LendingMemoryStore", "LendingModel", "LendingPreCredit", "LendingScoring",
                "LendingStore", "LendingStorePorts", "LendingTestSupport", .product(name: "Hummingbird",
                package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "LendingIdentityTests", dependencies: ["LendingIdentity", "LendingModel"]),
        .testTarget(name: "LendingLedgerTests", dependencies: ["LendingLedger", "LendingModel"]),
        .testTarget(
            name: "LendingLoanBookTests",
            dependencies: [
                "LendingLoanBook", "LendingMemoryStore", "LendingModel", "LendingServicing", "LendingStorePorts", "LendingTestSupport",
                "LendingLedger", "LendingDisbursement", "LendingDecisioning", "LendingFraud", "LendingPreCredit",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "LendingModelOpsTests",
            dependencies: [
                "LendingBatchScoring", "LendingCSV", "LendingModel", "LendingModelOps", "LendingScoring", "LendingTestSupport",
                "LendingTraining", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "LendingModelTests", dependencies: ["LendingModel"]),
        .testTarget(
            name: "LendingPostLoanTests",
            dependencies: [
                "LendingCollections", "LendingModel", "LendingPostLoan", "LendingScoring", "LendingTestSupport", "LendingMemoryStore",
                "LendingStorePorts", "LendingLoanBook", "LendingServicing", "LendingLedger", "LendingDecisioning", "LendingDemo",
                "LendingDisbursement", "LendingFraud", "LendingSimulation",
            ]
        ),
        .testTarget(
            name: "LendingPostgresTests",
            dependencies: [
                "LendingPostgres", "LendingStorePorts", "LendingModel", "LendingLedger", "LendingDecisioning", "LendingTestSupport",
            ]
        ),
        .testTarget(name: "LendingPreCreditTests", dependencies: ["LendingModel", "LendingPreCredit"]),
        .testTarget(name: "LendingScoringTests", dependencies: ["LendingScoring", "LendingTestSupport"]),
        .testTarget(name: "LendingServicingTests", dependencies: ["LendingLedger", "LendingModel", "LendingServicing"]),
        .testTarget(
            name: "LendingSimulationTests",
            dependencies: [
                "LendingCSV", "LendingIdentity", "LendingModel", "LendingSimulation", "LendingTestSupport",
            ]
        ),
        .testTarget(
            name: "LendingStoreTests",
            dependencies: [
                "LendingApplications", "LendingDecisioning", "LendingDisbursement", "LendingFraud", "LendingLedger",
                "LendingLoanBook", "LendingModel", "LendingPreCredit", "LendingServicing", "LendingStore",
                "LendingStorePorts", "LendingTestSupport",
            ]
        ),
        .testTarget(
            name: "LendingStoreConformanceTests",
            dependencies: [
                "LendingStorePorts", "LendingMemoryStore", "LendingStore", "LendingPostgres", "LendingModel", "LendingDecisioning",
                "LendingFraud", "LendingPreCredit", "LendingLedger", "LendingServicing", "LendingDisbursement",
                "LendingCollections", "LendingTestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "LendingTrainingTests", dependencies: ["LendingModel", "LendingScoring", "LendingTraining"]),
    ]
)
