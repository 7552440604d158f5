import LendingCSV
import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import LendingStorePorts

/// `lending decisions verify`: the chain holds (no record edited, removed, inserted or moved),
/// and every stored application still has the decision it was stored with (a removed last row).
public struct DecisionVerification: Sendable, Equatable {
    public var decisions: Int
    /// The last record's hash: publish it, and a later `--expect-head` shows nothing was cut off.
    public var headHash: String
    public var problems: [String]

    public var holds: Bool { problems.isEmpty }

    public static func run(store: any DecisionStore, expectHead: String? = nil) throws -> DecisionVerification {
        var verifier = DecisionChain.Verifier()
        var problems: [String] = []
        try store.forEachDecision { record in
            guard problems.isEmpty else { return }
            if let problem = verifier.check(record) {
                switch problem {
                case .edited(_, let sequence):
                    problems.append("decision \(sequence) (application \(record.applicationID)) was edited: its hash does not match its contents")
                case .unlinked(_, let sequence):
                    problems.append("decision \(sequence) does not follow the one before it: a decision was removed, inserted or moved before it")
                case .sequenceGap(_, let expected, let found):
                    problems.append("decision \(expected) is missing (found \(found) next): a decision was removed")
                }
            }
        }
        let orphans = try store.applicationsWithoutDecision()
        if !orphans.isEmpty {
            problems.append("\(orphans.count) application(s) lost their decision, first \(orphans[0]): a decision row was removed")
        }
        if let expectHead, expectHead != verifier.headHash {
            problems.append("the last decision's hash is \(verifier.headHash), not the expected \(expectHead): decisions were removed from the end or added")
        }
        return DecisionVerification(decisions: verifier.count, headHash: verifier.headHash, problems: problems)
    }
}
