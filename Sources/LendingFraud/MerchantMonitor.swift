import LendingModel

/// Settings of the merchant-collusion signals.
public struct CollusionPolicy: Sendable, Equatable, Codable {
    /// The trailing window of a merchant's applications, in days (default 7).
    public var windowDays: Int
    /// No merchant is judged on fewer applications in the window.
    public var minimumApplications: Int
    /// A merchant is suspect when this share of its applications ask exactly for the product cap...
    public var capShare: Double
    /// ... or this share ask for its single most frequent amount...
    public var repeatedAmountShare: Double
    /// ... or this share come from devices used by more than one person.
    public var sharedDeviceShare: Double
    /// An application's amount counts as repeated at a merchant once seen this many times in the window.
    public var repeatedAmountMinimum: Int
    /// Approval rate over the last 24 hours at least this much above the window's: a jump.
    public var approvalJump: Double
    /// ... judged only on at least this many decisions in the last 24 hours.
    public var approvalMinimumDecisions: Int

    public init(windowDays: Int = 7, minimumApplications: Int = 20, capShare: Double = 0.25, repeatedAmountShare: Double = 0.3,
                sharedDeviceShare: Double = 0.2, repeatedAmountMinimum: Int = 3, approvalJump: Double = 0.3,
                approvalMinimumDecisions: Int = 20) {
        self.windowDays = windowDays
        self.minimumApplications = minimumApplications
        self.capShare = capShare
        self.repeatedAmountShare = repeatedAmountShare
        self.sharedDeviceShare = sharedDeviceShare
        self.repeatedAmountMinimum = repeatedAmountMinimum
        self.approvalJump = approvalJump
        self.approvalMinimumDecisions = approvalMinimumDecisions
    }
}

/// What a merchant's recent applications look like, as seen when one more arrives.
public struct MerchantSignals: Sendable, Equatable {
    /// Applications in the window, this one included.
    public var applications = 0
    public var capShare = 0.0
    public var topAmountShare = 0.0
    public var sharedDeviceShare = 0.0
    /// How many applications in the window asked for this application's amount, this one included.
    public var sameAmount = 0
    /// Approval rate over the last 24 hours and over the whole window (nil without decisions).
    public var recentApprovalRate: Double?
    public var windowApprovalRate: Double?
    public var recentDecisions = 0

    public init() {}
}

/// Per-merchant statistics over a trailing window, kept incrementally: amounts at the cap,
/// repeated amounts, devices shared between applicants, approval rates.
public struct MerchantMonitor: Sendable {
    private struct Event: Sendable {
        var time: Int64
        var amount: Int64
        var atCap: Bool
        var sharedDevice: Bool
    }

    private struct Window: Sendable {
        var events: [Event] = []
        var head = 0
        var capCount = 0
        var sharedCount = 0
        var amountCounts: [Int64: Int] = [:]
        var topCount = 0
        var decisions: [(time: Int64, approved: Bool)] = []
        var decisionHead = 0
        var approvedInWindow = 0
    }

    public let policy: CollusionPolicy
    private var merchants: [String: Window] = [:]

    public init(policy: CollusionPolicy = CollusionPolicy()) { self.policy = policy }

    private var windowSeconds: Int64 { Int64(policy.windowDays) * 86_400 }

    /// Records an application at `merchant` and returns the merchant's signals including it.
    public mutating func record(merchant: String, at time: Instant, amount: Money, atCap: Bool, sharedDevice: Bool) -> MerchantSignals {
        let t = time.secondsSinceEpoch
        var window = merchants.removeValue(forKey: merchant) ?? Window()
        defer { merchants[merchant] = window }
        expire(&window, before: t - windowSeconds)
        window.events.append(Event(time: t, amount: amount.fen, atCap: atCap, sharedDevice: sharedDevice))
        if atCap { window.capCount += 1 }
        if sharedDevice { window.sharedCount += 1 }
        let same = (window.amountCounts[amount.fen] ?? 0) + 1
        window.amountCounts[amount.fen] = same
        window.topCount = max(window.topCount, same)
        return signals(window, at: t, sameAmount: same)
    }

    /// Records the outcome of an application at `merchant` (for approval-rate jumps).
    public mutating func recordDecision(merchant: String, at time: Instant, approved: Bool) {
        let t = time.secondsSinceEpoch
        var window = merchants.removeValue(forKey: merchant) ?? Window()
        defer { merchants[merchant] = window }
        window.decisions.append((t, approved))
        if approved { window.approvedInWindow += 1 }
        expire(&window, before: t - windowSeconds)
    }

    /// Whether the signals make the merchant suspect of colluding.
    public func isSuspect(_ signals: MerchantSignals) -> Bool {
        guard signals.applications >= policy.minimumApplications else { return false }
        return signals.capShare >= policy.capShare || signals.topAmountShare >= policy.repeatedAmountShare
            || signals.sharedDeviceShare >= policy.sharedDeviceShare
    }

    /// Whether the merchant's approval rate jumped.
    public func approvalJumped(_ signals: MerchantSignals) -> Bool {
        guard signals.recentDecisions >= policy.approvalMinimumDecisions,
              let recent = signals.recentApprovalRate, let window = signals.windowApprovalRate else { return false }
        return recent - window >= policy.approvalJump
    }

    private func signals(_ window: Window, at t: Int64, sameAmount: Int) -> MerchantSignals {
        var result = MerchantSignals()
        let count = window.events.count - window.head
        result.applications = count
        result.sameAmount = sameAmount
        if count > 0 {
            result.capShare = Double(window.capCount) / Double(count)
            result.sharedDeviceShare = Double(window.sharedCount) / Double(count)
            result.topAmountShare = Double(window.topCount) / Double(count)
        }
        let decided = window.decisions.count - window.decisionHead
        if decided > 0 {
            result.windowApprovalRate = Double(window.approvedInWindow) / Double(decided)
            var recent = 0
            var approved = 0
            var index = window.decisions.count - 1
            while index >= window.decisionHead && window.decisions[index].time > t - 86_400 {
                recent += 1
                if window.decisions[index].approved { approved += 1 }
                index -= 1
            }
            result.recentDecisions = recent
            if recent > 0 { result.recentApprovalRate = Double(approved) / Double(recent) }
        }
        return result
    }

    private func expire(_ window: inout Window, before cutoff: Int64) {
        var recomputeTop = false
        while window.head < window.events.count && window.events[window.head].time <= cutoff {
            let old = window.events[window.head]
            if old.atCap { window.capCount -= 1 }
            if old.sharedDevice { window.sharedCount -= 1 }
            let remaining = (window.amountCounts[old.amount] ?? 1) - 1
            if remaining + 1 == window.topCount { recomputeTop = true }
            window.amountCounts[old.amount] = remaining == 0 ? nil : remaining
            window.head += 1
        }
        if recomputeTop { window.topCount = window.amountCounts.values.max() ?? 0 }
        if window.head > 1_024 && window.head * 2 > window.events.count {
            window.events.removeFirst(window.head)
            window.head = 0
        }
        while window.decisionHead < window.decisions.count && window.decisions[window.decisionHead].time <= cutoff {
            if window.decisions[window.decisionHead].approved { window.approvedInWindow -= 1 }
            window.decisionHead += 1
        }
        if window.decisionHead > 1_024 && window.decisionHead * 2 > window.decisions.count {
            window.decisions.removeFirst(window.decisionHead)
            window.decisionHead = 0
        }
    }
}
