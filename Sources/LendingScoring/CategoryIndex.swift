/// Open-addressing hash tables from category bytes to bin slots, one table per characteristic,
/// all in flat memory owned by the ``CompiledScorecard`` that built it (a plain struct of
/// pointers, so a lookup neither retains nor releases).
///
/// A lookup allocates nothing and retains nothing: a hash of the length and the first and last
/// eight bytes, linear probing, and a byte comparison of the candidate.
public struct CategoryIndex: @unchecked Sendable { // pointers to tables written once in init, then only read
    // Immutable after init; stable pointers so lookups neither retain nor check bounds.
    @usableFromInline let arena: UnsafeMutablePointer<UInt8>
    @usableFromInline let hashes: UnsafeMutablePointer<UInt64>
    @usableFromInline let offsets: UnsafeMutablePointer<Int32>
    @usableFromInline let lengths: UnsafeMutablePointer<Int32>
    @usableFromInline let slots: UnsafeMutablePointer<Int32> // -1 marks an empty entry
    @usableFromInline let tableBase: UnsafeMutablePointer<Int>
    @usableFromInline let tableMask: UnsafeMutablePointer<Int>

    /// - Parameter tables: per characteristic, category text and the slot it maps to (empty for
    ///   numeric characteristics).
    public init(_ tables: [[(category: String, slot: Int32)]]) {
        var arena: [UInt8] = []
        var hashes: [UInt64] = []
        var offsets: [Int32] = []
        var lengths: [Int32] = []
        var slots: [Int32] = []
        var tableBase: [Int] = []
        var tableMask: [Int] = []
        for entries in tables {
            var size = 4
            while size < entries.count * 3 { size <<= 1 }
            let base = slots.count
            tableBase.append(base)
            tableMask.append(size - 1)
            hashes += [UInt64](repeating: 0, count: size)
            offsets += [Int32](repeating: 0, count: size)
            lengths += [Int32](repeating: 0, count: size)
            slots += [Int32](repeating: -1, count: size)
            for (category, slot) in entries {
                let bytes = Array(category.utf8)
                let hash = bytes.withUnsafeBytes { CategoryIndex.hash($0) }
                var index = Int(truncatingIfNeeded: hash) & (size - 1)
                while slots[base + index] >= 0 { index = (index + 1) & (size - 1) }
                hashes[base + index] = hash
                offsets[base + index] = Int32(arena.count)
                lengths[base + index] = Int32(bytes.count)
                slots[base + index] = slot
                arena.append(contentsOf: bytes)
            }
        }
        func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
            _ = UnsafeMutableBufferPointer(start: pointer, count: values.count).initialize(from: values)
            return pointer
        }
        self.arena = copy(arena)
        self.hashes = copy(hashes)
        self.offsets = copy(offsets)
        self.lengths = copy(lengths)
        self.slots = copy(slots)
        self.tableBase = copy(tableBase)
        self.tableMask = copy(tableMask)
    }

    /// Frees the tables; called once by the owning ``CompiledScorecard``.
    func deallocate() {
        arena.deallocate(); hashes.deallocate(); offsets.deallocate(); lengths.deallocate()
        slots.deallocate(); tableBase.deallocate(); tableMask.deallocate()
    }

    /// Length, first and last eight bytes, mixed. Categories of one characteristic almost always
    /// differ there; the byte comparison settles any collision.
    @inlinable @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var head: UInt64 = 0
        var tail: UInt64 = 0
        if count >= 8 {
            head = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            tail = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else {
            for index in 0..<count { head = head << 8 | UInt64(bytes[index]) }
        }
        var hash = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)
        hash ^= hash >> 29
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }

    /// The slot of a category of characteristic `table`, or -1 when it is not listed.
    @inlinable @inline(__always)
    public func slot(_ table: Int, of bytes: UnsafeRawBufferPointer) -> Int32 {
        let hash = CategoryIndex.hash(bytes)
        let base = tableBase[table]
        let mask = tableMask[table]
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[base + index]
            if slot < 0 { return -1 }
            if hashes[base + index] == hash && Int(lengths[base + index]) == bytes.count {
                if bytes.count == 0 || memoryEqual(arena + Int(offsets[base + index]), bytes.baseAddress!, bytes.count) {
                    return slot
                }
            }
            index = (index + 1) & mask
        }
    }

    /// The slot of a category given as a string, or -1.
    public func slot(_ table: Int, of text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { slot(table, of: UnsafeRawBufferPointer($0)) }
    }
}

@inlinable @inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var index = 0
    while index + 8 <= count {
        if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
        index += 8
    }
    while index < count {
        if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) { return false }
        index += 1
    }
    return true
}
