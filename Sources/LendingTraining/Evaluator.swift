import LendingScoring

/// Scores labelled data with an existing model and measures it.
public enum Evaluator {
    /// - Returns: the sample's report and how many rows could not be scored.
    public static func evaluate(model: Scorecard, data: TrainingData, name: String) throws(TrainingError) -> (sample: SampleReport, unscorable: Int) {
        let compiled: CompiledScorecard
        do { compiled = try CompiledScorecard(model) } catch { throw TrainingError("evaluate.model", error.message) }
        for characteristic in model.characteristics where data.column(characteristic.name) == nil {
            throw TrainingError("evaluate.missing_column", "the model needs column \"\(characteristic.name)\", not in the data")
        }
        let scored = Trainer.scoreRows(data, compiled: compiled)
        let bads = scored.bad.filter { $0 }.count
        guard bads > 0 && bads < scored.bad.count else {
            throw TrainingError("evaluate.one_class", "the scored rows are all \(bads == 0 ? "good" : "bad"); evaluation needs both")
        }
        return (Trainer.sampleReport(name: name, scored, compiled: compiled), scored.unscorable)
    }
}
