import Crypto
import Foundation
import LendingModel

/// The API keys the service accepts, each with a name and roles, held only as SHA-256 digests
/// and compared in constant time (the time taken does not depend on where a wrong key first
/// differs, nor on which key matches).
public struct APIKeySet: Sendable {
    private let digests: [[UInt8]]
    private let callers: [Caller]

    /// The environment variable with comma-separated keys.
    public static let environmentVariable = "LENDING_API_KEYS"

    /// - Parameter keys: the keys in clear, each with every role; blank ones are ignored,
    ///   surrounding spaces trimmed.
    public init(keys: [String]) {
        self.init(entries: keys.map { ($0, Set(Role.allCases), nil) })
    }

    /// - Parameter entries: each key in clear, its roles and its name (`nil`: `key-` and the
    ///   first 8 hex digits of the key's SHA-256). Blank keys are ignored.
    public init(entries: [(key: String, roles: Set<Role>, name: String?)]) {
        var digests: [[UInt8]] = []
        var callers: [Caller] = []
        for (key, roles, name) in entries {
            let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let digest = APIKeySet.digest(trimmed)
            digests.append(digest)
            callers.append(Caller(name: name ?? "key-" + hexString(digest.prefix(4)), roles: roles))
        }
        self.digests = digests
        self.callers = callers
    }

    /// How many keys are accepted.
    public var count: Int { digests.count }

    /// The keys from `--api-key-file` and from `LENDING_API_KEYS` (comma-separated keys, each
    /// with every role), together. A line of the file is `KEY [ROLES [NAME]]`, separated by spaces:
    /// ROLES comma-separated (`scoring,applications,review,servicing,collections,admin`, or `*`),
    /// every role when absent; NAME is what the audit log records. Blank lines and lines starting
    /// with `#` are ignored.
    /// - Throws: ``HTTPServiceError`` (status 500, code `keys.missing`, `keys.read` or
    ///   `keys.roles`) when the file cannot be read, a line names an unknown role, or neither
    ///   source gives a key: the server must not start open.
    public static func load(file: String?, environment: [String: String]) throws(HTTPServiceError) -> APIKeySet {
        var entries: [(key: String, roles: Set<Role>, name: String?)] = []
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw HTTPServiceError(.internalServerError, code: "keys.read", message: "cannot read the API key file \(file); check the path and its permissions")
            }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                guard let key = words.first, !key.hasPrefix("#") else { continue }
                var roles = Set(Role.allCases)
                if words.count > 1 {
                    guard let parsed = Role.parse(list: words[1]) else {
                        throw HTTPServiceError(.internalServerError, code: "keys.roles",
                                               message: "\(file):\(number + 1):\(line.distance(from: line.startIndex, to: words[1].startIndex) + 1): unknown role in \"\(words[1])\"; use \(Role.allCases.map(\.rawValue).joined(separator: ", ")) or *")
                    }
                    roles = parsed
                }
                entries.append((String(key), roles, words.count > 2 ? words[2...].joined(separator: " ") : nil))
            }
        }
        if let list = environment[environmentVariable] { entries += list.split(separator: ",").map { (String($0), Set(Role.allCases), nil) } }
        let set = APIKeySet(entries: entries)
        guard set.count > 0 else {
            throw HTTPServiceError(.internalServerError, code: "keys.missing",
                                   message: "no API key: pass --api-key-file FILE (one key per line) or set \(environmentVariable)=key1,key2")
        }
        return set
    }

    /// Whether `presented` is one of the keys. Every digest is compared in full, whatever matches.
    public func accepts(_ presented: some StringProtocol) -> Bool {
        var text = String(presented)
        return text.withUTF8 { match(bytes: UnsafeRawBufferPointer($0)) } != nil
    }

    /// The caller of the key, compared with every digest in full whatever matches.
    private func match(bytes: UnsafeRawBufferPointer) -> Caller? {
        let candidate = SHA256.hash(data: bytes)
        let found = candidate.withUnsafeBytes { candidate in
            var found = -1
            for (position, digest) in digests.enumerated() {
                var difference: UInt8 = 0
                for index in 0..<32 { difference |= digest[index] ^ candidate[index] }
                // Branch-free select: the index of the matching digest, else the earlier value.
                let mask = -Int(difference == 0 ? 1 : 0)
                found = (position & mask) | (found & ~mask)
            }
            return found
        }
        return found >= 0 ? callers[found] : nil
    }

    /// Whether an `Authorization` header value carries an accepted bearer key (`Bearer` in any case).
    public func authorizes(header: String?) -> Bool { caller(header: header) != nil }

    /// The caller whose bearer key an `Authorization` header value carries (`Bearer` in any case), or `nil`.
    public func caller(header: String?) -> Caller? {
        guard var header else { return nil }
        return header.withUTF8 { bytes in
            let scheme = Array("bearer ".utf8)
            guard bytes.count > scheme.count else { return nil }
            for index in 0..<6 where bytes[index] | 0x20 != scheme[index] { return nil }
            guard bytes[6] == 0x20 else { return nil }
            return match(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[scheme.count...])))
        }
    }

    static func digest(_ key: String) -> [UInt8] { Array(SHA256.hash(data: Array(key.utf8))) }
}
