/// The in-memory ``DecisionStore`` by its first name: the whole ``InMemoryStore``, which
/// implements every store port over one state (docs and tests call `InMemoryDecisionStore()`).
public typealias InMemoryDecisionStore = InMemoryStore
