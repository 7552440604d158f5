/// Models compiled into the program, so the standard policy works from any directory.
/// `Models/fraud-model.json` is the same text (a test keeps them equal); regenerate this file
/// with `scripts/train-fraud-model.sh`.
enum BuiltinModels {
    static let fraudModelJSON: String? = nil
}
