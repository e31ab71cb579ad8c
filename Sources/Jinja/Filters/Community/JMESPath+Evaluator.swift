import Foundation

extension JMESPath {
    /// Evaluates a parsed expression: projections collect non-null results, comparisons
    /// order only numbers (and strings), anything else yields null, as the specification says.
    struct Evaluator {
        func eval(_ node: Node, _ data: Value) throws -> Value {
            switch node {
            case .current: return data
            case .literal(let v): return v
            case .field(let name):
                if case .dict(let d) = data { return d[name] ?? .null }
                return .null
            case .subexpression(let l, let r):
                let left = try eval(l, data)
                return left.isNull ? .null : try eval(r, left)
            case .index(let n):
                guard case .list(let items) = data else { return .null }
                let i = n < 0 ? items.count + n : n
                return items.indices.contains(i) ? items[i] : .null
            case .indexExpression(let l, let r):
                return try eval(r, try eval(l, data))
            case .slice(let start, let stop, let step):
                guard case .list(let items) = data else { return .null }
                return .list(try JMESPath.slice(items, start, stop, step))
            case .projection(let l, let r):
                guard case .list(let items) = try eval(l, data) else { return .null }
                return .list(try items.compactMap { let v = try eval(r, $0); return v.isNull ? nil : v })
            case .valueProjection(let l, let r):
                guard case .dict(let d) = try eval(l, data) else { return .null }
                return .list(try d.values.compactMap { let v = try eval(r, $0); return v.isNull ? nil : v })
            case .flatten(let l):
                guard case .list(let items) = try eval(l, data) else { return .null }
                return .list(items.flatMap { item -> [Value] in
                    if case .list(let inner) = item { return inner }
                    return [item]
                })
            case .filterProjection(let l, let r, let condition):
                guard case .list(let items) = try eval(l, data) else { return .null }
                var out: [Value] = []
                for item in items where JMESPath.truthy(try eval(condition, item)) {
                    let v = try eval(r, item)
                    if !v.isNull { out.append(v) }
                }
                return .list(out)
            case .pipe(let l, let r): return try eval(r, try eval(l, data))
            case .or(let l, let r):
                let left = try eval(l, data)
                return JMESPath.truthy(left) ? left : try eval(r, data)
            case .and(let l, let r):
                let left = try eval(l, data)
                return JMESPath.truthy(left) ? try eval(r, data) : left
            case .not(let e): return .bool(!JMESPath.truthy(try eval(e, data)))
            case .compare(let op, let l, let r):
                return JMESPath.compare(op, try eval(l, data), try eval(r, data))
            case .multiList(let items):
                if data.isNull { return .null }
                return .list(try items.map { try eval($0, data) })
            case .multiHash(let pairs):
                if data.isNull { return .null }
                var d = OrderedDict()
                for (k, e) in pairs { d[k] = try eval(e, data) }
                return .dict(d)
            case .expref:
                throw JMESPath.error("An expression reference (&) can only be a function argument")
            case .function(let name, let args):
                return try call(name, args, data)
            }
        }

