// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The root package is a path dependency; its identity is the name of the directory it was
// cloned into, so it is derived here rather than written down.
let rootIdentity = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "LendingBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScoringBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LendingScoring", package: rootIdentity),
                .product(name: "LendingCSV", package: rootIdentity),
            ],
            path: "Benchmarks/ScoringBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LendingTraining", package: rootIdentity),
                .product(name: "LendingModelOps", package: rootIdentity),
            ],
            path: "Benchmarks/TrainingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "DecisionLatency",
            dependencies: [
                .product(name: "LendingApplications", package: rootIdentity),
                .product(name: "LendingStorePorts", package: rootIdentity),
                .product(name: "LendingStore", package: rootIdentity),
                .product(name: "LendingSimulation", package: rootIdentity),
                .product(name: "LendingScoring", package: rootIdentity),
                .product(name: "LendingCSV", package: rootIdentity),
                .product(name: "LendingModel", package: rootIdentity),
            ],
            path: "DecisionLatency"
        ),
        .executableTarget(
            name: "SingleApplicantLatency",
            dependencies: [
                .product(name: "LendingScoring", package: rootIdentity),
                .product(name: "LendingCSV", package: rootIdentity),
            ],
            path: "Latency"
        ),
        .executableTarget(
            name: "ServicingBenchmarks",
            dependencies: [
                .product(name: "LendingLoanBook", package: rootIdentity),
                .product(name: "LendingStorePorts", package: rootIdentity),
                .product(name: "LendingStore", package: rootIdentity),
                .product(name: "LendingPostgres", package: rootIdentity),
                .product(name: "LendingModel", package: rootIdentity),
                .product(name: "LendingDecisioning", package: rootIdentity),
                .product(name: "LendingFraud", package: rootIdentity),
                .product(name: "LendingServicing", package: rootIdentity),
            ],
            path: "Benchmarks/ServicingBenchmarks"
        ),
    ]
)
