/// The variables of one template scope. Scopes hold a handful of names, so parallel
/// arrays searched linearly (small-string equality is a couple of word compares) beat
/// hashing every lookup.
struct LocalNames: Sequence {
    private var keys: [String] = []
    private var values: [Value] = []

    init() {}

    init(_ dictionary: [String: Value]) {
        for (k, v) in dictionary { self[k] = v }
    }

    var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    subscript(name: String) -> Value? {
        get {
            var i = 0
            let n = keys.count
            while i < n {
                if keys[i] == name { return values[i] }
                i += 1
            }
            return nil
        }
        set {
            if let index = keys.firstIndex(of: name) {
                if let newValue { values[index] = newValue } else { keys.remove(at: index); values.remove(at: index) }
            } else if let newValue {
                keys.append(name)
                values.append(newValue)
            }
        }
    }

    mutating func removeAll(keepingCapacity: Bool) {
        keys.removeAll(keepingCapacity: keepingCapacity)
        values.removeAll(keepingCapacity: keepingCapacity)
    }

    var dictionary: [String: Value] {
        var result: [String: Value] = [:]
        for (k, v) in zip(keys, values) { result[k] = v }
        return result
    }

    func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator { zip(keys, values).makeIterator() }
}