        private func call(_ name: String, _ nodes: [Node], _ data: Value) throws -> Value {
            func arg(_ i: Int) throws -> Value {
                guard nodes.indices.contains(i) else { throw JMESPath.error("Too few arguments for \(name)()") }
                if case .expref = nodes[i] { throw JMESPath.error("\(name)() does not take an expression reference") }
                return try eval(nodes[i], data)
            }
            func expref(_ i: Int) throws -> Node {
                guard nodes.indices.contains(i), case .expref(let e) = nodes[i] else { throw JMESPath.error("\(name)() needs an &expression") }
                return e
            }
            func list(_ i: Int) throws -> [Value] {
                guard case .list(let items) = try arg(i) else { throw JMESPath.error("invalid-type: \(name)() expects an array") }
                return items
            }
            switch name {
            case "length":
                switch try arg(0) {
                case .string(let s): return .int(s.count)
                case .list(let l): return .int(l.count)
                case .dict(let d): return .int(d.count)
                default: throw JMESPath.error("invalid-type: length() expects a string, array or object")
                }
            case "keys":
                guard case .dict(let d) = try arg(0) else { throw JMESPath.error("invalid-type: keys() expects an object") }
                return .list(d.keys.map(Value.string))
            case "values":
                guard case .dict(let d) = try arg(0) else { throw JMESPath.error("invalid-type: values() expects an object") }
                return .list(Array(d.values))
            case "contains":
                let subject = try arg(0), search = try arg(1)
                if case .string(let s) = subject, case .string(let t) = search { return .bool(s.contains(t)) }
                if case .list(let l) = subject { return .bool(l.contains { JMESPath.equal($0, search) }) }
                throw JMESPath.error("invalid-type: contains() expects a string or array")
            case "starts_with", "ends_with":
                guard case .string(let s) = try arg(0), case .string(let t) = try arg(1) else {
                    throw JMESPath.error("invalid-type: \(name)() expects strings")
                }
                return .bool(name == "starts_with" ? s.hasPrefix(t) : s.hasSuffix(t))
            case "join":
                guard case .string(let glue) = try arg(0) else { throw JMESPath.error("invalid-type: join() expects a string glue") }
                return .string(try list(1).map { v -> String in
                    guard case .string(let s) = v else { return v.jsonString }
                    return s
                }.joined(separator: glue))
            case "reverse":
                if case .string(let s) = try arg(0) { return .string(String(s.reversed())) }
                return .list(try list(0).reversed())
            case "sort": return .list(try list(0).sorted { JMESPath.less($0, $1) })
            case "sort_by":
                let e = try expref(1)
                return .list(try list(0).map { ($0, try eval(e, $0)) }.sorted { JMESPath.less($0.1, $1.1) }.map(\.0))
            case "max", "min":
                let items = try list(0)
                guard var best = items.first else { return .null }
                for v in items.dropFirst() where name == "max" ? JMESPath.less(best, v) : JMESPath.less(v, best) { best = v }
                return best
            case "max_by", "min_by":
                let e = try expref(1)
                let keyed = try list(0).map { ($0, try eval(e, $0)) }
                guard var best = keyed.first else { return .null }
                for v in keyed.dropFirst() where name == "max_by" ? JMESPath.less(best.1, v.1) : JMESPath.less(v.1, best.1) { best = v }
                return best.0
            case "sum", "avg":
                let numbers = try list(0).map { v -> Double in
                    guard let d = JMESPath.number(v) else { throw JMESPath.error("invalid-type: \(name)() expects numbers") }
                    return d
                }
                let total = numbers.reduce(0, +)
                if name == "avg" { return numbers.isEmpty ? .null : .float(total / Double(numbers.count)) }
                return try list(0).allSatisfy({ if case .int = $0 { return true }; return false }) ? .int(Int(total)) : .float(total)
            case "abs", "ceil", "floor":
                let v = try arg(0)
                if case .int(let i) = v { return .int(name == "abs" ? Swift.abs(i) : i) }
                guard let d = JMESPath.number(v) else { throw JMESPath.error("invalid-type: \(name)() expects a number") }
                switch name {
                case "abs": return .float(Swift.abs(d))
                case "ceil": return .int(Int(d.rounded(.up)))
                default: return .int(Int(d.rounded(.down)))
                }
            case "map":
                let e = try expref(0)
                return .list(try list(1).map { try eval(e, $0) })
            case "merge":
                var d = OrderedDict()
                for i in nodes.indices {
                    guard case .dict(let part) = try arg(i) else { throw JMESPath.error("invalid-type: merge() expects objects") }
                    for (k, v) in part { d[k] = v }
                }
                return .dict(d)
            case "not_null":
                for i in nodes.indices { let v = try arg(i); if !v.isNull { return v } }
                return .null
            case "to_array":
                let v = try arg(0)
                if case .list = v { return v }
                return .list([v])
            case "to_string":
                let v = try arg(0)
                if case .string = v { return v }
                return .string(v.jsonString)
            case "to_number":
                let v = try arg(0)
                if JMESPath.number(v) != nil, !(v.stringValue != nil) { return v }
                if case .string(let s) = v {
                    if let i = Int(s) { return .int(i) }
                    if let d = Double(s) { return .float(d) }
                }
                return .null
            case "type":
                switch try arg(0) {
                case .null: return "null"
                case .bool: return "boolean"
                case .int, .float: return "number"
                case .string, .unsafe: return "string"
                case .list: return "array"
                case .dict: return "object"
                default: return "null"
                }
            default:
                throw JMESPath.error("Unknown function: \(name)()")
            }
        }
    }

    static func truthy(_ v: Value) -> Bool {
        switch v {
        case .null, .undefined: return false
        case .bool(let b): return b
        case .string(let s), .unsafe(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        default: return true
        }
    }

    static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.list(let l), .list(let r)): return l.count == r.count && zip(l, r).allSatisfy { equal($0, $1) }
        case (.dict(let l), .dict(let r)):
            return l.count == r.count && l.allSatisfy { k, v in r[k].map { equal(v, $0) } ?? false }
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        default:
            if let x = a.stringValue, let y = b.stringValue, !(a.isNull || b.isNull) { return x == y }
            return false
        }
    }

    static func less(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a), let y = number(b) { return x < y }
        if case .string(let x) = a, case .string(let y) = b { return x < y }
        return false
    }

    static func compare(_ op: String, _ a: Value, _ b: Value) -> Value {
        switch op {
        case "==": return .bool(equal(a, b))
        case "!=": return .bool(!equal(a, b))
        default:
            guard let x = number(a), let y = number(b) else { return .null }
            switch op {
            case "<": return .bool(x < y)
            case "<=": return .bool(x <= y)
            case ">": return .bool(x > y)
            default: return .bool(x >= y)
            }
        }
    }

    static func slice(_ items: [Value], _ start: Int?, _ stop: Int?, _ step: Int?) throws -> [Value] {
        let step = step ?? 1
        guard step != 0 else { throw error("Invalid slice: step cannot be 0") }
        let n = items.count
        func clamp(_ v: Int?, _ defaultValue: Int) -> Int {
            guard var v else { return defaultValue }
            if v < 0 { v += n; if v < 0 { v = step < 0 ? -1 : 0 } } else if v >= n { v = step < 0 ? n - 1 : n }
            return v
        }
        var i = clamp(start, step < 0 ? n - 1 : 0)
        let end = clamp(stop, step < 0 ? -1 : n)
        var out: [Value] = []
        while step > 0 ? i < end : i > end { out.append(items[i]); i += step }
        return out
    }
}
