/// Python's mutating list/dict methods (`l.append(x)`, `d.update(…)`). Values are
/// immutable here, so a call computes the changed container and the caller writes it
/// back to where the receiver came from — enough for Ansible's common idioms such as
/// `{% set _ = items.append(x) %}` (aliases of the same list are not updated).
extension PythonMethods {
    static let mutatingListMethods: Set<String> = ["append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"]
    static let mutatingDictMethods: Set<String> = ["update", "pop", "setdefault", "clear", "popitem"]

    static func isMutating(_ receiver: Value, _ name: String) -> Bool {
        switch receiver {
        case .list: return mutatingListMethods.contains(name)
        case .dict: return mutatingDictMethods.contains(name)
        default: return false
        }
    }

    /// The call's result and the receiver's new value.
    static func mutate(_ receiver: Value, _ name: String, _ args: Arguments) throws -> (result: Value, updated: Value) {
        switch receiver {
        case .list(var l):
            switch name {
            case "append":
                l.append(try argument(args, 0, "object", method: "append"))
                return (.null, .list(l))
            case "extend":
                l.append(contentsOf: try argument(args, 0, "iterable", method: "extend").pythonIterate())
                return (.null, .list(l))
            case "insert":
                guard var index = try argument(args, 0, "index", method: "insert").intValue else {
                    throw JinjaError(.type, "'str' object cannot be interpreted as an integer")
                }
                let value = try argument(args, 1, "object", method: "insert")
                if index < 0 { index = max(0, index + l.count) }
                l.insert(value, at: min(index, l.count))
                return (.null, .list(l))
            case "pop":
                if l.isEmpty { throw JinjaError(.runtime, "pop from empty list") }
                var index = args.value(0, "index")?.intValue ?? -1
                if index < 0 { index += l.count }
                guard index >= 0 && index < l.count else { throw JinjaError(.runtime, "pop index out of range") }
                let item = l.remove(at: index)
                return (item, .list(l))
            case "remove":
                let needle = try argument(args, 0, "value", method: "remove")
                guard let index = l.firstIndex(of: needle) else { throw JinjaError(.value, "list.remove(x): x not in list") }
                l.remove(at: index)
                return (.null, .list(l))
            case "reverse":
                return (.null, .list(l.reversed()))
            case "sort":
                if args.keyword("key") != nil { throw JinjaError(.runtime, "list.sort(key=...) is not supported") }
                var failure: Error?
                let sorted = l.sorted { a, b in
                    do { return try Value.pythonCompare(a, b) < 0 } catch { failure = error; return false }
                }
                if let failure { throw failure }
                return (.null, .list(args.keyword("reverse")?.isTruthy == true ? sorted.reversed() : sorted))
            default:
                return (.null, .list([]))  // clear
            }
        case .dict(var d):
            switch name {
            case "update":
                if let other = args.positional.first {
                    switch other {
                    case .dict(let o): d.merge(o)
                    case .undefined(let u): throw JinjaError(.undefined, u.message)
                    default:
                        for pair in try other.pythonIterate() {
                            let kv = try pair.pythonIterate()
                            guard kv.count == 2 else { throw JinjaError(.value, "dictionary update sequence element has length \(kv.count); 2 is required") }
                            d[try Access.dictKey(kv[0])] = kv[1]
                        }
                    }
                }
                for (k, v) in args.keywords { d[k] = v }
                return (.null, .dict(d))
            case "pop":
                let key = try Access.dictKey(try argument(args, 0, "key", method: "pop"))
                if let value = d.removeValue(forKey: key) { return (value, .dict(d)) }
                if let fallback = args.value(1, "default") { return (fallback, .dict(d)) }
                throw JinjaError(.runtime, "'\(key)'")
            case "setdefault":
                let key = try Access.dictKey(try argument(args, 0, "key", method: "setdefault"))
                if let value = d[key] { return (value, .dict(d)) }
                let value = args.value(1, "default") ?? .null
                d[key] = value
                return (value, .dict(d))
            case "popitem":
                guard let last = d.keys.last else { throw JinjaError(.runtime, "'popitem(): dictionary is empty'") }
                let value = d.removeValue(forKey: last) ?? .null
                return (.list([.string(last), value]), .dict(d))
            default:
                return (.null, .dict(OrderedDict()))  // clear
            }
        default:
            throw JinjaError(.type, "'\(receiver.pythonTypeName)' object has no attribute '\(name)'")
        }
    }

    /// Stores `value` back into the place `expr` reads from: a variable, a namespace
    /// attribute, or a key/index of a container that is itself such a place.
    static func writeBack(_ expr: Expr, _ value: Value, _ c: RenderContext) throws {
        switch expr {
        case let name as NameExpr:
            var scope: Scope? = c.scope
            var root = c.scope
            while let s = scope {
                if s.names[name.name] != nil { s.names[name.name] = value; return }
                root = s
                scope = s.parent
            }
            root.names[name.name] = value
        case let attr as GetAttrExpr:
            let container = try attr.object.eval(c)
            switch container {
            case .object(let o): try o.setAttribute(attr.name, value)
            case .dict(var d):
                d[attr.name] = value
                try writeBack(attr.object, .dict(d), c)
            default: break
            }
        case let item as GetItemExpr:
            let container = try item.object.eval(c)
            let key = try item.key.eval(c)
            switch container {
            case .dict(var d):
                d[try Access.dictKey(key)] = value
                try writeBack(item.object, .dict(d), c)
            case .list(var l):
                if var index = key.intValue {
                    if index < 0 { index += l.count }
                    if index >= 0 && index < l.count {
                        l[index] = value
                        try writeBack(item.object, .list(l), c)
                    }
                }
            case .object(let o):
                if let name = key.stringValue { try o.setAttribute(name, value) }
            default: break
            }
        default:
            break  // a temporary (literal, call result): nothing to update
        }
    }
}
