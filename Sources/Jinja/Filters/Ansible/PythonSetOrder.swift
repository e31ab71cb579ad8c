/// Reproduces the iteration order of a CPython `set` of integers, so set-theory filters
/// (`union`, `intersect` …) list integer results in the order Ansible prints them.
/// Other element types keep first-seen order: CPython's string hashes are randomised
/// per process, so no order is more "right" than another.
enum PythonSetOrder {
    /// CPython's `hash()` of an int.
    static func hash(_ i: Int) -> Int {
        let modulus = (1 << 61) - 1
        var h = i.magnitude % UInt(modulus)
        if i < 0 { h = UInt(bitPattern: -Int(h)) }
        let signed = Int(bitPattern: h)
        return signed == -1 ? -2 : signed
    }

    static func arrange(_ items: [Value]) -> [Value] {
        var ints: [Int] = []
        for item in items {
            guard case .int(let i) = item else { return items }
            ints.append(i)
        }
        return simulate(ints).map(Value.int)
    }

    /// Inserts `values` (already distinct) into a simulated CPython set table.
    static func simulate(_ values: [Int]) -> [Int] {
        var table = [Int?](repeating: nil, count: 8)
        var used = 0
        func insert(_ value: Int, into table: inout [Int?]) {
            let mask = table.count - 1
            let h = UInt(bitPattern: hash(value))
            var perturb = h
            var i = Int(h & UInt(mask))
            while true {
                let probes = i + 9 <= mask ? 9 : 0
                for offset in 0...probes where table[i + offset] == nil {
                    table[i + offset] = value
                    return
                }
                perturb >>= 5
                i = Int((UInt(i) &* 5 &+ 1 &+ perturb) & UInt(mask))
            }
        }
        for value in values {
            insert(value, into: &table)
            used += 1
            if used * 5 >= (table.count - 1) * 3 {
                let minimum = used > 50000 ? used * 2 : used * 4
                var size = 8
                while size <= minimum { size <<= 1 }
                var bigger = [Int?](repeating: nil, count: size)
                for case let old? in table { insert(old, into: &bigger) }
                table = bigger
            }
        }
        return table.compactMap { $0 }
    }
}
