import Synchronization
/// A block of whole CSV records, owned, immutable once made, handed between threads.
///
/// The chunker guarantees `bytes[start..<count]` begins at a record boundary and ends just
/// after a record terminator (or at the end of the input).
public final class CSVChunk: @unchecked Sendable { // its bytes are written before it is handed on, then only read
    /// Position of this chunk in the input, 0-based.
    public let sequence: Int
    /// Byte offset of the chunk's first byte in the input (after a BOM).
    public let inputOffset: Int64
    /// Where parsing starts (after a header the caller already read).
    public var start: Int
    /// Number of valid bytes.
    public let count: Int
    /// Whether this is the input's last chunk.
    public let isLast: Bool
    private let storage: UnsafeMutableRawBufferPointer
    private let pool: BufferPool?
    private let mapping: MappedFile?

    init(sequence: Int, inputOffset: Int64, storage: UnsafeMutableRawBufferPointer, count: Int, isLast: Bool,
         pool: BufferPool? = nil, mapping: MappedFile? = nil) {
        self.sequence = sequence
        self.inputOffset = inputOffset
        self.start = 0
        self.storage = storage
        self.count = count
        self.isLast = isLast
        self.pool = pool
        self.mapping = mapping
    }

    /// Makes a chunk from bytes (tests, small inputs).
    public convenience init(bytes: [UInt8], sequence: Int = 0, isLast: Bool = true) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { storage.baseAddress!.copyMemory(from: base, byteCount: source.count) }
        }
        self.init(sequence: sequence, inputOffset: 0, storage: storage, count: bytes.count, isLast: isLast)
    }

    deinit {
        if let mapping {
            mapping.release(start: Int(inputOffset), length: count)
        } else if let pool {
            pool.recycle(storage)
        } else {
            storage.deallocate()
        }
    }

    /// The valid bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }
}

/// Buffers of one size handed back by chunks when they are done, so the reader reuses memory
/// that is already mapped instead of faulting in fresh pages for every chunk.
final class BufferPool: Sendable {
    let size: Int
    private let limit: Int
    private let free = Mutex<[PooledBuffer]>([])

    init(size: Int, limit: Int) {
        self.size = size
        self.limit = limit
    }

    deinit { free.withLock { for buffer in $0 { buffer.pointer.deallocate() } } }

    func take() -> UnsafeMutableRawBufferPointer {
        if let buffer = free.withLock({ $0.popLast() }) { return buffer.pointer }
        return UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    }

    func recycle(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count == size else { buffer.deallocate(); return }
        let owned = PooledBuffer(pointer: buffer)
        let kept = free.withLock { free -> Bool in
            if free.count < limit { free.append(owned); return true }
            return false
        }
        if !kept { buffer.deallocate() }
    }
}

/// A buffer in the pool. `@unchecked Sendable`: one owner at a time holds it (the pool, or the one chunk it was given to).
private struct PooledBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawBufferPointer
}
