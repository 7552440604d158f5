/// An open-addressing hash table from category bytes to a bin slot, built once per model.
///
/// Looking up a field's bytes allocates nothing: FNV-1a over the bytes, linear probing, and a
/// byte comparison of the candidate.
public struct CategoryTable: Sendable {
    private let arena: [UInt8]
    private let hashes: [UInt64]
    private let offsets: [Int32]
    private let lengths: [Int32]
    private let slots: [Int32] // -1 marks an empty entry
    private let mask: Int

    /// - Parameter entries: category text and the slot it maps to.
    public init(_ entries: [(category: String, slot: Int32)]) {
        var size = 8
        while size < entries.count * 3 { size <<= 1 }
        var arena: [UInt8] = []
        var hashes = [UInt64](repeating: 0, count: size)
        var offsets = [Int32](repeating: 0, count: size)
        var lengths = [Int32](repeating: 0, count: size)
        var slots = [Int32](repeating: -1, count: size)
        for (category, slot) in entries {
            let bytes = Array(category.utf8)
            let hash = bytes.withUnsafeBytes { CategoryTable.hash($0) }
            var index = Int(truncatingIfNeeded: hash) & (size - 1)
            while slots[index] >= 0 { index = (index + 1) & (size - 1) }
            hashes[index] = hash
            offsets[index] = Int32(arena.count)
            lengths[index] = Int32(bytes.count)
            slots[index] = slot
            arena.append(contentsOf: bytes)
        }
        self.arena = arena
        self.hashes = hashes
        self.offsets = offsets
        self.lengths = lengths
        self.slots = slots
        self.mask = size - 1
    }

    @inlinable @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The slot of a category, or -1 when the table does not hold it.
    @inline(__always)
    public func slot(of bytes: UnsafeRawBufferPointer) -> Int32 {
        let hash = CategoryTable.hash(bytes)
        var index = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots[index]
                if slot < 0 { return -1 }
                if hashes[index] == hash && Int(lengths[index]) == bytes.count {
                    let matches = arena.withUnsafeBytes { arena in
                        bytes.count == 0 || memoryEqual(arena.baseAddress! + Int(offsets[index]), bytes.baseAddress!, bytes.count)
                    }
                    if matches { return slot }
                }
                index = (index + 1) & mask
            }
        }
    }

    /// The slot of a category given as a string, or -1.
    public func slot(of text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { slot(of: UnsafeRawBufferPointer($0)) }
    }
}

@inline(__always)
private func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
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
