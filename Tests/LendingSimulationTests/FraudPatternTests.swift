import LendingIdentity
import LendingModel
import Testing
@testable import LendingSimulation

private func groups(_ label: SyntheticLabel, in data: SyntheticDataset = Shared.dataset) -> [String: [SyntheticApplication]] {
    Dictionary(grouping: Shared.rows(label, in: data), by: { $0.1.group }).mapValues { $0.map(\.0) }
}

@Test func ringMembersShareDevicesThatNoOneElseUses() {
    let rings = groups(.ring)
    #expect(rings.count >= 5)
    var deviceRings: [String: Set<String>] = [:]
    for (application, truth) in zip(Shared.dataset.applications, Shared.dataset.truth) {
        deviceRings[application.deviceID, default: []].insert(truth.label == .ring ? truth.group : "other")
    }
    var sharing = 0, members = 0
    for (group, applications) in rings {
        #expect((1...30).contains(applications.count))
        var perDevice: [String: Int] = [:]
        for application in applications { perDevice[application.deviceID, default: 0] += 1 }
        for application in applications {
            members += 1
            if perDevice[application.deviceID]! > 1 { sharing += 1 }
            #expect(deviceRings[application.deviceID] == [group])
        }
        #expect(Set(applications.map(\.idNumber)).count == applications.count)
    }
    #expect(Double(sharing) / Double(members) > 0.6)
}

@Test func ringMembersApplyWithinThreeDays() {
    for (_, applications) in groups(.ring) {
        let times = applications.map(\.appliedAt.secondsSinceEpoch)
        #expect(times.max()! - times.min()! <= 72 * 3600)
    }
}

@Test func ringContactPhonesPointInsideTheRing() {
    for (_, applications) in groups(.ring) where applications.count >= 6 {
        var contacts: [String: Int] = [:]
        for application in applications { contacts[application.contactPhone, default: 0] += 1 }
        #expect(contacts.values.max()! >= 2)
    }
}

@Test func theSurgeFallsInOneDaytimeHourAtOneMerchant() {
    let surge = Shared.rows(.surge).map(\.0)
    #expect(surge.count == 79)
    #expect(Set(surge.map(\.merchantID)).count == 1)
    let times = surge.map(\.appliedAt.secondsSinceEpoch)
    #expect(times.max()! - times.min()! < 3600)
    #expect(surge.allSatisfy { $0.channel == .merchant && $0.product == .installment })
    #expect(surge.allSatisfy { (10...16).contains(Shared.localHour($0)) })
    let prices = Set(surge.map(\.requestedAmount))
    #expect((2...3).contains(prices.count))
    #expect(!prices.contains(Money(fen: 5_000_000)))
    #expect(Set(surge.map(\.deviceID)).count == surge.count)
    #expect(Set(surge.map(\.phone)).count == surge.count)
    // The merchant also has ordinary customers.
    let merchant = surge[0].merchantID
    #expect(Shared.rows(.clean).contains { $0.0.merchantID == merchant })
}

@Test func colludingMerchantsRepeatOneAmountFromStaffDevicesInBusinessHours() {
    let merchants = groups(.collusion, in: Shared.fraudHeavy)
    #expect(merchants.count == 3)
    for (merchant, applications) in merchants {
        #expect(applications.allSatisfy { $0.merchantID == merchant && (9..<21).contains(Shared.localHour($0)) })
        var amounts: [Money: Int] = [:]
        for application in applications { amounts[application.requestedAmount, default: 0] += 1 }
        #expect(applications.count > 50)
        #expect(Double(amounts.values.max()!) / Double(applications.count) > 0.65)
        var devices: [String: Int] = [:]
        for application in applications { devices[application.deviceID, default: 0] += 1 }
        let onStaffDevices = devices.values.filter { $0 > 1 }.reduce(0, +)
        #expect(Double(onStaffDevices) / Double(applications.count) > 0.6)
        #expect(Set(applications.map(\.ip)).count < applications.count / 3)
    }
}

@Test func velocityAbusersShareAnIdentityADeviceOrACardWithinThreeDays() {
    let abusers = groups(.velocity, in: Shared.fraudHeavy)
    #expect(abusers.count > 10)
    for (_, applications) in abusers {
        #expect((4...12).contains(applications.count))
        let times = applications.map(\.appliedAt.secondsSinceEpoch)
        #expect(times.max()! - times.min()! <= 72 * 3600)
        let sameID = Set(applications.map(\.idNumber)).count == 1
        let sameDevice = Set(applications.map(\.deviceID)).count == 1
        let sameCard = Set(applications.map(\.bankCard)).count == 1
        #expect(sameID || sameDevice || sameCard)
        if sameID { #expect(Set(applications.map(\.deviceID)).count == applications.count) }
    }
}

@Test func blacklistHoldsTheValuesOfBlacklistedApplicantsValidBeyondThePeriod() {
    let configuration = Shared.configuration
    let entries = Shared.dataset.blacklist
    func valid(_ type: BlacklistValueType, _ value: String, on day: CalendarDay) -> Bool {
        entries.contains { $0.type == type && $0.value == value && $0.validUntil >= day }
    }
    func hit(_ application: SyntheticApplication) -> Bool {
        let day = Shared.localDay(application)
        return valid(.idNumber, application.idNumber, on: day) || valid(.phone, application.phone, on: day)
            || valid(.deviceID, application.deviceID, on: day) || valid(.bankCard, application.bankCard, on: day)
            || valid(.ip, application.ip, on: day) || valid(.contactPhone, application.contactPhone, on: day)
    }
    for (application, truth) in zip(Shared.dataset.applications, Shared.dataset.truth) {
        #expect(hit(application) == (truth.label == .blacklist))
    }
    let listed = Shared.dataset.labelCounts[.blacklist]!
    #expect(entries.filter { $0.validUntil >= configuration.end }.count > 3 * listed / 2)
    #expect(entries.count >= 4 * listed)
}

@Test func expiredBlacklistEntriesMatchAFewCleanApplicants() {
    let start = Shared.configuration.start
    let expired = Shared.dataset.blacklist.filter { $0.validUntil < start }
    let cleanValues = Set(Shared.rows(.clean).flatMap { [$0.0.idNumber, $0.0.phone, $0.0.deviceID, $0.0.bankCard] })
    let matching = expired.filter { cleanValues.contains($0.value) }
    #expect(matching.count >= 3 && matching.count <= 30)
    #expect(Set(expired.map(\.type)).count >= 3)
}

@Test func fraudSoftSignalsOverlapButDifferFromClean() {
    let fraud = zip(Shared.dataset.applications, Shared.dataset.truth).filter { [.ring, .velocity].contains($0.1.label) }.map(\.0)
    let virtual = fraud.filter { ["170", "171", "162", "165", "167"].contains(String($0.phone.prefix(3))) }.count
    #expect(Double(virtual) / Double(fraud.count) > 0.2 && Double(virtual) / Double(fraud.count) < 0.5)
    let meanFace = Double(fraud.map(\.faceScoreTenths).reduce(0, +)) / Double(fraud.count) / 10
    #expect(abs(meanFace - 84) < 2)
    // Most fraud still passes every provider check.
    #expect(fraud.filter { $0.kycNameID == .match && $0.livenessPassed }.count > fraud.count * 8 / 10)
}
