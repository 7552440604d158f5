/// Binary search over sorted times.
enum SortedTimes {
    /// The index of the first element greater than `value` in `list[from...]`, which is sorted.
    static func firstIndex(in list: [Int64], from start: Int = 0, after value: Int64) -> Int {
        var lower = start, upper = list.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if list[middle] > value { upper = middle } else { lower = middle + 1 }
        }
        return lower
    }
}
