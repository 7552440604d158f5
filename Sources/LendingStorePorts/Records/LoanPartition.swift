/// A share of the loan book for end of day: the loans whose store position, divided by `count`,
/// leaves `index` (`--partition I/N`, and each of `--workers N`). Shares are disjoint and cover
/// the book, so N processes on N machines, each with its own share, run end of day for every loan
/// once; a loan a killed process left is still unprocessed, and the next run of its share takes it.
public struct LoanPartition: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// `index` in `0..<count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// The whole book.
    public static let all = LoanPartition(index: 0, count: 1)!

    /// Reads `I/N` (1-based, as `--partition 1/4` ... `4/4`).
    public init?(text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: number - 1, count: count)
    }

    /// Does the loan at `position` belong to this share?
    public func contains(_ position: StorePosition) -> Bool {
        count == 1 || Int(((position.rawValue % Int64(count)) + Int64(count)) % Int64(count)) == index
    }

    /// Share `worker` of `workers` within this one (the positions of this share taken `workers` ways).
    public func split(_ worker: Int, of workers: Int) -> LoanPartition {
        LoanPartition(index: index + count * worker, count: count * workers)!
    }

    /// `I/N`, 1-based.
    public var description: String { "\(index + 1)/\(count)" }
}
