/// An action of the collections ladder, as written in the `action` column of ACTIONS.csv.
///
/// The raw values are part of the file interface: never rename one.
public enum CollectionAction: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case reminder
    case sms
    case voiceBot = "voice_bot"
    case agentCall = "agent_call"
    case outsourcedCall = "outsourced_call"
    case fieldVisit = "field_visit"
    case legal
    case bureauReport = "bureau_report"
    case insuranceClaim = "insurance_claim"
    case writeOff = "write_off"

    public var description: String { rawValue }

    /// Bureau report, insurance claim and write-off: booked once per loan, never a contact.
    public var isMilestone: Bool {
        switch self {
        case .bureauReport, .insuranceClaim, .writeOff: true
        default: false
        }
    }

    /// A dense index (0..<10) for per-action tables.
    var ordinal: Int {
        switch self {
        case .reminder: 0
        case .sms: 1
        case .voiceBot: 2
        case .agentCall: 3
        case .outsourcedCall: 4
        case .fieldVisit: 5
        case .legal: 6
        case .bureauReport: 7
        case .insuranceClaim: 8
        case .writeOff: 9
        }
    }
}

/// How an action reaches the borrower (the `channel` column of ACTIONS.csv). Opt-outs are per
/// channel; `internal` actions (bureau report, insurance claim, write-off) reach no one and are
/// not contacts.
public enum ContactChannel: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case app
    case sms
    case phone
    case visit
    case letter
    case `internal`

    public var description: String { rawValue }

    /// Whether an action on this channel is a contact with the borrower.
    public var isContact: Bool { self != .internal }
}

/// The result of an attempt, as written in the `result` column of OUTCOMES.csv.
public enum ContactResult: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case contacted
    case noAnswer = "no_answer"
    case wrongNumber = "wrong_number"
    case promiseToPay = "promise_to_pay"
    case dispute
    case paid

    public var description: String { rawValue }
}

/// A borrower's opt-outs: every contact channel, or some of them. Internal actions are not
/// contacts and are never blocked.
public struct OptOuts: Sendable, Hashable, Codable {
    /// The borrower asked for no contact at all.
    public var all: Bool
    /// Channels the borrower asked not to be contacted on.
    public var channels: Set<ContactChannel>

    public init(all: Bool = false, channels: Set<ContactChannel> = []) {
        self.all = all
        self.channels = channels
    }

    /// No opt-out.
    public static let none = OptOuts()

    /// Whether a contact on `channel` is forbidden.
    public func blocks(_ channel: ContactChannel) -> Bool {
        channel.isContact && (all || channels.contains(channel))
    }
}
