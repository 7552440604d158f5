import LendingDecisioning
import Metrics
import Prometheus
import Synchronization

/// The service's metrics, recorded through swift-metrics into a Prometheus registry of the
/// service's own (so two services in one process, or tests, do not mix), and exposed at
/// `GET /metrics` in the Prometheus text format.
///
/// Labels hold route templates (`/v1/loans/{id}`), methods, status codes and decision outcomes:
/// never an id, a key or anything personal.
///
/// - `lending_http_requests_total{route, method, status}`: requests answered.
/// - `lending_http_request_duration_seconds{route, method}`: a latency histogram per route.
/// - `lending_decisions_total{outcome}`: applications decided, by outcome (replays not counted).
/// - `lending_scores_total`: applicants scored.
public final class ServiceMetrics: Sendable {
    /// The registry the metrics are written to.
    public let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory over ``registry`` (for `MetricsSystem.bootstrap`, if wanted).
    public let factory: PrometheusMetricsFactory
    private let handles = Mutex<[RequestKey: (requests: Metrics.Counter, duration: Metrics.Timer)]>([:])
    private let durations = Mutex<[DurationKey: Metrics.Timer]>([:])
    private let decisions: [DecisionRecord.Outcome: Metrics.Counter]
    private let scores: Metrics.Counter

    /// Histogram buckets of the latency: 100 µs to 10 s.
    public static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(10),
    ]

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct DurationKey: Hashable {
        var route: String
        var method: String
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = ServiceMetrics.latencyBuckets
        self.factory = factory
        var decisions: [DecisionRecord.Outcome: Metrics.Counter] = [:]
        for outcome in DecisionRecord.Outcome.allCases {
            decisions[outcome] = Metrics.Counter(label: "lending_decisions_total", dimensions: [("outcome", outcome.rawValue)], factory: factory)
        }
        self.decisions = decisions
        scores = Metrics.Counter(label: "lending_scores_total", factory: factory)
    }

    /// Records one answered request under its route template.
    public func recordRequest(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let key = RequestKey(route: route, method: method, status: status)
        let found = handles.withLock { $0[key] } ?? makeHandles(key)
        found.requests.increment()
        found.duration.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    private func makeHandles(_ key: RequestKey) -> (requests: Metrics.Counter, duration: Metrics.Timer) {
        let timer = durations.withLock { timers in
            let durationKey = DurationKey(route: key.route, method: key.method)
            if let timer = timers[durationKey] { return timer }
            let timer = Metrics.Timer(label: "lending_http_request_duration_seconds", dimensions: [("route", key.route), ("method", key.method)],
                                      factory: factory)
            timers[durationKey] = timer
            return timer
        }
        return handles.withLock { handles in
            if let existing = handles[key] { return existing }
            let counter = Metrics.Counter(label: "lending_http_requests_total",
                                          dimensions: [("route", key.route), ("method", key.method), ("status", String(key.status))],
                                          factory: factory)
            handles[key] = (counter, timer)
            return (counter, timer)
        }
    }

    /// Counts a new decision by outcome.
    public func recordDecision(_ outcome: DecisionRecord.Outcome) { decisions[outcome]?.increment() }

    /// Counts applicants scored.
    public func recordScores(_ count: Int) { scores.increment(by: count) }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
