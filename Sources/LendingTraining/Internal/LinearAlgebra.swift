#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small dense symmetric positive-definite matrix solver (Cholesky). The regression has at
/// most a few dozen coefficients, so plain loops are the clearest choice.
struct SymmetricMatrix {
    let size: Int
    var values: [Double]

    init(size: Int) {
        self.size = size
        values = [Double](repeating: 0, count: size * size)
    }

    subscript(row: Int, column: Int) -> Double {
        get { values[row * size + column] }
        set { values[row * size + column] = newValue }
    }

    /// The lower-triangular Cholesky factor, or `nil` if the matrix is not positive definite.
    func cholesky() -> [Double]? {
        var lower = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = self[i, j]
                for k in 0..<j { sum -= lower[i * size + k] * lower[j * size + k] }
                if i == j {
                    guard sum > 1e-300, sum.isFinite else { return nil }
                    lower[i * size + i] = sum.squareRoot()
                } else {
                    lower[i * size + j] = sum / lower[j * size + j]
                }
            }
        }
        return lower
    }

    /// Solves `self * x = b`.
    func solve(_ b: [Double]) -> [Double]? {
        guard let lower = cholesky() else { return nil }
        var y = b
        for i in 0..<size {
            var sum = y[i]
            for k in 0..<i { sum -= lower[i * size + k] * y[k] }
            y[i] = sum / lower[i * size + i]
        }
        var x = y
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = x[i]
            for k in (i + 1)..<size { sum -= lower[k * size + i] * x[k] }
            x[i] = sum / lower[i * size + i]
        }
        return x
    }

    /// The inverse, or `nil` if singular.
    func inverse() -> SymmetricMatrix? {
        var result = SymmetricMatrix(size: size)
        for column in 0..<size {
            var unit = [Double](repeating: 0, count: size)
            unit[column] = 1
            guard let solved = solve(unit) else { return nil }
            for row in 0..<size { result[row, column] = solved[row] }
        }
        return result
    }
}

/// Two-sided p-value of a standard normal z statistic.
func twoSidedPValue(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

func naturalLog(_ x: Double) -> Double { log(x) }
func exponential(_ x: Double) -> Double { exp(x) }
