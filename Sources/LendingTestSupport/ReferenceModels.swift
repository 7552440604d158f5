import LendingScoring

/// The models of Models/ as tests load them.
public enum ReferenceModels {
    /// The German Credit scorecard exported from scorecardpy, compiled.
    public static func germanCredit() throws -> CompiledScorecard {
        try CompiledScorecard(Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json")))
    }
}
