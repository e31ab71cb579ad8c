/// Attribute, item and slice access with Jinja2's fallbacks (`a.b` tries the Python
/// attribute then the item; `a['b']` the item then the attribute) and Ansible 2.19's
/// undefined messages ("object of type 'dict' has no attribute 'b'").
enum Access {
    static func missing(_ target: Value, _ key: Value) -> Value {
        .undefined(Undefined("object of type '\(target.pythonTypeName)' has no attribute \(key.pythonRepr)"))
    }

    static func missing(_ target: Value, name: String) -> Value {
        var repr = ""
        Value.writeStringRepr(name, into: &repr)
        return .undefined(Undefined("object of type '\(target.pythonTypeName)' has no attribute \(repr)"))
    }

    /// groupby's items are Python namedtuples `(grouper, list)`; two-item lists stand for
    /// them, so `.grouper` and `.list` (and `attr('grouper')`) read their fields.
    static func groupTupleField(_ target: Value, _ name: String) -> Value? {
        guard case .list(let pair) = target, pair.count == 2 else { return nil }
        switch name {
        case "grouper": return pair[0]
        case "list": return pair[1]
        default: return nil
        }
    }

    /// `target.name`
    @inline(__always)
    static func attribute(_ target: Value, _ name: String) -> Value {
        switch target {
        case .dict(let d):
            if PythonMethods.dictMethods.contains(name) { return .object(BoundMethod(target, name)) }
            if let v = d[name] { return v }
            return missing(target, name: name)
        case .undefined:
            return target
        case .object(let o):
            if let v = o.attribute(name) { return v }
            return missing(target, name: name)
        case .list where groupTupleField(target, name) != nil:
            return groupTupleField(target, name)!
        default:
            if PythonMethods.has(target, name) { return .object(BoundMethod(target, name)) }
            return missing(target, name: name)
        }
    }

    /// `target[key]`
    static func item(_ target: Value, _ key: Value) throws -> Value {
        switch target {
        case .dict(let d):
            if let name = key.stringValue {
                if let v = d[name] { return v }
                if PythonMethods.dictMethods.contains(name) { return .object(BoundMethod(target, name)) }
                return missing(target, key)
            }
            return missing(target, key)
        case .list(let items):
            if let i = key.intValue {
                let index = i < 0 ? i + items.count : i
                if index >= 0 && index < items.count { return items[index] }
                return missing(target, key)
            }
            if let name = key.stringValue { return attribute(target, name) }
            return missing(target, key)
        case .string(let s), .unsafe(let s):
            if let i = key.intValue {
                let scalars = s.unicodeScalars
                let count = scalars.count
                let index = i < 0 ? i + count : i
                if index >= 0 && index < count {
                    return .string(String(scalars[scalars.index(scalars.startIndex, offsetBy: index)]))
                }
                return missing(target, key)
            }
            if let name = key.stringValue { return attribute(target, name) }
            return missing(target, key)
        case .undefined:
            return target
        case .object(let o):
            if let name = key.stringValue, let v = o.attribute(name) { return v }
            return missing(target, key)
        default:
            if let name = key.stringValue { return attribute(target, name) }
            if key.intValue != nil, target.intValue != nil || target.isNull {
                let owner = target.isNull ? "None" : "\(target.pythonTypeName) object"
                return .undefined(Undefined("\(owner) has no element \(key.pythonRepr)"))
            }
            return missing(target, key)
        }
    }

    /// Python's slice index normalisation.
    static func sliceIndices(count: Int, start: Value?, stop: Value?, step: Value?) throws -> [Int] {
        func int(_ v: Value?) throws -> Int? {
            guard let v, !v.isNull else { return nil }
            if case .undefined(let u) = v { throw JinjaError(.undefined, u.message) }
            guard let i = v.intValue else {
                throw JinjaError(.type, "slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        let stepValue = try int(step) ?? 1
        if stepValue == 0 { throw JinjaError(.value, "slice step cannot be zero") }
        var indices: [Int] = []
        if stepValue > 0 {
            var lo = try int(start) ?? 0
            var hi = try int(stop) ?? count
            if lo < 0 { lo = max(0, lo + count) } else { lo = min(lo, count) }
            if hi < 0 { hi = max(0, hi + count) } else { hi = min(hi, count) }
            var i = lo
            while i < hi {
                indices.append(i)
                let (next, overflow) = i.addingReportingOverflow(stepValue)
                if overflow { break }
                i = next
            }
        } else {
            var hi = try int(start) ?? (count - 1)
            var lo = try int(stop) ?? -1
            if let s = try int(start) { hi = s < 0 ? max(-1, s + count) : min(s, count - 1) }
            if let e = try int(stop) { lo = e < 0 ? max(-1, e + count) : min(e, count - 1) }
            var i = hi
            while i > lo {
                indices.append(i)
                let (next, overflow) = i.addingReportingOverflow(stepValue)
                if overflow { break }
                i = next
            }
        }
        return indices
    }

    static func slice(_ target: Value, start: Value?, stop: Value?, step: Value?) throws -> Value {
        switch target {
        case .list(let items):
            if step == nil || step!.isNull, let range = try simpleRange(items.count, start, stop) {
                return .list(Array(items[range]))
            }
            return .list(try sliceIndices(count: items.count, start: start, stop: stop, step: step).map { items[$0] })
        case .string(let s), .unsafe(let s):
            let scalars = Array(s.unicodeScalars)
            var out = String.UnicodeScalarView()
            for i in try sliceIndices(count: scalars.count, start: start, stop: stop, step: step) { out.append(scalars[i]) }
            return .string(String(out))
        case .undefined:
            return target
        default:
            throw JinjaError(.type, "'\(target.pythonTypeName)' object is not subscriptable")
        }
    }

    private static func simpleRange(_ count: Int, _ start: Value?, _ stop: Value?) throws -> Range<Int>? {
        let indices = try sliceIndices(count: count, start: start, stop: stop, step: nil)
        guard let first = indices.first else { return 0..<0 }
        return first..<(indices.last! + 1)
    }

    /// Dict literal keys become strings (the value model's dicts are string-keyed).
    static func dictKey(_ key: Value) throws -> String {
        switch key {
        case .string(let s), .unsafe(let s): return s
        case .list, .dict: throw JinjaError(.type, "unhashable type: '\(key.pythonTypeName)'")
        default: return key.pythonString
        }
    }
}

extension Value {
    /// `value.name` with Jinja2's rules (Python method names first on dicts, then keys);
    /// a missing attribute yields an undefined value carrying Ansible's message. For
    /// filters such as `map(attribute=…)`, `selectattr` and `sort(attribute=…)`.
    public func jinjaAttribute(_ name: String) -> Value {
        Access.attribute(self, name)
    }

    /// `value[key]` with Jinja2's rules (item first, then attribute); missing → undefined.
    public func jinjaItem(_ key: Value) throws -> Value {
        if case .undefined = self { return self }
        return try Access.item(self, key)
    }
}
