import LendingIdentity
import LendingModel
import Testing
@testable import LendingSimulation

@Test func sameSeedAndOptionsGiveIdenticalBytes() throws {
    let configuration = GeneratorConfiguration(count: 1500, seed: 42)
    let first = try ApplicationGenerator.generate(configuration)
    let second = try ApplicationGenerator.generate(configuration)
    for file in SyntheticFile.allCases {
        #expect(SyntheticDataWriter.bytes(file, of: first) == SyntheticDataWriter.bytes(file, of: second), "\(file)")
    }
}

@Test func differentSeedsGiveDifferentData() throws {
    let a = try ApplicationGenerator.generate(GeneratorConfiguration(count: 500, seed: 1))
    let b = try ApplicationGenerator.generate(GeneratorConfiguration(count: 500, seed: 2))
    let shared = Set(a.applications.map(\.idNumber)).intersection(b.applications.map(\.idNumber))
    #expect(shared.count < 5)
    #expect(a.applications.first?.applicationID == "A1-0000001")
    #expect(b.applications.first?.applicationID == "A2-0000001")
}

@Test func changingTheFraudShareKeepsTheCleanApplicantsOfTheSeed() throws {
    let a = try ApplicationGenerator.generate(GeneratorConfiguration(count: 2000, seed: 5, fraudShare: 0.05))
    let b = try ApplicationGenerator.generate(GeneratorConfiguration(count: 2000, seed: 5, fraudShare: 0.10))
    let cleanA = zip(a.applications, a.truth).filter { $0.1.label == .clean }.map(\.0.name)
    let cleanB = zip(b.applications, b.truth).filter { $0.1.label == .clean }.map(\.0.name)
    // Fewer clean applications, but the ones both runs have start out as the same people.
    #expect(cleanB.count < cleanA.count)
    #expect(Set(cleanA).intersection(cleanB).count > cleanB.count * 9 / 10)
}

@Test func applicationsAreSortedByTimeAndNumberedInThatOrder() {
    let applications = Shared.dataset.applications
    #expect(applications.count == 6000)
    for index in applications.indices.dropFirst() {
        #expect(applications[index - 1].appliedAt <= applications[index].appliedAt)
    }
    #expect(applications.enumerated().allSatisfy { $0.element.applicationID == "A7-" + pad7($0.offset + 1) })
}

private func pad7(_ value: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: 7 - text.count) + text
}

@Test func everyApplicationFallsInsideThePeriod() {
    let configuration = Shared.configuration
    for application in Shared.dataset.applications {
        let day = Shared.localDay(application)
        #expect(day >= configuration.start && day < configuration.end)
    }
}

@Test func everyIdNumberExceptMangledOnesIsValid() {
    var checked = 0
    for (application, truth) in zip(Shared.dataset.applications, Shared.dataset.truth) where truth.label != .mangledID {
        guard case .success = ResidentID.parse(application.idNumber) else {
            Issue.record("invalid id for \(truth.label)")
            continue
        }
        checked += 1
    }
    #expect(checked == 6000 - (Shared.dataset.labelCounts[.mangledID] ?? 0))
}

@Test func mangledIdNumbersFailAsMangledOrChecksum() {
    let mangled = Shared.rows(.mangledID)
    #expect(mangled.count == 18)
    var scientific = 0
    for (application, _) in mangled {
        switch ResidentID.parse(application.idNumber) {
        case .failure(.mangledBySpreadsheet): scientific += 1
        case .failure(.checksum): #expect(application.idNumber.hasSuffix("000"))
        default: Issue.record("a mangled id passed or failed for another reason")
        }
    }
    #expect(scientific > 0 && scientific < mangled.count)
}

