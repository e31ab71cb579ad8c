/// One level of template-local variables (a `for` body, a macro call, a `with` block).
/// Lookups walk the parent chain, so inner scopes see outer names but their own
/// assignments never leak outwards — Jinja2's scoping rule.
final class Scope {
    var names: LocalNames
    let parent: Scope?

    init(parent: Scope?, names: [String: Value] = [:]) {
        self.parent = parent
        self.names = names.isEmpty ? LocalNames() : LocalNames(names)
    }

    @inline(__always)
    func find(_ name: String) -> Value? {
        if !names.isEmpty, let value = names[name] { return value }
        var current = parent
        while let scope = current {
            if !scope.names.isEmpty, let value = scope.names[name] { return value }
            current = scope.parent
        }
        return nil
    }

    /// Every visible name, inner scopes winning (for `include` with context).
    func flattened() -> [String: Value] {
        var result = parent?.flattened() ?? [:]
        for (k, v) in names { result[k] = v }
        return result
    }
}

/// The state of one render: where variables come from, the local scope chain, the
/// block table for template inheritance and a recursion guard.
final class RenderContext {
    let environment: Environment
    let variables: VariableLookup
    var scope: Scope
    var depth = 0
    /// Block overrides for `{% extends %}`: name → chain from most derived to base.
    var blocks: [String: [BlockNode]] = [:]
    let templateName: String
    /// Set by `{% extends %}`: rendered after the child's top level has run.
    var parentTemplate: Template?
    private var cachedCallContext: CallContext?

    /// Python's default recursion limit is about 1000 frames; we stop well before a
    /// Swift stack overflow.
    static let maxDepth = 64

    init(environment: Environment, variables: VariableLookup, scope: Scope, templateName: String) {
        self.environment = environment
        self.variables = variables
        self.scope = scope
        self.templateName = templateName
    }

    /// What filters and tests see: template locals first, then the caller's variables.
    var callContext: CallContext {
        if let cached = cachedCallContext { return cached }
        let context = CallContext(environment: environment, variables: ScopedLookup(self))
        cachedCallContext = context
        return context
    }

    /// Template locals → caller variables → environment globals → undefined.
    @inline(__always)
    func resolve(_ name: String) throws -> Value {
        if let local = scope.find(name) { return local }
        if let value = try variables.lookup(name) { return value }
        if let global = environment.globals[name] { return global }
        if let builtin = BuiltinGlobals.all[name] { return builtin }
        if name == "self" { return .object(TemplateReference(context: self)) }
        return .undefined(Undefined.variable(name))
    }

    /// Adds `block` to the override chain for `name` unless it is already there.
    func registerBlock(_ name: String, _ block: BlockNode) {
        if let chain = blocks[name], chain.contains(where: { $0 === block }) { return }
        blocks[name, default: []].append(block)
    }

    func enter() throws {
        depth += 1
        if depth > RenderContext.maxDepth {
            depth -= 1
            throw JinjaError(.runtime, "Recursive loop detected in template: maximum recursion depth exceeded")
        }
    }

    func leave() { depth -= 1 }

    /// Runs `body` in a fresh child scope.
    @inline(__always)
    func withScope<T>(_ names: [String: Value] = [:], _ body: () throws -> T) rethrows -> T {
        let saved = scope
        scope = Scope(parent: saved, names: names)
        defer { scope = saved }
        return try body()
    }
}

/// Exposes the template's local scope chain plus the caller's variables to filters.
struct ScopedLookup: VariableLookup {
    unowned let context: RenderContext
    init(_ context: RenderContext) { self.context = context }
    func lookup(_ name: String) throws -> Value? {
        if let local = context.scope.find(name) { return local }
        return try context.variables.lookup(name)
    }

    var underlyingVariables: VariableLookup { context.variables.underlyingVariables }
}

/// Where rendered text goes. In native mode it also remembers the first chunk's value
/// so a template made of exactly one `{{ expr }}` can return that value unchanged.
final class Output {
    var text: String = ""
    let native: Bool
    private(set) var chunks = 0
    private var firstValue: Value = .null

    init(native: Bool = false) { self.native = native }

    @inline(__always)
    func write(_ data: String) throws {
        if native { noteChunk(.string(data)) } else { text += data }
        try checkSize()
    }

    @inline(__always)
    func emit(_ value: Value) throws {
        if native { try noteValue(value); return }
        try Output.append(value, to: &text)
        try checkSize()
    }

    /// The output-size cap: a loop or recursive macro writing without end fails the
    /// template instead of exhausting memory.
    @inline(__always)
    private func checkSize() throws {
        if text.utf8.count > InputLimits.templateSize.value {
            throw JinjaError(.runtime, "OverflowError: the rendered template passed \(InputLimits.templateSize.value) bytes (\(InputLimits.templateSize.hint))")
        }
    }

    /// Appends `str(value)` as Ansible prints it (None as an empty string).
    @inline(__always)
    static func append(_ value: Value, to text: inout String) throws {
        switch value {
        case .string(let s), .unsafe(let s): text += s
        case .int(let i): text += String(i)
        case .null: break
        case .bool(let b): text += b ? "True" : "False"
        case .undefined(let u): if !u.isLenient { throw JinjaError(.undefined, u.message) }
        case .object(let o):
            guard let plain = o.storableValue else { throw Output.unsupported(o) }
            try append(plain, to: &text)
        default:
            try Output.checkStorable(value)
            text += value.pythonString
        }
    }

    /// Ansible refuses to output runtime objects (macros, methods, loop, namespace).
    static func unsupported(_ o: JinjaObject) -> JinjaError {
        JinjaError(.runtime, "Type '\(o.typeName)' is unsupported for variable storage.")
    }

    /// Undefined values and runtime objects nested in containers fail when output.
    static func checkStorable(_ value: Value) throws {
        switch value {
        case .list(let items): for item in items { try checkStorable(item) }
        case .dict(let d): for (_, item) in d { try checkStorable(item) }
        case .undefined(let u): throw JinjaError(.undefined, u.message)
        case .object(let o):
            guard let plain = o.storableValue else { throw unsupported(o) }
            try checkStorable(plain)
        default: break
        }
    }

    private func noteChunk(_ value: Value) {
        chunks += 1
        if chunks == 1 { firstValue = value; return }
        if chunks == 2 { try? Output.append(firstValue, to: &text) }
        try? Output.append(value, to: &text)
    }

    private func noteValue(_ original: Value) throws {
        var value = original
        if case .object(let o) = original, let plain = o.storableValue { value = plain }
        // Ansible's native concatenation drops None chunks entirely.
        if case .null = value { return }
        if case .undefined(let u) = value {
            if !u.isLenient { throw JinjaError(.undefined, u.message) }
        } else {
            try Output.checkStorable(value)
        }
        noteChunk(value)
    }

    /// The native result: nothing rendered → None, one chunk → its value, else text.
    var nativeResult: Value {
        get throws {
            switch chunks {
            case 0: return .null
            case 1:
                if case .undefined = firstValue {
                    throw JinjaError(.runtime, "Type 'Undefined' is unsupported for variable storage.")
                }
                return firstValue
            default: return .string(text)
            }
        }
    }
}
