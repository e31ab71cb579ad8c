/// The Python `str`, `list` and `dict` methods templates call (`s.split(',')`,
/// `d.items()`, `l.index(x)`), implemented over `Value` with Python's results.
enum PythonMethods {
    static let stringMethods: Set<String> = [
        "upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
        "startswith", "endswith", "replace", "join", "format", "format_map", "find", "rfind",
        "index", "rindex", "count", "capitalize", "title", "swapcase", "casefold",
        "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isnumeric",
        "isdecimal", "istitle", "isidentifier", "zfill", "center", "ljust", "rjust",
        "partition", "rpartition", "encode", "decode", "removeprefix", "removesuffix", "expandtabs",
    ]
    static let listMethods: Set<String> = [
        "index", "count", "copy", "append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear",
    ]
    static let dictMethods: Set<String> = [
        "get", "items", "keys", "values", "copy", "update", "pop", "setdefault", "clear", "popitem", "fromkeys",
    ]

    @inline(__always)
    static func has(_ receiver: Value, _ name: String) -> Bool {
        switch receiver {
        case .string, .unsafe: return stringMethods.contains(name)
        case .list: return listMethods.contains(name)
        case .dict: return dictMethods.contains(name)
        default: return false
        }
    }

    static func call(_ receiver: Value, _ name: String, _ args: Arguments, _ c: RenderContext?) throws -> Value {
        switch receiver {
        case .string(let s), .unsafe(let s): return try StringMethods.call(s, name, args)
        case .list(let l): return try listMethod(l, name, args)
        case .dict(let d): return try dictMethod(d, name, args)
        default: throw JinjaError(.type, "'\(receiver.pythonTypeName)' object has no attribute '\(name)'")
        }
    }

    static func argument(_ args: Arguments, _ index: Int, _ name: String, method: String) throws -> Value {
        guard let v = args.value(index, name) else {
            throw JinjaError(.type, "\(method)() takes at least \(index + 1) argument (\(args.positional.count) given)")
        }
        if case .undefined(let u) = v { throw JinjaError(.undefined, u.message) }
        return v
    }

    private static func listMethod(_ l: [Value], _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "index":
            let needle = try argument(args, 0, "value", method: "index")
            if let i = l.firstIndex(of: needle) { return .int(i) }
            throw JinjaError(.value, "\(needle.pythonRepr) is not in list")
        case "count":
            let needle = try argument(args, 0, "value", method: "count")
            return .int(l.filter { $0 == needle }.count)
        case "copy":
            return .list(l)
        default:
            // Mutating list methods cannot change the caller's immutable value.
            throw JinjaError(.runtime, "list.\(name)() is not supported: template values are immutable")
        }
    }

    private static func dictMethod(_ d: OrderedDict, _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "get":
            let key = try argument(args, 0, "key", method: "get")
            let fallback = args.value(1, "default") ?? .null
            guard let k = key.stringValue ?? (key.isNumeric || key.isNull ? key.pythonString : nil) else { return fallback }
            return d[k] ?? fallback
        case "items":
            return .list(d.map { .list([.string($0.key), $0.value]) })
        case "keys":
            return .list(d.keys.map(Value.string))
        case "values":
            return .list(d.values)
        case "copy":
            return .dict(d)
        default:
            throw JinjaError(.runtime, "dict.\(name)() is not supported: template values are immutable")
        }
    }
}

/// A method looked up but not yet called (`d.get` passed around, `loop.cycle`).
final class BoundMethod: JinjaObject, @unchecked Sendable {
    let receiver: Value
    let name: String
    init(_ receiver: Value, _ name: String) {
        self.receiver = receiver
        self.name = name
    }
    override var typeName: String { receiver.dictValue != nil ? "method" : "builtin_function_or_method" }
    override var isCallable: Bool { true }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        try PythonMethods.call(receiver, name, arguments, nil)
    }
    override var renderedString: String { "<built-in method \(name) of \(receiver.pythonTypeName) object>" }
}
