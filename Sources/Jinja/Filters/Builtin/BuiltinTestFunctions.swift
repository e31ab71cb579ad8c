import Foundation

/// The implementations behind ``BuiltinTests``.
enum BuiltinTestFunctions {
    static var all: [String: Test] {
        var tests: [String: Test] = [
            "defined": Test(acceptsUndefined: true) { v, _, _ in !v.isUndefined },
            "undefined": Test(acceptsUndefined: true) { v, _, _ in v.isUndefined },
            "none": Test { v, _, _ in v.isNull },
            "boolean": Test { v, _, _ in v.boolValue != nil },
            "true": Test { v, _, _ in v.boolValue == true },
            "false": Test { v, _, _ in v.boolValue == false },
            "number": Test { v, _, _ in v.isNumeric },
            "integer": Test { v, _, _ in if case .int = v { return true }; return false },
            "float": Test { v, _, _ in if case .float = v { return true }; return false },
            "string": Test { v, _, _ in v.stringValue != nil },
            "mapping": Test { v, _, _ in v.dictValue != nil },
            "sequence": Test { v, _, _ in
                switch v {
                case .list, .dict, .string, .unsafe: return true
                default: return false
                }
            },
            "iterable": Test { v, _, _ in
                switch v {
                case .list, .dict, .string, .unsafe: return true
                default: return false
                }
            },
            "callable": Test { v, _, _ in if case .object(let o) = v { return o.isCallable }; return false },
            "sameas": Test { v, a, _ in try sameAs(v, argument(a, 0, "other", test: "sameas")) },
            "in": Test { v, a, _ in try contains(argument(a, 0, "seq", test: "in"), v) },
            "divisibleby": Test { v, a, _ in
                let n = try argument(a, 0, "num", test: "divisibleby")
                return try modulo(v, n) == 0
            },
            "even": Test { v, _, _ in try modulo(v, .int(2)) == 0 },
            "odd": Test { v, _, _ in try modulo(v, .int(2)) == 1 },
            "lower": Test { v, _, _ in let s = v.pythonString; return s.lowercased() == s && s.uppercased() != s },
            "upper": Test { v, _, _ in let s = v.pythonString; return s.uppercased() == s && s.lowercased() != s },
            "escaped": Test { _, _, _ in false },
            "filter": Test { v, _, c in v.stringValue.map { c.environment.filter(named: $0) != nil } ?? false },
            "test": Test { v, _, c in v.stringValue.map { c.environment.test(named: $0) != nil } ?? false },
        ]
        let comparisons: [(names: [String], op: String, check: (Int) -> Bool)] = [
            (["lt", "lessthan", "<"], "<", { $0 < 0 }),
            (["le", "<="], "<=", { $0 <= 0 }),
            (["gt", "greaterthan", ">"], ">", { $0 > 0 }),
            (["ge", ">="], ">=", { $0 >= 0 }),
        ]
        for (names, op, check) in comparisons {
            let test = Test { v, a, _ in
                check(try Value.pythonCompare(v, try argument(a, 0, "other", test: names[0]), operator: op))
            }
            for name in names { tests[name] = test }
        }
        let equal = Test { v, a, _ in v == (try argument(a, 0, "other", test: "eq")) }
        let notEqual = Test { v, a, _ in v != (try argument(a, 0, "other", test: "ne")) }
        for name in ["eq", "equalto", "=="] { tests[name] = equal }
        for name in ["ne", "!="] { tests[name] = notEqual }
        return tests
    }

    static func argument(_ a: Arguments, _ index: Int, _ name: String, test: String) throws -> Value {
        guard let v = a.value(index, name) else {
            throw JinjaError(.type, "test_\(test)() missing 1 required positional argument: '\(name)'")
        }
        return v
    }

    /// Python `is`: identical singletons, or equal small scalars of the same type.
    static func sameAs(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y && (-5...256).contains(x)
        case let (.list(x), .list(y)):
            // Python's `is`: the same list object. Values read from the same variable share
            // their storage; literals and computed lists never do.
            guard !x.isEmpty, x.count == y.count else { return false }
            return x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in px.baseAddress == py.baseAddress } }
        case let (.string(x), .string(y)):
            // Strings from variables are distinct objects from literals with the same text
            // (no interning), which is what `selectattr(..., 'sameas', 'x')` sees. Long
            // strings carry heap storage we can compare; short ones are inline, so no two
            // of them count as the same object.
            guard x.utf8.count > 15, y.utf8.count == x.utf8.count else { return false }
            return storageAddress(x) != nil && storageAddress(x) == storageAddress(y)
        default:
            return false
        }
    }

    private static func storageAddress(_ s: String) -> UnsafeRawPointer? {
        s.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    /// Python's `needle in haystack`.
    static func contains(_ haystack: Value, _ needle: Value) throws -> Bool {
        switch haystack {
        case .list(let l): return l.contains(needle)
        case .dict(let d): return needle.stringValue.map { d.contains($0) } ?? false
        case .string(let s), .unsafe(let s):
            guard let n = needle.stringValue else {
                throw JinjaError(.type, "'in <string>' requires string as left operand, not \(needle.pythonTypeName)")
            }
            return n.isEmpty || s.contains(n)
        default: throw JinjaError(.type, "argument of type '\(haystack.pythonTypeName)' is not iterable")
        }
    }

    /// Python's `a % b` for numbers (sign follows the divisor).
    static func modulo(_ a: Value, _ b: Value) throws -> Double {
        if case .string = a { throw JinjaError(.type, "not all arguments converted during string formatting") }
        guard let x = a.doubleValue, let y = b.doubleValue else {
            throw JinjaError(.type, "unsupported operand type(s) for %: '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
        }
        guard y != 0 else { throw JinjaError(.runtime, "integer modulo by zero") }
        let r = x.truncatingRemainder(dividingBy: y)
        return (r != 0 && (r < 0) != (y < 0)) ? r + y : r
    }
}
