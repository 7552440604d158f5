/// Applicants linked into rings: a union–find over people and the things they share (devices,
/// phones — their own and the contact phones they give —, bank cards, addresses). Two people who
/// share anything are in one component; a component with many people is a ring.
///
/// Keys are keyed hashes, each tagged with its kind before hashing, so only equal values of the
/// same kind meet (an applicant's phone and another's contact phone are both of kind `phone`).
/// Links are never removed: the pipeline rebuilds the index from the stored applications of the
/// look-back horizon when it starts.
public struct RingIndex: Sendable {
    private var node: [UInt64: Int32] = [:]
    private var parent: [Int32] = []
    /// People in the component, valid at roots.
    private var people: [Int32] = []

    public init() {}

    /// Links a person with the attributes of one application; returns the number of distinct
    /// people in the person's component afterwards.
    @discardableResult
    public mutating func link(person: UInt64, attributes: some Sequence<UInt64>) -> Int {
        var root = find(nodeIndex(person, isPerson: true))
        for attribute in attributes {
            root = union(root, find(nodeIndex(attribute, isPerson: false)))
        }
        return Int(people[Int(root)])
    }

    /// Distinct people in the component of `person` (1 for someone linked to nobody, 0 if unseen).
    public func people(linkedTo person: UInt64) -> Int {
        guard let index = node[person] else { return 0 }
        var current = index
        while parent[Int(current)] != current { current = parent[Int(current)] }
        return Int(people[Int(current)])
    }

    /// Nodes held (people and attributes).
    public var nodeCount: Int { parent.count }

    private mutating func nodeIndex(_ key: UInt64, isPerson: Bool) -> Int32 {
        if let index = node[key] { return index }
        let index = Int32(parent.count)
        node[key] = index
        parent.append(index)
        people.append(isPerson ? 1 : 0)
        return index
    }

    private mutating func find(_ start: Int32) -> Int32 {
        var root = start
        while parent[Int(root)] != root { root = parent[Int(root)] }
        var current = start
        while parent[Int(current)] != root {
            let next = parent[Int(current)]
            parent[Int(current)] = root
            current = next
        }
        return root
    }

    /// Joins two roots (the larger component absorbs the smaller) and returns the new root.
    private mutating func union(_ a: Int32, _ b: Int32) -> Int32 {
        guard a != b else { return a }
        let (big, small) = people[Int(a)] >= people[Int(b)] ? (a, b) : (b, a)
        parent[Int(small)] = big
        people[Int(big)] += people[Int(small)]
        return big
    }
}
