import LendingModel

/// A loan in collections as the planner takes it: today's snapshot and its ladder state after
/// ``CollectionEngine/advance(_:snapshot:outcomes:on:)``.
public struct CollectionCase: Sendable, Hashable {
    public var snapshot: CollectionSnapshot
    public var state: LadderState

    public init(snapshot: CollectionSnapshot, state: LadderState) {
        self.snapshot = snapshot
        self.state = state
    }
}

extension CollectionEngine {
    /// Plans the actions of one run: the 24 hours from `asOf`.
    ///
    /// For each loan: the milestones reached on `businessDate` (bureau report, insurance claim,
    /// write-off; internal, at `asOf`, once per loan: skipped if the history already has one);
    /// then, for an active ladder state whose stage is due today (entered today, or every
    /// `everyDays` days since), the stage's action:
    /// - an opted-out channel, or an action whose daily capacity is used up, is replaced by its
    ///   fallback (and the fallback's, ...); with none permitted, nothing is planned (skipped);
    /// - the first attempt is at the stage's local time (or `asOf`), the next ones
    ///   `minutesBetweenAttempts` apart; a time outside contact hours moves to the next opening
    ///   (08:00 local), and the reason says so;
    /// - a call waits out the quiet period after a conversation and the rolling attempt cap
    ///   (history and this run's planned calls both count); if that pushes it past the 24 hours,
    ///   the attempt is dropped (the action's fallback is tried if `fallBackWhenLimited`).
    ///
    /// Capacity goes to the riskiest loans first (lowest score, then most days past due, then loan
    /// id). Every planned time is inside contact hours and inside [asOf, asOf + 24 h).
    /// - Parameters:
    ///   - cases: the loans in collections with their states (written-off loans may be included:
    ///     they yield only their write-off on its day).
    ///   - history: past contacts (calls, the latest conversation, booked milestones).
    ///   - businessDate: the date of the states (milestones fire on it).
    ///   - asOf: when the plan starts; the plan covers the following 24 hours.
    public func plan(_ cases: [CollectionCase], history: ContactHistory, businessDate: CalendarDay, asOf: Instant) -> CollectionPlan {
        // Sort keys pulled out once: comparing through `cases[i].snapshot` would copy snapshots.
        let scores = cases.map(\.snapshot.score)
        let overdueDays = cases.map(\.snapshot.daysPastDue)
        let ids = cases.map(\.snapshot.loanId)
        func riskierFirst(_ a: Int, _ b: Int) -> Bool {
            if scores[a] != scores[b] { return scores[a] < scores[b] }
            if overdueDays[a] != overdueDays[b] { return overdueDays[a] > overdueDays[b] }
            return ids[a] < ids[b]
        }
        var capacity = tables.settings.map(\.dailyCapacity)
        var planned = [[PlannedAction]](repeating: [], count: cases.count)
        var skipped: [SkippedAction] = []
        // This run's planned calls by person: every loan and draw of one person shares the cap,
        // the quiet period and the spacing of attempts.
        var personCalls: [String: [Instant]] = [:]
        let riskOrder = cases.indices.sorted(by: riskierFirst)
        for index in riskOrder {
            planned[index] = planLoan(cases[index], history: history, businessDate: businessDate, asOf: asOf,
                                      capacity: &capacity, personCalls: &personCalls, skipped: &skipped)
        }
        // By bucket, riskiest first within each: one pass over the risk order per bucket.
        var byBucket = [[Int]](repeating: [], count: tables.bucketNames.count + 1)
        for index in riskOrder {
            byBucket[tables.bucketIndexByName[cases[index].state.bucket] ?? tables.bucketNames.count].append(index)
        }
        var actions: [PlannedAction] = []
        actions.reserveCapacity(planned.reduce(0) { $0 + $1.count })
        for bucket in byBucket {
            for index in bucket { actions.append(contentsOf: planned[index]) }
        }
        return CollectionPlan(actions: actions, skipped: skipped)
    }

