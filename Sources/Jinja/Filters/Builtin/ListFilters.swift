import Foundation

/// Jinja2's sequence filters: slicing, ordering, aggregation and item access.
enum ListFilters {
    static var all: [String: Filter] {
        [
            "batch": Filter(batch),
            "slice": Filter(slice),
            "first": Filter(first),
            "last": Filter(last),
            "length": Filter { v, _, _ in .int(try v.pythonLength()) },
            "count": Filter { v, _, _ in .int(try v.pythonLength()) },
            "list": Filter { v, _, _ in .list(try FilterSupport.iterate(v)) },
            "join": Filter(join),
            "reverse": Filter(reverse),
            "sort": Filter(sort),
            "unique": Filter(unique),
            "min": Filter { v, a, _ in try aggregate(v, a, wantMax: false) },
            "max": Filter { v, a, _ in try aggregate(v, a, wantMax: true) },
            "sum": Filter(sum),
            "dictsort": Filter(dictsort),
            "groupby": Filter(groupby),
            "items": Filter(acceptsUndefined: true, items),
            "attr": Filter(attr),
        ]
    }

    /// Jinja's batch, including its quirks for `linecount <= 0` (an empty first batch
    /// for 0, one batch of everything when negative).
    static func batch(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let items = try FilterSupport.iterate(v)
        let size = try FilterSupport.int(a.value(0, "linecount"), 0, name: "linecount")
        let fill = a.value(1, "fill_with").flatMap { $0.isNull ? nil : $0 }
        var result: [Value] = []
        var chunk: [Value] = []
        for item in items {
            if chunk.count == size {
                result.append(.list(chunk))
                chunk = []
            }
            chunk.append(item)
        }
        if !chunk.isEmpty {
            if let fill, chunk.count < size {
                try InputLimits.checkTemplateSize(size, "batch's linecount")
                chunk += Array(repeating: fill, count: size - chunk.count)
            }
            result.append(.list(chunk))
        }
        return .list(result)
    }

    static func slice(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let items = try FilterSupport.iterate(v)
        let slices = try FilterSupport.int(a.value(0, "slices"), 0, name: "slices")
        guard slices != 0 else { throw JinjaError(.runtime, "integer division or modulo by zero") }
        guard slices > 0 else { return .list([]) }
        try InputLimits.checkTemplateSize(slices, "slice's slices")
        let fill = a.value(1, "fill_with").flatMap { $0.isNull ? nil : $0 }
        let perSlice = items.count / slices
        let withExtra = items.count % slices
        var offset = 0
        var result: [Value] = []
        for number in 0..<slices {
            let start = offset + number * perSlice
            if number < withExtra { offset += 1 }
            let end = offset + (number + 1) * perSlice
            var chunk = Array(items[min(start, items.count)..<min(end, items.count)])
            if let fill, number >= withExtra { chunk.append(fill) }
            result.append(.list(chunk))
        }
        return .list(result)
    }

    static func first(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        try FilterSupport.iterate(v).first ?? .undefined(Undefined("No first item, sequence was empty."))
    }

    static func last(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        if case .list(let l) = v { return l.last ?? .undefined(Undefined("No last item, sequence was empty.")) }
        switch v {
        case .string, .unsafe, .dict: break
        default: throw JinjaError(.type, "'\(v.pythonTypeName)' object is not reversible")
        }
        return try FilterSupport.iterate(v).last ?? .undefined(Undefined("No last item, sequence was empty."))
    }

    static func join(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let separator = FilterSupport.string(a.value(0, "d"), "")
        var items = try FilterSupport.iterate(v)
        if let attribute = a.value(1, "attribute"), !attribute.isNull {
            items = items.map { FilterSupport.attribute($0, path: attribute) }
        }
        for item in items { try FilterSupport.requireDefined(item) }
        return .string(items.map(\.pythonString).joined(separator: separator))
    }

