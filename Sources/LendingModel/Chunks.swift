extension Array {
    /// Consecutive slices of at most `size` elements (the store adapters' statements of many rows).
    package func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
