import Foundation

/// Ansible's math, set-theory, combinatorial and size filters.
enum MathFilters {
    static var all: [String: Filter] {
        [
            "log": Filter(log),
            "pow": Filter(power),
            "root": Filter(root),
            "intersect": Filter { v, a, _ in
                try setOperation(v, a, PythonSetOrder.intersection) { x, y in x.filter { y.contains($0) } }
            },
            "difference": Filter { v, a, _ in
                try setOperation(v, a, PythonSetOrder.difference) { x, y in x.filter { !y.contains($0) } }
            },
            "union": Filter { v, a, _ in try setOperation(v, a, PythonSetOrder.union) { x, y in x + y } },
            "symmetric_difference": Filter { v, a, _ in
                try setOperation(v, a, PythonSetOrder.symmetricDifference) { x, y in
                    x.filter { !y.contains($0) } + y.filter { !x.contains($0) }
                }
            },
            "product": Filter(product),
            "permutations": Filter(permutations),
            "combinations": Filter(combinations),
            "zip": Filter { v, a, _ in try zip(v, a, longest: false) },
            "zip_longest": Filter { v, a, _ in try zip(v, a, longest: true) },
            "human_readable": Filter(humanReadable),
            "human_to_bytes": Filter(humanToBytes),
        ]
    }

    static func number(_ v: Value, _ what: String) throws -> Double {
        guard let d = v.doubleValue else {
            throw FilterSupport.filterError("\(what)() can only be used on numbers: must be real number, not \(v.pythonTypeName)")
        }
        return d
    }

    static func log(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let x = try number(v, "log")
        let base = try a.value(0, "base").map { try number($0, "log") } ?? M_E
        guard x > 0, base > 0, base != 1 else { throw JinjaError(.value, "math domain error") }
        if base == 10 { return .float(log10(x)) }
        return .float(Foundation.log(x) / Foundation.log(base))
    }

    static func power(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let x = try number(v, "pow")
        let y = try number(a.value(0, "y") ?? .null, "pow")
        let r = pow(x, y)
        if r.isNaN && !x.isNaN && !y.isNaN { throw JinjaError(.value, "math domain error") }
        return .float(r)
    }

    static func root(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let x = try number(v, "root")
        let base = try a.value(0, "base").map { try number($0, "root") } ?? 2
        let domainError = FilterSupport.filterError("root() can only be used on numbers: math domain error")
        if base == 2 {
            guard x >= 0 else { throw domainError }
            return .float(x.squareRoot())
        }
        let r = pow(x, 1.0 / base)
        if r.isNaN { throw domainError }
        return .float(r)
    }

    /// Unique items in first-seen order. (Python builds a `set`, whose order is
    /// arbitrary for strings; we keep the input order so results are deterministic.)
    static func dedupe(_ items: [Value]) -> [Value] {
        var seen = Set<Value>()
        return items.filter { seen.insert($0).inserted }
    }

    /// Integer inputs go through the CPython set model; anything else keeps first-seen order.
    static func setOperation(_ v: Value, _ a: Arguments, _ intOp: (PythonSetOrder, PythonSetOrder) -> PythonSetOrder,
                             _ op: ([Value], [Value]) -> [Value]) throws -> Value {
        let x = try FilterSupport.iterate(v)
        let y = try FilterSupport.iterate(a.value(0, "b") ?? .list([]))
        if let xi = PythonSetOrder.integers(x), let yi = PythonSetOrder.integers(y) {
            return .list(intOp(PythonSetOrder(xi), PythonSetOrder(yi)).keys.map(Value.int))
        }
        return .list(dedupe(op(x, y)))
    }

    static func product(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let repeatCount = try FilterSupport.int(a.keyword("repeat"), 1, name: "repeat")
        var pools = try ([v] + a.positional).map { try FilterSupport.iterate($0) }
        pools = Array((0..<max(0, repeatCount)).map { _ in pools }.joined())
        var result: [[Value]] = [[]]
        for pool in pools { result = result.flatMap { prefix in pool.map { prefix + [$0] } } }
        return .list(result.map(Value.list))
    }

    static func permutations(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let pool = try FilterSupport.iterate(v)
        let r = try FilterSupport.int(a.value(0, "r"), pool.count, name: "r")
        guard r >= 0 else { throw JinjaError(.value, "r must be non-negative") }
        var result: [Value] = []
        func build(_ prefix: [Int]) {
            if prefix.count == r { result.append(.list(prefix.map { pool[$0] })); return }
            for i in pool.indices where !prefix.contains(i) { build(prefix + [i]) }
        }
        if r <= pool.count { build([]) }
        return .list(result)
    }