@Test func spreadsheetTextRoundsToSixDigitsOrZeroesTheLastThree() {
    #expect(World.spreadsheetText(of: "360426199001011234", scientific: true) == "3.60426E+17")
    #expect(World.spreadsheetText(of: "110105199912215332", scientific: true) == "1.10105E+17")
    #expect(World.spreadsheetText(of: "310000199001011234", scientific: true) == "3.1E+17")
    #expect(World.spreadsheetText(of: "440305799999999999", scientific: true) == "4.40306E+17")
    // 360426199001011 + "000" fails the checksum, so the zeroed form is kept.
    #expect(World.spreadsheetText(of: "360426199001011234", scientific: false) == "360426199001011000")
}

@Test func birthDateMatchesTheAgeAndSequenceMatchesTheSex() {
    for (application, truth) in zip(Shared.dataset.applications, Shared.dataset.truth) where truth.label != .mangledID {
        guard case .success(let id) = ResidentID.parse(application.idNumber) else { continue }
        #expect(id.age(on: Shared.localDay(application)) == Int(Shared.characteristic("age_in_years", of: application)))
        let sequenceDigit = Int(application.idNumber.utf8.dropFirst(16).first! - 48)
        let male = Shared.characteristic("personal_status_and_sex", of: application).hasPrefix("male")
        #expect((sequenceDigit % 2 == 1) == male)
    }
}

@Test func repeatApplicantsKeepOneAgeThroughThePeriod() {
    var byID: [String: [SyntheticApplication]] = [:]
    for (application, truth) in zip(Shared.dataset.applications, Shared.dataset.truth) where truth.label == .clean {
        byID[application.idNumber, default: []].append(application)
    }
    let repeated = byID.values.filter { $0.count > 1 }
    #expect(repeated.count > 200)
    for applications in repeated {
        #expect(Set(applications.map(\.creditRow)).count == 1)
        #expect(Set(applications.map(\.phone)).count == 1)
        #expect(applications.count <= 3)
    }
}

@Test func phonesAndContactPhonesAreValidMobileNumbers() {
    let virtual: Set<String> = ["170", "171", "162", "165", "167"]
    var virtualClean = 0
    for (application, truth) in zip(Shared.dataset.applications, Shared.dataset.truth) {
        #expect(MobilePhone.normalise(application.phone) == application.phone)
        #expect(MobilePhone.normalise(application.contactPhone) == application.contactPhone)
        if truth.label == .clean && virtual.contains(String(application.phone.prefix(3))) { virtualClean += 1 }
    }
    let clean = Shared.dataset.labelCounts[.clean]!
    #expect(Double(virtualClean) / Double(clean) > 0.015 && Double(virtualClean) / Double(clean) < 0.045)
}

@Test func bankCardsAreLuhnValidUnionPayDebitNumbers() {
    for application in Shared.dataset.applications {
        #expect(BankCard.normalise(application.bankCard) == application.bankCard)
        #expect([16, 19].contains(application.bankCard.count))
        #expect(application.bankCard.hasPrefix("62"))
    }
}

@Test func devicesAreHexAndIPsAreIPv4() {
    let hex = Set("0123456789abcdef")
    for application in Shared.dataset.applications {
        #expect(application.deviceID.count == 32 && application.deviceID.allSatisfy { hex.contains($0) })
        let octets = application.ip.split(separator: ".").compactMap { Int($0) }
        #expect(octets.count == 4 && octets.allSatisfy { (0...255).contains($0) })
    }
}

@Test func namesAreChineseAndAddressesArePostalStyle() {
    for application in Shared.dataset.applications {
        #expect((2...3).contains(application.name.count))
        #expect(application.name.unicodeScalars.allSatisfy { $0.value >= 0x4E00 && $0.value <= 0x9FFF })
        #expect(application.address.contains("号"))
        #expect(Regions.all.contains { application.address.hasPrefix($0.addressPrefix) })
    }
}

