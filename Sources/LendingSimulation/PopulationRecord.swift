/// One person of the lender's customer base (POPULATION.csv): `id_number,name,phone`, then the
/// 20 German Credit characteristics of ``creditRow``.
public struct PopulationRecord: Sendable, Hashable {
    /// Always a valid number (the correct one for people whose applications were mangled).
    public var idNumber: String
    public var name: String
    /// The phone the lender has on file; people sometimes apply with a newer one.
    public var phone: String
    public var creditRow: Int
}
