import LendingIdentity
import LendingModel
@testable import LendingSimulation

/// One data set shared by the tests that only read it (generated once, lazily).
enum Shared {
    static let configuration = GeneratorConfiguration(count: 6000, seed: 7)
    static let dataset: SyntheticDataset = {
        do { return try ApplicationGenerator.generate(configuration) } catch { preconditionFailure("\(error)") }
    }()

    /// A run with much fraud, for the tests of fraud patterns that need larger groups.
    static let fraudHeavy: SyntheticDataset = {
        do { return try ApplicationGenerator.generate(GeneratorConfiguration(count: 4000, seed: 9, fraudShare: 0.4)) } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// Applications with their truth, by label.
    static func rows(_ label: SyntheticLabel, in data: SyntheticDataset = dataset) -> [(SyntheticApplication, TruthRecord)] {
        zip(data.applications, data.truth).filter { $0.1.label == label }
    }

    /// The local calendar day of an application.
    static func localDay(_ application: SyntheticApplication) -> CalendarDay {
        application.appliedAt.day(atOffsetSeconds: configuration.utcOffsetSeconds)
    }

    /// The local hour of an application.
    static func localHour(_ application: SyntheticApplication) -> Int {
        let local = application.appliedAt.secondsSinceEpoch + configuration.utcOffsetSeconds
        return Int((local % 86_400) / 3600)
    }

    static func characteristic(_ name: String, of application: SyntheticApplication) -> String {
        GermanCredit.characteristics(row: application.creditRow)[GermanCredit.characteristicNames.firstIndex(of: name)!]
    }
}