    private func planLoan(_ loan: CollectionCase, history: ContactHistory, businessDate: CalendarDay, asOf: Instant,
                          capacity: inout [Int?], personCalls: inout [String: [Instant]], skipped: inout [SkippedAction]) -> [PlannedAction] {
        let snapshot = loan.snapshot, state = loan.state
        let offset = snapshot.utcOffsetSeconds
        var out: [PlannedAction] = []
        guard abs(offset) <= 14 * 3600 else {
            skipped.append(SkippedAction(loanId: state.loanId, action: .sms, reason: "UTC offset \(offset) s is out of range; fix the borrower's time zone"))
            return out
        }
        let anyMilestoneToday = state.bureauReportedOn == businessDate || state.insuranceClaimedOn == businessDate
            || state.writtenOffOn == businessDate
        for action in [CollectionAction.bureauReport, .insuranceClaim, .writeOff] where anyMilestoneToday {
            let date = switch action {
            case .bureauReport: state.bureauReportedOn
            case .insuranceClaim: state.insuranceClaimedOn
            default: state.writtenOffOn
            }
            guard date == businessDate else { continue }
            if history.hasBooked(action, loanId: state.loanId) {
                skipped.append(SkippedAction(loanId: state.loanId, action: action, reason: "\(action) already booked for this loan"))
                continue
            }
            let milestones = tables.milestones
            let why = switch action {
            case .bureauReport: "bureau report at \(milestones.bureauReportDay ?? 0) days past due"
            case .insuranceClaim: "insurance claim at \(milestones.insuranceClaimDay ?? 0) days past due"
            default: "write-off at \(milestones.writeOffDay) days past due"
            }
            out.append(PlannedAction(loanId: state.loanId, action: action, channel: .internal, scheduledAt: asOf,
                                     utcOffsetSeconds: offset, bucket: state.bucket, reason: why))
        }
        guard state.status == .active, let bucketIndex = tables.bucketIndexByName[state.bucket],
              let bandIndex = tables.bandNames.firstIndex(of: state.band), tables.ladders[bucketIndex][bandIndex].indices.contains(state.stage)
        else { return out }
        let stages = tables.ladders[bucketIndex][bandIndex]
        let stage = stages[state.stage]
        let daysInStage = state.stageEnteredOn.days(to: businessDate)
        guard daysInStage >= 0, stage.everyDays == 0 ? daysInStage == 0 : daysInStage % stage.everyDays == 0 else { return out }

        let cadence = switch stage.everyDays {
        case 0: "once"
        case 1: "daily"
        default: "every \(stage.everyDays) days"
        }
        let label = "\(state.bucket)/\(state.band) stage \(state.stage + 1): \(stage.action) \(cadence)"
        var notes: [String] = []
        var action = stage.action
        while true {
            let actionSettings = tables.settings[action.ordinal]
            var blocked: String?
            if snapshot.optOuts.blocks(actionSettings.channel) {
                blocked = "\(action) not used: \(actionSettings.channel) opted out"
            } else if let left = capacity[action.ordinal], left <= 0 {
                blocked = "\(action) not used: daily capacity reached"
            }
            if let blocked {
                notes.append(blocked)
                guard let fallback = actionSettings.fallback else {
                    skipped.append(SkippedAction(loanId: state.loanId, action: stage.action,
                                                 reason: ([label] + notes + ["no permitted fallback"]).joined(separator: "; ")))
                    return out
                }
                action = fallback
                continue
            }
            var attempts = actionSettings.isCall ? stage.attemptsPerDay : 1
            if let left = capacity[action.ordinal] { attempts = min(attempts, left) }
            let person = history.contactKey(of: state.loanId)
            let scheduled = scheduleAttempts(attempts, isCall: actionSettings.isCall, localTime: stage.localTime,
                                             loanId: state.loanId, offset: offset, history: history,
                                             otherCalls: personCalls[person] ?? [], asOf: asOf)
            if scheduled.times.isEmpty {
                notes.append(contentsOf: scheduled.notes)
                if scheduled.limited, tables.callLimits.fallBackWhenLimited, let fallback = actionSettings.fallback {
                    action = fallback
                    continue
                }
                skipped.append(SkippedAction(loanId: state.loanId, action: action, reason: ([label] + notes).joined(separator: "; ")))
                return out
            }
            if let left = capacity[action.ordinal] { capacity[action.ordinal] = left - scheduled.times.count }
            if actionSettings.isCall { personCalls[person, default: []].append(contentsOf: scheduled.times) }
            let reason = ([label] + notes + scheduled.notes).joined(separator: "; ")
            for time in scheduled.times {
                out.append(PlannedAction(loanId: state.loanId, action: action, channel: actionSettings.channel, scheduledAt: time,
                                         utcOffsetSeconds: offset, bucket: state.bucket, reason: reason))
            }
            return out
        }
    }

