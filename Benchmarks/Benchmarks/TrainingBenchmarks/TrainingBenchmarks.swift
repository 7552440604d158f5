import Benchmark
import Foundation
import LendingTraining
import LendingModelOps

let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

let benchmarks: @Sendable () -> Void = {
    // Binning (20 characteristics), WoE, IV selection, IRLS, scaling, and train/test metrics
    // (KS, AUC, Gini, PSI, CSI, calibration) on German Credit's 700/300 split.
    Benchmark("Fit German Credit (bin, regress, scale, metrics)",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(5))) { benchmark in
        let data = try! DatasetLoader.load(path: repositoryRoot + "/Fixtures/german-credit.csv", target: "creditability", badValue: "bad")
        let split = data.stratifiedSplit(testShare: 0.3, seed: 1)
        let train = data.subset(split.train)
        let test = data.subset(split.test)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try! Trainer.train(train, test: test, options: TrainingOptions(name: "bench")))
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Load German Credit CSV into columns",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3))) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! DatasetLoader.load(path: repositoryRoot + "/Fixtures/german-credit.csv", target: "creditability", badValue: "bad"))
        }
    }
}
