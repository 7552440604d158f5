/// The collection model compiled into the program. `Models/collection-model.json` is the same
/// text (a test keeps them equal); regenerate this file with `scripts/train-collection-model.sh`.
enum BuiltinCollectionModel {
    static let json: String? = nil
}