    static func reverse(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        switch v {
        case .string(let s): return .string(String(s.reversed()))
        case .unsafe(let s): return .unsafe(String(s.reversed()))
        default:
            do {
                return .list(try FilterSupport.iterate(v).reversed())
            } catch let error as JinjaError where error.kind == .type {
                throw JinjaError(.runtime, "argument must be iterable: \(error.message)")
            }
        }
    }

    /// Builds the sort/unique key function for `attribute` (dotted, comma-separated).
    static func keyFunction(attribute: Value?, caseSensitive: Bool, allowMultiple: Bool = true) -> (Value) throws -> Value {
        guard let attribute, !attribute.isNull else {
            return { FilterSupport.foldCase($0, caseSensitive: caseSensitive) }
        }
        let paths: [Value]
        if allowMultiple, let text = attribute.stringValue, text.contains(",") {
            paths = text.split(separator: ",").map { .string(String($0)) }
        } else {
            paths = [attribute]
        }
        return { item in
            let parts = try paths.map { path -> Value in
                let found = FilterSupport.attribute(item, path: path)
                if case .undefined(let u) = found { throw JinjaError(.undefined, u.message) }
                return FilterSupport.foldCase(found, caseSensitive: caseSensitive)
            }
            return parts.count == 1 ? parts[0] : .list(parts)
        }
    }

    static func sort(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let items = try FilterSupport.iterate(v)
        let reverse = FilterSupport.bool(a.value(0, "reverse"), false)
        let caseSensitive = FilterSupport.bool(a.value(1, "case_sensitive"), false)
        let key = keyFunction(attribute: a.value(2, "attribute"), caseSensitive: caseSensitive)
        return .list(try FilterSupport.sorted(items, reverse: reverse, key: key))
    }

    static func unique(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let items = try FilterSupport.iterate(v)
        let caseSensitive = FilterSupport.bool(a.value(0, "case_sensitive"), false)
        let key = keyFunction(attribute: a.value(1, "attribute"), caseSensitive: caseSensitive, allowMultiple: false)
        // Python cannot hash a dict or list key; ansible-core's unique falls back to its own
        // version then, which cannot honour an explicit case_sensitive=False or attribute.
        let explicitParameters = (a.value(0, "case_sensitive").map { !$0.isNull && !$0.isTruthy } ?? false) || a.value(1, "attribute") != nil
        if explicitParameters, let unhashable = try items.map(key).first(where: { $0.dictValue != nil || $0.listValue != nil }) {
            throw JinjaError(.type, "Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support "
                             + "the parameters supplied: unhashable type: '\(unhashable.pythonTypeName)'")
        }
        var seen = Set<Value>()
        var result: [Value] = []
        for item in items where seen.insert(try key(item)).inserted { result.append(item) }
        return .list(result)
    }

    static func aggregate(_ v: Value, _ a: Arguments, wantMax: Bool) throws -> Value {
        let items = try FilterSupport.iterate(v)
        let caseSensitive = FilterSupport.bool(a.value(0, "case_sensitive"), false)
        let key = keyFunction(attribute: a.value(1, "attribute"), caseSensitive: caseSensitive, allowMultiple: false)
        guard var best = items.first else { return .undefined(Undefined("No aggregated item, sequence was empty.")) }
        var bestKey = try key(best)
        for item in items.dropFirst() {
            let k = try key(item)
            let order = try Value.pythonCompare(k, bestKey, operator: wantMax ? ">" : "<")
            if wantMax ? order > 0 : order < 0 { best = item; bestKey = k }
        }
        return best
    }

