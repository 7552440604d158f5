#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Crypto
import LendingModel

/// What a keyed hash stands for. Equal texts of different kinds never hash alike; an applicant's
/// phone and a contact phone share the kind `phone` on purpose, so they can be matched.
public enum PersonalDataKind: String, Sendable, CaseIterable {
    case idNumber = "id_number"
    case phone
    case bankCard = "bank_card"
    case deviceID = "device_id"
    case ip
    case address
    case inputs
}

/// Protects personal data at rest: keyed hashes (HMAC-SHA-256) where only equality matters
/// (whitelist, blacklist, velocity and ring keys) and authenticated encryption (AES-GCM) for
/// what the lifecycle must read back (name, phone and card, for the agreement, the payout and
/// collections). The secret never enters the database.
public struct PersonalDataProtector: Sendable {
    private let hmac: KeyedHash
    private let encryptionKey: SymmetricKey

    /// - Parameter secret: at least 32 bytes, kept outside the database.
    public init(secret: [UInt8]) {
        precondition(secret.count >= 32, "a personal-data key needs at least 32 bytes")
        let master = SymmetricKey(data: secret)
        hmac = KeyedHash(key: HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array("lending keyed hash v1".utf8), outputByteCount: 32))
        encryptionKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array("lending encryption v1".utf8), outputByteCount: 32)
    }

    /// The environment variable that can hold the secret (64 hex digits).
    public static let environmentVariable = "LENDING_DATA_KEY"

    /// The secret for a database: from `LENDING_DATA_KEY` if set, else from the key file beside
    /// the database (`PATH.key`), created with fresh random bytes (mode 0600) on first use. An
    /// in-memory database gets a fresh random key.
    /// - Throws: ``LendingError`` when the variable or the file does not hold 64 hex digits, or
    ///   the file cannot be written.
    public static func forDatabase(at path: String, environment: [String: String]) throws(LendingError) -> PersonalDataProtector {
        if environment[environmentVariable] == nil && path == ":memory:" { return PersonalDataProtector(secret: randomBytes(32)) }
        return try forKeyFile(at: path + ".key", environment: environment)
    }

    /// The secret from `LENDING_DATA_KEY` if set, else from the key file at `keyPath`, created with
    /// fresh random bytes (mode 0600) on first use.
    /// - Throws: ``LendingError`` when the variable or the file does not hold 64 hex digits, or
    ///   the file cannot be written.
    public static func forKeyFile(at keyPath: String, environment: [String: String]) throws(LendingError) -> PersonalDataProtector {
        if let text = environment[environmentVariable] {
            guard let secret = bytes(hex: text), secret.count >= 32 else {
                throw LendingError(code: "key.bad", message: "\(environmentVariable) must hold at least 64 hexadecimal digits; generate one with `openssl rand -hex 32`")
            }
            return PersonalDataProtector(secret: secret)
        }
        if let text = try? String(contentsOfFile: keyPath, encoding: .utf8) {
            guard let secret = bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), secret.count >= 32 else {
                throw LendingError(code: "key.bad", message: "the key file does not hold 64 hexadecimal digits; restore it from your backup", file: keyPath)
            }
            return PersonalDataProtector(secret: secret)
        }
        let secret = randomBytes(32)
        let fd = Glibc.open(keyPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LendingError(code: "key.write", message: "cannot create the key file for the database; check that its directory is writable", file: keyPath)
        }
        let text = Array((hexString(secret) + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == text.count, synced else {
            unlink(keyPath)
            throw LendingError(code: "key.write", message: "cannot write the key file for the database; is the disk full?", file: keyPath)
        }
        return PersonalDataProtector(secret: secret)
    }

    /// The keyed hash of a value of a kind (32 bytes).
    public func key(_ value: String, kind: PersonalDataKind) -> [UInt8] {
        var copy = value
        return copy.withUTF8 { key(UnsafeRawBufferPointer($0), kind: kind) }
    }

    /// The keyed hash of a value given as UTF-8 bytes.
    public func key(_ value: UnsafeRawBufferPointer, kind: PersonalDataKind) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(kind.rawValue.utf8.count + 1 + value.count)
        message.append(contentsOf: kind.rawValue.utf8)
        message.append(0)
        message.append(contentsOf: value)
        return message.withUnsafeBytes { hmac.authenticationCode($0) }
    }

    /// The first 8 bytes of ``key(_:kind:)`` as an integer, for in-memory fraud state (a
    /// collision between two of a billion values has a chance of about 3 in 100 million).
    public func shortKey(_ value: String, kind: PersonalDataKind) -> UInt64 {
        PersonalDataProtector.shortKey(key(value, kind: kind))
    }

    public static func shortKey(_ key: [UInt8]) -> UInt64 {
        var result: UInt64 = 0
        for byte in key.prefix(8) { result = result << 8 | UInt64(byte) }
        return result
    }

    /// Encrypts with AES-GCM (a fresh random nonce; nonce, ciphertext and tag in one blob).
    public func seal(_ plaintext: [UInt8]) -> [UInt8] {
        // Sealing with a valid key and a random nonce cannot fail.
        guard let box = try? AES.GCM.seal(plaintext, using: encryptionKey), let combined = box.combined else {
            preconditionFailure("AES-GCM sealing failed")
        }
        return Array(combined)
    }

    /// Decrypts a blob made by ``seal(_:)``.
    /// - Throws: ``LendingError`` when the blob was altered or sealed with another key.
    public func open(_ sealed: [UInt8]) throws(LendingError) -> [UInt8] {
        do {
            return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: encryptionKey))
        } catch {
            throw LendingError(code: "key.decrypt", message: "stored personal data cannot be decrypted: the database is used with another key (LENDING_DATA_KEY or the .key file)")
        }
    }

    static func bytes(hex text: String) -> [UInt8]? { hexBytes(text) }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// HMAC-SHA-256 (RFC 2104) over swift-crypto's SHA-256, with the key's inner and outer pads
/// absorbed once. Written here because swift-crypto's `HMAC` costs about 1.2 µs a call through
/// its generic `DataProtocol` path, and `lending apply` computes eight keyed hashes per
/// application: with this, the keyed hashes fell from 9 to about 3 µs per application in the
/// apply benchmark (Benchmarks/README.md). A test checks it against `HMAC<SHA256>` on random
/// keys and messages.
public struct KeyedHash: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    public init(key: SymmetricKey) {
        var keyBytes = key.withUnsafeBytes { Array($0) }
        if keyBytes.count > SHA256.blockByteCount { keyBytes = Array(SHA256.hash(data: keyBytes)) }
        keyBytes += Array(repeating: 0, count: SHA256.blockByteCount - keyBytes.count)
        var inner = SHA256()
        var outer = SHA256()
        let innerPad = keyBytes.map { $0 ^ 0x36 }
        let outerPad = keyBytes.map { $0 ^ 0x5C }
        innerPad.withUnsafeBytes { inner.update(bufferPointer: $0) }
        outerPad.withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }

    /// The 32-byte authentication code of `message`.
    public func authenticationCode(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var innerHash = inner
        innerHash.update(bufferPointer: message)
        let innerDigest = innerHash.finalize()
        var outerHash = outer
        innerDigest.withUnsafeBytes { outerHash.update(bufferPointer: $0) }
        return outerHash.finalize().withUnsafeBytes { Array($0) }
    }
}
