/// Calls a callable value: macros (which need the live render context), other
/// callable objects (globals such as `range` or the engine's `lookup`), or raises
/// Python's "not callable" error.
enum Invoke {
    static func call(_ callee: Value, _ arguments: ArgumentList, _ c: RenderContext) throws -> Value {
        switch callee {
        case .object(let o):
            if let macro = o as? Macro { return try macro.invoke(arguments.evaluate(c), caller: nil, c) }
            guard o.isCallable else { throw JinjaError(.type, "'\(o.typeName)' object is not callable") }
            return try o.call(arguments.evaluate(c), c.callContext)
        case .undefined(let u):
            throw JinjaError(.undefined, u.message)
        default:
            throw JinjaError(.type, "'\(callee.pythonTypeName)' object is not callable")
        }
    }
}

/// `namespace(...)`: the one object templates may assign attributes on, so values can
/// escape a loop body (`{% set ns.found = true %}`).
final class Namespace: JinjaObject, @unchecked Sendable {
    var values: OrderedDict
    init(_ values: OrderedDict) { self.values = values }
    override var typeName: String { "Namespace" }
    override func attribute(_ name: String) -> Value? { values[name] }
    override func setAttribute(_ name: String, _ value: Value) throws { values[name] = value }
    override var renderedString: String {
        "<Namespace " + values.map { "\($0.key)=\($0.value.pythonRepr)" }.joined(separator: ", ") + ">"
    }
}

/// The `loop` variable inside `{% for %}`.
final class LoopContext: JinjaObject, @unchecked Sendable {
    var items: [Value]
    var index0 = 0
    let depth0: Int
    /// Renders `loop(children)` for recursive loops.
    var recurse: ((Value) throws -> Value)?
    private var lastChanged: [Value]?

    init(items: [Value], depth0: Int) {
        self.items = items
        self.depth0 = depth0
    }

    override var typeName: String { "LoopContext" }
    override var isCallable: Bool { true }

    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        guard let recurse else {
            throw JinjaError(.type, "The loop must have the 'recursive' marker to be called recursively.")
        }
        guard arguments.positional.count == 1 else {
            throw JinjaError(.type, "loop() takes exactly one argument")
        }
        return try recurse(arguments.positional[0])
    }

    override func attribute(_ name: String) -> Value? {
        let length = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(depth0 + 1)
        case "depth0": return .int(depth0)
        case "previtem":
            return index0 > 0 ? items[index0 - 1] : .undefined(Undefined("there is no previous item"))
        case "nextitem":
            return index0 + 1 < length ? items[index0 + 1] : .undefined(Undefined("there is no next item"))
        case "cycle", "changed": return .object(LoopMethod(self, name))
        default: return nil
        }
    }

    func cycle(_ args: Arguments) throws -> Value {
        guard !args.positional.isEmpty else { throw JinjaError(.type, "no items for cycling given") }
        return args.positional[index0 % args.positional.count]
    }

    func changed(_ args: Arguments) -> Value {
        if let last = lastChanged, last == args.positional { return false }
        lastChanged = args.positional
        return true
    }

    override var renderedString: String { "<LoopContext \(index0 + 1)/\(items.count)>" }
}

/// `loop.cycle` / `loop.changed` as callable values.
final class LoopMethod: JinjaObject, @unchecked Sendable {
    let loop: LoopContext
    let name: String
    init(_ loop: LoopContext, _ name: String) {
        self.loop = loop
        self.name = name
    }
    override var isCallable: Bool { true }
    override var typeName: String { "method" }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        name == "cycle" ? try loop.cycle(arguments) : loop.changed(arguments)
    }
}

/// `cycler(a, b, …)`: `.next()`, `.current`, `.reset()`.
final class Cycler: JinjaObject, @unchecked Sendable {
    let items: [Value]
    var position = 0
    init(_ items: [Value]) { self.items = items }
    override var typeName: String { "Cycler" }
    override func attribute(_ name: String) -> Value? {
        switch name {
        case "current": return items.isEmpty ? .null : items[position]
        case "next", "reset": return .object(CyclerMethod(self, name))
        default: return nil
        }
    }
}

final class CyclerMethod: JinjaObject, @unchecked Sendable {
    let cycler: Cycler
    let name: String
    init(_ cycler: Cycler, _ name: String) {
        self.cycler = cycler
        self.name = name
    }
    override var isCallable: Bool { true }
    override var typeName: String { "method" }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        if name == "reset" { cycler.position = 0; return .null }
        guard !cycler.items.isEmpty else { throw JinjaError(.runtime, "cycler has no items") }
        let value = cycler.items[cycler.position]
        cycler.position = (cycler.position + 1) % cycler.items.count
        return value
    }
}

/// `joiner(sep)`: returns "" the first time it is called, then `sep`.
final class Joiner: JinjaObject, @unchecked Sendable {
    let separator: String
    var used = false
    init(_ separator: String) { self.separator = separator }
    override var typeName: String { "Joiner" }
    override var isCallable: Bool { true }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        if !used { used = true; return "" }
        return .string(separator)
    }
}

/// A plain function exposed as a global (`range`, `dict`, `namespace` …).
final class GlobalFunction: JinjaObject, @unchecked Sendable {
    let name: String
    let body: (Arguments, CallContext) throws -> Value
    init(_ name: String, _ body: @escaping (Arguments, CallContext) throws -> Value) {
        self.name = name
        self.body = body
    }
    override var typeName: String { "builtin_function_or_method" }
    override var isCallable: Bool { true }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value { try body(arguments, context) }
    override var renderedString: String { "<built-in function \(name)>" }
}
