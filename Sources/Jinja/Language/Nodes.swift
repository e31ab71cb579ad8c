/// Compiled statement nodes: each renders itself into an `Output`.
class Node {
    let line: Int
    init(line: Int) { self.line = line }

    func render(_ c: RenderContext, _ out: Output) throws {
        throw JinjaError(.runtime, "internal error: statement node without renderer")
    }
}

@inline(__always)
func renderAll(_ nodes: [Node], _ c: RenderContext, _ out: Output) throws {
    for node in nodes { try node.render(c, out) }
}

/// Adds the line of the failing statement to errors that do not carry one yet.
func located(_ error: Error, line: Int, _ c: RenderContext) -> Error {
    guard var jinja = error as? JinjaError else { return error }
    if jinja.line == nil {
        jinja.line = line
        jinja.templateName = c.templateName
    }
    return jinja
}

final class TextNode: Node {
    let text: String
    init(_ text: String, line: Int) {
        self.text = text
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws { try out.write(text) }
}

/// `{{ expr }}`
final class OutputNode: Node {
    let expr: Expr
    init(_ expr: Expr, line: Int) {
        self.expr = expr
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        do {
            try out.emit(expr.eval(c))
        } catch {
            throw located(error, line: line, c)
        }
    }
}

final class IfNode: Node {
    let branches: [(test: Expr, body: [Node])]
    let elseBody: [Node]
    init(branches: [(test: Expr, body: [Node])], elseBody: [Node], line: Int) {
        self.branches = branches
        self.elseBody = elseBody
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        for branch in branches {
            let passed: Bool
            do { passed = try truthy(branch.test.eval(c)) } catch { throw located(error, line: line, c) }
            if passed { return try renderAll(branch.body, c, out) }
        }
        try renderAll(elseBody, c, out)
    }
}

/// Where `set`, `for` and `with` store values.
indirect enum AssignTarget {
    case name(String)
    case tuple([AssignTarget])
    case attribute(Expr, String)

    func assign(_ value: Value, _ c: RenderContext, into scope: Scope) throws {
        switch self {
        case .name(let name):
            scope.names[name] = value
        case .tuple(let targets):
            let items = try value.pythonIterate()
            if items.count > targets.count {
                throw JinjaError(.value, "too many values to unpack (expected \(targets.count))")
            }
            if items.count < targets.count {
                throw JinjaError(.value, "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (target, item) in zip(targets, items) { try target.assign(item, c, into: scope) }
        case .attribute(let objectExpr, let name):
            let object = try objectExpr.eval(c)
            guard case .object(let o) = object, let namespace = o as? Namespace else {
                throw JinjaError(.runtime, "cannot assign attribute on non-namespace object")
            }
            try namespace.setAttribute(name, value)
        }
    }

    var names: [String] {
        switch self {
        case .name(let n): return [n]
        case .tuple(let ts): return ts.flatMap(\.names)
        case .attribute: return []
        }
    }
}

/// `{% set target = expr %}`
final class SetNode: Node {
    let target: AssignTarget
    let expr: Expr
    init(_ target: AssignTarget, _ expr: Expr, line: Int) {
        self.target = target
        self.expr = expr
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        do {
            try target.assign(expr.eval(c), c, into: c.scope)
        } catch {
            throw located(error, line: line, c)
        }
    }
}

/// Renders a body to a value the way Ansible does: one chunk keeps its native type.
func captureNative(_ body: [Node], _ c: RenderContext) throws -> Value {
    let out = Output(native: true)
    try renderAll(body, c, out)
    return try out.nativeResult
}

func captureText(_ body: [Node], _ c: RenderContext) throws -> String {
    let out = Output()
    try renderAll(body, c, out)
    return out.text
}

/// A placeholder for the captured body inside a filter chain (`{% set x | upper %}`).
final class CapturedValueExpr: Expr {
    override func eval(_ c: RenderContext) throws -> Value {
        c.scope.find("\u{0}captured") ?? .string("")
    }
}

/// `{% set x %}…{% endset %}` (optionally with filters).
final class SetBlockNode: Node {
    let target: AssignTarget
    let body: [Node]
    let filter: Expr?
    init(_ target: AssignTarget, body: [Node], filter: Expr?, line: Int) {
        self.target = target
        self.body = body
        self.filter = filter
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        var value = try captureNative(body, c)
        if let filter {
            value = try c.withScope(["\u{0}captured": value]) { try filter.eval(c) }
        }
        try target.assign(value, c, into: c.scope)
    }
}

/// `{% filter upper %}…{% endfilter %}`
final class FilterBlockNode: Node {
    let body: [Node]
    let filter: Expr
    init(body: [Node], filter: Expr, line: Int) {
        self.body = body
        self.filter = filter
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        let captured = try captureNative(body, c)
        let value = try c.withScope(["\u{0}captured": captured]) { try filter.eval(c) }
        try out.emit(value)
    }
}

/// `{% with a = 1, b = 2 %}…{% endwith %}`
final class WithNode: Node {
    let assignments: [(AssignTarget, Expr)]
    let body: [Node]
    init(assignments: [(AssignTarget, Expr)], body: [Node], line: Int) {
        self.assignments = assignments
        self.body = body
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        var values: [Value] = []
        for (_, expr) in assignments { values.append(try expr.eval(c)) }
        try c.withScope {
            for ((target, _), value) in zip(assignments, values) { try target.assign(value, c, into: c.scope) }
            try renderAll(body, c, out)
        }
    }
}

/// `{% macro name(params) %}…{% endmacro %}`: binds a Macro in the current scope.
final class MacroNode: Node {
    let definition: MacroDefinition
    init(_ definition: MacroDefinition, line: Int) {
        self.definition = definition
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        c.scope.names[definition.name] = .object(Macro(definition, closure: c.scope, c))
    }
}

/// `{% call(args) macro(…) %}body{% endcall %}`: calls the macro with `caller` bound.
final class CallBlockNode: Node {
    let call: CallExpr
    let caller: MacroDefinition
    init(call: CallExpr, caller: MacroDefinition, line: Int) {
        self.call = call
        self.caller = caller
        super.init(line: line)
    }
    override func render(_ c: RenderContext, _ out: Output) throws {
        let callerMacro = Macro(caller, closure: c.scope, c)
        let callee = try call.callee.eval(c)
        guard case .object(let o) = callee, let macro = o as? Macro else {
            if case .undefined(let u) = callee { throw JinjaError(.undefined, u.message) }
            throw JinjaError(.type, "'\(callee.pythonTypeName)' object is not callable")
        }
        try out.emit(macro.invoke(call.arguments.evaluate(c), caller: .object(callerMacro), c))
    }
}
