/// Jinja2's default global functions: `range`, `dict`, `namespace`, `cycler`, `joiner`.
/// They are consulted after `Environment.globals`, so the engine may override them.
enum BuiltinGlobals {
    /// Beyond this many items `range()` raises instead of exhausting memory.
    static let maxRange = 10_000_000

    static let all: [String: Value] = [
        "range": .object(GlobalFunction("range", range)),
        "dict": .object(GlobalFunction("dict", dict)),
        "namespace": .object(GlobalFunction("namespace", namespace)),
        "cycler": .object(GlobalFunction("cycler") { args, _ in .object(Cycler(args.positional)) }),
        "joiner": .object(GlobalFunction("joiner") { args, _ in
            .object(Joiner(args.value(0, "sep")?.stringValue ?? ", "))
        }),
    ]

    private static func intArgument(_ v: Value) throws -> Int {
        if case .undefined(let u) = v { throw JinjaError(.undefined, u.message) }
        guard let i = v.intValue else {
            throw JinjaError(.type, "'\(v.pythonTypeName)' object cannot be interpreted as an integer")
        }
        return i
    }

    static func range(_ args: Arguments, _ context: CallContext) throws -> Value {
        if !args.keywords.isEmpty { throw JinjaError(.type, "range() takes no keyword arguments") }
        let p = try args.positional.map(intArgument)
        var start = 0, stop = 0, step = 1
        switch p.count {
        case 1: stop = p[0]
        case 2: start = p[0]; stop = p[1]
        case 3: start = p[0]; stop = p[1]; step = p[2]
        case 0: throw JinjaError(.type, "range expected at least 1 argument, got 0")
        default: throw JinjaError(.type, "range expected at most 3 arguments, got \(p.count)")
        }
        if step == 0 { throw JinjaError(.value, "range() arg 3 must not be zero") }
        let span = step > 0 ? Double(stop) - Double(start) : Double(start) - Double(stop)
        let countEstimate = span <= 0 ? 0 : (span / Swift.abs(Double(step))).rounded(.up)
        if countEstimate > Double(maxRange) {
            throw JinjaError(.value, "range too big, maximum size for range is \(maxRange)")
        }
        let count = Int(countEstimate)
        var items: [Value] = []
        items.reserveCapacity(count)
        var v = start
        for _ in 0..<count { items.append(.int(v)); v &+= step }
        return .list(items)
    }

    static func dict(_ args: Arguments, _ context: CallContext) throws -> Value {
        var result = OrderedDict()
        if args.positional.count > 1 { throw JinjaError(.type, "dict expected at most 1 argument, got \(args.positional.count)") }
        if let source = args.positional.first {
            switch source {
            case .dict(let d): result = d
            case .list(let pairs):
                for (i, pair) in pairs.enumerated() {
                    let items = try pair.pythonIterate()
                    guard items.count == 2 else {
                        throw JinjaError(.value, "dictionary update sequence element #\(i) has length \(items.count); 2 is required")
                    }
                    result[try Access.dictKey(items[0])] = items[1]
                }
            case .undefined(let u): throw JinjaError(.undefined, u.message)
            default: throw JinjaError(.type, "'\(source.pythonTypeName)' object is not iterable")
            }
        }
        for (k, v) in args.keywords { result[k] = v }
        return .dict(result)
    }

    static func namespace(_ args: Arguments, _ context: CallContext) throws -> Value {
        let base = try dict(args, context)
        return .object(Namespace(base.dictValue ?? OrderedDict()))
    }
}
