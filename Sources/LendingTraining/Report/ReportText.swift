/// The plain-text summary `lending train` and `lending evaluate` print.
public enum ReportText {
    public static func render(_ report: TrainingReport) -> String {
        var lines: [String] = [report.title, ""]
        for setting in report.settings { lines.append("  " + setting) }
        if !report.settings.isEmpty { lines.append("") }
        for characteristic in report.characteristics where !characteristic.bins.isEmpty {
            let mark = characteristic.selected ? "*" : " "
            lines.append("\(mark) \(characteristic.name) (\(characteristic.kind))  IV \(fixed(characteristic.informationValue, 4))"
                         + (characteristic.note.map { "  [\($0)]" } ?? ""))
            let rows = characteristic.bins.map { bin in
                [bin.label, String(bin.count), String(bin.bads), percent(bin.badRate), fixed(bin.woe, 4), fixed(bin.iv, 4),
                 bin.points.map { fixed($0, $0 == $0.rounded() ? 0 : 2) } ?? ""]
            }
            lines += table(["bin", "count", "bads", "bad rate", "WoE", "IV", "points"], rows, indent: "    ")
            lines.append("")
        }
        if !report.coefficients.isEmpty {
            lines.append("logistic regression (bad ~ WoE):")
            lines += table(["", "coefficient", "std. error", "z", "p-value", "VIF"], report.coefficients.map { c in
                [c.name, fixed(c.estimate, 4), fixed(c.standardError, 4), fixed(c.z, 2), scientific(c.pValue), c.vif.map { fixed($0, 2) } ?? ""]
            }, indent: "  ")
            lines.append("")
        }
        if !report.samples.isEmpty {
            lines += table(["sample", "rows", "bads", "KS", "AUC", "Gini"], report.samples.map { s in
                [s.name, String(s.rows), String(s.bads), fixed(s.ks, 4), fixed(s.auc, 4), fixed(s.gini, 4)]
            }, indent: "")
            if let psi = report.scorePSI { lines.append("score PSI (test vs train): \(fixed(psi, 4))") }
            lines.append("")
        }
        if let tuning = report.tuning {
            lines.append("cross-validation (\(tuning.folds) folds of the \(tuning.rows) training rows): chosen \(tuning.chosen.text), mean fold AUC \(fixed(tuning.chosenMeanAUC, 4)) (sd \(fixed(tuning.chosenSdAUC, 4)))")
            let profile = tuning.profile
            if !profile.isEmpty {
                lines += table(["parameter", "value", "best mean fold AUC", "sd", "with"], profile.map { row in
                    [row.parameter + (row.chosen ? " *" : ""), row.value, fixed(row.best.meanAUC, 4), fixed(row.best.sdAUC, 4), row.best.setting.text]
                }, indent: "  ")
            }
            for shape in tuning.shapes {
                lines.append("  \(shape.name): \(shape.allowed == "peak-or-valley" ? "peak or valley allowed" : "monotone")\(shape.shape.map { " (bins: \($0))" } ?? ""): \(shape.reason)")
            }
            lines.append("")
        }
        for warning in report.warnings { lines.append("warning: " + warning) }
        return lines.joined(separator: "\n")
    }

    static func table(_ header: [String], _ rows: [[String]], indent: String) -> [String] {
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], min(cell.count, 60)) } }
        func line(_ cells: [String]) -> String {
            var text = indent
            for (index, cell) in cells.enumerated() {
                let shown = cell.count > 60 ? String(cell.prefix(59)) + "…" : cell
                let pad = String(repeating: " ", count: max(0, widths[index] - shown.count))
                text += index == 0 ? shown + pad : "  " + pad + shown
            }
            return text
        }
        return [line(header)] + rows.map(line)
    }

    /// A fixed-decimal rendering that does not depend on the platform's formatter.
    public static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let integer = Int64(scaled)
        let divisor = Int64(scale)
        let whole = integer / divisor
        var fraction = String(integer % divisor)
        while fraction.count < places { fraction = "0" + fraction }
        let sign = value < 0 && integer != 0 ? "-" : ""
        return places == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// The shortest text of a grid value: `0`, `0.5`, `10`, `0.02`.
    public static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e12 { return String(Int64(value)) }
        return "\(value)"
    }

    static func percent(_ value: Double) -> String { value.isFinite ? fixed(value * 100, 1) + "%" : "n/a" }

    static func scientific(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value >= 0.0001 || value == 0 { return fixed(value, 4) }
        var exponent = 0
        var mantissa = value
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        return fixed(mantissa, 2) + "e\(exponent)"
    }
}
