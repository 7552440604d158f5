import LendingCollections
import LendingModel
import LendingServicing
import LendingStorePorts

/// Post-loan's operations, in the same transactions as servicing's (as in SQLite).
extension MemoryServicingTransaction: CollectionsTransaction {
    private typealias ActionKey = CollectionsTables.ActionKey

    // MARK: Runs

    func postLoanRun(on day: CalendarDay) throws -> PostLoanRunRecord? { state.collections.runs[day] }

    func insert(run: PostLoanRunRecord) throws {
        try requireWritable()
        guard state.collections.runs[run.day] == nil else { throw InMemoryStoreError.duplicate("the post-loan run of \(run.day)") }
        state.collections.runs[run.day] = run
    }

    func lastPostLoanRun() throws -> CalendarDay? { state.collections.runs.keys.max() }

    // MARK: Loans

    func writtenOffLoans() throws -> [LoanState] {
        try state.servicing.loans.indices.filter { state.servicing.loans[$0].loan.status == .writtenOff }
            .compactMap { try state.servicing.loan(at: $0).state }
    }

    func allLines() throws -> [StoredLine] {
        state.servicing.lines.values.sorted { precedesInBinaryOrder($0.line.lineID, $1.line.lineID) }
    }

    func paidOutTotals() throws -> (loans: Int, principal: Money) {
        var count = 0
        var principal = Money.zero
        for row in state.servicing.loans where row.loan.status != .signed {
            count += 1
            principal += row.loan.principal
        }
        return (count, principal)
    }

    // MARK: Ladder

    func openLadders() throws -> [String: StoredLadder] { state.collections.ladders.filter { $0.value.state.status != .writtenOff } }

    func save(ladders: [StoredLadder]) throws {
        try requireWritable()
        for ladder in ladders where ladder.state.stage < 0 {
            throw InMemoryStoreError.constraint("the ladder state of loan \(ladder.state.loanId) has a negative stage")
        }
        for ladder in ladders { state.collections.ladders[ladder.state.loanId] = ladder }
    }

    func deleteLadders(loanIDs: [String]) throws {
        try requireWritable()
        for id in loanIDs { state.collections.ladders[id] = nil }
    }

    // MARK: Action log

    @discardableResult
    func insert(actions: [PlannedAction], plannedOn day: CalendarDay) throws -> Int {
        try requireWritable()
        var inserted = 0
        for action in actions {
            let logged = CollectionsTables.LoggedAction(action: action, plannedOn: day)
            // An action already stored (same loan, action and time) keeps its first record.
            guard state.collections.actionKeys.insert(logged.key).inserted else { continue }
            state.collections.actionsByLoan[action.loanId, default: []].append(state.collections.actions.count)
            state.collections.actions.append(logged)
            inserted += 1
        }
        return inserted
    }

    func cancel(_ actions: [(loanID: String, action: CollectionAction, scheduledAt: Instant)], reason: String) throws {
        try requireWritable()
        for item in actions {
            let key = ActionKey(loanID: item.loanID, action: item.action, at: item.scheduledAt)
            if state.collections.cancellations[key] == nil { state.collections.cancellations[key] = reason }
        }
    }

    func actions(scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction] {
        state.collections.executed { $0.scheduledAt >= from && $0.scheduledAt < to }
    }

    func actions(plannedOn day: CalendarDay) throws -> [PlannedAction] {
        state.collections.actions.filter { $0.plannedOn == day }.map(\.action)
    }

    func milestoneActions() throws -> [PlannedAction] {
        state.collections.actions.map(\.action).filter { $0.action.isMilestone }
    }