    /// Times for up to `attempts` attempts in [asOf, asOf + 24 h), inside contact hours, and for
    /// calls outside the person's quiet period, under the person's cap (history and this run's
    /// calls of the person's other loans, `otherCalls`, counted) and `minutesBetweenAttempts`
    /// away from those other calls. `limited`: a call limit cut attempts.
    private func scheduleAttempts(_ attempts: Int, isCall: Bool, localTime: LocalTimeOfDay?, loanId: String, offset: Int,
                                  history: ContactHistory, otherCalls: [Instant], asOf: Instant) -> (times: [Instant], notes: [String], limited: Bool) {
        let horizonEnd = asOf.adding(seconds: 86_400)
        let spacing = Int64(tables.callLimits.minutesBetweenAttempts) * 60
        let past = isCall ? history.person(of: loanId) : nil
        var times: [Instant] = []
        var notes: [String] = []
        var limited = false
        var proposed = asOf
        if let localTime {
            var delta = localTime.secondsOfDay - localSecondOfDay(asOf, offsetSeconds: offset)
            if delta < 0 { delta += 86_400 }
            proposed = asOf.adding(seconds: Int64(delta))
        }
        for attempt in 1...max(attempts, 1) where attempts > 0 {
            var time = proposed
            var movedForHours = false
            var movedForPerson = false
            var limit: CallBlock?
            while true {
                let open = nextContactTime(time, offset: offset)
                if open != time { movedForHours = true; time = open }
                if time >= horizonEnd { break }
                if isCall, let clash = otherCalls.first(where: { $0 > time.adding(seconds: -spacing) && $0 < time.adding(seconds: spacing) }) {
                    movedForPerson = true
                    time = clash.adding(seconds: spacing)
                    continue
                }
                if isCall, let block = history.callBlock(calls: past?.calls ?? [], extra: otherCalls + times,
                                                        conversations: past?.conversations ?? [], at: time) {
                    limit = block
                    switch block {
                    case .attemptCap(let until), .quietPeriod(let until): time = until
                    }
                    if time >= horizonEnd { break }
                    continue
                }
                break
            }
            var local: LocalTimeOfDay { LocalTimeOfDay(hour: 0).advanced(localSecondOfDay(time, offsetSeconds: offset)) }
            var which: String { attempts > 1 ? "attempt \(attempt) " : "" }
            if time >= horizonEnd {
                switch limit {
                case .attemptCap?:
                    limited = true
                    notes.append("\(which)dropped: \(tables.callLimits.maxAttempts) calls in \(tables.callLimits.windowDays) days reached")
                case .quietPeriod?:
                    limited = true
                    notes.append("\(which)dropped: quiet period after a conversation")
                case nil:
                    notes.append("\(which)dropped: no contact time left in the 24-hour plan")
                }
                break
            }
            switch limit {
            case .attemptCap?: notes.append("\(which)moved to \(local) local: call cap")
            case .quietPeriod?: notes.append("\(which)moved to \(local) local: quiet period after a conversation")
            case nil where movedForPerson:
                notes.append("\(which)moved to \(local) local: another call to the same person")
            case nil:
                if movedForHours {
                    notes.append("\(which)moved to \(local) local: outside contact hours \(strategy.contactHours.start)-\(strategy.contactHours.end)")
                }
            }
            times.append(time)
            proposed = time.adding(seconds: spacing)
        }
        return (times, notes, limited)
    }

    /// The first instant at or after `time` inside contact hours at the borrower's offset.
    func nextContactTime(_ time: Instant, offset: Int) -> Instant {
        let second = localSecondOfDay(time, offsetSeconds: offset)
        let start = tables.contactStart, end = tables.contactEnd
        if second < start { return time.adding(seconds: Int64(start - second)) }
        if second >= end { return time.adding(seconds: Int64(86_400 - second + start)) }
        return time
    }
}

extension LocalTimeOfDay {
    /// The time `seconds` after this one, wrapped at midnight and truncated to the minute.
    func advanced(_ seconds: Int) -> LocalTimeOfDay {
        let total = ((secondsOfDay + seconds) % 86_400 + 86_400) % 86_400
        return LocalTimeOfDay(hour: total / 3600, minute: total / 60 % 60)
    }
}