    static func combinations(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let pool = try FilterSupport.iterate(v)
        guard let rValue = a.value(0, "r") else { throw JinjaError(.type, "combinations() missing required argument 'r' (pos 2)") }
        let r = try FilterSupport.int(rValue, 0, name: "r")
        guard r >= 0 else { throw JinjaError(.value, "r must be non-negative") }
        var result: [Value] = []
        func build(_ start: Int, _ prefix: [Value]) {
            if prefix.count == r { result.append(.list(prefix)); return }
            guard start < pool.count else { return }
            for i in start..<pool.count { build(i + 1, prefix + [pool[i]]) }
        }
        build(0, [])
        return .list(result)
    }

    static func zip(_ v: Value, _ a: Arguments, longest: Bool) throws -> Value {
        let lists = try ([v] + a.positional).map { try FilterSupport.iterate($0) }
        let fill = a.keyword("fillvalue") ?? .null
        let counts = lists.map(\.count)
        let length = longest ? (counts.max() ?? 0) : (counts.min() ?? 0)
        return .list((0..<length).map { i in .list(lists.map { i < $0.count ? $0[i] : fill }) })
    }

    static let sizeRanges: [(String, Double)] = [("Y", 0x1p80), ("Z", 0x1p70), ("E", 0x1p60), ("P", 0x1p50),
                                                 ("T", 0x1p40), ("G", 0x1p30), ("M", 0x1p20), ("K", 0x1p10), ("B", 1)]

    static func humanReadable(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard let size = v.doubleValue else {
            throw FilterSupport.filterError("human_readable() failed on bad input: '>=' not supported between instances of '\(v.pythonTypeName)' and 'int'")
        }
        let isBits = FilterSupport.bool(a.value(0, "isbits"), false)
        let unit = a.value(1, "unit").flatMap { $0.isNull ? nil : $0.pythonString }
        let base = isBits ? "bits" : "Bytes"
        var chosen = sizeRanges.last!
        for range in sizeRanges {
            chosen = range
            if let unit { if unit.uppercased().first.map(String.init) == range.0 { break } } else if size >= range.1 { break }
        }
        let suffix = chosen.1 != 1 ? chosen.0 + String(base.first!) : base
        return .string(String(format: "%.2f %@", size / chosen.1, suffix))
    }

    static func humanToBytes(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let text = v.pythonString
        let defaultUnit = a.value(0, "default_unit").flatMap { $0.isNull ? nil : $0.pythonString }
        let isBits = FilterSupport.bool(a.value(1, "isbits"), false)
        let prefix = "human_to_bytes() can't interpret the input: "
        guard let m = try PythonRegex("^([0-9]*\\.?[0-9]+)(?:\\s*([A-Za-z]+))?\\s*$").search(text),
              let number = m.groups[1].flatMap(Double.init) else {
            throw FilterSupport.filterError(prefix + "human_to_bytes() can't interpret following string: \(text)")
        }
        // Python returns arbitrary-precision ints; beyond 64 bits we fall back to a float.
        func integral(_ d: Double) -> Value {
            let rounded = NumberFilters.pythonRound(d, 0)
            return FilterSupport.exactInt(rounded).map(Value.int) ?? .float(rounded)
        }
        guard let unit = m.groups[2] ?? defaultUnit else { return integral(number) }
        let rangeKey = String(unit.prefix(1)).uppercased()
        guard let limit = sizeRanges.first(where: { $0.0 == rangeKey })?.1 else {
            throw FilterSupport.filterError(prefix + "human_to_bytes() failed to convert \(text) (unit = \(unit)). The suffix must be one of Y, Z, E, P, T, G, M, K, B")
        }
        if unit.count > 1 {
            let names: [String: (String, String)] = ["B": ("byte", "bit"), "K": ("kilobyte", "kilobit"), "M": ("megabyte", "megabit"),
                                                     "G": ("gigabyte", "gigabit"), "T": ("terabyte", "terabit"), "P": ("petabyte", "petabit"),
                                                     "E": ("exabyte", "exabit"), "Z": ("zetabyte", "zetabit"), "Y": ("yottabyte", "yottabit")]
            let longName = isBits ? names[rangeKey]!.1 : names[rangeKey]!.0
            let unitClass = isBits ? "b" : "B"
            let shortName = rangeKey + unitClass
            if unit.lowercased() != longName && unit != shortName {
                let expect = rangeKey == "B" ? "expect \(unitClass) or \(isBits ? "bit" : "byte")" : "expect \(shortName) or \(rangeKey)"
                throw FilterSupport.filterError(prefix + "human_to_bytes() failed to convert \(text). Value is not a valid string (\(expect))")
            }
        }
        return integral(number * limit)
    }
}