@Test func amountsAndTermsFollowTheProductRules() {
    for application in Shared.dataset.applications {
        let fen = application.requestedAmount.fen
        #expect(fen > 0 && fen <= 5_000_000)
        #expect(fen % 100 == 0)
        switch (application.channel, application.product) {
        case (.merchant, let product):
            #expect(product == .installment)
            #expect(!application.merchantID.isEmpty)
        case (_, .revolving):
            #expect(application.merchantID.isEmpty)
            #expect(fen % 100_000 == 0 && fen >= 500_000)
            #expect(application.termMonths == 12)
        case (_, .installment):
            #expect(application.merchantID.isEmpty)
            #expect(fen % 50_000 == 0 && fen >= 100_000)
        }
        #expect([3, 6, 9, 12, 18, 24].contains(application.termMonths))
    }
}

@Test func cleanTrafficHasTheDocumentedShape() {
    let clean = Shared.rows(.clean).map(\.0)
    func share(_ predicate: (SyntheticApplication) -> Bool) -> Double { Double(clean.filter(predicate).count) / Double(clean.count) }
    #expect(abs(share { Shared.localHour($0) < 6 } - 0.04) < 0.012)
    #expect(abs(share { $0.product == .installment } - 0.70) < 0.03)
    #expect(abs(share { $0.channel == .merchant } - 0.35) < 0.03)
    #expect(abs(share { $0.employer.isEmpty } - 0.08) < 0.015)
    #expect(abs(share { $0.kycNameID == .match } - 0.975) < 0.01)
    let online = clean.filter { $0.channel != .merchant }
    let atCap = Double(online.filter { $0.requestedAmount.fen == 5_000_000 }.count) / Double(online.count)
    #expect(atCap > 0.015 && atCap < 0.045)
    let meanFace = Double(clean.map(\.faceScoreTenths).reduce(0, +)) / Double(clean.count) / 10
    #expect(abs(meanFace - 91) < 0.5)
}

@Test func merchantIdsAppearOnlyOnMerchantChannelWithAZipfLikeVolume() {
    var volume: [String: Int] = [:]
    for application in Shared.dataset.applications {
        #expect(application.merchantID.isEmpty == (application.channel != .merchant))
        if !application.merchantID.isEmpty {
            #expect(application.merchantID.count == 5 && application.merchantID.hasPrefix("M"))
            volume[application.merchantID, default: 0] += 1
        }
    }
    #expect(volume["M0001", default: 0] > 5 * volume["M0010", default: 0])
}

@Test func cleanApplicantsAreNeverLinkedInGroupsOfThreeOrMore() {
    let clean = Shared.rows(.clean).map(\.0)
    // Union-find over people (id numbers), linked by address, device or contact phone.
    var parent: [String: String] = [:]
    func find(_ x: String) -> String {
        var x = x
        while let p = parent[x], p != x { x = p }
        return x
    }
    func union(_ a: String, _ b: String) { parent[find(a)] = find(b) }
    for application in clean where parent[application.idNumber] == nil { parent[application.idNumber] = application.idNumber }
    var byAddress: [String: String] = [:], byDevice: [String: String] = [:], byPhone: [String: String] = [:]
    for application in clean {
        byPhone[application.phone] = application.idNumber
    }
    var links = 0
    for application in clean {
        if let other = byAddress[application.address], other != application.idNumber { union(other, application.idNumber); links += 1 }
        byAddress[application.address] = application.idNumber
        if let other = byDevice[application.deviceID], other != application.idNumber { union(other, application.idNumber); links += 1 }
        byDevice[application.deviceID] = application.idNumber
        if let other = byPhone[application.contactPhone], other != application.idNumber { union(other, application.idNumber); links += 1 }
    }
    var sizes: [String: Int] = [:]
    for id in parent.keys { sizes[find(id), default: 0] += 1 }
    #expect(links > 50)
    #expect(sizes.values.max() == 2)
}

