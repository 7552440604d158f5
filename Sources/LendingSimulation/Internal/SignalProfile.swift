import LendingIdentity
import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The rates of the "soft" signals an application carries. Fraud draws them from distributions
/// that overlap the clean ones, so no single column gives it away.
struct SignalProfile: Sendable {
    var virtualPhone: Double
    /// Share of applications asking for exactly the product cap (online and revolving requests).
    var maximumAmount: Double
    /// Share of merchant purchases at exactly the cap.
    var maximumPurchase: Double
    /// `nil`: by the German Credit `job` (about 8% overall).
    var employerBlank: Double?
    var faceMean: Double
    var faceDeviation: Double
    /// Weights of match, mismatch, no_record, error.
    var nameID: WeightedTable
    var phoneKYC: WeightedTable
    var cardKYC: WeightedTable
    var livenessFail: Double
    /// Share whose phone on file (population) differs from the one they apply with.
    var phoneOnFileDiffers: Double

    static let clean = SignalProfile(
        virtualPhone: 0.03, maximumAmount: 0.03, maximumPurchase: 0.001, employerBlank: nil, faceMean: 91, faceDeviation: 4,
        nameID: WeightedTable([97.5, 0.5, 1, 1]), phoneKYC: WeightedTable([97, 1, 1.5, 0.5]), cardKYC: WeightedTable([98, 0.5, 1, 0.5]),
        livenessFail: 0.005, phoneOnFileDiffers: 0.03)

    /// Rings, collusion and velocity: stolen identities bought as a kit (ID, SIM, card).
    static let fraud = SignalProfile(
        virtualPhone: 0.35, maximumAmount: 0.45, maximumPurchase: 0.45, employerBlank: 0.35, faceMean: 84, faceDeviation: 7,
        nameID: WeightedTable([91.5, 0.5, 5, 3]), phoneKYC: WeightedTable([93, 1.5, 4, 1.5]), cardKYC: WeightedTable([94.5, 1, 3, 1.5]),
        livenessFail: 0.02, phoneOnFileDiffers: 0.4)

    /// The surge: applicants who look genuine in every soft signal.
    static let surge: SignalProfile = {
        var profile = SignalProfile.clean
        profile.phoneOnFileDiffers = 0.06
        return profile
    }()

    static let kycResults: [ProviderResult] = [.match, .mismatch, .noRecord, .error]

    func employerIsBlank(job: ParsedGermanCredit.Job, _ rng: inout SplitMix64) -> Bool {
        if let employerBlank { return rng.chance(employerBlank) }
        // Self-employed and unemployed people often have no employer to name; 8% overall.
        switch job {
        case .unemployed: return rng.chance(0.70)
        case .selfEmployedOrManagement: return rng.chance(0.15)
        case .unskilled, .skilled: return rng.chance(0.051)
        }
    }

    func faceTenths(_ rng: inout SplitMix64) -> Int {
        let score = min(100, max(0, rng.normal(mean: faceMean, deviation: faceDeviation)))
        return Int((score * 10).rounded())
    }
}
