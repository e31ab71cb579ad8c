/// Reproduces CPython 3.11's `set` table layout for integers, so the set-theory filters
/// (`union`, `intersect`, `difference`, `symmetric_difference`) list integer results in
/// the order Ansible prints them. Other element types keep first-seen order: CPython's
/// string hashes are randomised per process, so no order is more "right" than another.
struct PythonSetOrder {
    private enum Slot: Equatable { case empty, dummy, key(Int) }
    private var table = [Slot](repeating: .empty, count: 8)
    private var used = 0
    private var fill = 0
    private var mask: Int { table.count - 1 }

    /// CPython's `hash()` of an int.
    static func hash(_ i: Int) -> Int {
        let modulus = UInt((1 << 61) - 1)
        let h = i.magnitude % modulus
        let signed = i < 0 ? -Int(h) : Int(h)
        return signed == -1 ? -2 : signed
    }

    init() {}

    /// `set(iterable)`.
    init(_ values: [Int]) {
        for v in values { add(v) }
    }

    /// Keys in iteration order.
    var keys: [Int] { table.compactMap { if case .key(let k) = $0 { return k }; return nil } }
    var count: Int { used }

    private func probeSequence(_ value: Int, body: (Int) -> Bool) {
        let h = UInt(bitPattern: PythonSetOrder.hash(value))
        var perturb = h
        var i = Int(h & UInt(mask))
        while true {
            let probes = i + 9 <= mask ? 9 : 0
            for offset in 0...probes where body(i + offset) { return }
            perturb >>= 5
            i = Int((UInt(i) &* 5 &+ 1 &+ perturb) & UInt(mask))
        }
    }

    func contains(_ value: Int) -> Bool {
        var found = false
        probeSequence(value) { index in
            switch table[index] {
            case .empty: return true
            case .key(let k) where k == value: found = true; return true
            default: return false
            }
        }
        return found
    }

    /// `set_add_entry`: reuses the first dummy seen, else takes the empty slot.
    mutating func add(_ value: Int) {
        var freeSlot: Int?
        var target: Int?
        var present = false
        probeSequence(value) { index in
            switch table[index] {
            case .empty: target = index; return true
            case .key(let k) where k == value: present = true; return true
            case .dummy: if freeSlot == nil { freeSlot = index }; return false
            default: return false
            }
        }
        if present { return }
        if let freeSlot { table[freeSlot] = .key(value); used += 1; return }
        guard let target else { return }
        table[target] = .key(value)
        used += 1
        fill += 1
        if fill * 5 >= mask * 3 { resize(used > 50000 ? used * 2 : used * 4) }
    }

    /// `set_discard_entry`: leaves a dummy behind.
    mutating func discard(_ value: Int) -> Bool {
        var removed = false
        probeSequence(value) { index in
            switch table[index] {
            case .empty: return true
            case .key(let k) where k == value:
                table[index] = .dummy
                removed = true
                return true
            default: return false
            }
        }
        if removed { used -= 1 }
        return removed
    }

    private mutating func insertClean(_ value: Int) {
        var target = 0
        probeSequence(value) { index in
            if table[index] == .empty { target = index; return true }
            return false
        }
        table[target] = .key(value)
    }

    private mutating func resize(_ minimumUsed: Int) {
        var size = 8
        while size <= minimumUsed { size <<= 1 }
        let old = keys
        table = [Slot](repeating: .empty, count: size)
        for k in old { insertClean(k) }
        fill = used
    }

    /// `set_merge(self, other)`.
    mutating func merge(_ other: PythonSetOrder) {
        guard other.used > 0 else { return }
        if (fill + other.used) * 5 >= mask * 3 { resize((used + other.used) * 2) }
        if fill == 0 && mask == other.mask && other.fill == other.used {
            table = other.table
            used = other.used
            fill = other.fill
            return
        }
        if fill == 0 {
            for k in other.keys { insertClean(k) }
            used = other.used
            fill = other.used
            return
        }
        for k in other.keys { add(k) }
    }

    /// `set.copy()`.
    func copy() -> PythonSetOrder {
        var result = PythonSetOrder()
        result.merge(self)
        return result
    }

    static func union(_ a: PythonSetOrder, _ b: PythonSetOrder) -> PythonSetOrder {
        var result = a.copy()
        result.merge(b)
        return result
    }

    static func intersection(_ a: PythonSetOrder, _ b: PythonSetOrder) -> PythonSetOrder {
        var (big, small) = (a, b)
        if b.count > a.count { (big, small) = (b, a) }
        var result = PythonSetOrder()
        for k in small.keys where big.contains(k) { result.add(k) }
        return result
    }

    static func difference(_ a: PythonSetOrder, _ b: PythonSetOrder) -> PythonSetOrder {
        if (a.count >> 2) > b.count {
            var result = a.copy()
            for k in b.keys { _ = result.discard(k) }
            return result
        }
        var result = PythonSetOrder()
        for k in a.keys where !b.contains(k) { result.add(k) }
        return result
    }

    /// CPython copies the *right* operand, then toggles each key of the left one.
    static func symmetricDifference(_ a: PythonSetOrder, _ b: PythonSetOrder) -> PythonSetOrder {
        var result = b.copy()
        for k in a.keys where !result.discard(k) { result.add(k) }
        return result
    }

    /// The integers of `values`, or nil when any item is not a plain int.
    static func integers(_ values: [Value]) -> [Int]? {
        var ints: [Int] = []
        for v in values {
            guard case .int(let i) = v else { return nil }
            ints.append(i)
        }
        return ints
    }
}