@Test func natAddressesAreSharedWithASkew() {
    var perIP: [String: Int] = [:]
    for (application, _) in Shared.rows(.clean) { perIP[application.ip, default: 0] += 1 }
    let counts = perIP.values.sorted(by: >)
    #expect(counts[0] >= 20)
    #expect(Double(counts.filter { $0 <= 3 }.count) / Double(counts.count) > 0.5)
}

@Test func truthHasOneRowPerApplicationAndThePlannedLabelCounts() {
    let dataset = Shared.dataset
    #expect(dataset.truth.count == dataset.applications.count)
    #expect(zip(dataset.truth, dataset.applications).allSatisfy { $0.applicationID == $1.applicationID })
    let plan = ApplicationGenerator.Plan(Shared.configuration)
    let counts = dataset.labelCounts
    #expect(plan.fraud.values.reduce(0, +) == 300)
    #expect(counts[.clean] == plan.clean && counts[.mangledID] == plan.mangled)
    for kind in SyntheticLabel.fraudKinds { #expect(counts[kind] == plan.fraud[kind]) }
    // The mix 35:25:15:10:10, normalised.
    #expect(counts[.ring] == 110 && counts[.surge] == 79 && counts[.collusion] == 47)
    #expect(counts[.velocity] == 32 && counts[.blacklist] == 32)
    for (application, truth) in zip(dataset.applications, dataset.truth) {
        #expect(truth.creditBad == GermanCredit.isBad(row: application.creditRow))
        #expect(truth.group.isEmpty == [.clean, .mangledID, .blacklist].contains(truth.label))
    }
}

@Test func populationHoldsEveryApplicantOnceAndAQuarterMore() {
    let dataset = Shared.dataset
    let ids = Set(dataset.population.map(\.idNumber))
    #expect(ids.count == dataset.population.count)
    #expect(dataset.population.allSatisfy { if case .success = ResidentID.parse($0.idNumber) { true } else { false } })
    var applicants = Set<String>()
    for (application, truth) in zip(dataset.applications, dataset.truth) where truth.label != .mangledID {
        #expect(ids.contains(application.idNumber))
        applicants.insert(application.idNumber)
    }
    let mangled = Shared.rows(.mangledID).map(\.0)
    for application in mangled {
        let matches = dataset.population.filter { person in
            person.name == application.name
                && (World.spreadsheetText(of: person.idNumber, scientific: true) == application.idNumber
                    || World.spreadsheetText(of: person.idNumber, scientific: false) == application.idNumber)
        }
        #expect(matches.count == 1)
    }
    let applying = applicants.count + mangled.count
    #expect(dataset.population.count == applying + Int((Double(applying) * 0.25).rounded()))
}

@Test func invalidOptionsAreRejectedWithTheOptionNamed() {
    func code(_ configuration: GeneratorConfiguration) -> String? {
        do { _ = try ApplicationGenerator.generate(configuration); return nil } catch { return error.code }
    }
    #expect(code(GeneratorConfiguration(count: 0, seed: 1)) == "generate.count")
    #expect(code(GeneratorConfiguration(count: GeneratorConfiguration.maximumCount + 1, seed: 1)) == "generate.count")
    #expect(code(GeneratorConfiguration(count: 10, seed: 1, fraudShare: 5)) == "generate.fraud_share")
    #expect(code(GeneratorConfiguration(count: 10, seed: 1, days: 0)) == "generate.days")
    #expect(code(GeneratorConfiguration(count: 10, seed: 1, idPrefix: "a,b")) == "generate.id_prefix")
}

@Test func tinyRunsStillHoldEveryLabelTheyCan() throws {
    let dataset = try ApplicationGenerator.generate(GeneratorConfiguration(count: 40, seed: 3, fraudShare: 0.5, days: 1))
    #expect(dataset.applications.count == 40)
    #expect(dataset.labelCounts[.clean]! + dataset.labelCounts[.mangledID]! == 20)
    #expect(dataset.applications.allSatisfy { Shared.localDay($0) == GeneratorConfiguration.defaultStart })
}
