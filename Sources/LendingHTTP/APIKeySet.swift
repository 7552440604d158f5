import Crypto
import Foundation

/// The API keys the service accepts, held only as SHA-256 digests and compared in constant time
/// (the time taken does not depend on where a wrong key first differs, nor on which key matches).
public struct APIKeySet: Sendable {
    private let digests: [[UInt8]]

    /// The environment variable with comma-separated keys.
    public static let environmentVariable = "LENDING_API_KEYS"

    /// - Parameter keys: the keys in clear; blank ones are ignored, surrounding spaces trimmed.
    public init(keys: [String]) {
        digests = keys.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.map(APIKeySet.digest)
    }

    /// How many keys are accepted.
    public var count: Int { digests.count }

    /// The keys from `--api-key-file` (one per line; blank lines and lines starting with `#`
    /// ignored) and from `LENDING_API_KEYS` (comma-separated), together.
    /// - Throws: ``HTTPServiceError`` (status 500, code `keys.missing` or `keys.read`) when the file
    ///   cannot be read or neither source gives a key: the server must not start open.
    public static func load(file: String?, environment: [String: String]) throws(HTTPServiceError) -> APIKeySet {
        var keys: [String] = []
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw HTTPServiceError(.internalServerError, code: "keys.read", message: "cannot read the API key file \(file); check the path and its permissions")
            }
            keys += text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.hasPrefix("#") }
        }
        if let list = environment[environmentVariable] { keys += list.split(separator: ",").map(String.init) }
        let set = APIKeySet(keys: keys)
        guard set.count > 0 else {
            throw HTTPServiceError(.internalServerError, code: "keys.missing",
                                   message: "no API key: pass --api-key-file FILE (one key per line) or set \(environmentVariable)=key1,key2")
        }
        return set
    }

    /// Whether `presented` is one of the keys. Every digest is compared in full, whatever matches.
    public func accepts(_ presented: some StringProtocol) -> Bool {
        var text = String(presented)
        return text.withUTF8 { accepts(bytes: UnsafeRawBufferPointer($0)) }
    }

    private func accepts(bytes: UnsafeRawBufferPointer) -> Bool {
        let candidate = SHA256.hash(data: bytes)
        return candidate.withUnsafeBytes { candidate in
            var matched: UInt8 = 0
            for digest in digests {
                var difference: UInt8 = 0
                for index in 0..<32 { difference |= digest[index] ^ candidate[index] }
                matched |= difference == 0 ? 1 : 0
            }
            return matched == 1
        }
    }

    /// Whether an `Authorization` header value carries an accepted bearer key (`Bearer` in any case).
    public func authorizes(header: String?) -> Bool {
        guard var header else { return false }
        return header.withUTF8 { bytes in
            let scheme = Array("bearer ".utf8)
            guard bytes.count > scheme.count else { return false }
            for index in 0..<6 where bytes[index] | 0x20 != scheme[index] { return false }
            guard bytes[6] == 0x20 else { return false }
            return accepts(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[scheme.count...])))
        }
    }

    static func digest(_ key: String) -> [UInt8] { Array(SHA256.hash(data: Array(key.utf8))) }
}
