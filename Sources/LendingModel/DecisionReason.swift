/// A stable reason code of a decision stage: `WL_` whitelist, `ID_` identity, `FR_` fraud,
/// `CR_` credit, `PL_` policy. Codes are part of the interface: never rename one.
public struct DecisionReason: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var code: String

    public init(_ code: String) {
        precondition(code.count > 3 && ["WL_", "ID_", "FR_", "CR_", "PL_"].contains(String(code.prefix(3))),
                     "reason codes start with a stage prefix")
        self.code = code
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// A code read back from storage, taken as it is (a tampered row must still be readable, so
    /// that verification can report it).
    public init(unchecked code: String) { self.code = code }

    public var description: String { code }
}
