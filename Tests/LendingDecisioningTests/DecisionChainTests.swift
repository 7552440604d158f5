import LendingDecisioning
import LendingModel
import Testing

func chain(_ count: Int) -> [DecisionRecord] {
    var records: [DecisionRecord] = []
    for index in 0..<count {
        let draft = DecisionRecord(applicationID: "APP-\(index)", decidedAt: Instant(secondsSinceEpoch: 1_790_000_000 + Int64(index)),
                                   outcome: index % 3 == 0 ? .decline : .approve, approvedLimit: Money(fen: Int64(index) * 10_000),
                                   apr: AnnualRate(basisPoints: 1825), score: 500 + Double(index), reasons: index % 3 == 0 ? ["CR_SCORE_LOW"] : [],
                                   inputsHash: String(repeating: "a", count: 64), modelVersion: "gc 1", policyVersion: "default 1")
        records.append(DecisionChain.seal(draft, after: records.last))
    }
    return records
}

@Suite struct DecisionChainTests {
    @Test func anIntactChainVerifies() {
        let records = chain(50)
        #expect(DecisionChain.verify(records) == nil)
        #expect(records[0].previousHash == DecisionChain.genesis)
        #expect(records[1].previousHash == records[0].hash)
    }

    @Test func detectsAnEditedField() {
        var records = chain(20)
        records[7].approvedLimit = Money(fen: 99_999_900)
        #expect(DecisionChain.verify(records) == .edited(index: 7, sequence: 8))
        var reasons = chain(20)
        reasons[3].reasons = []
        #expect(DecisionChain.verify(reasons) == .edited(index: 3, sequence: 4))
    }

    @Test func detectsADeletedRow() {
        var records = chain(20)
        records.remove(at: 12)
        #expect(DecisionChain.verify(records) == .sequenceGap(index: 12, expected: 13, found: 14))
    }

    @Test func detectsADeletedRowEvenWhenSequencesAreRewritten() {
        var records = chain(20)
        records.remove(at: 12)
        for index in 12..<records.count { records[index].sequence = Int64(index + 1) }
        #expect(DecisionChain.verify(records) == .unlinked(index: 12, sequence: 13))
    }

    @Test func detectsARecomputedHashOnAnEditedRow() {
        // An attacker who edits a row and recomputes its hash still breaks the next link.
        var records = chain(10)
        records[4].outcome = .review
        records[4].hash = DecisionChain.hash(of: records[4])
        #expect(DecisionChain.verify(records) == .unlinked(index: 5, sequence: 6))
    }
}
