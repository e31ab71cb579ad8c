/// Python semantics the template runtime and the filters share: ordering, iteration, len.
extension Value {
    /// Python's `<`/`>` ordering. Numbers compare across int/float/bool, strings by code
    /// point, lists element-wise; anything else raises Python's TypeError message.
    public static func pythonCompare(_ a: Value, _ b: Value, operator op: String = "<") throws -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (x, y) where x.isNumeric && y.isNumeric:
            let dx = x.doubleValue!, dy = y.doubleValue!
            return dx < dy ? -1 : (dx > dy ? 1 : 0)
        case let (x, y) where x.stringValue != nil && y.stringValue != nil:
            let sx = x.stringValue!, sy = y.stringValue!
            if sx == sy { return 0 }
            return sx.unicodeScalars.lexicographicallyPrecedes(sy.unicodeScalars) ? -1 : 1
        case (.list(let x), .list(let y)):
            for (ex, ey) in zip(x, y) where ex != ey {
                return try pythonCompare(ex, ey, operator: op)
            }
            return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
        case (.object(let x as PythonDateTime), .object(let y as PythonDateTime)):
            let (sx, sy) = (x.utcSeconds, y.utcSeconds)
            return sx < sy ? -1 : (sx > sy ? 1 : 0)
        default:
            throw JinjaError(.type, "'\(op)' not supported between instances of '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
        }
    }

    /// int, float or bool.
    public var isNumeric: Bool {
        switch self {
        case .int, .float, .bool: return true
        default: return false
        }
    }

    /// What `for x in value` iterates: list items, dict keys, string characters.
    public func pythonIterate() throws -> [Value] {
        switch self {
        case .list(let l): return l
        case .dict(let d): return d.keys.map(Value.string)
        case .string(let s), .unsafe(let s): return s.map { .string(String($0)) }
        case .undefined(let u): throw JinjaError(.undefined, u.message)
        case .object(let o):
            if let items = try o.iterate() { return items }
            throw JinjaError(.type, "'\(pythonTypeName)' object is not iterable")
        default: throw JinjaError(.type, "'\(pythonTypeName)' object is not iterable")
        }
    }

    /// Python's `len()`.
    public func pythonLength() throws -> Int {
        switch self {
        case .list(let l): return l.count
        case .dict(let d): return d.count
        case .string(let s), .unsafe(let s): return s.count
        case .undefined(let u): throw JinjaError(.undefined, u.message)
        default: throw JinjaError(.type, "object of type '\(pythonTypeName)' has no len()")
        }
    }
}
