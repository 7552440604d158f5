/// The plain scorer: reads the model as written, bin by bin. It is the specification the fast
/// ``CompiledScorecard`` kernel is tested against; it is not used in production paths.
public struct ReferenceScorer: Sendable {
    public let model: Scorecard

    public init(_ model: Scorecard) { self.model = model }

    /// The points a characteristic gives a value, or `nil` if the value cannot be scored.
    public func points(_ characteristic: Characteristic, _ value: FeatureValue) -> Double? {
        switch value {
        case .missing:
            return characteristic.missing?.points
        case .number(let number):
            guard characteristic.kind == .numeric else { return nil }
            if number.isNaN { return characteristic.missing?.points }
            for bin in characteristic.bins {
                let aboveLower = bin.lower.map { number >= $0 } ?? true
                let belowUpper = bin.upper.map { number < $0 } ?? true
                if aboveLower && belowUpper { return bin.points }
            }
            return nil
        case .category(let category):
            guard characteristic.kind == .categorical else { return nil }
            for bin in characteristic.bins where bin.categories?.contains(category) == true { return bin.points }
            switch characteristic.unseen ?? .reject {
            case .reject: return nil
            case .missing: return characteristic.missing?.points
            case .lowest: return characteristic.bins.map(\.points).min()
            }
        }
    }

    /// The total score, or `nil` if a value cannot be scored.
    public func score(_ values: [FeatureValue]) -> Double? {
        var total = model.basePoints
        for (characteristic, value) in zip(model.characteristics, values) {
            guard let points = points(characteristic, value) else { return nil }
            total += points
        }
        return total
    }

    /// Reason codes: characteristic names by points below their maximum, largest first,
    /// ties in model order, zero losses dropped.
    public func reasons(_ values: [FeatureValue], limit: Int) -> [String]? {
        var losses: [(name: String, loss: Double, order: Int)] = []
        for (order, (characteristic, value)) in zip(model.characteristics, values).enumerated() {
            guard let points = points(characteristic, value) else { return nil }
            var all = characteristic.bins.map(\.points)
            if let missing = characteristic.missing { all.append(missing.points) }
            let loss = all.max()! - points
            if loss > 0 { losses.append((characteristic.name, loss, order)) }
        }
        losses.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.order < $1.order }
        return losses.prefix(limit).map(\.name)
    }
}