    func contactCounts(from: Instant, to: Instant) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for action in state.collections.executed(where: { !$0.action.isMilestone && $0.scheduledAt >= from && $0.scheduledAt < to }) {
            counts[action.loanId, default: 0] += 1
        }
        return counts
    }

    func allActions() throws -> [PlannedAction] { state.collections.executed { _ in true } }

    func actions(loanIDs: [String], scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction] {
        state.collections.executed(of: loanIDs, from: from, to: to)
    }

    func cancelledActions(plannedOn day: CalendarDay) throws -> [CancelledAction] {
        state.collections.actions.filter { $0.plannedOn == day }.compactMap { logged in
            state.collections.cancellations[logged.key].map { reason in
                CancelledAction(loanID: logged.action.loanId, action: logged.action.action, scheduledAt: logged.action.scheduledAt, reason: reason)
            }
        }
    }

    // MARK: Outcomes

    func outcome(loanID: String, action: CollectionAction, happenedAt: Instant) throws -> StoredOutcome? {
        state.collections.outcomeIndex[ActionKey(loanID: loanID, action: action, at: happenedAt)].map { state.collections.outcomes[$0].stored }
    }

    func insert(outcome stored: StoredOutcome) throws {
        try requireWritable()
        let outcome = stored.outcome
        let key = ActionKey(loanID: outcome.loanId, action: outcome.action, at: outcome.happenedAt)
        guard state.collections.outcomeIndex[key] == nil else {
            throw InMemoryStoreError.duplicate("an outcome of \(outcome.action.rawValue) on loan \(outcome.loanId) at \(outcome.happenedAt)")
        }
        state.collections.outcomeIndex[key] = state.collections.outcomes.count
        state.collections.outcomesByLoan[outcome.loanId, default: []].append(state.collections.outcomes.count)
        state.collections.outcomes.append(CollectionsTables.RecordedOutcome(stored: stored, appliedOn: nil))
        if let channel = stored.optOut, state.collections.optOuts[outcome.loanId]?[channel] == nil {
            state.collections.optOuts[outcome.loanId, default: [:]][channel] = outcome.happenedAt
        }
    }

    func unappliedOutcomes(before: Instant) throws -> [ContactOutcome] {
        state.collections.outcomes { $0.appliedOn == nil && $0.stored.outcome.happenedAt < before }
    }

    func markOutcomesApplied(before: Instant, on day: CalendarDay) throws {
        try requireWritable()
        for index in state.collections.outcomes.indices {
            let recorded = state.collections.outcomes[index]
            if recorded.appliedOn == nil, recorded.stored.outcome.happenedAt < before { state.collections.outcomes[index].appliedOn = day }
        }
    }

    func outcomes(from: Instant, to: Instant) throws -> [ContactOutcome] {
        state.collections.outcomes { $0.stored.outcome.happenedAt >= from && $0.stored.outcome.happenedAt < to }
    }

    func allOutcomes() throws -> [ContactOutcome] { state.collections.outcomes { _ in true } }

    func optOuts() throws -> [String: OptOuts] {
        var found: [String: OptOuts] = [:]
        for (loanID, channels) in state.collections.optOuts {
            var optOuts = OptOuts()
            for channel in channels.keys {
                if channel == "all" { optOuts.all = true } else if let known = ContactChannel(rawValue: channel) { optOuts.channels.insert(known) }
            }
            found[loanID] = optOuts
        }
        return found
    }

    func outcomes(loanIDs: [String], from: Instant, to: Instant) throws -> [ContactOutcome] {
        state.collections.outcomes(of: loanIDs, from: from, to: to)
    }

    func optOutRecords(loanIDs: [String]?) throws -> [OptOutRecord] {
        let loans = loanIDs.map(Set.init)
        var found: [OptOutRecord] = []
        for (loanID, channels) in state.collections.optOuts where loans?.contains(loanID) ?? true {
            for (channel, since) in channels {
                if channel == "all" {
                    found.append(OptOutRecord(loanId: loanID, channel: nil, since: since))
                } else if let known = ContactChannel(rawValue: channel) {
                    found.append(OptOutRecord(loanId: loanID, channel: known, since: since))
                }
            }
        }
        return found.sorted { ($0.since, $0.loanId, $0.channel?.rawValue ?? "all") < ($1.since, $1.loanId, $1.channel?.rawValue ?? "all") }
    }

    // MARK: Persons

    func contactKeys(sharingPersonWith loanIDs: [String]) throws -> [String: String] {
        func key(_ row: LoanRow) -> String {
            state.decisions.applications[row.loan.applicationID].map { "p:" + $0.personKey } ?? "a:" + row.loan.applicationID
        }
        var wanted = Set<String>()
        for id in loanIDs {
            if let index = state.servicing.loanIndex[id] { wanted.insert(key(state.servicing.loans[index])) }
        }
        guard !wanted.isEmpty else { return [:] }
        var found: [String: String] = [:]
        for row in state.servicing.loans {
            let person = key(row)
            if wanted.contains(person) { found[row.loan.loanID] = person }
        }
        return found
    }

    // MARK: Logs

    func insert(events: [PostLoanEvent]) throws {
        try requireWritable()
        state.collections.events += events
    }

    func insert(warnings: [StoredWarning]) throws {
        try requireWritable()
        state.collections.warnings += warnings
    }

    func lineLevels() throws -> [String: WarningLevel] { state.collections.lineLevels.mapValues(\.level) }

    func saveLineLevel(lineID: String, level: WarningLevel, on day: CalendarDay) throws {
        try requireWritable()
        state.collections.lineLevels[lineID] = CollectionsTables.LineLevel(level: level, day: day)
    }

    func lineUsages(onOrBefore day: CalendarDay) throws -> [String: (drawn: Money, limit: Money)] {
        var found: [String: (drawn: Money, limit: Money)] = [:]
        for (lineID, days) in state.collections.lineUsage {
            guard let latest = days.keys.filter({ $0 <= day }).max(), let usage = days[latest] else { continue }
            found[lineID] = (usage.drawn, usage.limit)
        }
        return found
    }

    func recordLineUsage(lineID: String, drawn: Money, limit: Money, on day: CalendarDay) throws {
        try requireWritable()
        state.collections.lineUsage[lineID, default: [:]][day] = CollectionsTables.LineUsage(drawn: drawn, limit: limit)
    }

    func personKeys(applicationIDs: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        for id in applicationIDs { found[id] = state.decisions.applications[id]?.personKey }
        return found
    }

    func applicationPersons(from: Instant, to: Instant) throws -> [String: String] {
        var found: [String: String] = [:]
        for application in state.decisions.applications.values where application.appliedAt >= from && application.appliedAt < to {
            found[application.applicationID] = application.personKey
        }
        return found
    }

    // MARK: Report

    func hasSnapshots(month: YearMonth) throws -> Bool { state.collections.snapshotMonths.contains(month) }

    func insert(snapshots: [MonthlyLoanSnapshot]) throws {
        try requireWritable()
        for snapshot in snapshots {
            state.collections.snapshots[CollectionsTables.SnapshotKey(month: snapshot.month, loanID: snapshot.loanId)] = snapshot
            state.collections.snapshotMonths.insert(snapshot.month)
        }
    }

    func snapshots(through month: YearMonth) throws -> [MonthlyLoanSnapshot] {
        state.collections.snapshots.values.filter { $0.month <= month }.sorted { left, right in
            left.month != right.month ? left.month < right.month : precedesInBinaryOrder(left.loanId, right.loanId)
        }
    }

    func latestDecisions() throws -> [FunnelDecision] {
        let decisions = state.decisions
        return decisions.decisions.indices.filter { decisions.latestByApplication[decisions.decisions[$0].applicationID] == $0 }.map { index in
            let decision = decisions.decisions[index]
            return FunnelDecision(outcome: DecisionOutcome(rawValue: decision.outcome.rawValue) ?? .decline, reasonCodes: decision.reasons.map(\.code))
        }
    }

    func allPayments() throws -> [PaymentRecord] {
        state.servicing.repaymentOrder.compactMap { state.servicing.repayments[$0] }.filter { repayment in
            state.backOffice.approvals["reversal:\(repayment.paymentID)"]?.status != .approved
        }.map { repayment in
            PaymentRecord(loanId: repayment.loanID, paidOn: repayment.paidOn, amount: repayment.amount)
        }
    }
}

extension MemoryServicingTransaction: IdempotencyRecording {
    func record(_ requests: [CompletedRequest]) throws {
        try requireWritable()
        try state.record(requests)
    }
}
