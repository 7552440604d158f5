import LendingScoring

/// The text `lending model show` prints.
public enum ModelDescription {
    public static func text(of model: Scorecard) -> String {
        var lines: [String] = []
        lines.append("\(model.name) version \(model.version) (format \(model.format) v\(model.formatVersion))")
        if let source = model.source {
            var text = "source: \(source.tool)"
            if let file = source.file { text += " \(file)" }
            if let sha = source.sha256 { text += " sha256 \(sha)" }
            lines.append(text)
        }
        let scaling = model.scaling
        lines.append("scaling: \(number(scaling.baseScore)) points at \(number(scaling.baseOdds)):1 good:bad, \(number(scaling.pdo)) points to double the odds")
        let range = model.scoreRange
        lines.append("base points: \(number(model.basePoints)); scores from \(number(range.lowerBound)) to \(number(range.upperBound))")
        lines.append("")
        for characteristic in model.characteristics {
            var header = "\(characteristic.name) (\(characteristic.kind.rawValue)"
            if characteristic.kind == .categorical { header += ", unseen: \((characteristic.unseen ?? .reject).rawValue)" }
            if let iv = characteristic.informationValue { header += ", IV \(number(iv))" }
            lines.append(header + ")")
            let labels = characteristic.bins.map(\.displayLabel) + (characteristic.missing != nil ? ["missing"] : [])
            let points = characteristic.bins.map(\.points) + (characteristic.missing.map { [$0.points] } ?? [])
            let width = min(60, labels.map(\.count).max() ?? 0)
            for (label, value) in zip(labels, points) {
                let shown = label.count > 60 ? String(label.prefix(59)) + "…" : label
                lines.append("  " + shown + String(repeating: " ", count: max(1, width - shown.count + 2)) + number(value))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
