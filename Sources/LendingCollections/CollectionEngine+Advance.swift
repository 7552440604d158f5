import LendingModel

extension CollectionEngine {
    /// Moves one loan's ladder state to a business date.
    ///
    /// Rules, in order:
    /// 1. A written-off state never changes.
    /// 2. A loan with no bucket (current, next due date beyond the pre-due bucket) leaves: state `nil`,
    ///    event `cured` if it was overdue, `left` otherwise. A loan that was overdue and is now
    ///    pre-due is cured and starts a fresh pre-due stay.
    /// 3. Overdue loans reach their milestones on the first date their days past due are at or past
    ///    the configured day (bureau report, insurance claim for insured loans, write-off; a
    ///    write-off ends the ladder).
    /// 4. A new bucket resets the escalation earned by broken promises.
    /// 5. Promises (overdue loans only): an open promise is kept as soon as the total repaid has grown
    ///    by the promised amount since it was made (or the loan is cured), and broken on the day
    ///    after promise date + grace otherwise. A kept promise forgives escalation if the strategy
    ///    says so and keeps the ladder paused `keptPauseDays` more days; a broken one escalates one
    ///    stage at once. The latest `promise_to_pay` outcome in `outcomes` opens a promise (its date
    ///    cut to `maxPromiseDays`, its amount the overdue amount when none was given) and pauses
    ///    the ladder through promise date + grace.
    /// 6. The stage: when active, the schedule's stage for the collection day plus the escalation
    ///    (at most the last stage); when paused, the stage held (never above that, and the first
    ///    stage of a bucket entered during the pause). Entering a stage, escalating and resuming
    ///    set `stageEnteredOn` to the date, so the stage's action is taken that day.
    ///
    /// - Parameters:
    ///   - previous: the state after the last run, `nil` if the loan was not in collections.
    ///   - snapshot: the loan on `day`.
    ///   - outcomes: the loan's outcomes recorded since the last run (others are ignored).
    ///   - day: the business date.
    public func advance(_ previous: LadderState?, snapshot: CollectionSnapshot, outcomes: [ContactOutcome],
                        on day: CalendarDay) -> LadderTransition {
        if let previous, previous.status == .writtenOff { return LadderTransition(state: previous, events: []) }
        let tables = self.tables
        var events: [LadderEvent] = []
        let previousBucketIndex = previous.flatMap { tables.bucketIndexByName[$0.bucket] }
        let previousWasOverdue = previousBucketIndex.map { tables.bucketFromDays[$0] >= 1 } ?? false
        guard let collectionDay = snapshot.collectionDay(on: day), let bucketIndex = bucketIndex(forDay: collectionDay) else {
            if let previous {
                if previous.promise != nil, previousWasOverdue { events.append(.promiseKept) }
                events.append(previousWasOverdue ? .cured : .left)
            }
            return LadderTransition(state: nil, events: events)
        }
        let overdue = collectionDay > 0
        let bucketName = tables.bucketNames[bucketIndex]
        let bandIndex = bandIndex(forScore: snapshot.score)
        let bandName = tables.bandNames[bandIndex]
        let stages = tables.ladders[bucketIndex][bandIndex]
        let last = stages.count - 1

        var state: LadderState
        var heldStage: Int?
        if let previous, overdue || !previousWasOverdue, previousBucketIndex != nil {
            state = previous
            heldStage = previous.stage
        } else {
            if let previous, previousWasOverdue {
                if previous.promise != nil { events.append(.promiseKept) }
                events.append(.cured)
            }
            state = LadderState(loanId: snapshot.loanId, status: .active, bucket: bucketName, band: bandName, stage: 0,
                                stageEnteredOn: day, enteredOn: day, totalPaidSeen: snapshot.totalPaid)
            events.append(.entered(bucket: bucketName))
        }
        let paidBaseline = state.totalPaidSeen

        if overdue {
            let milestones = tables.milestones
            if let reportDay = milestones.bureauReportDay, collectionDay >= reportDay, state.bureauReportedOn == nil {
                state.bureauReportedOn = day
                events.append(.bureauReportDue)
            }
            if snapshot.insured, let claimDay = milestones.insuranceClaimDay, collectionDay >= claimDay, state.insuranceClaimedOn == nil {
                state.insuranceClaimedOn = day
                events.append(.insuranceClaimDue)
            }
            if collectionDay >= milestones.writeOffDay {
                state.status = .writtenOff
                state.writtenOffOn = day
                state.bucket = bucketName
                state.band = bandName
                state.promise = nil
                state.pausedThrough = nil
                state.totalPaidSeen = snapshot.totalPaid
                events.append(.writtenOff)
                return LadderTransition(state: state, events: events)
            }
        }

        var bucketChanged = false
        if state.bucket != bucketName {
            if heldStage != nil { events.append(.bucketChanged(from: state.bucket, to: bucketName)) }
            state.bucket = bucketName
            state.escalation = 0
            bucketChanged = heldStage != nil
        }
        if state.band != bandName { state.band = bandName }

        var escalatedNow = false
        var resumed = false
        if overdue {
            let rules = tables.promises
            Self.judgeOpenPromise(&state, events: &events, escalated: &escalatedNow, resumed: &resumed,
                                  totalPaid: snapshot.totalPaid, day: day, rules: rules)
            var latest: ContactOutcome?
            for outcome in outcomes where outcome.loanId == snapshot.loanId && outcome.result == .promiseToPay {
                if latest.map({ $0.happenedAt <= outcome.happenedAt }) ?? true { latest = outcome }
            }
            if let outcome = latest {
                if state.promise != nil { events.append(.promiseReplaced) }
                let madeOn = min(outcome.happenedAt.day(atOffsetSeconds: Int64(snapshot.utcOffsetSeconds)), day)
                let asked = outcome.promiseDate ?? madeOn
                let dueOn = min(max(asked, madeOn), madeOn.adding(days: rules.maxPromiseDays))
                let amount = outcome.promiseAmount.flatMap { $0.fen > 0 ? $0 : nil } ?? snapshot.overdueAmount
                state.promise = PromiseToPay(madeOn: madeOn, dueOn: dueOn, amount: amount, paidBefore: paidBaseline)
                state.status = .paused
                state.pausedThrough = dueOn.adding(days: rules.graceDays)
                escalatedNow = false
                resumed = false
                events.append(.promiseMade(dueOn: dueOn, amount: amount))
                Self.judgeOpenPromise(&state, events: &events, escalated: &escalatedNow, resumed: &resumed,
                                      totalPaid: snapshot.totalPaid, day: day, rules: rules)
            }
            if state.status == .paused, state.promise == nil, let through = state.pausedThrough, day > through {
                state.status = .active
                state.pausedThrough = nil
                resumed = true
                events.append(.resumed)
            }
        } else if state.status == .paused {
            // Pre-due loans have no promises; a paused pre-due state cannot arise, but stay safe.
            state.status = .active
            state.pausedThrough = nil
            state.promise = nil
        }

        let scheduled = Self.scheduledStage(in: stages, day: collectionDay)
        let target = min(scheduled + state.escalation, last)
        let newStage: Int
        if state.status == .paused {
            newStage = bucketChanged ? 0 : min(state.stage, target)
        } else {
            newStage = target
        }
        if let held = heldStage {
            if held != newStage || bucketChanged {
                events.append(.stageChanged(from: held, to: newStage))
                state.stageEnteredOn = day
            } else if escalatedNow || resumed {
                state.stageEnteredOn = day
            }
        } else {
            state.stageEnteredOn = day
        }
        state.stage = newStage
        state.totalPaidSeen = snapshot.totalPaid
        return LadderTransition(state: state, events: events)
    }

    /// Keeps or breaks the open promise, if any (rule 5). A static function with `inout`
    /// parameters rather than a closure, so that nothing is boxed on this daily path.
    private static func judgeOpenPromise(_ state: inout LadderState, events: inout [LadderEvent], escalated: inout Bool,
                                         resumed: inout Bool, totalPaid: Money, day: CalendarDay, rules: PromiseRules) {
        guard let promise = state.promise else { return }
        if totalPaid - promise.paidBefore >= promise.amount {
            state.promise = nil
            state.keptPromises += 1
            events.append(.promiseKept)
            if rules.keptResetsEscalation { state.escalation = 0 }
            if rules.keptPauseDays > 0 {
                state.status = .paused
                state.pausedThrough = day.adding(days: rules.keptPauseDays)
            } else {
                state.status = .active
                state.pausedThrough = nil
                resumed = true
                events.append(.resumed)
            }
        } else if day > promise.dueOn.adding(days: rules.graceDays) {
            state.promise = nil
            state.brokenPromises += 1
            state.status = .active
            state.pausedThrough = nil
            state.escalation += 1
            escalated = true
            events.append(.promiseBroken)
        }
    }
}
