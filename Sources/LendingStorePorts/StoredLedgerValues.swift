import LendingLedger

/// How every store adapter reads back what the journal's rows hold: one reading, so that a
/// damaged row reads the same (and is reported the same by verification) whatever the store.
extension ChainHash {
    /// A stored hash: 32 bytes; anything else reads as zeros, which no real hash is.
    public init(stored bytes: [UInt8]) {
        guard bytes.count == 32 else {
            self = .genesis
            return
        }
        self = bytes.withUnsafeBytes { ChainHash(bytes: $0) }
    }
}

extension AccountID {
    /// The account of a stored posting: its kind's code and the entry's loan. A loan account
    /// without a loan, or an unknown code, reads as an account that no longer hashes as the
    /// original did, so verification reports the row.
    public init(storedCode code: Int64, loanID: String?) {
        guard let kind = AccountKind.allCases.first(where: { Int64($0.code) == code }) else {
            self = .suspense
            return
        }
        guard kind.isLoanAccount else {
            self = AccountID(lender: kind)
            return
        }
        self = AccountID(loan: loanID.flatMap { $0.isEmpty ? nil : $0 } ?? "?", kind)
    }
}
