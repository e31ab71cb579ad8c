import Foundation

/// Python's binary and unary operators over `Value`, with Python's type rules and
/// error messages (int/float promotion, `/` always float, floor `//` and `%`,
/// sequence concatenation and repetition).
enum PythonOperators {
    enum Binary: String {
        case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**"
    }

    @inline(__always)
    static func defined(_ v: Value) throws -> Value {
        if case .undefined(let u) = v { throw JinjaError(.undefined, u.message) }
        return v
    }

    static func unsupported(_ op: Binary, _ a: Value, _ b: Value) -> JinjaError {
        JinjaError(.type, "unsupported operand type(s) for \(op.rawValue): '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
    }

    static func overflow() -> JinjaError { JinjaError(.runtime, "integer result too large") }

    @inline(__always)
    private static func intOperand(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    @inline(__always)
    private static func floatOperand(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    static func apply(_ op: Binary, _ lhs: Value, _ rhs: Value) throws -> Value {
        let a = try defined(lhs), b = try defined(rhs)
        if let x = intOperand(a), let y = intOperand(b) { return try intOp(op, x, y) }
        if let x = floatOperand(a), let y = floatOperand(b) { return try floatOp(op, x, y) }
        return try sequenceOp(op, a, b)
    }

    private static func intOp(_ op: Binary, _ x: Int, _ y: Int) throws -> Value {
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y); if o { throw overflow() }; return .int(r)
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y); if o { throw overflow() }; return .int(r)
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y); if o { throw overflow() }; return .int(r)
        case .div:
            if y == 0 { throw JinjaError(.runtime, "division by zero") }
            return .float(Double(x) / Double(y))
        case .floorDiv:
            if y == 0 { throw JinjaError(.runtime, "integer division or modulo by zero") }
            if x == Int.min && y == -1 { throw overflow() }
            var q = x / y
            if (x % y != 0) && ((x < 0) != (y < 0)) { q -= 1 }
            return .int(q)
        case .mod:
            if y == 0 { throw JinjaError(.runtime, "integer modulo by zero") }
            if y == -1 { return .int(0) }
            var r = x % y
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return .int(r)
        case .pow:
            if y < 0 {
                if x == 0 { throw JinjaError(.runtime, "0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(Double(x), Double(y)))
            }
            var result = 1, base = x, e = y
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base); if o { throw overflow() }; result = r
                }
                e >>= 1
                if e > 0 {
                    let (b2, o) = base.multipliedReportingOverflow(by: base); if o { throw overflow() }; base = b2
                }
            }
            return .int(result)
        }
    }

    private static func floatOp(_ op: Binary, _ x: Double, _ y: Double) throws -> Value {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div:
            if y == 0 { throw JinjaError(.runtime, "float division by zero") }
            return .float(x / y)
        case .floorDiv:
            if y == 0 { throw JinjaError(.runtime, "float floor division by zero") }
            return .float(Foundation.floor(x / y))
        case .mod:
            if y == 0 { throw JinjaError(.runtime, "float modulo") }
            var r = fmod(x, y)
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return .float(r)
        case .pow:
            if x == 0 && y < 0 { throw JinjaError(.runtime, "0.0 cannot be raised to a negative power") }
            if x < 0 && y != y.rounded() {
                throw JinjaError(.value, "complex results are not supported")
            }
            let result = Foundation.pow(x, y)
            if result.isInfinite && x.isFinite && y.isFinite {
                throw JinjaError(.runtime, "(34, 'Numerical result out of range')")
            }
            return .float(result)
        }
    }

    private static func sequenceOp(_ op: Binary, _ a: Value, _ b: Value) throws -> Value {
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return .string(x + y)
        case (.add, .unsafe(let x), .string(let y)), (.add, .string(let x), .unsafe(let y)),
             (.add, .unsafe(let x), .unsafe(let y)):
            return .unsafe(x + y)
        case (.add, .list(let x), .list(let y)): return .list(x + y)
        case (.add, .string, _), (.add, .unsafe, _):
            throw JinjaError(.type, "can only concatenate str (not \"\(b.pythonTypeName)\") to str")
        case (.add, .list, _):
            throw JinjaError(.type, "can only concatenate list (not \"\(b.pythonTypeName)\") to list")
        case (.mul, _, _):
            if let n = intOperand(b) { return try repeatSequence(a, n, other: b) }
            if let n = intOperand(a) { return try repeatSequence(b, n, other: a) }
            if a.stringValue != nil || a.listValue != nil {
                throw JinjaError(.type, "can't multiply sequence by non-int of type '\(b.pythonTypeName)'")
            }
            if b.stringValue != nil || b.listValue != nil {
                throw JinjaError(.type, "can't multiply sequence by non-int of type '\(a.pythonTypeName)'")
            }
            throw unsupported(op, a, b)
        case (.mod, .string(let format), _), (.mod, .unsafe(let format), _):
            return .string(try PercentFormat.format(format, b))
        case (.sub, .object(let x as PythonDateTime), .object(let y as PythonDateTime)):
            return .object(PythonDateTime.subtract(x, y))
        default:
            throw unsupported(op, a, b)
        }
    }

    private static func repeatSequence(_ seq: Value, _ n: Int, other: Value) throws -> Value {
        let count = max(0, n)
        switch seq {
        case .string(let s), .unsafe(let s):
            if s.utf8.count.multipliedReportingOverflow(by: count).overflow || s.utf8.count * count > 100_000_000 {
                throw JinjaError(.value, "repeated string is too large")
            }
            return .string(String(repeating: s, count: count))
        case .list(let l):
            if l.count * min(count, 100_000_000) > 10_000_000 { throw JinjaError(.value, "repeated list is too large") }
            var result: [Value] = []
            result.reserveCapacity(l.count * count)
            for _ in 0..<count { result.append(contentsOf: l) }
            return .list(result)
        default:
            throw unsupported(.mul, seq, other)
        }
    }

    static func negate(_ v: Value) throws -> Value {
        switch try defined(v) {
        case .int(let i):
            if i == Int.min { throw overflow() }
            return .int(-i)
        case .bool(let b): return .int(b ? -1 : 0)
        case .float(let d): return .float(-d)
        default: throw JinjaError(.type, "bad operand type for unary -: '\(v.pythonTypeName)'")
        }
    }

    static func plus(_ v: Value) throws -> Value {
        switch try defined(v) {
        case .int, .float: return v
        case .bool(let b): return .int(b ? 1 : 0)
        default: throw JinjaError(.type, "bad operand type for unary +: '\(v.pythonTypeName)'")
        }
    }

    /// Python's `needle in haystack`.
    static func contains(_ haystack: Value, _ needle: Value) throws -> Bool {
        let h = try defined(haystack), n = try defined(needle)
        switch h {
        case .string(let s), .unsafe(let s):
            guard let sub = n.stringValue else {
                throw JinjaError(.type, "'in <string>' requires string as left operand, not \(n.pythonTypeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case .list(let items): return items.contains(n)
        case .dict(let d):
            if let key = n.stringValue { return d.contains(key) }
            return false
        case .object(let o):
            if let items = try o.iterate() { return items.contains(n) }
            throw JinjaError(.type, "argument of type '\(h.pythonTypeName)' is not iterable")
        default:
            throw JinjaError(.type, "argument of type '\(h.pythonTypeName)' is not iterable")
        }
    }

    /// Chained comparison operators.
    enum Comparison: String {
        case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "in", notIn = "not in"
    }

    static func compare(_ op: Comparison, _ lhs: Value, _ rhs: Value) throws -> Bool {
        switch op {
        case .eq: return try defined(lhs) == defined(rhs)
        case .ne: return try defined(lhs) != defined(rhs)
        case .lt: return try Value.pythonCompare(defined(lhs), defined(rhs), operator: "<") < 0
        case .le: return try Value.pythonCompare(defined(lhs), defined(rhs), operator: "<=") <= 0
        case .gt: return try Value.pythonCompare(defined(lhs), defined(rhs), operator: ">") > 0
        case .ge: return try Value.pythonCompare(defined(lhs), defined(rhs), operator: ">=") >= 0
        case .in: return try contains(rhs, lhs)
        case .notIn: return try !contains(rhs, lhs)
        }
    }
}
