import LendingModel

/// A request completed under an `Idempotency-Key`: the fingerprint of the request and the
/// response that was sent, to be sent again for a repeat.
public struct CompletedRequest: Sendable, Equatable {
    /// The client's key (1 to 255 visible ASCII characters).
    public var key: String
    /// SHA-256 of the request (method, path and body): a repeat must match it.
    public var fingerprint: [UInt8]
    /// The HTTP status code sent.
    public var status: Int
    /// The response body sent (JSON).
    public var body: [UInt8]
    /// When the request arrived (for expiring old keys; nothing else reads it).
    public var receivedAt: Instant

    public init(key: String, fingerprint: [UInt8], status: Int, body: [UInt8], receivedAt: Instant) {
        self.key = key
        self.fingerprint = fingerprint
        self.status = status
        self.body = body
        self.receivedAt = receivedAt
    }
}
