/// A string-keyed dictionary that remembers insertion order, like Python's dict.
/// Lookups are O(1); removal is O(n), which is rare in playbook data.
public struct OrderedDict: Sendable, Hashable, Sequence {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    public init() {}
    public init(_ pairs: [(String, Value)]) {
        keys.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var values: [Value] { keys.map { storage[$0]! } }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public func contains(_ key: String) -> Bool { storage[key] != nil }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? {
        let old = storage[key]
        self[key] = nil
        return old
    }

    /// Python's `dict.update`: existing keys keep their position, new ones are appended.
    public mutating func merge(_ other: OrderedDict) {
        for (k, v) in other { self[k] = v }
    }

    public func makeIterator() -> AnyIterator<(key: String, value: Value)> {
        var i = 0
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            let k = keys[i]
            return (k, storage[k]!)
        }
    }

    public static func == (lhs: OrderedDict, rhs: OrderedDict) -> Bool {
        // Python dict equality ignores order.
        lhs.storage == rhs.storage
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.count)
        for k in keys.sorted() { hasher.combine(k); hasher.combine(storage[k]!) }
    }
}
