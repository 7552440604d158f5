import ArgumentParser
import LendingCSV
import LendingModel
import LendingSimulation

/// `lending generate`: synthetic data.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate synthetic data.",
        subcommands: [GenerateApplications.self]
    )
}

/// `lending generate applications`: applications with labelled fraud, the truth, the customer base and a blacklist.
struct GenerateApplications: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "applications",
        abstract: "Generate synthetic applications with labelled fraud (a benchmark for `lending apply`).",
        discussion: """
            Clean applicants (some applying twice, families sharing an address, a device or a \
            contact phone, carrier NAT addresses shared by many), spreadsheet-mangled ID numbers, \
            and five fraud kinds: rings, a merchant surge, colluding merchants, velocity abusers \
            and blacklisted applicants. Each application carries the 20 German Credit \
            characteristics of a real row. docs/generator.md lists every rate.

            The same options and seed write the same bytes. Application ids are the prefix and \
            the position in time order (A7-0000001), so files of different seeds never collide. \
            Everything is held in memory (about 1.4 KB per application): at most 5,000,000 \
            applications a run; split larger runs by seed and --id-prefix.

            Examples:
              lending generate applications --count 100000 --seed 7 -o apps.csv \\
                  --truth truth.csv --blacklist blacklist.csv --population population.csv
              lending generate applications --count 5000 --seed 1 --fraud-share 0.1 \\
                  --start 2027-01-01 --days 7 --id-prefix T1- -o -
            """
    )

    @Option(name: .long, help: "How many applications (clean, mangled and fraud together).") var count: Int
    @Option(name: .long, help: "The seed of every random choice.") var seed: UInt64
    @Option(name: .customLong("fraud-share"), help: "Share of fraud applications, 0 to 0.5.") var fraudShare: Double = 0.05
    @Option(name: .shortAndLong, help: "APPLICATIONS.csv to write, or - for standard output.") var output: String
    @Option(name: .long, help: "Write application_id,label,is_fraud,group,credit_bad.") var truth: String?
    @Option(name: .long, help: "Write a blacklist: type,value,reason,valid_until.") var blacklist: String?
    @Option(name: .long, help: "Write the customer base: id_number,name,phone and the characteristics.") var population: String?
    @Option(name: .long, help: "First local day of the period (UTC+08:00).") var start: String = "2026-10-01"
    @Option(name: .long, help: "Length of the period in days, 1 to 365.") var days: Int = 30
    @Option(name: .customLong("id-prefix"), help: "Prefix of application ids (default A<seed>-).") var idPrefix: String?
    @Flag(name: .long, help: "No summary line.") var quiet = false

    func validate() throws {
        guard start.utf8.count == 10, CalendarDay(iso: start) != nil else { throw ValidationError("--start must be a date YYYY-MM-DD") }
        let outputs = [output, truth, blacklist, population].compactMap { $0 }
        guard outputs.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("only one output can be - (standard output)") }
        guard Set(outputs).count == outputs.count else { throw ValidationError("every output needs its own file") }
    }

    func run() throws {
        do {
            let began = ContinuousClock.now
            let configuration = GeneratorConfiguration(count: count, seed: seed, fraudShare: fraudShare, start: CalendarDay(iso: start)!,
                                                       days: days, idPrefix: idPrefix)
            let dataset = try ApplicationGenerator.generate(configuration)
            try SyntheticDataWriter.write(.applications, of: dataset, to: output)
            if let truth { try SyntheticDataWriter.write(.truth, of: dataset, to: truth) }
            if let blacklist { try SyntheticDataWriter.write(.blacklist, of: dataset, to: blacklist) }
            if let population { try SyntheticDataWriter.write(.population, of: dataset, to: population) }
            if !quiet {
                let elapsed = began.duration(to: .now).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
                let counts = dataset.labelCounts
                let labels = SyntheticLabel.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
                printToStandardError("generated \(dataset.applications.count) applications (\(labels)), "
                                     + "population \(dataset.population.count), blacklist \(dataset.blacklist.count) in \(String(format2: seconds))s")
            }
        } catch {
            throw fail(error)
        }
    }
}
