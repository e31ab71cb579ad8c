/// A string-keyed dictionary that remembers insertion order, like Python's dict.
/// Lookups are O(1); removal is O(n), which is rare in playbook data.
public struct OrderedDict: Sendable, Hashable, Sequence {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    /// An empty dictionary.
    public init() {}
    /// A dictionary from `pairs` in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: [(String, Value)]) {
        keys.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// The number of entries.
    public var count: Int { keys.count }
    /// True when the dictionary has no entries.
    public var isEmpty: Bool { keys.isEmpty }
    /// The values in key insertion order.
    public var values: [Value] { keys.map { storage[$0]! } }

    /// The value for `key`, or nil. Assigning to a new key appends it; replacing keeps
    /// the key's position; assigning nil removes the key.
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

    /// Whether `key` is present (Python's `key in dict`).
    public func contains(_ key: String) -> Bool { storage[key] != nil }

    /// Removes `key` and returns its value, or nil when it was absent (Python's `dict.pop(key, None)`).
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

    /// Iterates `(key, value)` pairs in insertion order.
    public func makeIterator() -> AnyIterator<(key: String, value: Value)> {
        var i = 0
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            let k = keys[i]
            return (k, storage[k]!)
        }
    }

    /// Python dict equality: same keys with equal values, regardless of order.
    public static func == (lhs: OrderedDict, rhs: OrderedDict) -> Bool {
        // Python dict equality ignores order.
        lhs.storage == rhs.storage
    }
    /// Hashes keys and values independently of order, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.count)
        for k in keys.sorted() { hasher.combine(k); hasher.combine(storage[k]!) }
    }
}
