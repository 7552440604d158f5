/// A fitted logistic regression of bad on a design matrix (intercept first).
public struct LogisticFit: Sendable, Equatable {
    public var coefficients: [Double]
    public var standardErrors: [Double]
    public var logLikelihood: Double
    public var iterations: Int
    public var converged: Bool
    /// Rows whose fitted probability is within 1e-8 of 0 or 1 (a sign of separation).
    public var saturatedRows: Int

    public var zScores: [Double] { zip(coefficients, standardErrors).map { $0 / $1 } }
    public var pValues: [Double] { zScores.map { twoSidedPValue($0) } }
}

/// Logistic regression by Newton–Raphson (IRLS) with optional L2 penalty on the slopes.
/// Deterministic: the same input gives bit-identical output.
public enum LogisticRegression {
    /// Fits `bad ~ intercept + columns`.
    /// - Parameters:
    ///   - columns: predictors, one array per column, each `bad.count` long.
    ///   - l2: penalty λ on the sum of squared slopes (not the intercept).
    public static func fit(columns: [[Double]], bad: [Bool], l2: Double = 0, maxIterations: Int = 50) throws(TrainingError) -> LogisticFit {
        let rows = bad.count
        let size = columns.count + 1
        var beta = [Double](repeating: 0, count: size)
        let bads = Double(bad.filter { $0 }.count)
        guard bads > 0 && bads < Double(rows) else {
            throw TrainingError("train.one_class", "the target has only one class in the training rows; both goods and bads are needed")
        }
        beta[0] = naturalLog(bads / (Double(rows) - bads))
        var logLikelihood = -Double.infinity
        var iterations = 0
        var converged = false
        var hessian = SymmetricMatrix(size: size)
        var eta = [Double](repeating: 0, count: rows)
        while iterations < maxIterations {
            iterations += 1
            // Linear predictor, gradient and Hessian (X' W X), accumulated row by row.
            var gradient = [Double](repeating: 0, count: size)
            hessian = SymmetricMatrix(size: size)
            var newLogLikelihood = 0.0
            var x = [Double](repeating: 1, count: size)
            for row in 0..<rows {
                for column in 1..<size { x[column] = columns[column - 1][row] }
                var linear = 0.0
                for column in 0..<size { linear += beta[column] * x[column] }
                eta[row] = linear
                let p = 1 / (1 + exponential(-linear))
                let y = bad[row] ? 1.0 : 0.0
                newLogLikelihood += y > 0 ? logSigmoid(linear) : logSigmoid(-linear)
                let weight = p * (1 - p)
                let residual = y - p
                for a in 0..<size {
                    gradient[a] += residual * x[a]
                    let wa = weight * x[a]
                    for b in 0...a { hessian.values[a * size + b] += wa * x[b] }
                }
            }
            for a in 0..<size { for b in 0..<a { hessian.values[b * size + a] = hessian.values[a * size + b] } }
            for a in 1..<max(size, 1) where l2 > 0 {
                gradient[a] -= l2 * beta[a]
                hessian[a, a] += l2
                newLogLikelihood -= 0.5 * l2 * beta[a] * beta[a]
            }
            guard var step = hessian.solve(gradient) else {
                throw TrainingError("train.singular", "the regression is singular (characteristics are collinear or constant); remove one with --exclude or add --l2")
            }
            // Damped Newton: a full step can overshoot far from the optimum (a rare, strongly
            // predictive bin), so halve it until the penalised log-likelihood does not fall.
            func penalisedLogLikelihood(_ coefficients: [Double]) -> Double {
                var total = 0.0
                for row in 0..<rows {
                    var linear = coefficients[0]
                    for column in 1..<size { linear += coefficients[column] * columns[column - 1][row] }
                    total += bad[row] ? logSigmoid(linear) : logSigmoid(-linear)
                }
                for a in 1..<max(size, 1) where l2 > 0 { total -= 0.5 * l2 * coefficients[a] * coefficients[a] }
                return total
            }
            var halvings = 0
            while halvings < 40 {
                let trial = zip(beta, step).map { $0 + $1 }
                let value = penalisedLogLikelihood(trial)
                if value.isFinite && value >= newLogLikelihood - 1e-9 * max(1, abs(newLogLikelihood)) { break }
                step = step.map { $0 / 2 }
                halvings += 1
            }
            var largest = 0.0
            for index in 0..<size {
                beta[index] += step[index]
                largest = max(largest, abs(step[index]))
            }
            let change = abs(newLogLikelihood - logLikelihood)
            logLikelihood = newLogLikelihood
            if largest < 1e-10 || change < 1e-12 * max(1, abs(newLogLikelihood)) {
                converged = true
                break
            }
        }
        // Final statistics at the solution.
        var saturated = 0
        hessian = SymmetricMatrix(size: size)
        logLikelihood = 0
        var x = [Double](repeating: 1, count: size)
        for row in 0..<rows {
            for column in 1..<size { x[column] = columns[column - 1][row] }
            var linear = 0.0
            for column in 0..<size { linear += beta[column] * x[column] }
            let p = 1 / (1 + exponential(-linear))
            if p < 1e-8 || p > 1 - 1e-8 { saturated += 1 }
            logLikelihood += bad[row] ? logSigmoid(linear) : logSigmoid(-linear)
            let weight = p * (1 - p)
            for a in 0..<size { for b in 0...a { hessian.values[a * size + b] += weight * x[a] * x[b] } }
        }
        for a in 0..<size { for b in 0..<a { hessian.values[b * size + a] = hessian.values[a * size + b] } }
        for a in 1..<max(size, 1) where l2 > 0 { hessian[a, a] += l2 }
        guard let covariance = hessian.inverse() else {
            throw TrainingError("train.singular", "the regression is singular (characteristics are collinear or constant); remove one with --exclude or add --l2")
        }
        let errors = (0..<size).map { covariance[$0, $0].squareRoot() }
        return LogisticFit(coefficients: beta, standardErrors: errors, logLikelihood: logLikelihood, iterations: iterations,
                           converged: converged, saturatedRows: saturated)
    }

    /// Variance inflation factors of the columns: the diagonal of the inverse correlation matrix.
    public static func varianceInflation(columns: [[Double]]) -> [Double] {
        let p = columns.count
        guard p > 1, let rows = columns.first?.count, rows > 1 else { return [Double](repeating: 1, count: p) }
        let means = columns.map { $0.reduce(0, +) / Double(rows) }
        let deviations = columns.indices.map { c in columns[c].map { $0 - means[c] } }
        let norms = deviations.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        var correlation = SymmetricMatrix(size: p)
        for a in 0..<p {
            for b in 0...a {
                var sum = 0.0
                for row in 0..<rows { sum += deviations[a][row] * deviations[b][row] }
                let value = norms[a] > 0 && norms[b] > 0 ? sum / (norms[a] * norms[b]) : (a == b ? 1 : 0)
                correlation[a, b] = value
                correlation[b, a] = value
            }
        }
        guard let inverse = correlation.inverse() else { return [Double](repeating: .infinity, count: p) }
        return (0..<p).map { inverse[$0, $0] }
    }
}

/// ln(1 / (1 + e^-x)) without overflow.
func logSigmoid(_ x: Double) -> Double {
    x >= 0 ? -naturalLog(1 + exponential(-x)) : x - naturalLog(1 + exponential(x))
}
