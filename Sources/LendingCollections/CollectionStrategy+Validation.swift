import LendingModel

extension CollectionStrategy {
    /// Checks every rule a strategy must obey, so that the planner and the ladder never meet an
    /// impossible case.
    /// - Throws: ``CollectionsError`` (`collections.invalid_strategy`) naming the first problem
    ///   and what to change.
    public func validate() throws(CollectionsError) {
        func fail(_ message: String) -> CollectionsError { CollectionsError(.invalidStrategy, message) }
        guard formatVersion == 1 else {
            throw fail("formatVersion is \(formatVersion) but this program reads format 1; use a strategy written for it")
        }
        guard !name.isEmpty, !version.isEmpty else { throw fail("name and version must not be empty; give the strategy a name and a version") }

        guard contactHours.start < contactHours.end else {
            throw fail("contactHours.start (\(contactHours.start)) must be before contactHours.end (\(contactHours.end))")
        }
        let limits = callLimits
        guard limits.maxAttempts >= 1, limits.windowDays >= 1 else {
            throw fail("callLimits.maxAttempts and callLimits.windowDays must be at least 1")
        }
        guard limits.quietDaysAfterConversation >= 0, limits.minutesBetweenAttempts >= 1, limits.minutesBetweenAttempts < 24 * 60 else {
            throw fail("callLimits.quietDaysAfterConversation must be 0 or more and minutesBetweenAttempts 1 to 1439")
        }

        // Actions: exactly one entry each; milestones internal, contacts not; fallbacks end.
        for action in CollectionAction.allCases {
            let entries = actions.filter { $0.action == action }
            guard entries.count == 1 else {
                throw fail("actions must list \"\(action)\" exactly once (found \(entries.count)); give every action one entry")
            }
            let settings = entries[0]
            if action.isMilestone {
                guard settings.channel == .internal, !settings.isCall, settings.fallback == nil else {
                    throw fail("action \"\(action)\" is a milestone: its channel must be \"internal\", with no call and no fallback")
                }
            } else {
                guard settings.channel != .internal else {
                    throw fail("action \"\(action)\" is a contact: give it a contact channel (app, sms, phone, visit, letter), not \"internal\"")
                }
            }
            if let capacity = settings.dailyCapacity, capacity < 0 {
                throw fail("actions[\"\(action)\"].dailyCapacity must be 0 or more")
            }
            var seen: Set<CollectionAction> = [action]
            var next = settings.fallback
            while let fallback = next {
                guard !fallback.isMilestone else {
                    throw fail("action \"\(action)\" falls back to the milestone \"\(fallback)\"; fall back to a contact action")
                }
                guard seen.insert(fallback).inserted else {
                    throw fail("the fallbacks of \"\(action)\" go round in a circle through \"\(fallback)\"; end the chain")
                }
                next = actions.first { $0.action == fallback }?.fallback
            }
        }

        // Buckets: named once, contiguous, the last one open, day 1 covered.
        guard !buckets.isEmpty else { throw fail("buckets must not be empty; list the buckets by days past due") }
        for (index, bucket) in buckets.enumerated() {
            guard !bucket.name.isEmpty, buckets.filter({ $0.name == bucket.name }).count == 1 else {
                throw fail("bucket names must be unique and not empty (\"\(bucket.name)\")")
            }
            if let to = bucket.toDay, to < bucket.fromDay {
                throw fail("bucket \"\(bucket.name)\" ends (\(to)) before it starts (\(bucket.fromDay))")
            }
            if index + 1 < buckets.count {
                guard let to = bucket.toDay, buckets[index + 1].fromDay == to + 1 else {
                    throw fail("bucket \"\(buckets[index + 1].name)\" must start the day after \"\(bucket.name)\" ends; buckets are contiguous and in order")
                }
            } else if bucket.toDay != nil {
                throw fail("the last bucket (\"\(bucket.name)\") must have no toDay so that every overdue loan has a bucket")
            }
        }
        guard buckets[0].fromDay <= 1 else { throw fail("the first bucket must start at day 1 or earlier so that every overdue loan has a bucket") }

        // Bands: unique names, bounds increasing, the last unbounded.
        guard !riskBands.isEmpty else { throw fail("riskBands must not be empty; one band with no belowScore is enough") }
        for (index, band) in riskBands.enumerated() {
            guard !band.name.isEmpty, riskBands.filter({ $0.name == band.name }).count == 1 else {
                throw fail("risk band names must be unique and not empty (\"\(band.name)\")")
            }
            if index + 1 < riskBands.count {
                guard let bound = band.belowScore, bound.isFinite else {
                    throw fail("risk band \"\(band.name)\" needs a finite belowScore; only the last band has none")
                }
                if let nextBound = riskBands[index + 1].belowScore, nextBound <= bound {
                    throw fail("risk band bounds must increase: \"\(riskBands[index + 1].name)\" (\(nextBound)) after \"\(band.name)\" (\(bound))")
                }
            } else if band.belowScore != nil {
                throw fail("the last risk band (\"\(band.name)\") must have no belowScore so that every score has a band")
            }
        }

        // Ladders: known bucket and band, one per pair, a ladder for every pair, stages in order.
        for ladder in ladders {
            guard let bucket = buckets.first(where: { $0.name == ladder.bucket }) else {
                throw fail("a ladder names the bucket \"\(ladder.bucket)\", which is not in buckets")
            }
            if let band = ladder.band, !riskBands.contains(where: { $0.name == band }) {
                throw fail("a ladder of bucket \"\(ladder.bucket)\" names the band \"\(band)\", which is not in riskBands")
            }
            guard ladders.filter({ $0.bucket == ladder.bucket && $0.band == ladder.band }).count == 1 else {
                throw fail("bucket \"\(ladder.bucket)\" has two ladders for band \"\(ladder.band ?? "(any)")\"; keep one")
            }
            let place = "the ladder of \"\(ladder.bucket)\"/\"\(ladder.band ?? "any")\""
            guard let first = ladder.stages.first else { throw fail("\(place) has no stage; give it at least one") }
            guard first.fromDay == bucket.fromDay else {
                throw fail("\(place) must start on the bucket's first day (\(bucket.fromDay)), not \(first.fromDay)")
            }
            for (index, stage) in ladder.stages.enumerated() {
                guard bucket.contains(stage.fromDay) else {
                    throw fail("\(place): stage \(index + 1) starts on day \(stage.fromDay), outside the bucket")
                }
                if index > 0, stage.fromDay <= ladder.stages[index - 1].fromDay {
                    throw fail("\(place): stage \(index + 1) must start after stage \(index); order stages by fromDay")
                }
                guard !stage.action.isMilestone else {
                    throw fail("\(place): stage \(index + 1) is \"\(stage.action)\", a milestone; milestones are set in milestones")
                }
                guard stage.everyDays >= 0, stage.attemptsPerDay >= 1 else {
                    throw fail("\(place): stage \(index + 1) needs everyDays 0 or more and attemptsPerDay 1 or more")
                }
                let isCall = actions.first { $0.action == stage.action }?.isCall ?? false
                guard isCall || stage.attemptsPerDay == 1 else {
                    throw fail("\(place): stage \(index + 1) is not a call and cannot have \(stage.attemptsPerDay) attempts a day")
                }
                guard stage.attemptsPerDay <= limits.maxAttempts else {
                    throw fail("\(place): stage \(index + 1) plans \(stage.attemptsPerDay) attempts a day, more than callLimits.maxAttempts")
                }
            }
        }
        for bucket in buckets {
            for band in riskBands {
                guard ladders.contains(where: { $0.bucket == bucket.name && ($0.band == band.name || $0.band == nil) }) else {
                    throw fail("bucket \"\(bucket.name)\" has no ladder for band \"\(band.name)\"; add one, or one without a band")
                }
            }
        }

        guard promises.graceDays >= 0, promises.maxPromiseDays >= 0, promises.keptPauseDays >= 0 else {
            throw fail("promises.graceDays, maxPromiseDays and keptPauseDays must be 0 or more")
        }
        let write = milestones.writeOffDay
        guard write >= 1 else { throw fail("milestones.writeOffDay must be at least 1 day past due") }
        for (label, day) in [("bureauReportDay", milestones.bureauReportDay), ("insuranceClaimDay", milestones.insuranceClaimDay)] {
            if let day, !(1...write).contains(day) {
                throw fail("milestones.\(label) (\(day)) must be between 1 and writeOffDay (\(write))")
            }
        }
        try earlyWarning.validate()
        try portfolio.validate()
    }
}
