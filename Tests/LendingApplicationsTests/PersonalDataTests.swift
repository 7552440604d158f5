import Crypto
import LendingModel
import LendingTestSupport
import Testing
import LendingStorePorts

@Suite struct PersonalDataTests {
    @Test func keyedHashEqualsSwiftCryptosHMAC() {
        var rng = SplitMix64(seed: 5)
        for length in [0, 1, 31, 32, 33, 63, 64, 65, 200] {
            let keyBytes = (0..<[16, 32, 64, 100][length % 4]).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let key = SymmetricKey(data: keyBytes)
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let ours = message.withUnsafeBytes { KeyedHash(key: key).authenticationCode($0) }
            let theirs = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            #expect(ours == theirs, "message of \(length) bytes")
        }
    }

    @Test func keyedHashesAreStableKeyedAndKindSeparated() {
        let key = PersonalDataProtector(secret: Array(repeating: 7, count: 32))
        let other = PersonalDataProtector(secret: Array(repeating: 8, count: 32))
        let hash = key.key("11010519491231002X", kind: .idNumber)
        #expect(hash.count == 32)
        #expect(hash == key.key("11010519491231002X", kind: .idNumber))
        #expect(hash != other.key("11010519491231002X", kind: .idNumber))
        #expect(key.key("13812345678", kind: .phone) != key.key("13812345678", kind: .bankCard))
        #expect(!hexString(hash).contains("1949"))
    }

    @Test func sealedDataOpensOnlyWithItsKey() throws {
        let key = PersonalDataProtector(secret: Array(repeating: 7, count: 32))
        let sealed = key.seal(Array("张三\u{1F}11010519491231002X".utf8))
        #expect(try key.open(sealed) == Array("张三\u{1F}11010519491231002X".utf8))
        #expect(throws: LendingError.self) { try PersonalDataProtector(secret: Array(repeating: 8, count: 32)).open(sealed) }
        var tampered = sealed
        tampered[tampered.count / 2] ^= 1
        #expect(throws: LendingError.self) { try key.open(tampered) }
    }

    @Test func aDatabaseKeyFileIsCreatedOnceAndReused() throws {
        let directory = ScratchFiles.directory("keys")
        let database = directory + "/lending.sqlite"
        ScratchFiles.remove(database + ".key")
        let first = try PersonalDataProtector.forDatabase(at: database, environment: [:])
        let again = try PersonalDataProtector.forDatabase(at: database, environment: [:])
        #expect(first.key("x", kind: .ip) == again.key("x", kind: .ip))
        let fromEnvironment = try PersonalDataProtector.forDatabase(at: database, environment: [PersonalDataProtector.environmentVariable: String(repeating: "ab", count: 32)])
        #expect(fromEnvironment.key("x", kind: .ip) != first.key("x", kind: .ip))
        #expect(throws: LendingError.self) { try PersonalDataProtector.forDatabase(at: database, environment: [PersonalDataProtector.environmentVariable: "not hex"]) }
    }
}