    /// Python's `a + b` for the values `sum` accumulates.
    static func add(_ x: Value, _ y: Value) throws -> Value {
        switch (x, y) {
        case (.int(let p), .int(let q)):
            let (r, overflow) = p.addingReportingOverflow(q)
            return overflow ? .float(Double(p) + Double(q)) : .int(r)
        case (.bool, .int), (.int, .bool), (.bool, .bool): return .int((x.intValue ?? 0) + (y.intValue ?? 0))
        case _ where x.isNumeric && y.isNumeric: return .float(x.doubleValue! + y.doubleValue!)
        case (.list(let p), .list(let q)): return .list(p + q)
        default:
            throw JinjaError(.type, "unsupported operand type(s) for +: '\(x.pythonTypeName)' and '\(y.pythonTypeName)'")
        }
    }

    static func sum(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        var items = try FilterSupport.iterate(v)
        if let attribute = a.value(0, "attribute"), !attribute.isNull {
            items = try items.map {
                let found = FilterSupport.attribute($0, path: attribute)
                try FilterSupport.requireDefined(found)
                return found
            }
        }
        var total = a.value(1, "start") ?? .int(0)
        for item in items { total = try add(total, item) }
        return total
    }

    static func dictsort(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard case .dict(let d) = v else {
            throw JinjaError(.runtime, "'\(v.pythonTypeName)' object has no attribute 'items'")
        }
        let caseSensitive = FilterSupport.bool(a.value(0, "case_sensitive"), false)
        let by = FilterSupport.string(a.value(1, "by"), "key")
        let reverse = FilterSupport.bool(a.value(2, "reverse"), false)
        let position: Int
        switch by {
        case "key": position = 0
        case "value": position = 1
        default: throw JinjaError(.runtime, "You can only sort by either \"key\" or \"value\"")
        }
        let pairs: [Value] = d.map { .list([.string($0.key), $0.value]) }
        return .list(try FilterSupport.sorted(pairs, reverse: reverse) { pair in
            FilterSupport.foldCase(pair.listValue![position], caseSensitive: caseSensitive)
        })
    }

    static func groupby(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let items = try FilterSupport.iterate(v)
        guard let attribute = a.value(0, "attribute") else {
            throw JinjaError(.type, "do_groupby() missing 1 required positional argument: 'attribute'")
        }
        try a.checkKeywords(["attribute", "default", "case_sensitive"], function: "sync_do_groupby")
        // `default` is accepted but never applies under Ansible: a missing attribute is
        // Ansible's undefined marker, not the Undefined Jinja's attrgetter swaps out.
        let caseSensitive = FilterSupport.bool(a.value(2, "case_sensitive"), false)
        let rawKey: (Value) throws -> Value = { item in
            let found = FilterSupport.attribute(item, path: attribute)
            if case .undefined(let u) = found { throw JinjaError(.undefined, u.message) }
            return found
        }
        let sortedItems = try FilterSupport.sorted(items) { FilterSupport.foldCase(try rawKey($0), caseSensitive: caseSensitive) }
        var groups: [Value] = []
        var currentKey: Value?
        var grouper: Value = .null
        var members: [Value] = []
        for item in sortedItems {
            let raw = try rawKey(item)
            let k = FilterSupport.foldCase(raw, caseSensitive: caseSensitive)
            if let currentKey, currentKey == k {
                members.append(item)
            } else {
                if currentKey != nil { groups.append(.list([grouper, .list(members)])) }
                currentKey = k
                grouper = raw
                members = [item]
            }
        }
        if currentKey != nil { groups.append(.list([grouper, .list(members)])) }
        return .list(groups)
    }

    static func items(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        switch v {
        case .undefined: return .list([])
        case .dict(let d): return .list(d.map { .list([.string($0.key), $0.value]) })
        default: throw JinjaError(.type, "Can only get item pairs from a mapping.")
        }
    }

    static func attr(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let name = FilterSupport.string(a.value(0, "name"), "")
        if case .object(let o) = v, let found = o.attribute(name) { return found }
        if let field = Access.groupTupleField(v, name) { return field }
        return .undefined(Undefined("object of type '\(v.pythonTypeName)' has no attribute '\(name)'"))
    }
}
