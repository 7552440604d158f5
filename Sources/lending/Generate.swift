import ArgumentParser

/// `lending generate`: synthetic data (being written; see issue 4).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate synthetic data.",
        subcommands: []
    )
}
