/// `{% for target in iterable [if cond] [recursive] %}…{% else %}…{% endfor %}`.
/// Each iteration starts from a clean scope (assignments made in one iteration are not
/// visible in the next, nor after the loop), as in Jinja2.
final class ForNode: Node {
    let target: AssignTarget
    let iterable: Expr
    let condition: Expr?
    let body: [Node]
    let elseBody: [Node]
    let recursive: Bool
    /// Only build the `loop` object when the body mentions it.
    let usesLoop: Bool

    init(target: AssignTarget, iterable: Expr, condition: Expr?, body: [Node], elseBody: [Node],
         recursive: Bool, usesLoop: Bool, line: Int) {
        self.target = target
        self.iterable = iterable
        self.condition = condition
        self.body = body
        self.elseBody = elseBody
        self.recursive = recursive
        self.usesLoop = usesLoop || recursive
        super.init(line: line)
    }

    override func render(_ c: RenderContext, _ out: Output) throws {
        let source: Value
        do { source = try iterable.eval(c) } catch { throw located(error, line: line, c) }
        try loop(over: source, depth0: 0, c, out)
    }

    private func loop(over source: Value, depth0: Int, _ c: RenderContext, _ out: Output) throws {
        var items: [Value]
        do { items = try ForNode.iterate(source) } catch { throw located(error, line: line, c) }
        let saved = c.scope
        let scope = Scope(parent: saved)
        c.scope = scope
        defer { c.scope = saved }
        if let condition {
            var kept: [Value] = []
            for item in items {
                scope.names.removeAll(keepingCapacity: true)
                try target.assign(item, c, into: scope)
                if try truthy(condition.eval(c)) { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            c.scope = saved
            try renderAll(elseBody, c, out)
            return
        }
        var loopContext: LoopContext?
        if usesLoop {
            let context = LoopContext(items: items, depth0: depth0)
            if recursive {
                context.recurse = { [unowned self, unowned c] children in
                    try c.enter()
                    defer { c.leave() }
                    let inner = Output(native: false)
                    let outer = c.scope
                    c.scope = saved
                    defer { c.scope = outer }
                    try self.loop(over: children, depth0: depth0 + 1, c, inner)
                    return .string(inner.text)
                }
            }
            loopContext = context
        }
        let loopValue: Value = loopContext.map { .object($0) } ?? .null
        for (index, item) in items.enumerated() {
            if !scope.names.isEmpty { scope.names.removeAll(keepingCapacity: true) }
            if let loopContext {
                loopContext.index0 = index
                scope.names["loop"] = loopValue
            }
            do { try target.assign(item, c, into: scope) } catch { throw located(error, line: line, c) }
            try renderAll(body, c, out)
        }
    }

    /// What `for` iterates: list items, dict keys, string characters.
    static func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .list(let items): return items
        case .dict(let d): return d.keys.map(Value.string)
        case .string(let s), .unsafe(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined(let u): throw JinjaError(.undefined, u.message)
        case .object(let o):
            if let items = try o.iterate() { return items }
            throw JinjaError(.type, "'\(o.typeName)' object is not iterable")
        default: throw JinjaError(.type, "'\(value.pythonTypeName)' object is not iterable")
        }
    }
}
